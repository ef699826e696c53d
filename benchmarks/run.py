"""``make bench``: performance at real pool sizes, every figure beside its reference from the same run.

    python -m benchmarks.run                          # 10k and 100k providers, writes BENCHMARKS.md
    python -m benchmarks.run --scales 2000 --quick    # a smoke run in a few minutes
    python -m benchmarks.run --scales 10000 --no-write --json out.json

Per pool size: a dedicated local Neo4j (``bench10k`` …, kept in .cache; the pool is generated only when
missing, see :mod:`benchmarks.pool`), then matching (:mod:`benchmarks.matching_bench`), freshness under a mixed load
(:mod:`benchmarks.freshness_bench`), ingest
(:mod:`benchmarks.ingest_bench`), API throughput (:mod:`benchmarks.api_bench`) and memory. The section
between the markers in BENCHMARKS.md is rewritten (:mod:`benchmarks.report`); the rest is left alone.
Ingest adds providers to the pool (new ids; they do not disturb the matching figures of a later run
beyond their number). With ``NEO4J_URI`` set, that server is used for a single scale.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
from pathlib import Path
from typing import Any

from benchmarks import api_bench, freshness_bench, ingest_bench, matching_bench, report
from benchmarks.pool import open_pool, rss_mb
from graph import server
from graph.config import PROJECT_ROOT

FULL = {"needs": 100, "seconds": 10.0, "api_ingest": 100, "bulk_ingest": 1000, "concurrency": (1, 8, 32),
        "fresh_rounds": 8}
QUICK = {"needs": 5, "seconds": 1.0, "api_ingest": 5, "bulk_ingest": 20, "concurrency": (1, 8, 32),
         "fresh_rounds": 2}


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def _staff_token(db: Any) -> str:
    from graph.repositories import tokens

    issued = tokens.issue()
    await tokens.create_standalone(db, issued.id, issued.hash, "STAFF", "bench")
    return issued.secret


async def _phase(work: Any, empty: dict[str, Any]) -> dict[str, Any]:
    """One phase's result, or ``empty`` with the error when it failed: a long run keeps what it measured."""
    try:
        return await work
    except Exception as exc:  # reported in BENCHMARKS.md beside the phases that did run
        _log(f"  phase failed: {exc!r}")
        return {**empty, "error": f"{type(exc).__name__}: {exc}"[:300]}


