"""Settings of the graph layer, read from the environment with safe local defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def cache_dir() -> Path:
    """The git-ignored folder for everything the repository installs or generates (jars, data, models)."""
    return Path(os.environ.get("GONGXU_CACHE_DIR", PROJECT_ROOT / ".cache")).resolve()


def shared_cache_dir() -> Path:
    """A per-user cache for content-addressed artefacts that every checkout can share (embeddings).

    Safe to share because entries are keyed by model and text; safe to delete at any time.
    """
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "gongxu"
    return Path(os.environ.get("GONGXU_SHARED_CACHE_DIR", default)).resolve()


@dataclass(frozen=True)
class Neo4jSettings:
    """How to reach Neo4j. `uri` set means "use that server"; otherwise one is provisioned."""

    uri: str | None
    user: str
    password: str
    database: str
    instance: str
    port: int
    heap: str
    pagecache: str

    @classmethod
    def from_env(cls, instance: str | None = None) -> Neo4jSettings:
        return cls(
            uri=os.environ.get("NEO4J_URI") or None,
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD", "gongxu-local"),
            database=os.environ.get("NEO4J_DATABASE", "neo4j"),
            instance=instance or os.environ.get("GONGXU_NEO4J_INSTANCE", "dev"),
            port=int(os.environ.get("GONGXU_NEO4J_PORT", "7687")),
            heap=os.environ.get("GONGXU_NEO4J_HEAP", AUTO),
            pagecache=os.environ.get("GONGXU_NEO4J_PAGECACHE", AUTO),
        )


AUTO = "auto"  # a memory setting sized from the data at start (see sized_memory)
MIN_PAGECACHE = 512 * 1024 * 1024
PAGECACHE_SHARE_MAX = 0.4  # of the machine's memory: the rest is for the heap, the API and the model
LARGE_STORE = 4 * 1024 ** 3  # above it, the heap doubles (bigger transactions and query state)


def machine_memory() -> int:
    """Total memory of this machine in bytes (Linux; 8 GiB assumed elsewhere)."""
    try:
        return int(Path("/proc/meminfo").read_text().split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return 8 * 1024 ** 3


def megabytes(n: int) -> str:
    return f"{max(1, n // (1024 * 1024))}m"


def sized_memory(settings: Neo4jSettings, store_bytes: int, memory: int | None = None) -> tuple[str, str]:
    """(heap, page cache) for a store of ``store_bytes``: an explicit setting wins; ``auto`` means

    * page cache = the store's size on disk plus a quarter (room to grow before the next restart),
      at least 512 MB, at most 40 % of the machine's memory — so the whole store is cached when
      RAM allows (a miss costs a disk read on every vector and property access);
    * heap = 1 GB, 2 GB for a store above 4 GB.
    """
    memory = memory or machine_memory()
    pagecache = settings.pagecache
    if pagecache == AUTO:
        pagecache = megabytes(min(max(int(store_bytes * 1.25), MIN_PAGECACHE), int(memory * PAGECACHE_SHARE_MAX)))
    heap = settings.heap
    if heap == AUTO:
        heap = "2g" if store_bytes > LARGE_STORE else "1g"
    return heap, pagecache
