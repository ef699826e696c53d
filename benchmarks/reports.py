"""Server-side time of the staff reports over the 1,000-provider sample, for BENCHMARKS.md.

Run: ``python -m benchmarks.reports [--instance bench] [--repeat 5]``. Uses ``NEO4J_URI`` when set,
otherwise the local instance (started if needed); loads the reference data and the sample when the
graph does not hold them, and computes matches for ``--match`` open needs first so that the gap and
funnel statements have matches to count. Times, per run, every report statement (what ``/reports``
runs) and the page's HTML rendering, then prints p50 and max.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import time
from datetime import date

from api.web.exports import to_html
from benchmarks.matching_latency import _ensure_sample
from graph import server
from graph.config import Neo4jSettings
from graph.db import Database
from graph.migrations import migrate
from matching import engine
from matching.embedding import get_embedder
from matching.reports import ReportFilter, StaffReports


async def run(instance: str, repeat: int, match: int) -> None:
    connection = server.ensure_neo4j(Neo4jSettings.from_env(instance))
    db = Database.connect(connection.uri, connection.user, connection.password, connection.database)
    embedder = get_embedder()
    try:
        await migrate(db, embedder.dimension)
        await _ensure_sample(db, embedder)
        unmatched = [r["id"] for r in await db.read(
            "MATCH (n:Need {status: 'OPEN'}) WHERE NOT EXISTS { (n)-[:HAS_MATCH]->() } "
            "RETURN n.id AS id ORDER BY id LIMIT $n", n=match)]
        for need_id in unmatched:
            await engine.match_need(db, embedder, need_id)
        counts = (await db.read("RETURN COUNT { (:Provider) } AS providers, COUNT { (:Need) } AS needs, "
                                "COUNT { (:Match) } AS matches"))[0]
        flt = ReportFilter(date_from=date(2025, 1, 1), date_to=date.today())
        reports = StaffReports(db)
        timings: dict[str, list[float]] = {}

        def tick(name: str) -> None:
            now = time.perf_counter()
            timings.setdefault(name, []).append((now - tick.last) * 1000)  # type: ignore[attr-defined]
            tick.last = now  # type: ignore[attr-defined]

        await reports.bundle(flt)  # warm the plan cache
        for _ in range(repeat):
            started = time.perf_counter()
            tick.last = started  # type: ignore[attr-defined]
            bundle = await reports.bundle(flt, progress=tick)
            to_html(bundle, standalone=False, page=True)
            tick("render HTML")
            timings.setdefault("total", []).append((time.perf_counter() - started) * 1000)
        print(f"{counts} on {platform.node()} ({platform.machine()}), {repeat} runs, "
              f"period {flt.date_from}..{flt.date_to}")
        for name, values in timings.items():
            print(f"  {name:20s} p50 {statistics.median(values):8.1f} ms   max {max(values):8.1f} ms")
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instance", default="bench")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--match", type=int, default=40)
    args = parser.parse_args()
    asyncio.run(run(args.instance, args.repeat, args.match))


if __name__ == "__main__":
    main()