async def bench_scale(scale: int, embedder: Any, plan: dict[str, Any], instance: str | None) -> dict[str, Any]:
    from graph.repositories import bulk, providers
    from graph.repositories.paging import PageRequest
    from matching import engine

    pool = await open_pool(scale, embedder, instance=instance, log=_log)
    try:
        _log(f"[{scale:,}] matching: {plan['needs']} needs …")
        matching = (await matching_bench.run(pool.db, embedder, plan["needs"])).table()
        if plan.get("matching_only"):
            return {"pool": {"instance": pool.instance, **await bulk.pool_counts(pool.db)}, "matching": matching}
        _log(f"[{scale:,}] freshness under a mixed read/write load …")
        freshness = await freshness_bench.run(pool.db, embedder, needs=24, rounds=plan["fresh_rounds"], reads=6)
        need_ids = await bulk.open_need_ids(pool.db, plan["needs"])
        for need_id in need_ids:  # stored matches current again for the API's `matches (stored)`
            await engine.match_need(pool.db, embedder, need_id, first=10)
        provider_ids = [row["id"] for row in await providers.page(pool.db, {}, PageRequest(sort="NAME", limit=200))]
        token = await _staff_token(pool.db)
        served = await asyncio.to_thread(api_bench.start_api, pool.uri)  # `gongxu serve`, its own process
        try:
            _log(f"[{scale:,}] API throughput at {plan['concurrency']} clients …")
            api = await _phase(api_bench.run(served, pool.uri, provider_ids, need_ids, token, plan["concurrency"],
                                             plan["seconds"]), {"rows": [], "api_rss_mb": None, "bare_rss_mb": None})
            _log(f"[{scale:,}] ingest …")
            ingest = await _phase(ingest_bench.run(pool.db, embedder, served.url, plan["api_ingest"],
                                                   plan["bulk_ingest"], start=10_000_000 + scale,
                                                   pids={"api": served.proc.pid, "neo4j": pool.pid}), {"rows": []})
        finally:
            served.stop()
        counts = await bulk.pool_counts(pool.db)
        store_mb = sum(f.stat().st_size for f in (server.instance_dir(pool.instance) / "data").rglob("*")
                       if f.is_file()) / 1024 / 1024 if not pool.settings.uri else 0.0
        return {
            "pool": {"instance": pool.instance if not pool.settings.uri else "NEO4J_URI",
                     "providers": counts["providers"],
                     "statements": counts["statements"], "offers": counts["offers"], "needs": counts["needs"],
                     "store_mb": store_mb, "generated": pool.generated},
            "matching": matching, "freshness": freshness, "api": api, "ingest": ingest,
            "memory": {"api_mb": api["api_rss_mb"], "bare_mb": api["bare_rss_mb"], "neo4j_mb": rss_mb(pool.pid),
                       "bench_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                       "heap": pool.settings.heap, "pagecache": pool.settings.pagecache},
        }
    finally:
        await pool.close()


async def run(scales: list[int], quick: bool, instance: str | None = None, needs: int | None = None,
              seconds: float | None = None, partial: Path | None = None,
              matching_only: bool = False) -> dict[str, Any]:
    from matching.embedding import get_embedder

    plan = dict(QUICK if quick else FULL)
    if needs:
        plan["needs"] = needs
    if seconds:
        plan["seconds"] = seconds
    plan["matching_only"] = matching_only
    embedder = get_embedder()
    result: dict[str, Any] = {"date": report.now(), "machine": report.machine(), "quick": quick, "plan": plan,
                              "versions": report.versions(embedder, server.NEO4J_VERSION), "scales": []}
    for scale in scales:
        result["scales"].append(await bench_scale(scale, embedder, plan, instance))
        if partial is not None:  # what is done so far survives a later scale's failure
            partial.write_text(json.dumps(result, default=str, indent=1), encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10000,100000", help="pool sizes in providers (default 10000,100000)")
    parser.add_argument("--quick", action="store_true", help="few needs, short API runs: checks the harness")
    parser.add_argument("--needs", type=int, default=None, help="open needs timed per scale")
    parser.add_argument("--seconds", type=float, default=None, help="seconds per API load run")
    parser.add_argument("--instance", default=None, help="local Neo4j instance name (default bench<scale>)")
    parser.add_argument("--output", type=Path, default=PROJECT_ROOT / "BENCHMARKS.md")
    parser.add_argument("--no-write", action="store_true", help="print the section, leave BENCHMARKS.md alone")
    parser.add_argument("--matching-only", action="store_true",
                        help="only the matching phase (JSON only: the section needs every phase)")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure as JSON")
    parser.add_argument("--from-json", type=Path, default=None, help="render a saved --json result, run nothing")
    args = parser.parse_args(argv)
    scales = [int(s.replace("_", "")) for s in args.scales.split(",") if s.strip()]
    if args.from_json:
        result = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        result = asyncio.run(run(scales, args.quick, args.instance, args.needs, args.seconds, args.json,
                                args.matching_only))
    if args.json and not args.from_json:
        args.json.write_text(json.dumps(result, indent=2, default=str, ensure_ascii=False), encoding="utf-8")
    if args.matching_only:
        print(json.dumps([scale["matching"] for scale in result["scales"]], indent=1, default=str))
        return 0
    section = report.render(result)
    if args.no_write:
        print(section)
    else:
        report.write_section(args.output, section)
        _log(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
