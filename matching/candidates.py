"""From constraint-checked graph rows to scored candidates (one per provider): this module orchestrates.

Per row it chooses the offer (for a capacity need), combines the score parts (:mod:`matching.scoring`),
collects the hard-constraint checks (:mod:`matching.constraints`) and attaches the explanation JSON
(:mod:`matching.explanation`). Used in both directions: matches for a need and opportunities for a
provider score a (need, provider) pair with the same function, so a pair ranks the same whichever
side asks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from matching import constraints
from matching import explanation as ex
from matching.deals import fulfilment
from matching.scoring import (
    CLEAR_COSINE,
    CLEAR_LEXICAL,
    CLEAR_TAXONOMY,
    COLLABORATION_SCALE,
    EXACT_PROCESS,
    LEXICAL_SOME,
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


def _native_date(value: Any) -> date | None:
    if value is None:
        return None
    return value.to_native() if hasattr(value, "to_native") else value


@dataclass
class NeedContext:
    """A need as matching sees it (``graph.repositories.parties.need_contexts`` row)."""

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
    # Read with the need by ``engine.load_need`` (None otherwise): its freshness signature
    # (``graph.repositories.freshness.data_signature``) and the global data version in it.
    signature: dict[str, Any] | None = None
    global_version: int | None = None

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
    checks: list[constraints.Check]
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


def _exact_elsewhere(taxonomy: Taxonomy, need: NeedContext,
                     statement_sources: list[tuple[str, str, str, list[dict[str, Any]], float]]) -> str:
    """Why a related process's offer was chosen: what the provider states about the needed process."""
    stated = best_taxonomy_match(taxonomy, need.capabilities, statement_sources)
    if stated is not None and stated.relation in ("SAME", "DESCENDANT"):
        return (f"states {taxonomy.name(stated.provider_code)} but has no feasible offer for it; "
                "scored as the related process it can deliver")
    return "no feasible offer for the needed process; scored as the related process it can deliver"


def _relevance_parts(need: NeedContext, cosine: float | None, cosine_source: str,
                     taxonomy_match: TaxonomyMatch | None, lexical: float | None,
                     material: MaterialMatch | None, taxonomy: Taxonomy,
                     related: str | None = None) -> list[ScorePart]:
    parts = [ScorePart("semantic", WEIGHTS.semantic, semantic_value(cosine),
                       "no embedding" if cosine is None else f"cosine {cosine:.3f} ({cosine_source})")]
    if need.capabilities:
        detail = ex.relation_sentence(taxonomy, taxonomy_match)
        parts.append(ScorePart("taxonomy", WEIGHTS.taxonomy, taxonomy_match.value if taxonomy_match else 0.0,
                               f"{detail} — {related}" if related else detail))
    if lexical is not None:
        parts.append(ScorePart("lexical", WEIGHTS.lexical, lexical, f"full-text score {lexical:.2f} of the best"))
    if material is not None:
        parts.append(ScorePart("material", WEIGHTS.material, material.value,
                               f"{material.relation.lower()}: need {material.need}, offer {material.offer or '—'}"))
    return parts


def build_candidate(need: NeedContext, row: dict[str, Any], taxonomy: Taxonomy, lexical: float | None,
                    partial: bool = False, fallback: float | None = None) -> Candidate | None:
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
            process = constraints.offer_process(taxonomy, need, offer, fallback)
            if process is None:
                continue
            offer_cosine = offer.get("similarity")
            sources = [("OFFER", offer["id"], offer.get("process_text") or "", offer.get("links") or [], 1.0)]
            if process[0] in EXACT_PROCESS:
                cosine = _blend(offer_cosine, statement_cosine)
                sources += [(k, i, t, links, STATEMENT_TAXONOMY_SHARE) for k, i, t, links, _ in statement_sources]
                tax = best_taxonomy_match(taxonomy, need.capabilities, sources)
                related = None
            else:  # a related process's offer: scored as that process (exact beats sibling)
                cosine = offer_cosine if offer_cosine is not None else statement_cosine
                tax = best_taxonomy_match(taxonomy, need.capabilities, sources)
                related = _exact_elsewhere(taxonomy, need, statement_sources)
            material = material_match(need.materials, offer.get("material")) if need.materials else None
            parts = _relevance_parts(need, cosine, "offer + statements" if related is None else "offer only",
                                     tax, lexical, material, taxonomy, related)
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
    checks = constraints.checks(need, row, offer, partial, taxonomy, fallback)
    candidate = Candidate(need.id, row["provider_id"], row.get("name") or row["provider_id"], row.get("kind") or "",
                          offer, score, tax, cosine, checks, row.get("existing_status"))
    candidate.explanation = ex.explain(candidate, best_statement, taxonomy)
    return candidate


def _refusals(row: dict[str, Any]) -> int:
    """Earlier refusals between this enterprise and provider: its rejections and the provider's declines."""
    return int(row.get("rejections") or 0) + int(row.get("declines") or 0)


def _blend(offer_cosine: float | None, statement_cosine: float | None) -> float | None:
    if offer_cosine is None:
        return statement_cosine
    context = max(offer_cosine, statement_cosine) if statement_cosine is not None else offer_cosine
    return OFFER_SHARE * offer_cosine + (1 - OFFER_SHARE) * context
