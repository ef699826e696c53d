"""The one async gateway to Neo4j: every Cypher statement of gongxu runs through :class:`Database`.

It always names the database (saves a round trip per query), uses managed transactions
(``execute_read`` / ``execute_write``, so with a ``neo4j://`` URI reads go to followers and writes to
the leader, and transient errors are retried), shares one bookmark manager across its sessions (causal
consistency: a read sees the process's earlier writes, see docs/SCALING.md), and counts round trips
per logical operation so tests can assert that an API call costs a bounded number of them (the N+1 guard).

Failure is bounded too: every transaction has a server-side timeout (``GONGXU_NEO4J_TX_TIMEOUT_S``,
default 120 s) and retries of transient failures stop after ``GONGXU_NEO4J_RETRY_S`` (default 2 s), so
when Neo4j is down a request fails within seconds with :class:`GraphUnavailable` instead of hanging;
the driver reconnects by itself once Neo4j is back.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, Record, unit_of_work
from neo4j.exceptions import ClientError, ServiceUnavailable, SessionExpired, TransientError
from neo4j.time import Date, DateTime, Duration, Time

T = TypeVar("T")

DEFAULT_TX_TIMEOUT_S = 120.0
DEFAULT_RETRY_S = 2.0
CONNECTION_TIMEOUT_S = 3.0


class GraphUnavailable(RuntimeError):
    """Neo4j cannot be reached, or a transaction ran past its timeout: the caller should try again later."""


def _env_seconds(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def _unavailable(exc: Exception) -> bool:
    if isinstance(exc, ServiceUnavailable | SessionExpired):
        return True
    code = getattr(exc, "code", None) or ""
    if isinstance(exc, ClientError | TransientError) and "TransactionTimedOut" in code:
        return True
    return isinstance(exc, TransientError) and code.endswith("DatabaseUnavailable")


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


# Values ``Record.data()`` returns as they are.
_AS_IS = frozenset({str, int, float, bool, type(None), bytes, Date, DateTime, Time, Duration})


def _plain(value: Any) -> Any:
    """One value as ``Record.data()`` converts it, at a fraction of its cost.

    ``data()`` sends every element of every list and map through ``isinstance`` checks against the
    driver's graph types and abstract collections — 15–30 ms for the 150 rows of a need's pair
    features. Plain values and lists and maps of them are what almost every statement returns, and
    they come out as they are; anything else (nodes, relationships, paths, points) is handed to the
    driver's own conversion, so the result is the same.
    """
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is list:
        if value and type(value[0]) is float:  # a vector: 384 floats, nothing to convert
            return value
        return [item if type(item) in _AS_IS else _plain(item) for item in value]
    if kind is dict:
        return {key: item if type(item) in _AS_IS else _plain(item) for key, item in value.items()}
    return Record([("value", value)]).data()["value"]


class Tx:
    """A managed transaction that counts its statements; passed to repository functions."""

    def __init__(self, tx: AsyncManagedTransaction):
        self._tx = tx

    async def rows(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        """The statement's rows as dicts (``Result.data()``, converted faster: :func:`_plain`)."""
        _note(cypher)
        result = await self._tx.run(cypher, params)
        return [{key: _plain(value) for key, value in record.items()} async for record in result]

    async def one(self, cypher: str, **params: Any) -> dict[str, Any] | None:
        found = await self.rows(cypher, **params)
        return found[0] if found else None


class Database:
    """Async access to one Neo4j database."""

    def __init__(self, driver: AsyncDriver, database: str = "neo4j", tx_timeout: float | None = None):
        self.driver = driver
        self.database = database
        self.tx_timeout = tx_timeout if tx_timeout is not None else _env_seconds("GONGXU_NEO4J_TX_TIMEOUT_S",
                                                                                  DEFAULT_TX_TIMEOUT_S)
        # One bookmark manager for every session of this process: a read routed to a cluster
        # follower waits until that follower has applied the process's earlier writes (read your
        # writes, e.g. the stored matches just written). On a single server it costs nothing.
        self.bookmarks = AsyncGraphDatabase.bookmark_manager()

    @classmethod
    def connect(cls, uri: str, user: str | None, password: str | None, database: str = "neo4j",
                tx_timeout: float | None = None) -> Database:
        auth = (user, password) if user else None
        driver = AsyncGraphDatabase.driver(uri, auth=auth, max_connection_pool_size=50,
                                           connection_acquisition_timeout=30,
                                           connection_timeout=CONNECTION_TIMEOUT_S,
                                           max_transaction_retry_time=_env_seconds("GONGXU_NEO4J_RETRY_S",
                                                                                   DEFAULT_RETRY_S),
                                           # "label does not exist yet" on a fresh database is not news
                                           notifications_min_severity="OFF")
        return cls(driver, database, tx_timeout)

    async def close(self) -> None:
        await self.driver.close()

    async def read(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        """Run one read statement in a managed read transaction; rows as dicts."""
        return await self.read_tx(lambda tx: tx.rows(cypher, **params))

    async def write(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        """Run one write statement in a managed write transaction; rows as dicts."""
        return await self.write_tx(lambda tx: tx.rows(cypher, **params))

    async def read_tx(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        @unit_of_work(timeout=self.tx_timeout)
        async def run(tx: AsyncManagedTransaction) -> T:
            return await work(Tx(tx))

        try:
            async with self.driver.session(database=self.database, bookmark_manager=self.bookmarks) as session:
                return await session.execute_read(run)
        except Exception as exc:
            if _unavailable(exc):
                raise GraphUnavailable(str(exc) or exc.__class__.__name__) from exc
            raise

    async def write_tx(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run ``work`` in one write transaction: it commits whole or not at all.

        Managed transactions may be retried on transient errors, so ``work`` must be idempotent
        up to its own writes (it is re-run from the start on a fresh transaction).
        """
        @unit_of_work(timeout=self.tx_timeout)
        async def run(tx: AsyncManagedTransaction) -> T:
            return await work(Tx(tx))

        try:
            async with self.driver.session(database=self.database, bookmark_manager=self.bookmarks) as session:
                return await session.execute_write(run)
        except Exception as exc:
            if _unavailable(exc):
                raise GraphUnavailable(str(exc) or exc.__class__.__name__) from exc
            raise

    async def schema(self, cypher: str, **params: Any) -> None:
        """A statement in an auto-commit transaction, without the managed transactions' timeout; its rows are
        discarded. For what Neo4j runs only that way (DDL, ``CALL … IN TRANSACTIONS``) and for maintenance
        that outlasts the timeout (the page-cache warm-up reads the whole store)."""
        _note(cypher)
        async with self.driver.session(database=self.database) as session:
            result = await session.run(cypher, params)
            await result.consume()
