"""GraphQL types of the curation domain: enums, staff views, payloads. Thin wrappers of repository rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from api.curation.enums import ListingStatus, TermKind, Verification
from api.payloads import UserError
from api.providers.types import Provider
from api.reference.types import Certification


@strawberry.type(description="An existing provider a registration may duplicate, with the name similarity.")
class DuplicateCandidate:
    provider: Provider | None
    similarity: float


@strawberry.type(description="A provider waiting for a staff decision.")
class ReviewItem:
    provider: Provider | None
    listing_status: ListingStatus
    registered_at: datetime | None
    candidates: list[DuplicateCandidate] = strawberry.field(
        description="Providers in the same region with a similar name (0.5–0.8): check before listing.")


@strawberry.type(description="A staff action as the audit log keeps it.")
class AuditEvent:
    id: str
    actor: str
    action: str = strawberry.field(description="provider.review, certification.verify, term.map, "
                                               "term.create_node, edition.publish, provider.import.")
    target: str
    at: datetime
    before: JSON | None
    after: JSON | None


@strawberry.type
class AuditLogPage:
    events: list[AuditEvent]
    next_cursor: str | None = strawberry.field(description="Pass as `after` for older events; null at the end.")


@strawberry.type(description="How many of one kind of object typed a term.")
class TermMentions:
    label: str
    count: int


@strawberry.type(description="A certification, industry or material someone typed that names nothing known yet.")
class UnverifiedTerm:
    key: str = strawberry.field(description="Pass to mapTerm / createTermNode.")
    kind: TermKind
    text: str
    mentions: int
    by_label: list[TermMentions]
    first_seen: datetime | None


@strawberry.type(description="A held certificate that runs out soon (or an ACTIVE one already past its date).")
class ExpiringCertification:
    provider: Provider | None
    certification: Certification | None
    valid_until: date
    days_left: int
    verification: Verification


@strawberry.type(description="A published 名录 edition: numbered, dated, never changed afterwards.")
class Edition:
    number: int
    title: str
    published_at: datetime
    published_by: str
    category: str | None = strawberry.field(description="The capability category it covers (null: all).")
    region: str | None = strawberry.field(description="The region it covers, sub-regions included (null: all).")
    provider_count: int

    @strawberry.field(description="GET with a STAFF token (Authorization: Bearer …).")
    def csv_url(self) -> str:
        return f"/editions/{self.number}.csv"

    @strawberry.field(description="GET with a STAFF token (Authorization: Bearer …).")
    def xlsx_url(self) -> str:
        return f"/editions/{self.number}.xlsx"

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Edition:
        return cls(number=row["number"], title=row["title"], published_at=row["published_at"],
                   published_by=row["published_by"], category=row["category"], region=row["region"],
                   provider_count=row["provider_count"])


@strawberry.type
class ReviewProviderPayload:
    errors: list[UserError]
    provider: Provider | None
    listing_status: ListingStatus | None


@strawberry.type
class VerifyCertificationPayload:
    errors: list[UserError]
    provider: Provider | None
    verification: Verification | None


@strawberry.type
class MapTermPayload:
    errors: list[UserError]
    code: str | None
    relinked: int = strawberry.field(description="Mentions re-linked to the node.")


@strawberry.type
class PublishEditionPayload:
    errors: list[UserError]
    edition: Edition | None
