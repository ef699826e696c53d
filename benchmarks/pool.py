"""A dedicated local Neo4j per pool size (instances ``bench10k``, ``bench100k`` …), kept in .cache between
runs: the pool is generated (``seed.scale.generate``) only when the instance does not hold it yet.

Neo4j memory is sized from the data the way every local start sizes it (``graph.config.sized_memory``:
page cache = the store's size on disk plus a quarter, at least 512 MB, at most 40 % of the machine's
memory), here on the store's estimated size before generation too; the heap is 2 GB above 10⁵
providers. An explicit ``GONGXU_NEO4J_PAGECACHE`` / ``GONGXU_NEO4J_HEAP`` wins.
``NEO4J_URI`` set means "benchmark that server" (nothing is generated unless it is empty).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph import server
from graph.config import AUTO, Neo4jSettings, sized_memory
from graph.db import Database

BYTES_PER_PROVIDER = 34_000  # store size per provider with derived vectors (3.2 GB at 10⁵, measured)


def instance_name(scale: int) -> str:
    return f"bench{scale // 1000}k" if scale % 1000 == 0 else f"bench{scale}"


def sized_settings(scale: int, instance: str) -> Neo4jSettings:
    """Settings for this pool: ``graph.config.sized_memory`` on the store's size, or on its estimate
    before generation (so the generator itself runs with the page cache the pool will need)."""
    base = Neo4jSettings.from_env(instance)
    store = max(server.store_bytes(instance), scale * BYTES_PER_PROVIDER)
    heap, pagecache = sized_memory(base, store)
    if scale > 100_000 and base.heap == AUTO:
        heap = "2g"
    return dataclasses.replace(base, pagecache=pagecache, heap=heap)


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
