"""``matches`` at scale: server-side latency of the app's own code path against the exact scan.

For each of ``needs`` open needs, in one run and interleaved (so machine noise hits both alike):

* **recompute** — the need's stored matches are made stale, then ``matching.engine.match_need``
  (retrieval, constraints, scoring, storing the top 50) — what a GraphQL ``matches`` does in the server;
* **stored** — ``match_need`` again: freshness check and one page;
* **asOf** — ``match_need`` for tomorrow: computed, not stored;
* **exact** — :func:`benchmarks.exact.exact_top` over every provider (the reference);
* **recall@10** — share of the exact top 10 that the service's retrieval returns
  (``matching.engine.retrieve``: the ≤ 150 providers it hands to scoring); for information, the share
  still among the scored candidates (``compute_candidates``: after the hard constraints in Cypher and the
  relevance gates of scoring — a die caster's spare CNC capacity is not relevant to a die-casting need,
  whatever its cosine) and the overlap of the final top 10 with the exact top 10 (the service ranks by
  more than cosine, so that one is not expected to reach 1).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from benchmarks import exact
from benchmarks.stats import summary
from graph.db import Database, count_queries
from graph.repositories import admin, bulk


@dataclass
class MatchingResult:
    needs: int = 0
    providers: int = 0
    recompute: list[float] = field(default_factory=list)
    stored: list[float] = field(default_factory=list)
    as_of: list[float] = field(default_factory=list)
    exact: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    candidate_recall: list[float] = field(default_factory=list)
    overlap: list[float] = field(default_factory=list)
    round_trips: list[int] = field(default_factory=list)
    export_seconds: float = 0.0
    index_load_seconds: float = 0.0
    index_vectors: int = 0
    warm_seconds: float = 0.0

    def table(self) -> dict[str, Any]:
        return {"needs": self.needs, "providers": self.providers, "export_seconds": self.export_seconds,
                "index_load_seconds": self.index_load_seconds, "index_vectors": self.index_vectors,
                "warm_seconds": self.warm_seconds,
                "recompute": summary(self.recompute), "stored": summary(self.stored),
                "asOf": summary(self.as_of), "exact": summary(self.exact),
                "recall@10": sum(self.recall) / len(self.recall) if self.recall else None,
                "candidate_recall@10": (sum(self.candidate_recall) / len(self.candidate_recall)
                                        if self.candidate_recall else None),
                "overlap@10": sum(self.overlap) / len(self.overlap) if self.overlap else None,
                "round_trips": sorted(self.round_trips)[len(self.round_trips) // 2] if self.round_trips else None}


async def run(db: Database, embedder: Any, needs: int) -> MatchingResult:
    from matching import engine
    from matching.freshness import today
    from matching.provider_index import index_for

    result = MatchingResult()
    index = exact.prepare(await exact.build_index(db))
    result.export_seconds = index.load_seconds
    result.providers = index.size
    ids = await bulk.open_need_ids(db, needs)
    if not ids:
        return result
    # the process's provider index loads once (what a server does at start), outside the timings
    t0 = time.perf_counter()
    provider_index = index_for(db)
    await provider_index.ensure_current(db)
    result.index_load_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    await admin.warm_page_cache(db)  # as api.services does after the index load
    result.warm_seconds = time.perf_counter() - t0
    result.index_vectors = provider_index.vectors
    for need_id in ids[:3]:  # plan cache (each branch combination is planned once), taxonomy, model warm-up
        await bulk.forget_stored_matches(db, need_id)
        await engine.match_need(db, embedder, need_id)
    as_of = today()
    tomorrow = as_of + timedelta(days=1)
    for need_id in ids:
        await bulk.forget_stored_matches(db, need_id)
        with count_queries() as counter:
            t0 = time.perf_counter()
            page = await engine.match_need(db, embedder, need_id, first=10)
            result.recompute.append((time.perf_counter() - t0) * 1000)
        result.round_trips.append(counter.count)
        t0 = time.perf_counter()
        await engine.match_need(db, embedder, need_id, first=10)
        result.stored.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        await engine.match_need(db, embedder, need_id, first=10, as_of=tomorrow)
        result.as_of.append((time.perf_counter() - t0) * 1000)
        need = await engine.load_need(db, need_id)  # now with its embedding stored
        t0 = time.perf_counter()
        top = exact.exact_top(index, need, as_of, 10)
        result.exact.append((time.perf_counter() - t0) * 1000)
        if top:
            wanted = {pid for pid, _ in top}
            retrieval = await engine.retrieve(db, embedder, need, as_of)
            result.recall.append(len(wanted & set(retrieval.provider_ids)) / len(wanted))
            candidates = await engine.compute_candidates(db, embedder, need, as_of)
            result.candidate_recall.append(len(wanted & {c.provider_id for c in candidates}) / len(wanted))
            result.overlap.append(len(wanted & {m.provider_id for m in page.items[:10]}) / len(wanted))
    result.needs = len(ids)
    return result
