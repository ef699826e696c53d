"""Ingest: providers/s through the API (``registerProvider`` + ``publishCapacityOffer`` over HTTP) and through
the bulk import (:mod:`benchmarks.bulk_import`, JSON Lines), each against the model's encode-only rate on the
same texts, measured in the same run.

Records are generated providers beyond the pool (``seed.scale`` bundles, fresh credit codes, so a
repeated run never collides with an earlier one); every one of them is new to the graph.
"""

from __future__ import annotations

import asyncio
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.bulk_import import import_records, read_jsonl
from benchmarks.stats import percentile
from matching import credit_code
from matching.texts import offer_text, statement_text
from seed.scale import iter_provider_bundles

REGISTER = """mutation($input: RegisterProviderInput!) {
  registerProvider(input: $input) { provider { id } token errors { code field message } } }"""
PUBLISH = """mutation($input: PublishCapacityOfferInput!) {
  publishCapacityOffer(input: $input) { capacityOffer { id } errors { code field message } } }"""


def records(n: int, start: int, rng: random.Random) -> list[dict[str, Any]]:
    """``n`` registerProvider-shaped records (snake_case) with their offers."""
    out = []
    for bundle in iter_provider_bundles(n, start=start):
        p = bundle.provider
        out.append({
            "kind": p.kind, "name": p.name, "credit_code": credit_code.generate(rng, p.region_code),
            "description": p.description, "region": p.region_code,
            "certifications": [{"certification": c.code, "status": c.status, "valid_until": c.valid_until}
                               for c in p.certifications],
            "capabilities": [{"text": s.text} for s in bundle.statements],
            "offers": [{"process_text": o.process_text, "description": o.description,
                        "monthly_volume": o.monthly_volume, "unit": o.unit, "available_from": o.available_from,
                        "available_to": o.available_to, "lead_time_days": o.lead_time_days, "moq": o.moq,
                        "material": o.material_code}
                       for o in bundle.offers if o.status == "PUBLISHED"] if p.kind == "MANUFACTURER" else [],
        })
    return out


async def new_records(db: Any, n: int, start: int, rng: random.Random) -> list[dict[str, Any]]:
    """``n`` records of organisations the pool does not hold yet: the generator's names repeat (a limited
    stock of 字号 and trades per city), and a registration the service judges a duplicate of a pool
    provider, or of an earlier record, is refused as DUPLICATE — right for the service, wrong for a
    benchmark of new registrations. Such records are replaced by the next generated ones."""
    from matching.curation.commands import judge_registration
    from matching.curation.duplicates import Candidate, Verdict

    kept: list[dict[str, Any]] = []
    offset = start
    while len(kept) < n:
        batch = records(n - len(kept), offset, rng)
        offset += len(batch)
        for record in batch:
            earlier = tuple(Candidate(str(i), r["name"], r["credit_code"], r["region"] == record["region"])
                            for i, r in enumerate(kept))
            judgement = await db.read_tx(lambda tx, r=record, e=earlier: judge_registration(
                tx, r["name"], r["credit_code"], r["region"], e))
            if judgement.verdict is not Verdict.DUPLICATE:
                kept.append(record)
    return kept


def texts_of(recs: list[dict[str, Any]]) -> list[str]:
    return ([statement_text(s["text"]) for r in recs for s in r["capabilities"]]
            + [offer_text(o["process_text"], o["description"]) for r in recs for o in r["offers"]])


def _camel(record: dict[str, Any]) -> dict[str, Any]:
    return {"kind": record["kind"], "name": record["name"], "creditCode": record["credit_code"],
            "description": record["description"], "region": record["region"],
            "certifications": [{"certification": c["certification"], "status": c["status"],
                                "validUntil": c["valid_until"]} for c in record["certifications"]],
            "capabilities": record["capabilities"]}


def _offer(o: dict[str, Any]) -> dict[str, Any]:
    return {"processText": o["process_text"], "description": o["description"], "monthlyVolume": o["monthly_volume"],
            "unit": o["unit"], "availableFrom": o["available_from"], "availableTo": o["available_to"],
            "leadTimeDays": o["lead_time_days"], "moq": o["moq"], "material": o["material"]}


