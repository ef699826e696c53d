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
            heap=os.environ.get("GONGXU_NEO4J_HEAP", "1g"),
            pagecache=os.environ.get("GONGXU_NEO4J_PAGECACHE", "512m"),
        )
