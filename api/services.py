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


@dataclass
class Services:
    db: Database
    connection: Connection
    embedder: Embedder | None = None
    migrated: bool = False
    _model_task: asyncio.Task | None = field(default=None, repr=False)

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

    async def close(self) -> None:
        await self.db.close()

    async def readiness(self) -> dict[str, bool]:
        """What /readyz reports: Neo4j reachable, migrations applied, model loaded."""
        try:
            await self.db.read("RETURN 1 AS ok")
            neo4j_ok = True
            current = await migrations.is_current(self.db)
        except Exception:  # noqa: BLE001 - any failure means "not ready"; the detail is in the logs
            neo4j_ok, current = False, False
        return {"neo4j": neo4j_ok, "migrations": current, "model": self.embedder is not None}
