"""Free-text provider search: the embedding and the full-text indexes fused by reciprocal rank.

Each index ranks providers its own way (cosine of statements and offers to the query; Lucene
scores of names, descriptions, statements and offers). Their scores are not comparable, so the
lists are fused by rank (RRF, Cormack et al. 2009): score = Σ 1 / (K + rank). A provider found by
several indexes rises; one found by a single index still appears.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.db import Database
from graph.repositories import search as search_repo
from matching.embedding import Embedder

RRF_K = 60
OVERFETCH = 4  # vector indexes are approximate: read more hits than asked for
MIN_CANDIDATES = 50


@dataclass(frozen=True)
class SearchHit:
    provider_id: str
    score: float  # fused RRF score; comparable within one search only
    sources: tuple[str, ...]  # which rankings found the provider (search_repo.RANKINGS)


def fuse(rankings: dict[str, list[str]], k: int = RRF_K) -> list[SearchHit]:
    """Reciprocal-rank fusion of ranked id lists, best first (ties by id, so the order is stable)."""
    scores: dict[str, float] = {}
    sources: dict[str, list[str]] = {}
    for name, ids in rankings.items():
        for rank, provider_id in enumerate(ids, start=1):
            scores[provider_id] = scores.get(provider_id, 0.0) + 1.0 / (k + rank)
            sources.setdefault(provider_id, []).append(name)
    order = sorted(scores, key=lambda pid: (-scores[pid], pid))
    return [SearchHit(pid, round(scores[pid], 6), tuple(sources[pid])) for pid in order]


async def search_providers(db: Database, embedder: Embedder, text: str, first: int) -> list[SearchHit]:
    """The ``first`` best providers for ``text``."""
    vector = (await embedder.aencode_queries([text]))[0]
    rankings = await search_repo.provider_rankings(db, vector.tolist(), text,
                                                   max(first * OVERFETCH, MIN_CANDIDATES))
    return fuse(rankings)[:first]
