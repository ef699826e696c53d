"""Searching the provider index (``matching.provider_index``): the masks of the hard constraints, the
exact nearest rows, the most confident taxonomy links, the best full-text hits (``matching.lexical_index``).
Pure numpy over a :class:`View` — a snapshot of the index's arrays that a sync never changes under a
running search (it publishes a new one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.lexical_index import OFFER, PROVIDER, SOURCES, STATEMENT, LexicalView, record_scores

OFFER_TERMS = ("unit", "moq", "start", "end", "lead", "volume")  # per offer row; NaN when absent


@dataclass(frozen=True)
class CapacityTerms:
    """What a CAPACITY need asks of an offer (``graph.repositories.constraints.offer_feasibility``):
    ``partial`` (consortia) asks only for the unit and some production window."""

    quantity: float | None
    unit: str | None
    deadline: date | None
    partial: bool = False


@dataclass(frozen=True)
class View:
    """What a search reads: references taken at its start; a sync publishes a new view after it."""

    ids: list[str]
    providers: int
    listed: np.ndarray
    capacity_ok: np.ndarray  # a manufacturer with a published offer
    service_ok: np.ndarray  # states at least one capability
    regions: np.ndarray  # providers × depth region ids, -1 padded
    region_ids: dict[str, int]
    certs: dict[str, np.ndarray]  # code → per-provider validity ordinal (NOT_HELD when not held)
    links: dict[str, tuple[np.ndarray, np.ndarray]]  # capability code → (rows, link confidences)
    vectors: np.ndarray
    row_provider: np.ndarray
    row_offer: np.ndarray
    alive: np.ndarray
    rows: int
    offer_terms: dict[str, np.ndarray]  # per row (offers only): unit id, moq, start, end, lead, volume
    unit_ids: dict[str, int]
    text: LexicalView


@dataclass(frozen=True)
class Retrieved:
    """What the index found for one need (see :meth:`ProviderIndex.search`)."""

    nearest: list[tuple[str, float]]
    linked: list[tuple[str, float]]
    text_hits: list[dict[str, object]]  # {source: TEXT_STATEMENT | TEXT_OFFER | TEXT_PROVIDER, provider_id, score}


def _passes(view: View, capacity: bool, regions: list[str], certifications: list[str], as_of: int) -> np.ndarray:
    n = view.providers
    passes = view.listed[:n] & (view.capacity_ok[:n] if capacity else view.service_ok[:n])
    if regions:
        wanted = [view.region_ids[c] for c in regions if c in view.region_ids]
        passes &= np.isin(view.regions[:n], wanted).any(axis=1) if wanted else False
    for code in certifications:
        valid = view.certs.get(code)
        passes &= (valid[:n] >= as_of) if valid is not None else False
    return passes


@dataclass(frozen=True)
class Admitted:
    """What a need's hard constraints admit: providers (``passes``, by slot) and vector rows (``usable``)."""

    passes: np.ndarray
    usable: np.ndarray


def admitted(view: View, capacity: bool, regions: list[str], certifications: list[str], as_of: int,
             terms: CapacityTerms | None) -> Admitted:
    passes = _passes(view, capacity, regions, certifications, as_of)
    rows = view.rows
    if capacity and terms is not None:
        offers = view.alive[:rows] & view.row_offer[:rows] & passes[view.row_provider[:rows]]
        candidates = np.flatnonzero(offers)
        offers[candidates] = _deliverable(view, terms, as_of, candidates)
        delivering = np.zeros(len(passes), bool)
        delivering[view.row_provider[:rows][offers]] = True
        passes &= delivering
        usable = (view.alive[:rows] & ~view.row_offer[:rows] & passes[view.row_provider[:rows]]) | offers
    else:
        usable = view.alive[:rows] & passes[view.row_provider[:rows]]
        if not capacity:
            usable &= ~view.row_offer[:rows]
    return Admitted(passes, usable)


def vector_hits(view: View, admitted: Admitted, query: np.ndarray | None, k: int, codes: list[str],
                k_taxonomy: int) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """``(nearest, linked)`` among the admitted rows (see ``ProviderIndex.search``)."""
    nearest = _nearest(view, admitted.usable, query, k) if query is not None and k > 0 else []
    linked = _linked(view, admitted.usable, codes, k_taxonomy) if codes and k_taxonomy > 0 else []
    return nearest, linked


def text_hits(view: View, admitted: Admitted, text: str | None, capacity: bool, k: int) -> list[dict[str, object]]:
    """Full-text hits among the admitted records (see ``ProviderIndex.search``)."""
    return _text_hits(view, text, capacity, admitted.usable, admitted.passes, k) if text and k > 0 else []


