"""Shared fixtures: one real Neo4j per test session, the real model, the app over real HTTP.

Neo4j: ``NEO4J_URI`` when set; otherwise the repository's local server, instance ``test``, on a
free port — started here if it is not running and stopped again at the end if this session
started it. Nothing is faked: a test that touches data talks to that server.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator

import pytest
import uvicorn

from graph import server
from graph.config import Neo4jSettings
from graph.db import Database
from graph.server import Connection

ORG_LABELS = ("Enterprise", "Provider", "CapabilityStatement", "CapacityOffer", "Need", "Match", "ApiToken",
              "ClientMutation")


@pytest.fixture(scope="session")
def neo4j_connection() -> Iterator[Connection]:
    settings = Neo4jSettings.from_env("test")
    if settings.uri:
        yield server.ensure_neo4j(settings)
        return
    already_running = server.status(settings.instance) is not None
    state = server.start_local(settings, port=0)
    yield Connection(state["uri"], settings.user, settings.password, settings.database, "local")
    if not already_running and not os.environ.get("GONGXU_KEEP_TEST_NEO4J"):
        server.stop_local(settings.instance)


@pytest.fixture(scope="session")
def neo4j_env(neo4j_connection: Connection) -> Iterator[None]:
    """Point everything started in this process (CLI calls, the app) at the test server."""
    saved = {k: os.environ.get(k) for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD")}
    os.environ["NEO4J_URI"] = neo4j_connection.uri
    os.environ["NEO4J_USER"] = neo4j_connection.user
    os.environ["NEO4J_PASSWORD"] = neo4j_connection.password
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def embedder():
    from matching.embedding import get_embedder

    return get_embedder()


@pytest.fixture(scope="session")
async def db(neo4j_connection: Connection, embedder) -> AsyncIterator[Database]:
    from graph.migrations import migrate

    database = Database.connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password,
                                neo4j_connection.database)
    await migrate(database, embedder.dimension)
    yield database
    await database.close()


@pytest.fixture
async def clean_db(db: Database) -> Database:
    """The session database without organisation data (reference data and schema stay)."""
    await db.write("MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) DETACH DELETE n",
                   labels=list(ORG_LABELS))
    return db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The real ASGI app under uvicorn, in a background thread, on a free loopback port."""

    def __init__(self) -> None:
        from api.app import create_app
        from api.config import ApiSettings

        self.port = _free_port()
        settings = ApiSettings(env="development", host="127.0.0.1", port=self.port)
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="gongxu-live-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 120
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the gongxu app did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture(scope="session")
def live_server(neo4j_env: None, embedder) -> Iterator[LiveServer]:
    with LiveServer() as live:
        yield live
