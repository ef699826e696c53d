"""The service over real HTTP: health, readiness and a GraphQL request with a real client."""

from __future__ import annotations

import time

import httpx
from gql import Client, gql
from gql.transport.httpx import HTTPXAsyncTransport


def test_healthz_and_readyz(live_server):
    assert httpx.get(f"{live_server.url}/healthz").json() == {"status": "ok"}
    deadline = time.monotonic() + 120  # the provider index loads in the background after start
    ready = httpx.get(f"{live_server.url}/readyz")
    while ready.status_code != 200 and time.monotonic() < deadline:
        assert ready.json()["checks"]["neo4j"] is True
        time.sleep(0.5)
        ready = httpx.get(f"{live_server.url}/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"neo4j": True, "migrations": True, "model": True,
                                                          "provider_index": True}}


async def test_graphql_statistics_over_http(live_server, db):
    await db.write("MERGE (e:Enterprise {id: 'ent_health_probe'}) SET e.name = '健康检查企业'")
    transport = HTTPXAsyncTransport(url=f"{live_server.url}/graphql")
    async with Client(transport=transport) as session:
        result = await session.execute(gql("{ statistics { enterprises providers capabilities } }"))
    assert result["statistics"]["enterprises"] >= 1
    await db.write("MATCH (e:Enterprise {id: 'ent_health_probe'}) DETACH DELETE e")
