"""Server-side latency of ``matches`` over the 1,000-provider sample, for BENCHMARKS.md.

Run: ``python -m benchmarks.matching_latency [--needs 60]``. Uses ``NEO4J_URI`` when set, otherwise
the local ``bench`` instance (started if needed); loads the reference data and the sample when the
graph does not hold them yet.

For each of the sample's open needs it times ``matching.engine.match_need`` — the work a GraphQL
``matches`` request does inside the server, without HTTP and JSON — in three states:

* **recompute** — the stored matches are stale (the data version was bumped): retrieval, constraints,
  scoring and storing the top 50;
* **stored** — nothing changed since: freshness check and one page read;
* **asOf** — another day: computed and not stored (what ``make eval`` asks).

It prints p50/p95/max per state and the Cypher round trips per request. The machine is usually
shared: compare numbers from the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from graph import server
from graph.config import Neo4jSettings
from graph.db import Database, count_queries
from graph.migrations import migrate
from graph.repositories import bulk, freshness
from matching import engine
from matching.embedding import get_embedder
from matching.freshness import today

SAMPLE_PROVIDERS = 1000


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _timed(work: Callable[[], Awaitable[object]]) -> tuple[float, int]:
    with count_queries() as counter:
        started = time.perf_counter()
        await work()
        return (time.perf_counter() - started) * 1000, counter.count


async def _ensure_sample(db: Database, embedder: object) -> None:
    if (await bulk.pool_counts(db))["providers"] >= SAMPLE_PROVIDERS:
        return
    from seed.loader import load_reference_data, load_sample

    print("loading reference data and the sample (once) …")
    await load_reference_data(db, embedder)  # type: ignore[arg-type]
    await load_sample(db, embedder)  # type: ignore[arg-type]


async def run(needs: int) -> None:
    settings = Neo4jSettings.from_env("bench")
    connection = server.ensure_neo4j(settings)
    db = Database.connect(connection.uri, connection.user, connection.password, connection.database)
    embedder = get_embedder()
    try:
        await migrate(db, embedder.dimension)
        await _ensure_sample(db, embedder)
        ids = await bulk.open_need_ids(db, needs)
        await engine.match_need(db, embedder, ids[0])  # warm up the plan cache and the taxonomy
        results: dict[str, list[tuple[float, int]]] = {"recompute": [], "stored": [], "asOf": []}
        other_day = today() + timedelta(days=1)
        for need_id in ids:
            await db.write_tx(freshness.bump_data_version)
            results["recompute"].append(await _timed(lambda n=need_id: engine.match_need(db, embedder, n)))
            results["stored"].append(await _timed(lambda n=need_id: engine.match_need(db, embedder, n)))
            results["asOf"].append(await _timed(
                lambda n=need_id: engine.match_need(db, embedder, n, as_of=other_day)))
        counts = [await bulk.pool_counts(db)]
        print(f"{datetime.now(UTC):%Y-%m-%d} · {platform.machine()} · {counts[0]['providers']} providers · "
              f"{len(ids)} open needs · server-side `matches` (matching.engine.match_need)")
        print("| state | p50 ms | p95 ms | max ms | Cypher round trips |")
        print("|---|---:|---:|---:|---:|")
        for state, samples in results.items():
            millis = [ms for ms, _ in samples]
            trips = statistics.median(count for _, count in samples)
            print(f"| {state} | {_percentile(millis, 0.5):.0f} | {_percentile(millis, 0.95):.0f} | "
                  f"{max(millis):.0f} | {trips:.0f} |")
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=60, help="open sample needs to time (default 60)")
    asyncio.run(run(parser.parse_args().needs))


if __name__ == "__main__":
    main()
