"""Explanations a person can read: the JSON stored on a Match node, and its sentences.

Nothing here decides. The hard constraints were decided in Cypher (``graph/repositories/constraints.py``)
and collected as checks by :mod:`matching.constraints`; the score by :mod:`matching.scoring` through
:mod:`matching.candidates`. This module words those facts: short English sentences with the Chinese
names of taxonomy nodes, regions and certificates as stored, e.g.

    "IATF 16949 汽车质量管理体系: held, ACTIVE until 2027-05-01"
    "6,000 deliverable ≥ 5,000 needed (2,000/month × 90 days)"
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from matching.scoring import TaxonomyMatch
from matching.taxonomy import Taxonomy

if TYPE_CHECKING:
    from matching.candidates import Candidate, NeedContext

EXPLANATION_VERSION = 1

KIND_NAMES = {"MANUFACTURER": "manufacturer", "SERVICE_PROVIDER": "service provider"}


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


# ------------------------------------------------------------------------------- constraint sentences


def kind_sentence(need_kind: str, provider_kind: str, offer_id: str | None) -> str:
    name = KIND_NAMES.get(provider_kind, provider_kind)
    if need_kind == "CAPACITY":
        return f"capacity need: {name} with published offer {offer_id}"
    return f"service need: {name} with a matching capability statement"


def process_sentence(relation: str, path: str, process_text: str) -> str:
    """The offer is capacity for the needed process (or a related one; relation NONE: it is not)."""
    if relation == "UNLINKED":
        return f"offer “{process_text}” (the need names no taxonomy node)"
    if relation == "SIMILAR":
        return (f"offer “{process_text}” reads like the need (its text is close; the need's taxonomy link is "
                "only a guess)")
    if relation == "NONE":
        return f"offer “{process_text}” is for an unrelated process"
    if relation in ("SAME", "DESCENDANT"):
        return f"offer “{process_text}”: {path} ({relation.lower()})"
    return f"offer “{process_text}”: {path} ({relation.lower()}) — a related process, not the one needed"


def certification_sentence(required: dict[str, Any] | None, holding: dict[str, Any] | None,
                           deadline: Any = None) -> str:
    """"IATF 16949: held, ACTIVE until 2027-05-01" (``required`` None: the need requires none)."""
    if required is None:
        return "no certification required"
    label = required.get("name") or required["code"]
    if holding is None:
        return f"{label}: not held"
    until = iso(holding.get("valid_until"))
    detail = f"{label}: held, {holding['status']}" + (f" until {until}" if until else " (no expiry date)")
    if until and deadline is not None and until < (iso(deadline) or ""):
        detail += f" — expires before the deadline {iso(deadline)}"
    return detail


def region_sentence(need_regions: list[dict[str, Any]], provider_region: dict[str, Any] | None,
                    region_matches: list[str]) -> str:
    where = (provider_region or {}).get("name") or "unknown region"
    if not need_regions:
        return f"no region constraint (located in {where})"
    wanted = "、".join(r["name"] for r in need_regions)
    if region_matches:
        inside = "、".join(dict.fromkeys(region_matches))
        return f"located in {where}, within {inside} (need: {wanted})"
    return f"located in {where}, outside {wanted}"


def unit_sentence(need: NeedContext, offer: dict[str, Any]) -> str:
    if need.quantity is None or need.unit is None:
        return f"need names no unit; offer in {offer.get('unit')}"
    return f"{need.unit} needed, offer in {offer.get('unit')}"


def moq_sentence(need: NeedContext, offer: dict[str, Any]) -> str:
    moq = offer.get("moq")
    if need.quantity is None or moq is None:
        return f"MOQ {number(moq)}" if moq is not None else "no MOQ"
    relation = "≥" if need.quantity >= moq else "<"
    return f"{number(need.quantity)} needed {relation} MOQ {number(moq)}"


def window_sentence(need: NeedContext, offer: dict[str, Any]) -> str:
    start, last_day, days = iso(offer.get("start")), iso(offer.get("last_day")), offer.get("days")
    lead = offer.get("lead_time_days") or 0
    bounds = []
    if offer.get("available_to") is not None:
        bounds.append(f"offer until {iso(offer['available_to'])}")
    if need.deadline is not None:
        bounds.append(f"deadline {iso(need.deadline)} − {lead} days lead time")
    if days is None:
        return f"production from {start}, open-ended (no offer end, no deadline)"
    span = f"{start} → {last_day}, {days} day{'s' if days != 1 else ''}" if days >= 1 else "no production day left"
    return f"production {span} ({'; '.join(bounds)})"


def volume_sentence(need: NeedContext, offer: dict[str, Any], enough: bool, partial: bool = False) -> str:
    """The offer's deliverable volume against the quantity (``enough``: the graph's ``volume_ok``)."""
    days, deliverable = offer.get("days"), offer.get("deliverable")
    booked = offer.get("booked_volume") or 0
    unit = offer.get("unit") or ""
    if days is None:
        return f"{number(offer.get('monthly_volume'))} {unit}/month, open-ended window"
    basis = f"{number(offer.get('monthly_volume'))}/month × {days} days"
    if booked:
        basis += f" − {number(booked)} booked"
    if need.quantity is None:
        return f"{number(deliverable)} {unit} deliverable, quantity not specified ({basis})"
    detail = f"{number(deliverable)} deliverable {'≥' if enough else '<'} {number(need.quantity)} needed ({basis})"
    if partial and not enough:
        detail += ": a share only"
    return detail


# ---------------------------------------------------------------------------------- score sentences

RELATION_WORDS = {
    "SAME": "same node: {need}", "DESCENDANT": "{provider} is more specific than {need}",
    "PARENT": "{provider} is the parent of {need}", "ANCESTOR": "{provider} is an ancestor of {need}",
    "SIBLING": "{provider} is a sibling of {need}", "CATEGORY": "{provider} is in the category of {need}",
    "NONE": "no related capability",
}


def relation_sentence(taxonomy: Taxonomy, match: TaxonomyMatch | None) -> str:
    """How the provider's capability node relates to the need's, in words (the taxonomy score part)."""
    if match is None:
        return RELATION_WORDS["NONE"]
    return RELATION_WORDS[match.relation].format(provider=taxonomy.name(match.provider_code),
                                                 need=taxonomy.name(match.need_code))


# ------------------------------------------------------------------------------------ the stored JSON


def _capability_block(taxonomy: Taxonomy, match: TaxonomyMatch | None) -> dict[str, Any] | None:
    if match is None:
        return None
    return {
        "need_code": match.need_code, "need_name": taxonomy.name(match.need_code),
        "need_path": taxonomy.path_text(match.need_code),
        "provider_code": match.provider_code, "provider_name": taxonomy.name(match.provider_code),
        "provider_path": taxonomy.path_text(match.provider_code),
        "relation": match.relation, "method": match.method, "confidence": match.confidence,
        "source": match.source, "source_id": match.source_id, "source_text": match.source_text,
    }


def explain(candidate: Candidate, best_statement: dict[str, Any] | None, taxonomy: Taxonomy) -> dict[str, Any]:
    """The JSON stored on the Match node (``explanation``) and served typed through GraphQL."""
    offer = candidate.offer
    if offer is not None:
        similar = {"source": "OFFER", "id": offer["id"], "text": offer.get("process_text") or "",
                   "cosine": _round(candidate.cosine)}
    elif best_statement is not None:
        similar = {"source": "STATEMENT", "id": best_statement["id"], "text": best_statement.get("text") or "",
                   "cosine": _round(candidate.cosine)}
    else:
        similar = None
    capability = _capability_block(taxonomy, candidate.taxonomy)
    passed = sum(1 for c in candidate.checks if c.passed)
    how = (f"{capability['provider_path']} ({capability['relation'].lower()})" if capability
           else "text similarity")
    summary = (f"{candidate.provider_name}: {how}; similarity "
               f"{'—' if candidate.cosine is None else f'{candidate.cosine:.2f}'}; "
               f"{passed}/{len(candidate.checks)} constraints passed; score {candidate.score.total:.2f}")
    return {
        "version": EXPLANATION_VERSION,
        "summary": summary,
        "capability": capability,
        "similarity": similar,
        "constraints": [c.as_dict() for c in candidate.checks],
        "score_parts": [{"name": p.name, "weight": p.weight, "value": p.value,
                         "contribution": round(p.contribution, 4), "detail": p.detail}
                        for p in candidate.score.parts],
        "penalty": candidate.score.penalty,
        "score": candidate.score.total,
        "offer": _offer_block(offer),
    }


def _offer_block(offer: dict[str, Any] | None) -> dict[str, Any] | None:
    if offer is None:
        return None
    return {
        "id": offer["id"], "process_text": offer.get("process_text"), "unit": offer.get("unit"),
        "monthly_volume": offer.get("monthly_volume"), "moq": offer.get("moq"),
        "lead_time_days": offer.get("lead_time_days"), "booked_volume": offer.get("booked_volume"),
        "available_from": iso(offer.get("available_from")), "available_to": iso(offer.get("available_to")),
        "production_start": iso(offer.get("start")), "production_end": iso(offer.get("last_day")),
        "production_days": offer.get("days"),
        "deliverable": None if offer.get("deliverable") is None else round(float(offer["deliverable"]), 3),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)
