"""Issue 10, faults: Neo4j stopped under a live app → SERVICE_UNAVAILABLE (HTTP 503) at once; started
again → the same app answers without a restart. A transaction that runs past its timeout is refused.

Uses its own Neo4j instance (``<test instance>-fault``) so stopping it never disturbs other tests.
"""

from __future__ import annotations

import os
import time

import httpx
import pytest

from api.app import create_app
from api.config import ApiSettings
from api.live import LiveServer, free_port
from graph import server
from graph.config import Neo4jSettings
from graph.db import Database

QUERY = {"query": "{ statistics { providers } }"}


class AppOn(LiveServer):
    """A live app whose services point at the fault instance (NEO4J_URI set while it starts)."""

    def __init__(self) -> None:
        import threading

        import uvicorn

        self.port = free_port()
        self.start_timeout = 180.0
        settings = ApiSettings(env="development", host="127.0.0.1", port=self.port)
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="gongxu-fault-server", daemon=True)


@pytest.fixture(scope="module")
def fault_instance(neo4j_env, embedder):
    base = os.environ.get("GONGXU_TEST_NEO4J_INSTANCE", "test")
    settings = Neo4jSettings.from_env(f"{base}-fault")
    port = free_port()
    state = server.start_local(settings, port=port)
    saved = os.environ["NEO4J_URI"]
    os.environ["NEO4J_URI"] = state["uri"]
    try:
        with AppOn() as live:
            os.environ["NEO4J_URI"] = saved
            yield settings, port, live
    finally:
        os.environ["NEO4J_URI"] = saved
        server.stop_local(settings.instance)


@pytest.mark.slow
def test_neo4j_down_gives_503_at_once_and_the_app_recovers_by_itself(fault_instance):
    settings, port, live = fault_instance
    assert httpx.post(f"{live.url}/graphql", json=QUERY, timeout=60).status_code == 200
    server.stop_local(settings.instance)
    started = time.monotonic()
    down = httpx.post(f"{live.url}/graphql", json=QUERY, timeout=60)
    took = time.monotonic() - started
    assert down.status_code == 503, down.text
    assert down.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "retry-after" in down.headers
    assert took < 30, took  # not a speed target: the driver's old 30 s retry loop must be gone
    server.start_local(settings, port=port)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        back = httpx.post(f"{live.url}/graphql", json=QUERY, timeout=60)
        if back.status_code == 200:
            break
        time.sleep(1)
    assert back.status_code == 200 and "errors" not in back.json(), back.text


async def test_a_transaction_past_its_timeout_is_refused(neo4j_connection):
    from graph.db import GraphUnavailable

    c = neo4j_connection
    db = Database.connect(c.uri, c.user, c.password, c.database, tx_timeout=0.5)
    try:
        with pytest.raises(GraphUnavailable):
            await db.read("UNWIND range(1, 1000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS n")
        assert (await db.read("RETURN 1 AS ok")) == [{"ok": 1}]
    finally:
        await db.close()
