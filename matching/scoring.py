"""Scoring a (need, provider[, offer]) pair that already passed every hard constraint.

The score is a weighted blend of parts in 0..1 (see :class:`Weights`). Parts that do not apply to a
need are left out and the remaining weights rescaled, so a need without a material, or without any
taxonomy link, is ranked by what it does say and its scores stay on the same 0..1 scale:

    score = Σ_applicable wᵢ·partᵢ / Σ_applicable wᵢ − rejection penalty      (clipped to 0..1)

Nothing here knows a particular need, provider or text: the same constants rank every need.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from matching.taxonomy import Relation, Taxonomy


@dataclass(frozen=True)
class Weights:
    """The weights of the score parts, in one place. They sum to 1.

    semantic
        e5 cosine between the need and the provider's best capability statement (SERVICE) or the
        offer blended with the statements (CAPACITY), rescaled by :data:`COSINE_FLOOR` and
        :data:`COSINE_CEILING`. The strongest single signal: it reads synonyms, mixed Chinese/English
        and free wording (team note: R@1 0.75 vs 0.47 for BM25).
    taxonomy
        proximity of the need's linked capability to the provider's (same node > descendant >
        parent > sibling > none), scaled by the link confidences. It separates a shared keyword from
        a shared business (铝合金门窗 vs 铝合金压铸) where embeddings hesitate.
    lexical
        Lucene (cjk) score of the need text against the provider's text, normalised by the best hit
        for this need. Small: exact terms (model numbers, standards) help, shared generic bigrams
        (加工, 服务) must not dominate.
    material
        the offer's material against the need's (same grade > same family > none/unknown); only when
        the need names a material.
    fulfilment
        the provider's fulfilment score (``matching.deals.fulfilment``: on-time delivery, completion
        vs its own cancellations, responsiveness, the enterprises' ratings over a rolling window) —
        evidence of real delivery, not mere acceptance. A provider new to the pool has no score: the
        part gets weight 0 (it is not ranked as average) and the explanation says so.
    rating
        the provider's prior rating (0–5, the sample's seeded data); unrated counts as 3. Ratings
        given on deals count through ``fulfilment``.
    collaboration
        deals (accepted, under way or done) between this provider and this enterprise before.
    distance
        closeness of the provider to the enterprise (region coordinates), decaying over
        :data:`DISTANCE_SCALE_KM`; logistics and site visits favour near partners.
    rejection_penalty / rejection_penalty_cap
        subtracted per earlier match of this provider the same enterprise rejected, and per earlier
        need of that enterprise the provider declined (a declined response), capped.
    """

    semantic: float = 0.34
    taxonomy: float = 0.34
    lexical: float = 0.10
    material: float = 0.07
    fulfilment: float = 0.05
    rating: float = 0.04
    collaboration: float = 0.03
    distance: float = 0.03
    rejection_penalty: float = 0.05
    rejection_penalty_cap: float = 0.10


WEIGHTS = Weights()

# e5 cosines are compressed. Measured on the 1,000-provider sample (need vs best statement of each
# provider, 240 needs): unrelated pairs 5/25/50/75/95th percentile 0.81/0.86/0.88/0.89/0.90, pairs in
# the same taxonomy node 0.83/0.88/0.90/0.91/0.92. So the cosine is rescaled from FLOOR (a quarter of
# unrelated pairs are below) to CEILING (above nearly every pair): it ranks, it does not decide.
COSINE_FLOOR = 0.85
COSINE_CEILING = 0.93
# For capacity needs the offer is what is booked; the provider's statements add context.
OFFER_SHARE = 0.75

# same node > descendant (more specific: does what was asked) > parent (more general: probably does
# it) > sibling (same parent: often the same machines) > same category > none.
RELATION_WEIGHTS: dict[Relation, float] = {
    "SAME": 1.0, "DESCENDANT": 0.9, "PARENT": 0.6, "ANCESTOR": 0.4, "SIBLING": 0.45, "CATEGORY": 0.15,
    "NONE": 0.0,
}
DESCENDANT_STEP = 0.05  # each level below the need's node beyond the first costs this much
# For a capacity need the offer's process is what gets booked; the provider's statements are context.
STATEMENT_TAXONOMY_SHARE = 0.5

MATERIAL_SAME = 1.0
MATERIAL_FAMILY = 0.6
UNRATED = 3.0
DISTANCE_SCALE_KM = 800.0
UNKNOWN_DISTANCE = 0.5
COLLABORATION_SCALE = 1.0

# Relevance gates. A match must show some relevance of its own (semantic > 0, any taxonomy relation,
# or lexical ≥ LEXICAL_SOME) before evidence can rank it. Opportunities (a provider's inbox) and
# consortium members need clear relevance: a taxonomy proximity of at least a well-linked sibling,
# a cosine above the 95th percentile of unrelated pairs, or a strong full-text hit.
LEXICAL_SOME = 0.3
# A capacity offer must be for a related process: taxonomy proximity ≥ OFFER_RELATED (a same-category
# relation between confident links is 0.15 × 0.95 ≈ 0.14; between guesses of confidence 0.3, 0.08).
OFFER_RELATED = 0.1
# Need links that may rule an offer out as "unrelated": CODE/ALIAS, or an embedding guess at least this
# confident (the linker's own bar for adding an embedding node beside alias hits).
TRUSTED_EMBEDDING_LINK = 0.75
# Without trusted links, an offer whose own text (process + description, e5 passage) is this close to the
# need is for the same process as far as anyone can tell. Offer cosines run lower than statement cosines
# (short process words); measured on the hard set's process-word needs (docs/MATCHING.md).
SIMILAR_OFFER_COSINE = 0.86
# The process gate's fallback (too few providers with a related offer) admits offers within this margin of the
# need's closest offer: on needs whose alias hits were wrong (注射成型 → injection moulding in a die-casting
# need) the right offers sat 0.897–0.918 and the unrelated CNC offer 0.886–0.892.
FALLBACK_MARGIN = 0.02
# For a capacity need, offers whose process is the needed one (or more specific), or that the taxonomy cannot
# place: the provider's statements add context to them. An offer for a merely related process (parent,
# sibling, same category) is scored as that process — statements about the exact process do not lift it,
# because the capacity booked is the related process's (issue 9: exact beats sibling).
EXACT_PROCESS = frozenset({"SAME", "DESCENDANT", "UNLINKED", "SIMILAR"})
CLEAR_TAXONOMY = 0.25
CLEAR_COSINE = 0.90
CLEAR_LEXICAL = 0.6


def semantic_value(cosine: float | None) -> float:
    if cosine is None:
        return 0.0
    return min(1.0, max(0.0, (cosine - COSINE_FLOOR) / (COSINE_CEILING - COSINE_FLOOR)))


@dataclass(frozen=True)
class TaxonomyMatch:
    value: float
    relation: Relation
    need_code: str
    provider_code: str
    method: str | None
    confidence: float
    source: str  # 'STATEMENT' | 'OFFER'
    source_id: str
    source_text: str


def relation_weight(relation: Relation, distance: int) -> float:
    weight = RELATION_WEIGHTS[relation]
    if relation == "DESCENDANT":
        weight -= DESCENDANT_STEP * max(0, distance - 1)
    return max(0.0, weight)


def best_taxonomy_match(taxonomy: Taxonomy, need_links: list[dict[str, Any]],
                        sources: list[tuple[str, str, str, list[dict[str, Any]], float]]) -> TaxonomyMatch | None:
    """The closest pair of (need link, provider link).

    ``sources``: ``(kind 'STATEMENT'|'OFFER', id, text, links, share)``; a pair is worth
    ``relation weight × need link confidence × provider link confidence × share`` (both links must be
    right for the relation to hold, so a guess of confidence 0.3 counts 0.3).
    """
    best: TaxonomyMatch | None = None
    for need_link in need_links:
        for source, source_id, text, links, share in sources:
            for link in links:
                relation, distance = taxonomy.relation(need_link["code"], link["code"])
                weight = relation_weight(relation, distance)
                if weight <= 0:
                    continue
                confidence = (max(0.0, float(need_link["confidence"])) *
                              max(0.0, float(link["confidence"])))
                value = weight * confidence * share
                if best is None or value > best.value:
                    best = TaxonomyMatch(round(value, 4), relation, need_link["code"], link["code"],
                                         link.get("method"), round(float(link["confidence"]), 3), source,
                                         source_id, text)
    return best


@dataclass(frozen=True)
class MaterialMatch:
    value: float
    relation: str  # 'SAME' | 'FAMILY' | 'NONE' | 'UNKNOWN'
    need: str
    offer: str | None


def material_match(need_materials: list[dict[str, Any]], offer_material: dict[str, Any] | None) -> MaterialMatch:
    """Same grade > same family (one is the other's family, or both share one) > none/unknown."""
    need_names = "、".join(m["name"] or m["code"] for m in need_materials)
    if not offer_material:
        return MaterialMatch(0.0, "UNKNOWN", need_names, None)
    offer_name = offer_material.get("name") or offer_material["code"]
    best = MaterialMatch(0.0, "NONE", need_names, offer_name)
    for material in need_materials:
        if material["code"] == offer_material["code"]:
            return MaterialMatch(MATERIAL_SAME, "SAME", material["name"] or material["code"], offer_name)
        need_family = material.get("parent") or material["code"]
        offer_family = offer_material.get("parent") or offer_material["code"]
        if need_family == offer_family:
            best = MaterialMatch(MATERIAL_FAMILY, "FAMILY", material["name"] or material["code"], offer_name)
    return best


def haversine_km(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float | None:
    if not a or not b or None in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def distance_value(km: float | None) -> float:
    return UNKNOWN_DISTANCE if km is None else math.exp(-km / DISTANCE_SCALE_KM)


def saturating(count: int, scale: float) -> float:
    return 1.0 - math.exp(-max(0, count) / scale)


@dataclass(frozen=True)
class ScorePart:
    name: str
    weight: float
    value: float
    detail: str

    @property
    def contribution(self) -> float:
        return self.weight * self.value


@dataclass
class Score:
    total: float
    parts: list[ScorePart] = field(default_factory=list)
    penalty: float = 0.0
    relevance: float = 0.0  # semantic + taxonomy + lexical contributions, before evidence


def combine(parts: list[ScorePart], rejections: int = 0, weights: Weights = WEIGHTS) -> Score:
    """Rescale the applicable parts' weights to sum 1, add them up, subtract the rejection penalty."""
    total_weight = sum(p.weight for p in parts) or 1.0
    scaled = [ScorePart(p.name, round(p.weight / total_weight, 4), round(p.value, 4), p.detail) for p in parts]
    penalty = min(weights.rejection_penalty_cap, weights.rejection_penalty * max(0, rejections))
    raw = sum(p.contribution for p in scaled)
    relevance = sum(p.contribution for p in scaled if p.name in ("semantic", "taxonomy", "lexical"))
    total = min(1.0, max(0.0, raw - penalty))
    return Score(round(total, 4), scaled, round(penalty, 4), round(relevance, 4))