def _text_hits(view: View, text: str, capacity: bool, usable: np.ndarray, passes: np.ndarray,
               k: int) -> list[dict[str, object]]:
    """Per full-text source the ``k`` providers whose best record scores highest (BM25, ties by id)."""
    sources = (STATEMENT, OFFER, PROVIDER) if capacity else (STATEMENT, PROVIDER)
    out: list[dict[str, object]] = []
    for source, (records, scores) in record_scores(view.text, text, sources, usable,
                                                   passes).items():
        # a provider's own text is one record per provider: its slot
        best = _best_per_provider(view, records, scores, k, records if source == PROVIDER else None)
        out += [{"source": SOURCES[source], "provider_id": pid, "score": score} for pid, score in best]
    return out


def _deliverable(view: View, terms: CapacityTerms, as_of: int, rows: np.ndarray) -> np.ndarray:
    """Per offer row of ``rows``: whether its unit, MOQ, window and volume suit the need. Volume booked by
    deals is not known here."""
    t = {name: values[rows] for name, values in view.offer_terms.items()}
    start = np.where(np.isnan(t["start"]) | (t["start"] < as_of), as_of, t["start"])
    if terms.deadline is not None:
        by_deadline = terms.deadline.toordinal() - np.nan_to_num(t["lead"], nan=0.0)
        last = np.where(np.isnan(t["end"]), by_deadline, np.minimum(t["end"], by_deadline))
    else:
        last = t["end"]
    with np.errstate(invalid="ignore"):
        days = np.where(np.isnan(last), np.nan, np.where(last < start, 0.0, last - start + 1))
        window_ok = np.isnan(days) | (days >= 1)
        ok = window_ok
        if terms.quantity is not None and terms.unit is not None:
            unit = view.unit_ids.get(terms.unit)
            ok = ok & (t["unit"] == unit) if unit is not None else np.zeros(rows.size, bool)
        if terms.partial:
            return ok
        volume = np.nan_to_num(t["volume"], nan=0.0)
        if terms.quantity is None:
            return ok & (np.isnan(days) | (volume * days > 0))
        moq_ok = np.isnan(t["moq"]) | (terms.quantity >= t["moq"])
        return ok & moq_ok & (np.isnan(days) | (volume * days >= 30 * terms.quantity))


def _best_per_provider(view: View, rows: np.ndarray, scores: np.ndarray, k: int,
                       providers_of: np.ndarray | None = None) -> list[tuple[str, float]]:
    """The ``k`` providers whose best row in ``rows`` scores highest; ties by provider id (like an exact
    scan ordered by (score desc, id)): every row scoring at least the k-th provider's best competes.
    ``providers_of``: each row's provider slot, when the rows are not vector rows."""
    providers_of = view.row_provider[rows] if providers_of is None else providers_of
    wanted_rows = min(rows.size, k * 4)
    while True:
        partial = wanted_rows < rows.size
        top = np.argpartition(-scores, wanted_rows - 1)[:wanted_rows] if partial else np.arange(rows.size)
        top = top[np.argsort(-scores[top], kind="stable")]
        _, first = np.unique(providers_of[top], return_index=True)
        if len(first) >= k or wanted_rows >= rows.size:
            break
        wanted_rows = min(rows.size, wanted_rows * 4)
    best = top[np.sort(first)[:k]]
    cutoff = scores[best[-1]] if len(best) == k else -np.inf
    ranked: dict[str, float] = {}
    for i in np.flatnonzero(scores >= cutoff).tolist():
        pid = view.ids[int(providers_of[i])]
        ranked[pid] = max(ranked.get(pid, -np.inf), float(scores[i]))
    return sorted(ranked.items(), key=lambda item: (-item[1], item[0]))[:k]


def _nearest(view: View, usable: np.ndarray, query: np.ndarray, k: int) -> list[tuple[str, float]]:
    idx = np.flatnonzero(usable)
    if idx.size == 0:
        return []
    # a gather copies the selected rows: cheaper than the full product only for a minority of them
    scores = view.vectors[idx] @ query if idx.size * 2 < view.rows else (view.vectors[:view.rows] @ query)[idx]
    return _best_per_provider(view, idx, scores, k)


def _linked(view: View, usable: np.ndarray, codes: list[str], k: int) -> list[tuple[str, float]]:
    parts = [view.links[code] for code in dict.fromkeys(codes) if code in view.links]
    if not parts:
        return []
    rows = np.concatenate([rows for rows, _ in parts])
    confidences = np.concatenate([confidences for _, confidences in parts])
    inside = rows < view.rows
    rows, confidences = rows[inside], confidences[inside]
    keep = usable[rows]
    if not keep.any():
        return []
    return _best_per_provider(view, rows[keep], confidences[keep].astype(np.float64), k)
