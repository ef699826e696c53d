"""API throughput: the GraphQL app (``gongxu serve`` in its own process) against the bare Starlette endpoint
(:mod:`benchmarks.bare`, its own process) doing the same Neo4j read, at 1, 8 and 32 concurrent clients.

Clients are httpx async clients in this process; each run lasts ``seconds`` after a short warm-up.
Both servers are measured in the same run, alternately per (query, concurrency), so that machine noise
hits both alike. Reported: requests/s and client-side p50/p95 latency, the ratio API / bare, and each
server's RSS after its runs.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from benchmarks.pool import rss_mb
from benchmarks.stats import percentile
from graph.config import PROJECT_ROOT

PROVIDER = "query($id: ID!) { node(id: $id) { id ... on Provider { name kind } } }"
PROVIDER_PAGE = "{ providers(first: 100) { edges { node { id name kind } } } }"
MATCHES = "query($n: ID!) { matches(needId: $n, first: 10) { totalCount edges { node { id score } } } }"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A server subprocess started by this benchmark (stopped by its own pid only)."""

    def __init__(self, args: list[str], env: dict[str, str], ready_path: str, port: int):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        root = str(PROJECT_ROOT)  # this checkout's code, whatever the venv's editable install points at
        env = {**env, "PYTHONPATH": os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)}
        # the server's log goes to a file: a pipe nobody reads fills after 64 KB of request lines and then
        # blocks the server on its next write (a whole API phase once hung that way)
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
        self.proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                tail = self.log.read().decode(errors="replace")[-800:]
                raise RuntimeError(f"{args} exited: {tail}")
            try:
                if httpx.get(self.url + ready_path, timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"{args} did not become ready")

    @property
    def rss_mb(self) -> float | None:
        return rss_mb(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def start_api(uri: str) -> Served:
    """``gongxu serve`` as deployed: production mode (no GraphiQL, no introspection, no round-trip report),
    uvicorn's info log with access lines (to /dev/null, as the bare endpoint's). The rate limiter counts
    every request but is set never to refuse one: the load comes from one token and one address, where a
    real deployment's would come from many."""
    port = free_port()
    env = {**os.environ, "NEO4J_URI": uri, "GONGXU_PORT": str(port), "GONGXU_HOST": "127.0.0.1",
           "GONGXU_ENV": "production", "GONGXU_RATE_EXPENSIVE": str(10**9), "GONGXU_RATE_REGISTRATIONS": str(10**9)}
    return Served([sys.executable, "-m", "api.cli", "serve", "--port", str(port)], env, "/readyz", port)


def start_bare(uri: str) -> Served:
    port = free_port()
    return Served([sys.executable, "-m", "benchmarks.bare", "--port", str(port)],
                  {**os.environ, "NEO4J_URI": uri}, "/providers", port)


@dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def row(self) -> dict[str, Any]:
        return {"rps": self.requests / self.seconds if self.seconds else 0.0, "p50": percentile(self.latencies, 0.5),
                "p95": percentile(self.latencies, 0.95), "n": self.requests, "errors": self.errors}


async def load(send: Any, concurrency: int, seconds: float, warmup: float = 1.0) -> LoadResult:
    """``concurrency`` clients each sending ``send(client, i)`` back to back for ``seconds``."""
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=concurrency + 4)) as client:
        stop_warm = time.monotonic() + warmup
        while time.monotonic() < stop_warm:
            try:
                await send(client, 0)
            except httpx.TransportError:  # a slow or dropped warm-up request does not end the run either
                break
        latencies: list[float] = []
        errors = 0
        deadline = time.monotonic() + seconds

        async def worker(k: int) -> None:
            nonlocal errors
            i = k
            while time.monotonic() < deadline:
                t0 = time.perf_counter()
                try:
                    ok = await send(client, i)
                except httpx.TransportError:  # a dropped connection is an error of the run, not its end
                    ok = False
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += 0 if ok else 1
                i += concurrency

        started = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(concurrency)))
        return LoadResult(len(latencies), time.perf_counter() - started, latencies, errors)


