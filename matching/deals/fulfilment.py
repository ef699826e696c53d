"""A provider's fulfilment score: how its deals went, not stars alone.

Like Xometry's partner score it combines delivery, completion, engagement and ratings over a
rolling window. The window ends on the day asked for (``as_of``, today by default — so the score is
recomputed every day, from the records as they are) and reaches back :data:`WINDOW_DAYS` (6 months),
or further back to the :data:`MIN_DEALS` most recent deals when the 6 months hold fewer.

Parts (each counted only when it has something to count; weights rescale over those present):

* ``on_time`` — share of delivered deals delivered on or before the need's deadline;
* ``completion`` — delivered or completed deals against those plus the deals the *provider*
  cancelled (a cancellation by the enterprise does not count against the provider);
* ``responsiveness`` — share of the matches naming the provider in the last 6 months that it
  answered (responded to, or that went on to acceptance);
* ``rating`` — the enterprises' mean stars on these deals, (mean − 1) / 4.

A provider with no deal outcome yet (nothing delivered, completed, cancelled by it or rated) is
``NEW``: it has no score, and matching leaves the part out instead of ranking it as average.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from graph.db import Database
from graph.repositories import deal_records as repo

WINDOW_DAYS = repo.FULFILMENT_WINDOW_DAYS
MIN_DEALS = 10
DEAL_CAP = repo.DEAL_CAP
WEIGHTS = {"on_time": 0.35, "completion": 0.30, "rating": 0.20, "responsiveness": 0.15}
OUTCOME_PARTS = ("on_time", "completion", "rating")


@dataclass(frozen=True)
class FulfilmentPart:
    name: str
    value: float  # 0..1
    weight: float  # rescaled over the parts present
    count: int  # how many records it is computed from
    detail: str


@dataclass(frozen=True)
class Fulfilment:
    provider_id: str
    status: str  # 'NEW' | 'SCORED'
    score: float | None
    window_from: date
    window_to: date
    deals: int
    parts: list[FulfilmentPart] = field(default_factory=list)

    def summary(self) -> str:
        """One line naming the parts, for match explanations."""
        if self.status == "NEW":
            return "new to the pool: no fulfilment record yet (not ranked as average)"
        parts = "; ".join(part.detail for part in self.parts)
        return (f"fulfilment {self.score:.2f} over {self.deals} deal(s) "
                f"{self.window_from.isoformat()}–{self.window_to.isoformat()}: {parts}")


def window_start(as_of: date) -> date:
    return as_of - timedelta(days=WINDOW_DAYS)


def _day(value: Any) -> date | None:
    if value is None:
        return None
    return value.to_native() if hasattr(value, "to_native") else value


def score(provider_id: str, deals: list[dict[str, Any]], opportunity_counts: dict[str, int] | None,
          as_of: date) -> Fulfilment:
    """The score from one provider's records (``graph.repositories.deals.fulfilment_records``); pure."""
    start = window_start(as_of)
    newest_first = sorted(deals, key=lambda d: _day(d["accepted"]) or date.min, reverse=True)
    window = [d for d in newest_first if (_day(d["accepted"]) or date.min) >= start]
    if len(window) < MIN_DEALS:
        window = newest_first[:MIN_DEALS]
    window_from = min([start] + [_day(d["accepted"]) for d in window if d["accepted"] is not None])
    raw: list[tuple[str, float, int, str]] = []
    delivered = [d for d in window if d["delivered"] is not None and d["status"] in ("DELIVERED", "COMPLETED")]
    if delivered:
        on_time = sum(1 for d in delivered if d["deadline"] is None or _day(d["delivered"]) <= _day(d["deadline"]))
        raw.append(("on_time", on_time / len(delivered), len(delivered),
                    f"on time {on_time}/{len(delivered)}"))
    fulfilled = sum(1 for d in window if d["status"] in ("DELIVERED", "COMPLETED"))
    dropped = sum(1 for d in window if d["status"] == "CANCELLED" and d["cancelled_by"] == "PROVIDER")
    if fulfilled + dropped:
        raw.append(("completion", fulfilled / (fulfilled + dropped), fulfilled + dropped,
                    f"completed {fulfilled}/{fulfilled + dropped} ({dropped} cancelled by the provider)"))
    stars = [float(d["rating"]) for d in window if d.get("rating") is not None]
    if stars:
        mean = sum(stars) / len(stars)
        raw.append(("rating", (mean - 1.0) / 4.0, len(stars), f"rated {mean:.1f}/5 ({len(stars)})"))
    counts = opportunity_counts or {}
    if counts.get("offered"):
        answered = int(counts.get("answered") or 0)
        raw.append(("responsiveness", answered / counts["offered"], int(counts["offered"]),
                    f"answered {answered}/{counts['offered']} opportunities"))
    total_weight = sum(WEIGHTS[name] for name, *_ in raw) or 1.0
    parts = [FulfilmentPart(name, round(value, 4), round(WEIGHTS[name] / total_weight, 4), count, detail)
             for name, value, count, detail in raw]
    if not any(part.name in OUTCOME_PARTS for part in parts):
        return Fulfilment(provider_id, "NEW", None, window_from, as_of, len(window), parts)
    total = sum(part.value * part.weight for part in parts)
    return Fulfilment(provider_id, "SCORED", round(total, 4), window_from, as_of, len(window), parts)


async def fulfilment(db: Database, provider_ids: list[str], as_of: date) -> dict[str, Fulfilment]:
    """The fulfilment of each provider as of a day (one round trip)."""
    rows = await repo.fulfilment(db, provider_ids, as_of=as_of, window_start=window_start(as_of), deal_cap=DEAL_CAP)
    return {row["provider_id"]: score(row["provider_id"], row["deals"], row["opportunity_counts"], as_of)
            for row in rows}
