"""Candidate generation: fusing what the vector (in-process index), full-text and taxonomy branches found.

Fusion is a weighted blend, not reciprocal-rank fusion: every candidate that reaches scoring gets an
exact cosine against the need (recomputed in Cypher over all its statements and offers), a
normalised full-text score and a taxonomy proximity, so calibrated magnitudes are available and
RRF would throw them away. The branches only decide *who* is scored; :mod:`matching.scoring`
decides the order. Here the union is capped (by a cheap pre-score) so one need never scores an
unbounded number of providers.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from matching.scoring import semantic_value

TEXT_SOURCES = ("TEXT_STATEMENT", "TEXT_OFFER", "TEXT_PROVIDER")


def lexical_scores(rows: list[dict[str, Any]]) -> dict[str, float]:
    """provider id → best full-text score relative to the best hit of the same index (0..1)."""
    best: dict[str, float] = {}
    for source in TEXT_SOURCES:
        hits = [r for r in rows if r["source"] == source]
        top = max((r["score"] for r in hits), default=0.0)
        if top <= 0:
            continue
        for row in hits:
            best[row["provider_id"]] = max(best.get(row["provider_id"], 0.0), row["score"] / top)
    return best


NEAREST_KEPT = 30  # the nearest providers by vector always reach scoring (see fuse)


def fuse(rows: list[dict[str, Any]], limit: int, key: str = "provider_id",
         nearest_kept: int = NEAREST_KEPT, lexical: dict[str, float] | None = None) -> list[str]:
    """Distinct candidate ids, best ``limit`` by a pre-score (max of calibrated cosine, taxonomy link
    confidence, relative full-text score); ties broken by id so the result is deterministic.

    The ``nearest_kept`` best VECTOR hits keep their seats whatever the pre-score: hundreds of
    providers linked to a broad capability with confidence 0.95 would otherwise push the nearest
    providers by meaning out of the ``limit`` (at 10⁵ providers only 70 % of the exact top 10 by
    cosine reached scoring). Scoring still decides the order."""
    if lexical is None:  # the caller may pass the lexical_scores it already has
        lexical = lexical_scores(rows) if key == "provider_id" else {}
    pre: dict[str, float] = defaultdict(float)
    for row in rows:
        source, ident = row["source"], row[key]
        if source == "VECTOR":
            value = semantic_value(row["score"])
        elif source == "TAXONOMY":
            value = float(row["score"] or 0.0)
        else:
            value = lexical.get(ident, 0.0)
        pre[ident] = max(pre[ident], value)
    nearest = sorted(((row["score"], row[key]) for row in rows if row["source"] == "VECTOR"),
                     key=lambda item: (-item[0], item[1]))
    kept = list(dict.fromkeys(ident for _, ident in nearest))[:min(nearest_kept, limit)]
    seated = set(kept)
    ordered = sorted(pre.items(), key=lambda item: (-item[1], item[0]))
    rest = [ident for ident, _ in ordered if ident not in seated]
    chosen = set(kept + rest[:limit - len(kept)])
    return [ident for ident, _ in ordered if ident in chosen]
