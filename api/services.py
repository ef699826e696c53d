"""The long-lived parts of a running gongxu: the database, the embedding model and the provider index.

Built once at start (by the HTTP app's lifespan or a CLI command) and shared by every request. The
in-process provider index (``matching.provider_index``) starts loading in the background at start,
then Neo4j's page cache is warmed; a ``matches`` request that arrives first waits for the same load.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field

from graph import migrations
from graph.config import Neo4jSettings
from graph.db import Database
from graph.repositories import admin as admin_repo
from graph.server import Connection, ensure_neo4j
from matching.embedding import Embedder, get_embedder
from matching.linking import TaxonomyLinker
from matching.provider_index import index_for

log = logging.getLogger("gongxu.services")


@dataclass
class Services:
    db: Database
    connection: Connection
    embedder: Embedder | None = None
    migrated: bool = False
    _linker: TaxonomyLinker | None = field(default=None, repr=False)
    _linker_lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    _index_warmup: asyncio.Task[None] | None = field(default=None, repr=False)

    @classmethod
    async def start(cls, settings: Neo4jSettings | None = None, load_model: bool = True) -> Services:
        """Resolve Neo4j (starting a local one if needed), load the model, apply migrations."""
        connection = await asyncio.to_thread(ensure_neo4j, settings)
        db = Database.connect(connection.uri, connection.user, connection.password, connection.database)
        services = cls(db=db, connection=connection)
        services.embedder = await asyncio.to_thread(get_embedder)
        await migrations.migrate(db, services.embedder.dimension)
        services.migrated = True
        services._index_warmup = asyncio.create_task(services._warm_provider_index())
        return services

    async def _warm_provider_index(self) -> None:
        """Load the provider index, then read the rest of the store once (``admin.warm_page_cache``) so the
        first requests after a restart do not wait for the disk."""
        try:
            await index_for(self.db).ensure_current(self.db)
        except Exception as exc:  # the first search loads it again; matching does not depend on this task
            log.warning("provider index warm-up failed: %s", exc)
        started = time.perf_counter()
        try:
            await admin_repo.warm_page_cache(self.db)
            log.info("page cache warmed in %.1f s", time.perf_counter() - started)
        except Exception as exc:  # only speed depends on it
            log.warning("page cache warm-up failed: %s", exc)

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
        if self._index_warmup is not None and not self._index_warmup.done():
            self._index_warmup.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._index_warmup
        await self.db.close()

    async def readiness(self) -> dict[str, bool]:
        """What /readyz reports: Neo4j reachable, migrations applied, model loaded, provider index loaded
        (until it is, the first ``matches`` waits for it: seconds at 10⁴ providers, a minute at 10⁵)."""
        try:
            await self.db.read("RETURN 1 AS ok")
            neo4j_ok = True
            current = await migrations.is_current(self.db)
        except Exception:
            neo4j_ok, current = False, False
        return {"neo4j": neo4j_ok, "migrations": current, "model": self.embedder is not None,
                "provider_index": index_for(self.db).loaded}