async def api_ingest(url: str, recs: list[dict[str, Any]], concurrency: int) -> dict[str, Any]:
    """Register every record and publish its offers, ``concurrency`` clients at a time."""
    register_ms: list[float] = []
    publish_ms: list[float] = []
    errors: list[str] = []
    created: list[str] = []
    queue = list(reversed(recs))

    async def post(client: httpx.AsyncClient, document: str, variables: dict, token: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            response = await client.post(url + "/graphql", json={"query": document, "variables": variables},
                                         headers=headers)
        except httpx.TransportError as exc:  # a timeout or dropped connection is an error of the run
            return {"errors": [{"message": f"{type(exc).__name__}: {exc}"}]}
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 and not body.get("errors"):
            body = {**body, "errors": [{"message": f"HTTP {response.status_code}: {response.text[:120]}"}]}
        return body

    async def worker(client: httpx.AsyncClient) -> None:
        while queue:
            record = queue.pop()
            t0 = time.perf_counter()
            body = await post(client, REGISTER, {"input": _camel(record)})
            register_ms.append((time.perf_counter() - t0) * 1000)
            payload = (body.get("data") or {}).get("registerProvider") or {}
            if body.get("errors") or payload.get("errors"):
                errors.append(str(body.get("errors") or payload.get("errors"))[:200])
                continue
            created.append(payload["provider"]["id"])
            for offer in record["offers"]:
                t0 = time.perf_counter()
                result = await post(client, PUBLISH, {"input": _offer(offer)}, payload["token"])
                publish_ms.append((time.perf_counter() - t0) * 1000)
                published = (result.get("data") or {}).get("publishCapacityOffer") or {}
                if result.get("errors") or published.get("errors"):
                    errors.append(str(result.get("errors") or published.get("errors"))[:200])

    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=120) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    return {"providers": len(recs), "offers": len(publish_ms), "seconds": seconds,
            "providers_per_second": len(recs) / seconds, "register_p50": percentile(register_ms, 0.5),
            "publish_p50": percentile(publish_ms, 0.5), "errors": len(errors), "first_error": errors[:1],
            "error_kinds": _kinds(errors),
            "concurrency": concurrency, "created": created}


