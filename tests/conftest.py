"""Shared fixtures: one real Neo4j per test session, the real model, the app over real HTTP.

Neo4j: ``NEO4J_URI`` when set; otherwise the repository's local server, instance ``test``, on a
free port — started here if it is not running and stopped again at the end if this session
started it. Nothing is faked: a test that touches data talks to that server.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest

from api.live import LiveServer
from graph import server
from graph.config import Neo4jSettings
from graph.db import Database
from graph.server import Connection

ORG_LABELS = ("Enterprise", "Provider", "CapabilityStatement", "CapacityOffer", "Need", "Match", "ApiToken",
              "ClientMutation", "ListingEvent", "AuditEvent", "Edition", "EditionEntry", "Sequence",
              "UnverifiedTerm", "MatchTransition", "Response", "Rating", "CreditCode")


@pytest.fixture(scope="session")
def neo4j_connection() -> Iterator[Connection]:
    settings = Neo4jSettings.from_env(os.environ.get("GONGXU_TEST_NEO4J_INSTANCE", "test"))
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


@pytest.fixture
async def sample_db(db: Database, embedder) -> Database:
    """The session database with the reference data and the full sample loaded (reloaded if a test
    emptied it; loading is idempotent and the embedding cache makes a reload cost only the writes)."""
    from seed.loader import load_reference_data, load_sample

    rows = await db.read("RETURN COUNT { MATCH (:Capability) } AS capabilities, "
                         "COUNT { MATCH (p:Provider) WHERE p.id STARTS WITH 'prv_' } AS providers")
    if rows[0]["capabilities"] < 300:
        await load_reference_data(db, embedder, progress=False)
    if rows[0]["providers"] < 1000:
        await load_sample(db, embedder, progress=False)
    return db


@pytest.fixture(scope="session")
def live_server(neo4j_env: None, embedder) -> Iterator[LiveServer]:
    """One app for the whole session. Its rate limits are lifted: the suite registers hundreds of
    organisations from one address within minutes (tests/api/test_hardening_service.py checks the limits
    on an app of its own, with low ones)."""
    limits = {key: os.environ.get(key) for key in ("GONGXU_RATE_REGISTRATIONS", "GONGXU_RATE_EXPENSIVE")}
    os.environ.update({key: "1000000" for key in limits})
    try:
        live = LiveServer()
    finally:
        for key, value in limits.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    with live:
        yield live
