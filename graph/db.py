"""The one async gateway to Neo4j: every Cypher statement of gongxu runs through :class:`Database`.

It always names the database (saves a round trip per query), uses managed transactions
(``execute_read`` / ``execute_write``, so with a ``neo4j://`` URI reads go to followers and writes to
the leader, and transient errors are retried), shares one bookmark manager across its sessions (causal
consistency: a read sees the process's earlier writes, see docs/SCALING.md), and counts round trips
per logical operation so tests can assert that an API call costs a bounded number of them (the N+1 guard).
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction

T = TypeVar("T")


@dataclass
class QueryCounter:
    """Round trips (statements sent) within one logical operation, e.g. one GraphQL request."""

    count: int = 0
    statements: list[str] = field(default_factory=list)

    def add(self, cypher: str) -> None:
        self.count += 1
        self.statements.append(" ".join(cypher.split())[:120])


_counter: contextvars.ContextVar[QueryCounter | None] = contextvars.ContextVar("gongxu_query_counter",
                                                                               default=None)


@contextmanager
def count_queries() -> Iterator[QueryCounter]:
    """Count the Cypher statements sent inside the block (in this task and the tasks it awaits)."""
    counter = QueryCounter()
    token = _counter.set(counter)
    try:
        yield counter
    finally:
        _counter.reset(token)


def _note(cypher: str) -> None:
    counter = _counter.get()
    if counter is not None:
        counter.add(cypher)


class Tx:
    """A managed transaction that counts its statements; passed to repository functions."""

    def __init__(self, tx: AsyncManagedTransaction):
        self._tx = tx

    async def rows(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        _note(cypher)
        result = await self._tx.run(cypher, params)
        return await result.data()

    async def one(self, cypher: str, **params: Any) -> dict[str, Any] | None:
        found = await self.rows(cypher, **params)
        return found[0] if found else None


class Database:
    """Async access to one Neo4j database."""

    def __init__(self, driver: AsyncDriver, database: str = "neo4j"):
        self.driver = driver
        self.database = database
        # One bookmark manager for every session of this process: a read routed to a cluster
        # follower waits until that follower has applied the process's earlier writes (read your
        # writes, e.g. the stored matches just written). On a single server it costs nothing.
        self.bookmarks = AsyncGraphDatabase.bookmark_manager()

    @classmethod
    def connect(cls, uri: str, user: str | None, password: str | None, database: str = "neo4j") -> Database:
        auth = (user, password) if user else None
        driver = AsyncGraphDatabase.driver(uri, auth=auth, max_connection_pool_size=50,
                                           connection_acquisition_timeout=30,
                                           # "label does not exist yet" on a fresh database is not news
                                           notifications_min_severity="OFF")
        return cls(driver, database)

    async def close(self) -> None:
        await self.driver.close()

    async def read(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        """Run one read statement in a managed read transaction; rows as dicts."""
        return await self.read_tx(lambda tx: tx.rows(cypher, **params))

    async def write(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        """Run one write statement in a managed write transaction; rows as dicts."""
        return await self.write_tx(lambda tx: tx.rows(cypher, **params))

    async def read_tx(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        async with self.driver.session(database=self.database, bookmark_manager=self.bookmarks) as session:
            return await session.execute_read(lambda tx: work(Tx(tx)))

    async def write_tx(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run ``work`` in one write transaction: it commits whole or not at all.

        Managed transactions may be retried on transient errors, so ``work`` must be idempotent
        up to its own writes (it is re-run from the start on a fresh transaction).
        """
        async with self.driver.session(database=self.database, bookmark_manager=self.bookmarks) as session:
            return await session.execute_write(lambda tx: work(Tx(tx)))

    async def schema(self, cypher: str, **params: Any) -> None:
        """Schema statements (DDL) run in auto-commit transactions, as Neo4j requires."""
        _note(cypher)
        async with self.driver.session(database=self.database) as session:
            result = await session.run(cypher, params)
            await result.consume()
