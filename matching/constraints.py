"""The hard constraints of one (need, provider[, offer]) pair, as checks with a verdict and a sentence.

The verdicts come from the graph: ``graph.repositories.constraints`` evaluates kind, certification,
region and, for a capacity offer, unit, MOQ, production window and volume in Cypher
(``unit_ok``, ``moq_ok``, ``window_ok``, ``volume_ok`` on each offer row), so a pair that breaks one
never reaches scoring. Here the verdicts are collected, one :class:`Check` per constraint, and
:mod:`matching.explanation` only words them. The one rule decided in Python is the offer's process
(:func:`offer_process`): it needs the in-memory taxonomy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matching import explanation as ex
from matching.scoring import (
    OFFER_RELATED,
    SIMILAR_OFFER_COSINE,
    TRUSTED_EMBEDDING_LINK,
    best_taxonomy_match,
)
from matching.taxonomy import Taxonomy

if TYPE_CHECKING:
    from matching.candidates import NeedContext


@dataclass(frozen=True)
class Check:
    name: str  # kind | process | certification | region | unit | moq | window | volume
    passed: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:  # by hand: dataclasses.asdict deep-copies (a tenth of a recompute)
        return {"name": self.name, "passed": self.passed, "detail": self.detail}


def trusted_links(need: NeedContext) -> bool:
    """Whether the need's taxonomy links may say "unrelated": a declared code or a name found in the text
    (CODE/ALIAS), or an embedding guess as confident as :data:`TRUSTED_EMBEDDING_LINK`. An embedding guess
    below that is a best guess among ~200 nodes (焊装 → 装配? 光固化 → 固化?), not a reason to refuse an offer
    whose own text says it does what the need asks."""
    return any(link.get("method") in ("CODE", "ALIAS") or float(link["confidence"]) >= TRUSTED_EMBEDDING_LINK
               for link in need.capabilities)


def offer_process(taxonomy: Taxonomy, need: NeedContext, offer: dict[str, Any],
                  fallback: float | None = None) -> tuple[str, str] | None:
    """How a capacity offer's process relates to the need: ``(relation, offer node)``, None if unrelated.

    A capacity match books an offer *for the needed process*: a die caster's spare CNC capacity does
    not serve a die-casting need, however good the die caster. Related = a taxonomy proximity of at
    least :data:`OFFER_RELATED` between an offer link and a need link (so a same-category relation
    counts between confident links, not between guesses). When the need's links are not trusted
    (:func:`trusted_links`), the taxonomy cannot be trusted to say "unrelated", and an offer whose own
    text is close to the need (cosine ≥ :data:`SIMILAR_OFFER_COSINE`) counts too — relation SIMILAR,
    scored without a taxonomy part and explained as such; a need without any link cannot judge, and
    every offer counts. ``fallback`` (a cosine; the engine found too few providers with a related offer, so
    the links, even alias hits, may be wrong — "注射成型" in a die-casting need is not injection moulding):
    an offer at least this close to the need counts as SIMILAR too (the engine passes the best offer
    cosine among the candidates less :data:`FALLBACK_MARGIN`).
    """
    links = offer.get("links") or []
    match = best_taxonomy_match(taxonomy, need.capabilities, [("OFFER", offer["id"], "", links, 1.0)])
    if match is not None and match.value >= OFFER_RELATED:
        return match.relation, match.provider_code
    if not need.capabilities:
        return ("UNLINKED", "")
    similarity = offer.get("similarity") or 0.0
    if not trusted_links(need) and similarity >= SIMILAR_OFFER_COSINE:
        return ("SIMILAR", "")
    if fallback is not None and similarity >= fallback:
        return ("SIMILAR", "")
    return None


def checks(need: NeedContext, row: dict[str, Any], offer: dict[str, Any] | None, partial: bool,
           taxonomy: Taxonomy, fallback: float | None = None) -> list[Check]:
    """Every hard constraint of a ``pair_features`` row (and the chosen offer), in a fixed order.

    ``partial`` (consortia): the offer may deliver a share only, so MOQ is not checked against the
    whole quantity and a short volume is worded as a share.
    """
    provider_kind = row.get("kind") or ""
    result = [Check("kind", True, ex.kind_sentence(need.kind, provider_kind, offer["id"] if offer else None))]
    if offer is not None:
        relation, code = offer_process(taxonomy, need, offer, fallback) or ("NONE", "")
        result.append(Check("process", relation != "NONE",
                            ex.process_sentence(relation, taxonomy.path_text(code) if code else "",
                                                offer.get("process_text") or "")))
    result += _certification_checks(need, row.get("certifications") or [])
    region_matches = row.get("region_matches") or []
    result.append(Check("region", not need.regions or bool(region_matches),
                        ex.region_sentence(need.regions, row.get("region"), region_matches)))
    if offer is not None:
        result += _capacity_checks(need, offer, partial)
    return result


def _certification_checks(need: NeedContext, held: list[dict[str, Any]]) -> list[Check]:
    """One check per required certificate: held and ACTIVE."""
    if not need.certifications:
        return [Check("certification", True, ex.certification_sentence(None, None, need.deadline))]
    by_code = {h["code"]: h for h in held}
    result = []
    for cert in need.certifications:
        holding = by_code.get(cert["code"])
        result.append(Check("certification", holding is not None and holding["status"] == "ACTIVE",
                            ex.certification_sentence(cert, holding, need.deadline)))
    return result


def _capacity_checks(need: NeedContext, offer: dict[str, Any], partial: bool) -> list[Check]:
    """unit, MOQ, production window and volume of one offer, with the graph's verdicts."""
    result = [Check("unit", bool(offer["unit_ok"]), ex.unit_sentence(need, offer))]
    if need.quantity is None or offer.get("moq") is None or not partial:
        result.append(Check("moq", bool(offer["moq_ok"]), ex.moq_sentence(need, offer)))
    result.append(Check("window", bool(offer["window_ok"]), ex.window_sentence(need, offer)))
    volume_ok = bool(offer["volume_ok"])
    result.append(Check("volume", volume_ok, ex.volume_sentence(need, offer, volume_ok, partial)))
    return result
