"""GraphQL types of a provider's track record: its deal ratings beside the prior rating, and its
fulfilment score (``matching.deals.fulfilment``). Apart from ``types.py`` because ``Provider``
(api/providers) shows them and ``types.py`` itself refers to ``Provider``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from matching.deals.fulfilment import Fulfilment as FulfilmentResult

Row = dict[str, Any]


@strawberry.type(description="The enterprises' ratings of a provider's deals, beside the prior (sample) rating.")
class RatingSummary:
    mean: float | None = strawberry.field(description="Mean of quality, delivery and communication; null: none.")
    count: int
    quality: float | None
    delivery: float | None
    communication: float | None
    prior: float | None = strawberry.field(description="The rating loaded with the sample data: prior data, "
                                                       "not from deals on gongxu.")

    @classmethod
    def from_row(cls, row: Row) -> RatingSummary:
        return cls(mean=row.get("mean"), count=row.get("count") or 0, quality=row.get("quality"),
                   delivery=row.get("delivery"), communication=row.get("communication"), prior=row.get("prior"))


@strawberry.type(description="One part of the fulfilment score.")
class FulfilmentPart:
    name: str = strawberry.field(description="on_time, completion, rating or responsiveness.")
    value: float = strawberry.field(description="0..1.")
    weight: float = strawberry.field(description="Rescaled over the parts present; they sum to 1.")
    count: int = strawberry.field(description="How many records the part is computed from.")
    detail: str


@strawberry.type(description="A provider's fulfilment score over a rolling window (6 months, or back to its last "
                             "10 deals); NEW (no score) until a deal has an outcome.")
class Fulfilment:
    status: str = strawberry.field(description="NEW or SCORED.")
    score: float | None = strawberry.field(description="0..1; null while NEW (never ranked as average).")
    window_from: date
    window_to: date
    deals: int = strawberry.field(description="Deals in the window.")
    parts: list[FulfilmentPart]
    summary: str

    @classmethod
    def from_result(cls, result: FulfilmentResult) -> Fulfilment:
        return cls(status=result.status, score=result.score, window_from=result.window_from,
                   window_to=result.window_to, deals=result.deals, summary=result.summary(),
                   parts=[FulfilmentPart(name=p.name, value=p.value, weight=p.weight, count=p.count, detail=p.detail)
                          for p in result.parts])
