"""Enums and the listing event of the curation domain (also used by ``api.types`` for Provider fields)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry

from matching.curation import policy

ListingStatus = strawberry.enum(policy.ListingStatus, name="ListingStatus",
                                description="A provider's place in the resource pool (资源池). Only LISTED "
                                            "providers are public, searchable and matchable.")
ListingDecision = strawberry.enum(policy.Decision, name="ListingDecision",
                                  description="What staff decide: LIST (admit or re-admit), REJECT, SUSPEND.")
Verification = strawberry.enum(policy.Verification, name="Verification",
                               description="A held certificate as staff judged it; every certificate starts "
                                           "DECLARED.")


@strawberry.enum(description="The kind of an unverified term.")
class TermKind(Enum):
    CERTIFICATION = "CERTIFICATION"
    INDUSTRY = "INDUSTRY"
    MATERIAL = "MATERIAL"


@strawberry.type(description="One change of a provider's listing status: who decided, when and why.")
class ListingEvent:
    at: datetime
    from_status: ListingStatus | None
    to_status: ListingStatus
    decision: str = strawberry.field(description="LIST, REJECT, SUSPEND, or APPLY for the registration itself.")
    reason: str | None
    actor: str = strawberry.field(description="`STAFF:<organisation>`, `system` (auto-listing) or `registration`.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ListingEvent:
        return cls(at=row["at"], from_status=ListingStatus(row["from_status"]) if row["from_status"] else None,
                   to_status=ListingStatus(row["to_status"]), decision=row["decision"], reason=row["reason"],
                   actor=row["actor"])


