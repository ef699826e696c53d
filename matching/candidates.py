"""From constraint-checked graph rows to scored, explained candidates (one per provider).

Used in both directions: matches for a need and opportunities for a provider score a (need,
provider) pair with the same function, so a pair ranks the same whichever side asks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from matching import explanation as ex
from matching.deals import fulfilment
from matching.scoring import (
    CLEAR_COSINE,
    CLEAR_LEXICAL,
    CLEAR_TAXONOMY,
    COLLABORATION_SCALE,
    CONFIDENT_LINK,
    LEXICAL_SOME,
    OFFER_RELATED,
    OFFER_SHARE,
    STATEMENT_TAXONOMY_SHARE,
    UNRATED,
    WEIGHTS,
    MaterialMatch,
    Score,
    ScorePart,
    TaxonomyMatch,
    best_taxonomy_match,
    combine,
    distance_value,
    haversine_km,
    material_match,
    saturating,
    semantic_value,
)
from matching.taxonomy import Taxonomy

EXPLANATION_VERSION = 1


def _native_date(value: Any) -> date | None:
    if value is None:
        return None
    return value.to_native() if hasattr(value, "to_native") else value


@dataclass
class NeedContext:
    """A need as matching sees it (``graph.repositories.matching.need_contexts`` row)."""

    id: str
    kind: str
    title: str
    description: str | None
    quantity: float | None
    unit: str | None
    deadline: date | None
    status: str
    embedding: list[float] | None
    updated_at: str | None
    matches_fingerprint: str | None
    matches_computed_at: Any
    enterprise_id: str | None
    enterprise_name: str | None
    enterprise_region: dict[str, Any] | None
    capabilities: list[dict[str, Any]]
    certifications: list[dict[str, Any]]
    regions: list[dict[str, Any]]
    materials: list[dict[str, Any]]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> NeedContext:
        fields = {k: row.get(k) for k in cls.__dataclass_fields__}
        fields["kind"] = row.get("kind") or "SERVICE"
        fields["deadline"] = _native_date(row.get("deadline"))
        for key in ("capabilities", "certifications", "regions", "materials"):
            fields[key] = row.get(key) or []
        return cls(**fields)

    @property
    def text(self) -> str:
        return "。".join(part for part in (self.title, self.description) if part)

    @property
    def reference_point(self) -> dict[str, Any] | None:
        """Where delivery goes, for distances: the enterprise's region, else the need's first region."""
        if self.enterprise_region and self.enterprise_region.get("lat") is not None:
            return self.enterprise_region
        return next((r for r in self.regions if r.get("lat") is not None), None)


def match_id(need_id: str, provider_id: str) -> str:
    """Deterministic: recomputing a need's matches updates the same Match nodes."""
    digest = hashlib.sha1(f"{need_id}|{provider_id}".encode()).hexdigest()[:20]
    return f"mat_{digest}"


@dataclass
class Candidate:
    need_id: str
    provider_id: str
    provider_name: str
    provider_kind: str
    offer: dict[str, Any] | None
    score: Score
    taxonomy: TaxonomyMatch | None
    cosine: float | None
    checks: list[ex.Check]
    existing_status: str | None
    explanation: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return match_id(self.need_id, self.provider_id)

    @property
    def offer_id(self) -> str | None:
        return self.offer["id"] if self.offer else None

    @property
    def deliverable(self) -> float | None:
        return self.offer.get("deliverable") if self.offer else None

    def _part(self, name: str) -> float:
        return next((p.value for p in self.score.parts if p.name == name), 0.0)

    @property
    def relevant(self) -> bool:
        """Some evidence of its own that the provider does what the need asks (kept as a match)."""
        return self._part("semantic") > 0 or self._part("taxonomy") > 0 or self._part("lexical") >= LEXICAL_SOME

    @property
    def clearly_relevant(self) -> bool:
        """Clear evidence (shown as an opportunity, taken into a consortium)."""
        return (self._part("taxonomy") >= CLEAR_TAXONOMY or (self.cosine or 0.0) >= CLEAR_COSINE
                or self._part("lexical") >= CLEAR_LEXICAL)