def _kinds(errors: list[str]) -> dict[str, int]:
    """Errors counted by their first 80 characters (enough to tell one cause from another)."""
    counts: dict[str, int] = {}
    for error in errors:
        counts[error[:80]] = counts.get(error[:80], 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def encode_only(embedder: Any, texts: list[str]) -> tuple[float, float]:
    """Seconds to encode ``texts`` as passages (batch 32), the model alone: wall clock and CPU."""
    t0, c0 = time.perf_counter(), cpu_seconds()
    embedder.encode_passages(texts)
    return time.perf_counter() - t0, cpu_seconds() - c0


def cpu_seconds(*pids: int | None) -> float:
    """CPU seconds (user + system) used so far by ``pids`` (none given: this process)."""
    import os

    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids or ("self",):
        if pid is None:
            continue
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def thread_cpu(pid: int | None) -> dict[str, float]:
    """CPU seconds per thread of ``pid`` (named ``main`` for the main thread, else ``<name>-<tid>``)."""
    import os

    if pid is None:
        return {}
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        found["main" if task.name == str(pid) else f"{name}-{task.name}"] = (int(fields[11]) + int(fields[12])) / ticks
    return found


async def run(db: Any, embedder: Any, api_url: str, n_api: int, n_bulk: int, start: int,
              concurrency: int = 4, pids: dict[str, int | None] | None = None) -> dict[str, Any]:
    """Both paths. ``pids`` (the API server's ``api``, Neo4j's ``neo4j``) add CPU seconds beside the wall
    clock: on a shared machine the CPU a path used, against the model's CPU alone, says more than seconds."""
    from matching.linking import TaxonomyLinker

    pids = pids or {}
    server_pids = (pids.get("api"), pids.get("neo4j"))

    rng = random.Random(time.time_ns())
    api_records = await new_records(db, n_api, start, rng)
    bulk_records = records(n_bulk, start + 2 * n_api, rng)  # the bulk import does not judge duplicates
    embedder.encode_passages(texts_of(api_records[:8]))  # warm the model outside the timings
    api_texts, bulk_texts = texts_of(api_records), texts_of(bulk_records)
    api_reference, api_reference_cpu = encode_only(embedder, api_texts)
    c0 = [cpu_seconds(pid) for pid in server_pids]
    threads0 = thread_cpu(pids.get("api"))
    api = await api_ingest(api_url, api_records, concurrency)
    threads = {name: round(cpu - threads0.get(name, 0.0), 2) for name, cpu in thread_cpu(pids.get("api")).items()}
    api_cpu_by = {name: cpu_seconds(pid) - before for name, pid, before in zip(("api", "neo4j"), server_pids, c0,
                                                                                  strict=True)}
    api_cpu = sum(api_cpu_by.values())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "providers.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in bulk_records), encoding="utf-8")
        bulk_reference, bulk_reference_cpu = encode_only(embedder, bulk_texts)
        linker = await TaxonomyLinker.build(db, embedder)
        c0 = cpu_seconds(None, pids.get("neo4j")) + cpu_seconds()
        report = await import_records(db, embedder, linker, read_jsonl(path))
        bulk_cpu = cpu_seconds(None, pids.get("neo4j")) + cpu_seconds() - c0
    # leave the pool as generated, so a later run measures the same pool (ingested providers carry model
    # vectors, the generated ones derived vectors)
    from strawberry.relay import GlobalID

    from graph.repositories import bulk

    await bulk.delete_providers(db, [GlobalID.from_id(gid).node_id for gid in api.pop("created")] + report.ids)
    return {
        "api": api | {"texts": len(api_texts), "encode_seconds": api_reference,
                      "encode_providers_per_second": n_api / api_reference,
                      "cpu_seconds": api_cpu if pids.get("api") else None, "encode_cpu_seconds": api_reference_cpu,
                      "cpu_by_process": api_cpu_by,
                      "api_cpu_by_thread": dict(sorted(((k, v) for k, v in threads.items() if v >= 0.5),
                                                       key=lambda item: -item[1]))},
        "bulk": {"providers": report.providers, "statements": report.statements, "offers": report.offers,
                 "skipped": len(report.skipped), "unresolved": len(report.unresolved), "seconds": report.seconds,
                 "providers_per_second": report.providers / report.seconds if report.seconds else 0.0,
                 "encode_share": report.encode_seconds / report.seconds if report.seconds else None,
                 "write_share": report.write_seconds / report.seconds if report.seconds else None,
                 "texts": len(bulk_texts), "encode_seconds": bulk_reference,
                 "encode_providers_per_second": n_bulk / bulk_reference,
                 "cpu_seconds": bulk_cpu if pids.get("neo4j") else None, "encode_cpu_seconds": bulk_reference_cpu},
    }


async def standalone(scale: int, instance: str, n_api: int, n_bulk: int, concurrency: int) -> dict[str, Any]:
    """The ingest cells alone on a pool of their own (generated once): for finding errors and profiling."""
    from benchmarks import api_bench
    from benchmarks.pool import open_pool
    from matching.embedding import get_embedder

    embedder = get_embedder()
    pool = await open_pool(scale, embedder, instance=instance, restart=False)
    try:
        served = await asyncio.to_thread(api_bench.start_api, pool.uri)
        try:
            return await run(pool.db, embedder, served.url, n_api, n_bulk, start=10_000_000 + scale,
                             concurrency=concurrency, pids={"api": served.proc.pid, "neo4j": pool.pid})
        finally:
            served.stop()
    finally:
        await pool.close()


def main(argv: list[str] | None = None) -> int:
    import argparse

    from benchmarks.pool import instance_name

    parser = argparse.ArgumentParser(prog="python -m benchmarks.ingest_bench",
                                     description="API and bulk ingest against encode-only, alone")
    parser.add_argument("--scale", type=int, default=2000, help="providers in the pool (generated once)")
    parser.add_argument("--instance", default=None, help="local Neo4j instance (default bench<scale>)")
    parser.add_argument("--api", type=int, default=100, help="providers registered through the API")
    parser.add_argument("--bulk", type=int, default=1000, help="providers imported in bulk")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args(argv)
    result = asyncio.run(standalone(args.scale, args.instance or instance_name(args.scale), args.api, args.bulk,
                                    args.concurrency))
    for path in ("api", "bulk"):
        row = result[path]
        print(f"{path:4} {row['providers']:>5} providers {row['seconds']:7.1f} s "
              f"{row['providers_per_second']:7.2f}/s  encode-only {row['encode_providers_per_second']:7.2f}/s  "
              f"ratio {row['providers_per_second'] / row['encode_providers_per_second']:.2f}"
              + (f"  CPU {row['cpu_seconds']:.1f} s against encode-only {row['encode_cpu_seconds']:.1f} s: "
                 f"ratio {row['encode_cpu_seconds'] / row['cpu_seconds']:.2f}" if row.get("cpu_seconds") else ""))
    api = result["api"]
    print(f"api: register p50 {api['register_p50']:.0f} ms, publish p50 {api['publish_p50'] or 0:.0f} ms, "
          f"{api['errors']} errors; CPU s by process {api['cpu_by_process']}, API server by thread "
          f"{api['api_cpu_by_thread']}")
    for kind, count in api["error_kinds"].items():
        print(f"  {count:>4} × {kind}")
    bulk = result["bulk"]
    print(f"bulk: encode+link share {bulk['encode_share']:.2f}, write share {bulk['write_share']:.2f}, "
          f"skipped {bulk['skipped']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
