"""A dedicated local Neo4j per pool size (instances ``bench10k``, ``bench100k`` …), kept in .cache between
runs: the pool is generated (``seed.scale.generate``) only when the instance does not hold it yet.

Neo4j memory is sized from the data: the page cache gets the store's size on disk plus a quarter
(at least 512 MB, at most 40 % of the machine's memory), the heap 1 GB up to 10⁵ providers and 2 GB
above. Both go through the environment variables ``graph.config.Neo4jSettings`` already reads
(``GONGXU_NEO4J_PAGECACHE``, ``GONGXU_NEO4J_HEAP``); an explicit value in the environment wins.
``NEO4J_URI`` set means "benchmark that server" (nothing is generated unless it is empty).
"""

from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph import server
from graph.config import Neo4jSettings
from graph.db import Database

BYTES_PER_PROVIDER = 34_000  # store size per provider with derived vectors (3.2 GB at 10⁵, measured)


def instance_name(scale: int) -> str:
    return f"bench{scale // 1000}k" if scale % 1000 == 0 else f"bench{scale}"


def _memory_bytes() -> int:
    return int(Path("/proc/meminfo").read_text().split()[1]) * 1024


def _store_bytes(instance: str) -> int:
    root = server.instance_dir(instance) / "data"
    return sum(f.stat().st_size for f in root.rglob("*") if f.is_file()) if root.exists() else 0


def _megabytes(n: int) -> str:
    return f"{max(1, n // (1024 * 1024))}m"


def sized_settings(scale: int, instance: str) -> Neo4jSettings:
    """Settings for this pool: page cache from the store's size (or its estimate before generation)."""
    base = Neo4jSettings.from_env(instance)
    store = max(_store_bytes(instance), scale * BYTES_PER_PROVIDER)
    pagecache = min(max(int(store * 1.25), 512 * 1024 * 1024), int(_memory_bytes() * 0.4))
    heap = "2g" if scale > 100_000 else "1g"
    return dataclasses.replace(
        base,
        pagecache=os.environ.get("GONGXU_NEO4J_PAGECACHE") or _megabytes(pagecache),
        heap=os.environ.get("GONGXU_NEO4J_HEAP") or heap)


@dataclass
class Pool:
    scale: int
    instance: str
    settings: Neo4jSettings
    uri: str
    db: Database
    pid: int | None
    generated: dict[str, Any] | None  # seed.scale.GenerateReport as a dict when generated in this run
    counts: dict[str, int]

    async def close(self) -> None:
        await self.db.close()


async def open_pool(scale: int, embedder: Any, instance: str | None = None, restart: bool = True,
                    log: Any = print) -> Pool:
    """Start (or reuse) the scale's instance, migrate, load reference data and generate the pool if missing."""
    from graph.migrations import migrate
    from graph.repositories import bulk
    from seed.loader import load_reference_data
    from seed.scale import generate

    instance = instance or instance_name(scale)
    settings = sized_settings(scale, instance)
    pid = None
    if settings.uri:
        connection = server.ensure_neo4j(settings)
        uri = connection.uri
    else:
        if restart:  # the page cache size is a start-time setting
            server.stop_local(instance)
        state = server.start_local(settings, port=0)
        uri, pid = state["uri"], state["pid"]
    db = Database.connect(uri, settings.user, settings.password, settings.database)
    await migrate(db, embedder.dimension)
    counts = await bulk.pool_counts(db)
    if counts["capabilities"] == 0:
        await load_reference_data(db, embedder, progress=False)
    generated = None
    if counts["providers"] == 0:
        log(f"generating {scale:,} providers into {instance} (once; kept in .cache) …")
        started = time.perf_counter()
        report = await generate(db, embedder, scale)
        generated = dataclasses.asdict(report) | {"providers_per_second": report.providers_per_second}
        log(f"  generated in {time.perf_counter() - started:.0f} s ({report.providers_per_second:.0f} providers/s)")
        counts = await bulk.pool_counts(db)
    elif counts["providers"] < scale:
        log(f"warning: {instance} holds {counts['providers']:,} providers, not {scale:,}: "
            f"delete .cache/neo4j/instances/{instance} to regenerate")
    return Pool(scale, instance, settings, uri, db, pid, generated, counts)


def rss_mb(pid: int | None) -> float | None:
    """Resident memory of a process in MB (None when unknown)."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