def _best(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    scored = [i for i in items if i.get("similarity") is not None]
    return max(scored, key=lambda i: i["similarity"]) if scored else None


def _fulfilment_part(row: dict[str, Any]) -> ScorePart:
    """The provider's fulfilment score; weight 0 for a provider new to the pool (not ranked as average)."""
    as_of = row.get("as_of")
    as_of = as_of.to_native() if hasattr(as_of, "to_native") else as_of
    record = fulfilment.score(row["provider_id"], row.get("deals") or [], row.get("opportunity_counts"), as_of)
    if record.score is None:
        return ScorePart("fulfilment", 0.0, 0.0, record.summary())
    return ScorePart("fulfilment", WEIGHTS.fulfilment, record.score, record.summary())


def _evidence_parts(need: NeedContext, row: dict[str, Any]) -> list[ScorePart]:
    rating = row.get("rating")
    km = haversine_km(need.reference_point, row.get("region"))
    collaborations = int(row.get("collaborations") or 0)
    return [
        _fulfilment_part(row),
        ScorePart("rating", WEIGHTS.rating, (UNRATED if rating is None else float(rating)) / 5.0,
                  "unrated (counted as 3/5)" if rating is None
                  else f"prior rating {float(rating):.1f}/5 (seeded data)"),
        ScorePart("collaboration", WEIGHTS.collaboration, saturating(collaborations, COLLABORATION_SCALE),
                  f"{collaborations} deal(s) with this enterprise before"),
        ScorePart("distance", WEIGHTS.distance, distance_value(km),
                  "distance unknown" if km is None else f"{km:,.0f} km from the enterprise"),
    ]


RELATION_WORDS = {
    "SAME": "same node: {need}", "DESCENDANT": "{provider} is more specific than {need}",
    "PARENT": "{provider} is the parent of {need}", "ANCESTOR": "{provider} is an ancestor of {need}",
    "SIBLING": "{provider} is a sibling of {need}", "CATEGORY": "{provider} is in the category of {need}",
    "NONE": "no related capability",
}


def _relevance_parts(need: NeedContext, cosine: float | None, cosine_source: str,
                     taxonomy_match: TaxonomyMatch | None, lexical: float | None,
                     material: MaterialMatch | None, taxonomy: Taxonomy) -> list[ScorePart]:
    parts = [ScorePart("semantic", WEIGHTS.semantic, semantic_value(cosine),
                       "no embedding" if cosine is None else f"cosine {cosine:.3f} ({cosine_source})")]
    if need.capabilities:
        detail = "no related capability"
        if taxonomy_match:
            detail = RELATION_WORDS[taxonomy_match.relation].format(
                provider=taxonomy.name(taxonomy_match.provider_code), need=taxonomy.name(taxonomy_match.need_code))
        parts.append(ScorePart("taxonomy", WEIGHTS.taxonomy, taxonomy_match.value if taxonomy_match else 0.0,
                               detail))
    if lexical is not None:
        parts.append(ScorePart("lexical", WEIGHTS.lexical, lexical, f"full-text score {lexical:.2f} of the best"))
    if material is not None:
        parts.append(ScorePart("material", WEIGHTS.material, material.value,
                               f"{material.relation.lower()}: need {material.need}, offer {material.offer or '—'}"))
    return parts


def offer_process(taxonomy: Taxonomy, need: NeedContext, offer: dict[str, Any]) -> tuple[str, str] | None:
    """How a capacity offer's process relates to the need: ``(relation, offer node)``, None if unrelated.

    A capacity match books an offer *for the needed process*: a die caster's spare CNC capacity does
    not serve a die-casting need, however good the die caster. Related = a taxonomy proximity of at
    least :data:`OFFER_RELATED` between an offer link and a need link (so a same-category relation
    counts between confident links, not between guesses). When the need has no confident link (none,
    or only embedding guesses below :data:`CONFIDENT_LINK`), the taxonomy cannot be trusted to say
    "unrelated", and an offer whose own text is clearly similar (cosine ≥ :data:`CLEAR_COSINE`)
    counts too; a need without any link cannot judge, and every offer counts.
    """
    links = offer.get("links") or []
    match = best_taxonomy_match(taxonomy, need.capabilities, [("OFFER", offer["id"], "", links, 1.0)])
    if match is not None and match.value >= OFFER_RELATED:
        return match.relation, match.provider_code
    if not need.capabilities:
        return ("UNLINKED", "")
    confident = any(float(link["confidence"]) >= CONFIDENT_LINK for link in need.capabilities)
    if not confident and (offer.get("similarity") or 0.0) >= CLEAR_COSINE:
        return ("SIMILAR", "")
    return None


def build_candidate(need: NeedContext, row: dict[str, Any], taxonomy: Taxonomy, lexical: float | None,
                    partial: bool = False) -> Candidate | None:
    """Score one constraint-checked row; for a capacity need choose the provider's best offer among
    those for a related process (None when it has none)."""
    statements = row.get("statements") or []
    best_statement = _best(statements)
    statement_cosine = best_statement["similarity"] if best_statement else None
    statement_sources = [("STATEMENT", s["id"], s.get("text") or "", s.get("links") or [], 1.0)
                         for s in statements]
    evidence = _evidence_parts(need, row)
    options: list[tuple[Score, dict[str, Any] | None, TaxonomyMatch | None, float | None, str]] = []
    if need.kind == "CAPACITY":
        for offer in row.get("offers") or []:
            if offer_process(taxonomy, need, offer) is None:
                continue
            offer_cosine = offer.get("similarity")
            cosine = _blend(offer_cosine, statement_cosine)
            sources = [("OFFER", offer["id"], offer.get("process_text") or "", offer.get("links") or [], 1.0)]
            sources += [(k, i, t, links, STATEMENT_TAXONOMY_SHARE) for k, i, t, links, _ in statement_sources]
            tax = best_taxonomy_match(taxonomy, need.capabilities, sources)
            material = material_match(need.materials, offer.get("material")) if need.materials else None
            parts = _relevance_parts(need, cosine, "offer + statements", tax, lexical, material, taxonomy)
            options.append((combine(parts + evidence, _refusals(row)), offer, tax, cosine,
                            "OFFER"))
    else:
        tax = best_taxonomy_match(taxonomy, need.capabilities, statement_sources)
        parts = _relevance_parts(need, statement_cosine, "best statement", tax, lexical, None, taxonomy)
        options.append((combine(parts + evidence, _refusals(row)), None, tax, statement_cosine,
                        "STATEMENT"))
    if not options:
        return None
    score, offer, tax, cosine, _ = max(options, key=lambda o: (o[0].total, o[1]["id"] if o[1] else ""))
    checks = _checks(need, row, offer, partial, taxonomy)
    candidate = Candidate(need.id, row["provider_id"], row.get("name") or row["provider_id"], row.get("kind") or "",
                          offer, score, tax, cosine, checks, row.get("existing_status"))
    candidate.explanation = explain(need, candidate, best_statement, taxonomy)
    return candidate


def _refusals(row: dict[str, Any]) -> int:
    """Earlier refusals between this enterprise and provider: its rejections and the provider's declines."""
    return int(row.get("rejections") or 0) + int(row.get("declines") or 0)


def _blend(offer_cosine: float | None, statement_cosine: float | None) -> float | None:
    if offer_cosine is None:
        return statement_cosine
    context = max(offer_cosine, statement_cosine) if statement_cosine is not None else offer_cosine
    return OFFER_SHARE * offer_cosine + (1 - OFFER_SHARE) * context


def _checks(need: NeedContext, row: dict[str, Any], offer: dict[str, Any] | None, partial: bool,
            taxonomy: Taxonomy) -> list[ex.Check]:
    checks = [ex.kind_check(need.kind, row.get("kind") or "", offer["id"] if offer else None)]
    if offer is not None:
        relation, code = offer_process(taxonomy, need, offer) or ("NONE", "")
        checks.append(ex.process_check(relation, taxonomy.path_text(code) if code else "",
                                       offer.get("process_text") or ""))
    checks += ex.certification_checks(need.certifications, row.get("certifications") or [], need.deadline)
    checks.append(ex.region_check(need.regions, row.get("region"), row.get("region_matches") or []))
    if offer is not None:
        checks += ex.capacity_checks(need, offer, partial)
    return checks


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


def explain(need: NeedContext, candidate: Candidate, best_statement: dict[str, Any] | None,
            taxonomy: Taxonomy) -> dict[str, Any]:
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
        "available_from": ex.iso(offer.get("available_from")), "available_to": ex.iso(offer.get("available_to")),
        "production_start": ex.iso(offer.get("start")), "production_end": ex.iso(offer.get("last_day")),
        "production_days": offer.get("days"),
        "deliverable": None if offer.get("deliverable") is None else round(float(offer["deliverable"]), 3),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)
