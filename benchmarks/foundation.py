"""Foundation numbers for BENCHMARKS.md: Neo4j start (first and warm), RSS of Neo4j and of the API
process, model load time, encode rate and single-query latency. Run: `python -m benchmarks.foundation`.

Ratios within one run are what to compare; the machines are shared and noisy.
"""

from __future__ import annotations

import platform
import resource
import shutil
import statistics
import subprocess
import time
from datetime import UTC, datetime

from graph import server
from graph.config import Neo4jSettings

TEXTS = [
    "需要铝合金压铸件，年产5万件，需IATF 16949认证", "寻找数控加工供应商，加工精密轴类零件",
    "采购注塑件，材料为ABS，需要开模", "希望实现设备预测性维护，减少非计划停机",
    "提供汽车零部件压铸、CNC精加工，通过IATF16949", "专业CNC车铣复合加工，可做高精度轴套类零件",
    "Looking for an ISO 13485 certified injection moulder in Chengdu", "等保2.0三级测评，工控系统安全评估",
]


def _rss_mb(pid: int) -> float:
    out = subprocess.run(["ps", "-o", "rss=", "-p", str(pid)], capture_output=True, text=True, check=True).stdout
    return int(out.strip()) / 1024


def _served_api_rss(neo4j_uri: str) -> float:
    """Start `gongxu serve` against the bench Neo4j, make one GraphQL request, read its RSS."""
    import os
    import socket
    import sys

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NEO4J_URI": neo4j_uri, "GONGXU_PORT": str(port)}
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "serve"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ statistics { providers } }"}, timeout=30)
        return _rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def machine() -> str:
    import os
    from pathlib import Path

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown cpu")
    mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024

    return f"{platform.node()} · {cpu} · {os.cpu_count()} cores · {mem:.0f} GiB · Python {platform.python_version()}"


def main() -> None:
    settings = Neo4jSettings.from_env("bench")
    server.stop_local(settings.instance)
    shutil.rmtree(server.instance_dir(settings.instance), ignore_errors=True)
    started = time.perf_counter()
    state = server.start_local(settings, port=0)
    first = time.perf_counter() - started
    server.stop_local(settings.instance)
    started = time.perf_counter()
    state = server.start_local(settings, port=0)
    warm = time.perf_counter() - started
    neo4j_rss = _rss_mb(state["pid"])
    api_rss = _served_api_rss(state["uri"])
    server.stop_local(settings.instance)

    from matching.embedding import Embedder

    started = time.perf_counter()
    embedder = Embedder()
    load = time.perf_counter() - started
    corpus = [f"{t}（{i}）" for i in range(64) for t in TEXTS]  # 512 short texts
    embedder.encode_passages(corpus[:32])  # warm-up
    started = time.perf_counter()
    embedder.encode_passages(corpus, batch_size=32)
    rate = len(corpus) / (time.perf_counter() - started)
    latencies = []
    for text in TEXTS * 4:
        t0 = time.perf_counter()
        embedder.encode_queries([text])
        latencies.append((time.perf_counter() - t0) * 1000)
    bench_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {machine()}")
    print(f"neo4j {server.NEO4J_VERSION} first start (empty store): {first:.1f} s")
    print(f"neo4j warm start (existing store): {warm:.1f} s")
    print(f"neo4j RSS after start: {neo4j_rss:.0f} MB")
    print(f"model load (multilingual-e5-small, sentence-transformers, CPU): {load:.1f} s")
    print(f"encode rate (512 short Chinese texts, batch 32): {rate:.0f} texts/s")
    print(f"single-query latency: p50 {statistics.median(latencies):.1f} ms, "
          f"p95 {sorted(latencies)[int(len(latencies) * 0.95) - 1]:.1f} ms")
    print(f"API process (`gongxu serve`) RSS after a GraphQL request: {api_rss:.0f} MB")
    print(f"this benchmark process peak RSS (model + 512-text batch): {bench_rss:.0f} MB")


if __name__ == "__main__":
    main()
