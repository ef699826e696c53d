"""The long-lived parts of a running gongxu: the database and the embedding model.

Built once at start (by the HTTP app's lifespan or a CLI command) and shared by every request.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from graph import migrations
from graph.config import Neo4jSettings
from graph.db import Database
from graph.server import Connection, ensure_neo4j
from matching.embedding import Embedder, get_embedder
from matching.linking import TaxonomyLinker


@dataclass
class Services:
    db: Database
    connection: Connection
    embedder: Embedder | None = None
    migrated: bool = False
    _linker: TaxonomyLinker | None = field(default=None, repr=False)
    _linker_lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    @classmethod
    async def start(cls, settings: Neo4jSettings | None = None, load_model: bool = True) -> Services:
        """Resolve Neo4j (starting a local one if needed), load the model, apply migrations."""
        connection = await asyncio.to_thread(ensure_neo4j, settings)
        db = Database.connect(connection.uri, connection.user, connection.password, connection.database)
        services = cls(db=db, connection=connection)
        services.embedder = await asyncio.to_thread(get_embedder)
        await migrations.migrate(db, services.embedder.dimension)
        services.migrated = True
        return services

    async def linker(self) -> TaxonomyLinker:
        """The taxonomy linker, built on first use from the reference data in Neo4j.

        Not cached while the taxonomy is still empty (a fresh database before ``gongxu seed load``).
        """
        async with self._linker_lock:
            if self._linker is None:
                built = await TaxonomyLinker.build(self.db, self.embedder or get_embedder())
                if not built.capability_codes:
                    return built
                self._linker = built
            return self._linker

    def forget_linker(self) -> None:
        """Rebuild the linker on next use (after the reference data changed)."""
        self._linker = None

    async def close(self) -> None:
        await self.db.close()

    async def readiness(self) -> dict[str, bool]:
        """What /readyz reports: Neo4j reachable, migrations applied, model loaded."""
        try:
            await self.db.read("RETURN 1 AS ok")
            neo4j_ok = True
            current = await migrations.is_current(self.db)
        except Exception:
            neo4j_ok, current = False, False
        return {"neo4j": neo4j_ok, "migrations": current, "model": self.embedder is not None}
