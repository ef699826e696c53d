"""GraphQL types of deals: responses (quotes), transitions, ratings and the fulfilment score.

Thin wrappers over rows of ``graph.repositories.deals`` and results of ``matching.deals``; docs/DEALS.md
has the rules, docs/API.md walks one deal from ``postNeed`` to rating.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry

from api.payloads import UserError
from api.providers.types import CapacityOffer, Provider, provider_from_row

Row = dict[str, Any]


def _datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _date(value: Any) -> date | None:
    if value is None:
        return None
    return value.to_native() if hasattr(value, "to_native") else value


@strawberry.enum(description="A provider's answer to a need.")
class Interest(Enum):
    INTERESTED = "INTERESTED"
    DECLINED = "DECLINED"


@strawberry.enum(description="The deal steps `advanceMatch` takes (accept/reject with acceptMatch/rejectMatch).")
class DealStep(Enum):
    CONTRACTED = "CONTRACTED"
    DELIVERED = "DELIVERED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


@strawberry.enum(description="Order of responses: cheapest first, fastest first, or newest first.")
class ResponseOrder(Enum):
    PRICE = "PRICE"
    LEAD_TIME = "LEAD_TIME"
    UPDATED = "UPDATED"


@strawberry.enum(description="ENTERPRISE, PROVIDER or STAFF (acting for either), or SYSTEM.")
class Party(Enum):
    ENTERPRISE = "ENTERPRISE"
    PROVIDER = "PROVIDER"
    STAFF = "STAFF"


@strawberry.type(description="A provider's response to a need: interest and, when interested, a quote.")
class Response:
    id: strawberry.ID
    interest: Interest
    price: float | None = strawberry.field(description="Total price quoted for the need.")
    currency: str | None = strawberry.field(description="ISO 4217, e.g. CNY.")
    lead_time_days: int | None
    valid_until: date | None = strawberry.field(description="The quote holds until this day.")
    message: str | None
    revision: int = strawberry.field(description="1 for the first answer, +1 per revision.")
    created_at: datetime | None
    updated_at: datetime | None
    need_id: strawberry.ID
    provider_id: strawberry.ID
    need_title: str | None = strawberry.field(description="Shown to the provider that answered and to staff.")
    need_status: str | None
    match_id: strawberry.ID | None = strawberry.field(description="The stored match of this provider on the "
                                                                  "need, if there is one.")
    match_status: str | None
    offer_id: strawberry.Private[str | None]

    @classmethod
    def from_row(cls, row: Row) -> Response:
        r = row["response"]
        return cls(id=strawberry.ID(r["id"]), interest=Interest(r["interest"]), price=r.get("price"),
                   currency=r.get("currency"), lead_time_days=r.get("lead_time_days"),
                   valid_until=_date(r.get("valid_until")), message=r.get("message"), revision=r.get("revision") or 1,
                   created_at=_datetime(r.get("created_at")), updated_at=_datetime(r.get("updated_at")),
                   need_id=strawberry.ID(row["need_id"]), provider_id=strawberry.ID(row["provider_id"]),
                   need_title=row.get("need_title"), need_status=row.get("need_status"),
                   match_id=strawberry.ID(row["match_id"]) if row.get("match_id") else None,
                   match_status=row.get("match_status"), offer_id=r.get("offer_id"))

    @strawberry.field(description="The provider that answered.")
    async def provider(self, info: strawberry.Info) -> Provider | None:
        return provider_from_row(await info.context.loaders.provider.load(str(self.provider_id)))

    @strawberry.field(description="The offer the quote is for (capacity needs), if named.")
    async def offer(self, info: strawberry.Info) -> CapacityOffer | None:
        if not self.offer_id:
            return None
        row = await info.context.loaders.offer.load(self.offer_id)
        return CapacityOffer.from_row(row) if row else None


@strawberry.type(description="One status change of a match, kept for the funnel reports.")
class MatchTransition:
    from_status: str | None = strawberry.field(name="from")
    to: str
    at: datetime | None
    by: Party | None = strawberry.field(description="Who took the step.")
    note: str | None = strawberry.field(description="The reason of a cancellation or rejection, or a note.")

    @classmethod
    def from_row(cls, row: Row) -> MatchTransition:
        by = row.get("by_role")
        return cls(from_status=row.get("from"), to=row["to"], at=_datetime(row.get("at")),
                   by=Party(by) if by in Party.__members__ else None, note=row.get("note"))


@strawberry.type(description="One side's rating of a completed deal (1–5 each).")
class Rating:
    by: Party
    quality: int | None = strawberry.field(description="Enterprise rates the provider: quality of the work.")
    delivery: int | None
    communication: int | None
    clarity: int | None = strawberry.field(description="Provider rates the enterprise: clarity of the need.")
    payment: int | None
    comment: str | None
    at: datetime | None

    @classmethod
    def from_row(cls, row: Row) -> Rating:
        return cls(by=Party(row["by_role"]), quality=row.get("quality"), delivery=row.get("delivery"),
                   communication=row.get("communication"), clarity=row.get("clarity"), payment=row.get("payment"),
                   comment=row.get("comment"), at=_datetime(row.get("at")))


# ---------------------------------------------------------------------------------------- inputs


@strawberry.input
class RespondToNeedInput:
    need_id: strawberry.ID
    interest: Interest
    price: float | None = None
    currency: str | None = strawberry.field(default=None, description="ISO 4217; CNY when a price is given.")
    lead_time_days: int | None = None
    valid_until: date | None = None
    message: str | None = strawberry.field(default=None, description="Up to 2,000 characters.")
    offer_id: strawberry.ID | None = strawberry.field(default=None, description="One of the provider's published "
                                                                                "offers the quote is for.")
    client_mutation_id: str | None = None


@strawberry.input
class AdvanceMatchInput:
    match_id: strawberry.ID
    to: DealStep
    note: str | None = strawberry.field(default=None, description="Required (1–500 characters) to cancel: the "
                                                                  "reason.")
    client_mutation_id: str | None = None


@strawberry.input
class RateMatchInput:
    match_id: strawberry.ID
    quality: int | None = strawberry.field(default=None, description="1–5; the enterprise rates these three.")
    delivery: int | None = None
    communication: int | None = None
    clarity: int | None = strawberry.field(default=None, description="1–5; the provider rates these two.")
    payment: int | None = None
    comment: str | None = None
    client_mutation_id: str | None = None


@strawberry.type(description="The response after `respondToNeed`; `errors` empty when it worked, else nothing "
                             "was written.")
class RespondToNeedPayload:
    response: Response | None
    errors: list[UserError]
    client_mutation_id: str | None
