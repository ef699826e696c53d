"""Explanations a person can read: each hard constraint with the data it was decided on.

Everything here formats facts the graph already decided (``graph/repositories/matching.py`` filters
in Cypher); nothing here decides. The texts are short English sentences with the Chinese names of
taxonomy nodes, regions and certificates as stored, e.g.

    "IATF 16949 汽车质量管理体系: held, ACTIVE until 2027-05-01"
    "6,000 deliverable ≥ 5,000 needed (2,000/month × 90 days)"
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

KIND_NAMES = {"MANUFACTURER": "manufacturer", "SERVICE_PROVIDER": "service provider"}


@dataclass(frozen=True)
class Check:
    name: str  # kind | process | certification | region | unit | moq | window | volume
    passed: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def number(value: float | int | None) -> str:
    """1,234 for whole numbers, 1,234.5 otherwise."""
    if value is None:
        return "?"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def iso(value: Any) -> str | None:
    """A Neo4j or Python date as YYYY-MM-DD."""
    if value is None:
        return None
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def kind_check(need_kind: str, provider_kind: str, offer_id: str | None) -> Check:
    name = KIND_NAMES.get(provider_kind, provider_kind)
    if need_kind == "CAPACITY":
        return Check("kind", True, f"capacity need: {name} with published offer {offer_id}")
    return Check("kind", True, f"service need: {name} with a matching capability statement")


def process_check(relation: str, path: str, process_text: str) -> Check:
    """The offer is capacity for the needed process (or a related one)."""
    if relation == "UNLINKED":
        return Check("process", True, f"offer “{process_text}” (the need names no taxonomy node)")
    if relation == "SIMILAR":
        return Check("process", True, f"offer “{process_text}” reads like the need (not linked to the taxonomy)")
    if relation == "NONE":
        return Check("process", False, f"offer “{process_text}” is for an unrelated process")
    return Check("process", True, f"offer “{process_text}”: {path} ({relation.lower()})")


def certification_checks(required: list[dict[str, Any]], held: list[dict[str, Any]],
                         deadline: Any = None) -> list[Check]:
    """One check per required certificate ("IATF 16949: held, ACTIVE until 2027-05-01")."""
    if not required:
        return [Check("certification", True, "no certification required")]
    by_code = {h["code"]: h for h in held}
    checks = []
    for cert in required:
        holding = by_code.get(cert["code"])
        label = cert.get("name") or cert["code"]
        if holding is None:
            checks.append(Check("certification", False, f"{label}: not held"))
            continue
        until = iso(holding.get("valid_until"))
        detail = f"{label}: held, {holding['status']}" + (f" until {until}" if until else " (no expiry date)")
        verification = holding.get("verification") or "DECLARED"
        detail += ", verified by staff" if verification == "VERIFIED" else ", declared only (not verified by staff)"
        if until and deadline is not None and until < (iso(deadline) or ""):
            detail += f" — expires before the deadline {iso(deadline)}"
        checks.append(Check("certification", holding["status"] == "ACTIVE", detail))
    return checks


def region_check(need_regions: list[dict[str, Any]], provider_region: dict[str, Any] | None,
                 region_matches: list[str]) -> Check:
    where = (provider_region or {}).get("name") or "unknown region"
    if not need_regions:
        return Check("region", True, f"no region constraint (located in {where})")
    wanted = "、".join(r["name"] for r in need_regions)
    if region_matches:
        inside = "、".join(dict.fromkeys(region_matches))
        return Check("region", True, f"located in {where}, within {inside} (need: {wanted})")
    return Check("region", False, f"located in {where}, outside {wanted}")


def capacity_checks(need: Any, offer: dict[str, Any], partial: bool = False) -> list[Check]:
    """unit, MOQ, production window and volume of one offer for a CAPACITY need."""
    unit = offer.get("unit")
    checks = []
    if need.quantity is None or need.unit is None:
        checks.append(Check("unit", True, f"need names no unit; offer in {unit}"))
    else:
        checks.append(Check("unit", unit == need.unit, f"{need.unit} needed, offer in {unit}"))
    moq = offer.get("moq")
    if need.quantity is None or moq is None:
        checks.append(Check("moq", True, f"MOQ {number(moq)}" if moq is not None else "no MOQ"))
    elif not partial:
        checks.append(Check("moq", need.quantity >= moq,
                            f"{number(need.quantity)} needed ≥ MOQ {number(moq)}"
                            if need.quantity >= moq else f"{number(need.quantity)} needed < MOQ {number(moq)}"))
    checks.append(window_check(need, offer))
    checks.append(volume_check(need, offer, partial))
    return checks


def window_check(need: Any, offer: dict[str, Any]) -> Check:
    start, last_day, days = iso(offer.get("start")), iso(offer.get("last_day")), offer.get("days")
    lead = offer.get("lead_time_days") or 0
    bounds = []
    if offer.get("available_to") is not None:
        bounds.append(f"offer until {iso(offer['available_to'])}")
    if need.deadline is not None:
        bounds.append(f"deadline {iso(need.deadline)} − {lead} days lead time")
    if days is None:
        return Check("window", True, f"production from {start}, open-ended (no offer end, no deadline)")
    passed = days >= 1
    span = f"{start} → {last_day}, {days} day{'s' if days != 1 else ''}" if passed else "no production day left"
    return Check("window", passed, f"production {span} ({'; '.join(bounds)})")


def volume_check(need: Any, offer: dict[str, Any], partial: bool = False) -> Check:
    days, deliverable = offer.get("days"), offer.get("deliverable")
    booked = offer.get("booked_volume") or 0
    unit = offer.get("unit") or ""
    if days is None:
        return Check("volume", True, f"{number(offer.get('monthly_volume'))} {unit}/month, open-ended window")
    basis = f"{number(offer.get('monthly_volume'))}/month × {days} days"
    if booked:
        basis += f" − {number(booked)} booked"
    if need.quantity is None:
        return Check("volume", (deliverable or 0) > 0,
                     f"{number(deliverable)} {unit} deliverable, quantity not specified ({basis})")
    enough = offer.get("volume_ok", deliverable is not None and deliverable >= need.quantity)
    relation = "≥" if enough else "<"
    detail = f"{number(deliverable)} deliverable {relation} {number(need.quantity)} needed ({basis})"
    if partial and not enough:
        detail += ": a share only"
    return Check("volume", bool(enough), detail)
