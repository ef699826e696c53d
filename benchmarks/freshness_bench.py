"""Freshness under a mixed read/write load: the share of ``matches`` calls served from stored results.

    python -m benchmarks.freshness_bench --instance bench10k [--needs 24 --rounds 8 --reads 6]

A set of open needs is matched once (their stored matches are current), then each round writes
(registers a provider with one capability statement in a random city, through the bulk writers and
so with their freshness marks) and reads ``matches`` of ``reads`` needs drawn from the set. A read
that finds its stored matches stale recomputes; the figure is the share of reads that did not.

Two modes over the same seeded sequence of writes and reads:

* **global** — every write also bumps the global version (``freshness.bump_data_version``): what
  one data version bumped by every write did before scoped invalidation (every stored list stale);
* **scoped** — only the marks of what the write can change (``graph.repositories.freshness``).

The providers written are deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from typing import Any

from graph import server
from graph.config import Neo4jSettings
from graph.db import Database

TEXTS = ["数控加工中心精密零件加工，铝合金和不锈钢", "注塑模具设计制造与注塑成型", "网络安全等级保护测评服务",
         "工业软件开发与系统集成", "钣金冲压与焊接加工", "检验检测认证服务，CMA 资质"]


def _cities(parents: list[dict[str, Any]]) -> list[str]:
    """Region codes that sit below a province (cities): where generated providers are located."""
    return sorted(r["code"] for r in parents if r["parents"] and not r["code"].endswith("0000")
                  and not r["code"].startswith("GRP"))


async def run(db: Database, embedder: Any, needs: int = 24, rounds: int = 8, reads: int = 6,
              seed: int = 14) -> dict[str, Any]:
    from graph.repositories import bulk, freshness
    from matching import engine

    need_ids = await bulk.open_need_ids(db, needs)
    cities = _cities(await bulk.export_region_parents(db))
    vectors = embedder.encode_passages(TEXTS)
    result: dict[str, Any] = {"needs": len(need_ids), "rounds": rounds, "reads_per_round": reads}
    written: list[str] = []
    try:
        for mode in ("global", "scoped"):
            rng = random.Random(seed)
            for need_id in need_ids:  # every stored list current before the load starts
                await engine.match_need(db, embedder, need_id, first=10)
            served = recomputed = 0
            started = time.perf_counter()
            for step in range(rounds):
                provider_id = f"prv_fresh_{mode}_{step}"
                index = rng.randrange(len(TEXTS))
                await bulk.upsert_providers(db, [{"id": provider_id, "name": f"新注册{step}", "kind": "MANUFACTURER",
                                                  "region_code": rng.choice(cities), "rating": 4.0}])
                await bulk.upsert_capability_statements(db, [{
                    "id": f"cst_fresh_{mode}_{step}", "provider_id": provider_id, "text": TEXTS[index],
                    "embedding": vectors[index].tolist(), "links": []}])
                written.append(provider_id)
                if mode == "global":
                    await db.write_tx(freshness.bump_data_version)
                for need_id in rng.sample(need_ids, min(reads, len(need_ids))):
                    page = await engine.match_need(db, embedder, need_id, first=10)
                    recomputed += page.recomputed
                    served += not page.recomputed
            total = served + recomputed
            result[mode] = {"reads": total, "served": served, "share_served": served / total if total else None,
                            "seconds": time.perf_counter() - started}
    finally:
        await bulk.delete_providers(db, written)
    return result


async def _main(instance: str, needs: int, rounds: int, reads: int) -> None:
    from matching.embedding import get_embedder

    settings = Neo4jSettings.from_env(instance)
    connection = server.ensure_neo4j(settings)
    db = Database.connect(connection.uri, settings.user, settings.password, settings.database)
    try:
        result = await run(db, get_embedder(), needs, rounds, reads)
    finally:
        await db.close()
    for mode in ("global", "scoped"):
        row = result[mode]
        print(f"{mode}: {row['served']}/{row['reads']} reads served from stored matches "
              f"({row['share_served']:.0%}), {row['seconds']:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", default="bench10k")
    parser.add_argument("--needs", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--reads", type=int, default=6)
    args = parser.parse_args()
    asyncio.run(_main(args.instance, args.needs, args.rounds, args.reads))


if __name__ == "__main__":
    main()
