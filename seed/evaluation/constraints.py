"""The independent hard-constraint checker of the evaluation: certification, region, provider kind, capacity.

Written from the definitions in docs/MATCHING.md ("Capacity feasibility") and docs/EVALUATION.md, on the
sample records in Python — it shares no code with the matching engine, whose Cypher it checks:

* **certification** — every required certification is held with status ACTIVE and ``valid_until`` (if
  any) on or after ``as_of``; IN_PROGRESS and EXPIRED never count;
* **region** — the provider's city is the constraint region or lies in it through PART_OF (city →
  province → group), so 成都市 is in 四川省 and in 成渝地区, 重庆市渝北区 in 重庆市 and 成渝地区;
* **capacity** (one offer, CAPACITY needs) — the offer is PUBLISHED and in the need's unit; production
  runs from ``max(available_from, as_of)`` to ``min(available_to, deadline − lead_time_days)``, both days
  included; ``deliverable = monthly_volume × days / 30 − booked_volume``; feasible iff
  ``deliverable ≥ quantity ≥ moq``. The comparison is done as ``monthly_volume × days ≥ 30 × (quantity +
  booked_volume)`` so integer volumes compare exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from seed.reference import Region
from seed.sample import CapacityOffer, HeldCertification

__all__ = ["OfferCheck", "Regions", "certification_problems", "check_offer", "production_days"]


def production_days(available_from: date, available_to: date, deadline: date | None, lead_time_days: int,
                    as_of: date) -> tuple[date, date, int]:
    """(first day, last day, days) the offer can produce for a need; days is 0 when the window is shut."""
    start = max(available_from, as_of)
    last = available_to if deadline is None else min(available_to, deadline - timedelta(days=lead_time_days))
    return start, last, max(0, (last - start).days + 1)


@dataclass(frozen=True, slots=True)
class OfferCheck:
    offer_id: str
    ok: bool
    constraint: str | None  # None when ok, else status | unit | window | volume | moq
    reason: str  # what was checked, with the numbers


def check_offer(offer: CapacityOffer, quantity: int | None, unit: str | None, deadline: date | None,
                as_of: date) -> OfferCheck:
    """Can this offer deliver ``quantity`` ``unit`` by ``deadline``, judged on ``as_of``?"""
    oid = offer.id
    if offer.status != "PUBLISHED":
        return OfferCheck(oid, False, "status", f"{oid} is {offer.status}")
    if quantity is not None and unit is not None and offer.unit != unit:
        return OfferCheck(oid, False, "unit", f"{oid} is offered in {offer.unit}, the need counts {unit}")
    start, last, days = production_days(date.fromisoformat(offer.available_from),
                                        date.fromisoformat(offer.available_to), deadline, offer.lead_time_days,
                                        as_of)
    window = f"{oid} window {offer.available_from}..{offer.available_to}, lead {offer.lead_time_days}d"
    if days < 1:
        return OfferCheck(oid, False, "window", f"{window}: no production day (earliest start {start}, "
                                               f"latest finish {last})")
    deliverable = offer.monthly_volume * days / 30 - offer.booked_volume
    volume = (f"{offer.monthly_volume}/month × {days}d / 30 − booked {offer.booked_volume} = "
              f"{deliverable:,.0f} {offer.unit}")
    if quantity is None:
        if deliverable <= 0:
            return OfferCheck(oid, False, "volume", f"{window}: {volume}, nothing left")
        return OfferCheck(oid, True, None, f"{window}: {volume}")
    if offer.monthly_volume * days < 30 * (quantity + offer.booked_volume):
        return OfferCheck(oid, False, "volume", f"{window}: {volume} < quantity {quantity}")
    if quantity < offer.moq:
        return OfferCheck(oid, False, "moq", f"{oid}: quantity {quantity} < MOQ {offer.moq}")
    return OfferCheck(oid, True, None, f"{window}: {volume} ≥ quantity {quantity} ≥ MOQ {offer.moq}")


def certification_problems(held: Iterable[HeldCertification], required: Iterable[str], as_of: date) -> list[str]:
    """One line per required certification the provider does not hold validly on ``as_of``."""
    by_code = {h.code: h for h in held}
    problems: list[str] = []
    for code in required:
        h = by_code.get(code)
        if h is None:
            problems.append(f"{code} not held")
        elif h.status != "ACTIVE":
            problems.append(f"{code} {h.status}")
        elif h.valid_until is not None and date.fromisoformat(h.valid_until) < as_of:
            problems.append(f"{code} expired {h.valid_until}")
    return problems


class Regions:
    """Region containment over PART_OF (a region's ``parents`` and theirs, transitively)."""

    def __init__(self, regions: Iterable[Region]):
        self.by_code = {r.code: r for r in regions}
        self._up: dict[str, frozenset[str]] = {}

    def ancestors(self, code: str) -> frozenset[str]:
        if code not in self._up:
            found: set[str] = set()
            todo = list(self.by_code[code].parents) if code in self.by_code else []
            while todo:
                parent = todo.pop()
                if parent not in found:
                    found.add(parent)
                    todo += self.by_code[parent].parents if parent in self.by_code else ()
            self._up[code] = frozenset(found)
        return self._up[code]

    def contains(self, region: str, city: str) -> bool:
        """Is ``city`` (a provider's location) inside the constraint ``region``?"""
        return city == region or region in self.ancestors(city)

    def name(self, code: str) -> str:
        return self.by_code[code].name_zh if code in self.by_code else code