def graphql_sender(url: str, document: str, variables: Any, token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def send(client: httpx.AsyncClient, i: int) -> bool:
        response = await client.post(url + "/graphql", json={"query": document, "variables": variables(i)},
                                     headers=headers)
        return response.status_code == 200 and not response.json().get("errors")

    return send


def bare_sender(url: str, path: Any) -> Any:
    async def send(client: httpx.AsyncClient, i: int) -> bool:
        return (await client.get(url + path(i))).status_code == 200

    return send


async def run(api: Served, uri: str, provider_ids: list[str], need_ids: list[str], staff_token: str,
              concurrencies: tuple[int, ...], seconds: float, only: str | None = None) -> dict[str, Any]:
    """Every query at every concurrency, API then bare; returns rows and both servers' RSS.

    ``api`` is the running app (the caller starts and stops it); the bare endpoint is started here.
    """
    from strawberry.relay import GlobalID

    bare = await asyncio.to_thread(start_bare, uri)
    try:
        gids = [str(GlobalID("Provider", pid)) for pid in provider_ids]
        pid = provider_ids
        nid = need_ids
        queries = {
            "provider(id)": (graphql_sender(api.url, PROVIDER, lambda i: {"id": gids[i % len(gids)]}),
                             bare_sender(bare.url, lambda i: f"/provider?id={pid[i % len(pid)]}")),
            "providers(first: 100)": (graphql_sender(api.url, PROVIDER_PAGE, lambda i: {}),
                                      bare_sender(bare.url, lambda i: "/providers")),
            "matches (stored)": (graphql_sender(api.url, MATCHES, lambda i: {"n": nid[i % len(nid)]}, staff_token),
                                 bare_sender(bare.url, lambda i: f"/matches?need={nid[i % len(nid)]}")),
        }
        # make every need's stored matches current first, so `matches` is the steady-state read
        send_matches = queries["matches (stored)"][0]
        async with httpx.AsyncClient(timeout=120) as client:
            for i in range(len(nid)):
                await send_matches(client, i)
        rows = []
        for name, (subject, reference) in queries.items():
            if only and not name.startswith(only):
                continue
            for c in concurrencies:
                s = (await load(subject, c, seconds, warmup=min(1.0, seconds))).row()
                r = (await load(reference, c, seconds, warmup=min(1.0, seconds))).row()
                rows.append({"query": name, "concurrency": c, "api": s, "bare": r})
        return {"rows": rows, "api_rss_mb": api.rss_mb, "bare_rss_mb": bare.rss_mb}
    finally:
        bare.stop()


async def standalone(scale: int, instance: str, seconds: float, concurrencies: tuple[int, ...], needs: int,
                     only: str | None = None) -> dict[str, Any]:
    """The API cells alone on a pool of their own (no matching, ingest or memory figures): for profiling
    the API layer, whose per-request cost hardly depends on the pool's size."""
    from benchmarks.pool import open_pool
    from benchmarks.run import _staff_token
    from graph.repositories import bulk, providers
    from graph.repositories.paging import PageRequest
    from matching import engine
    from matching.embedding import get_embedder

    embedder = get_embedder()
    pool = await open_pool(scale, embedder, instance=instance, restart=False)
    try:
        need_ids = await bulk.open_need_ids(pool.db, needs)
        for need_id in need_ids:
            await engine.match_need(pool.db, embedder, need_id, first=10)
        provider_ids = [row["id"] for row in await providers.page(pool.db, {}, PageRequest(sort="NAME", limit=200))]
        token = await _staff_token(pool.db)
        served = await asyncio.to_thread(start_api, pool.uri)
        try:
            return await run(served, pool.uri, provider_ids, need_ids, token, concurrencies, seconds, only=only)
        finally:
            served.stop()
    finally:
        await pool.close()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.api_bench",
                                     description="API throughput against the bare endpoint, alone")
    parser.add_argument("--scale", type=int, default=2000, help="providers in the pool (generated once)")
    parser.add_argument("--instance", default=None, help="local Neo4j instance (default bench<scale>)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per cell and server")
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--needs", type=int, default=20)
    parser.add_argument("--only", default=None, help="run only the queries whose name starts with this")
    args = parser.parse_args(argv)
    from benchmarks.pool import instance_name

    result = asyncio.run(standalone(args.scale, args.instance or instance_name(args.scale), args.seconds,
                                    tuple(int(c) for c in args.concurrency.split(",")), args.needs, args.only))
    print(f"{'query':24} {'c':>3} {'api rps':>8} {'bare rps':>8} {'ratio':>6} {'api p50':>8} {'bare p50':>8}")
    for row in result["rows"]:
        a, b = row["api"], row["bare"]
        print(f"{row['query']:24} {row['concurrency']:>3} {a['rps']:>8.1f} {b['rps']:>8.1f} "
              f"{a['rps'] / b['rps'] if b['rps'] else 0:>6.2f} {a['p50'] or 0:>8.1f} {b['p50'] or 0:>8.1f}"
              f"{'  errors ' + str(a['errors']) + '/' + str(b['errors']) if a['errors'] or b['errors'] else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
