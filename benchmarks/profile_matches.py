"""Profile ``matches`` recomputes with pyinstrument (wall clock, awaits included, so time spent waiting for
Neo4j is charged to the repository call that waits).

    python -m benchmarks.profile_matches --instance bench10k --needs 20 [--html profile.html]

Besides the call tree it prints the share of wall time per Cypher statement (timed around
``graph.db.Tx.rows``) — which query of the recompute path dominates.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import defaultdict

from graph import server
from graph.config import Neo4jSettings
from graph.db import Database


async def profile(instance: str, needs: int, html: str | None) -> None:
    from pyinstrument import Profiler

    import graph.db as gdb
    from graph.repositories import admin, bulk
    from matching import engine
    from matching.embedding import get_embedder
    from matching.provider_index import index_for

    settings = Neo4jSettings.from_env(instance)
    connection = server.ensure_neo4j(settings)
    db = Database.connect(connection.uri, settings.user, settings.password, settings.database)
    embedder = get_embedder()
    per_query: dict[str, float] = defaultdict(float)
    original = gdb.Tx.rows

    async def timed_rows(self: gdb.Tx, cypher: str, **params: object) -> list[dict]:
        t0 = time.perf_counter()
        try:
            return await original(self, cypher, **params)
        finally:
            per_query[" ".join(cypher.split())[:100]] += time.perf_counter() - t0

    try:
        ids = await bulk.open_need_ids(db, needs)
        await index_for(db).ensure_current(db)  # the provider index loads once per process, at start
        await admin.warm_page_cache(db)  # and the server warms Neo4j's page cache after it
        for need_id in ids[:3]:  # warm-up outside the profile: query plans, taxonomy, model
            await bulk.forget_stored_matches(db, need_id)
            await engine.match_need(db, embedder, need_id)
        for need_id in ids:
            await bulk.forget_stored_matches(db, need_id)
        gdb.Tx.rows = timed_rows  # type: ignore[method-assign]
        profiler = Profiler(async_mode="enabled", interval=0.001)
        started = time.perf_counter()
        with profiler:
            for need_id in ids:
                await engine.match_need(db, embedder, need_id)
        total = time.perf_counter() - started
        gdb.Tx.rows = original  # type: ignore[method-assign]
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        if html:
            with open(html, "w", encoding="utf-8") as handle:
                handle.write(profiler.output_html())
        print(f"{len(ids)} recomputes, {total * 1000 / len(ids):.0f} ms each on average; "
              "Cypher wall time by statement:")
        for statement, seconds in sorted(per_query.items(), key=lambda item: -item[1])[:12]:
            print(f"  {seconds / total * 100:5.1f} %  {seconds * 1000 / len(ids):7.1f} ms/need  {statement}")
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", default="bench10k")
    parser.add_argument("--needs", type=int, default=20)
    parser.add_argument("--html", default=None)
    args = parser.parse_args()
    asyncio.run(profile(args.instance, args.needs, args.html))


if __name__ == "__main__":
    main()
