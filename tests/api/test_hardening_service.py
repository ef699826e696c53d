"""Issue 10: one request never stalls another; cost and rate budgets; replays leak nothing.

All over real HTTP against a live app on the real Neo4j and the real model.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from apiclient import REGISTER_ENTERPRISE, Api, credit_code
from graphql import parse

from api.hardening import RateLimits
from api.live import LiveServer
from api.schema import schema


async def _timed(client: httpx.AsyncClient, url: str, body: dict) -> tuple[float, dict]:
    response = await client.post(f"{url}/graphql", json=body, timeout=600)
    return time.monotonic(), response.json()


async def test_a_heavy_registration_does_not_stall_a_search(live_server, api):
    """50 statements of ~1,500 characters (the list limit) are embedded chunk by chunk on the worker
    thread: a search sent meanwhile is answered before the registration is."""
    from apiclient import REGISTER_PROVIDER

    text = ("本公司专业从事铝合金压铸、精密机加工与表面处理，拥有多台大型压铸机和五轴加工中心，" * 40)[:1500]
    values = {"kind": "MANUFACTURER", "name": "重型注册有限公司", "creditCode": credit_code(), "region": "成都市",
              "capabilities": [{"text": f"{i}: {text}"} for i in range(50)]}
    search = {"query": "{ searchProviders(text: \"铝合金压铸\", first: 3) { score } statistics { providers } }"}
    async with httpx.AsyncClient() as client:
        heavy = asyncio.create_task(_timed(client, live_server.url, {"query": REGISTER_PROVIDER,
                                                                     "variables": {"input": values}}))
        await asyncio.sleep(1.0)  # the registration is embedding by now
        cheap_done, cheap = await _timed(client, live_server.url, search)
        heavy_done, registered = await heavy
    assert "errors" not in cheap, cheap
    assert registered["data"]["registerProvider"]["errors"] == [], registered
    assert cheap_done < heavy_done, "the search waited for the whole registration's embedding"


def test_the_estimate_uses_variable_defaults():
    query = "query($n: Int = 100) { providers(first: $n) { edges { node { name } } } }"
    literal = "{ providers(first: 100) { edges { node { name } } } }"
    from api.extensions import estimate

    graphql_schema = schema._schema
    assert estimate(graphql_schema, parse(query), None, {}) == estimate(graphql_schema, parse(literal), None, {})
    assert estimate(graphql_schema, parse(query), None, {"n": 1}) < estimate(graphql_schema, parse(literal), None, {})


async def test_at_most_one_matching_recomputation_per_request(live_server, api):
    aliased = " ".join(f'm{i}: matches(needId: "ned_x", asOf: "2026-0{1 + i % 9}-01") {{ recomputed }}'
                       for i in range(15))
    _, token, _ = await api.register_enterprise()
    result = await api.run(f"{{ {aliased} }}", token=token)
    assert result.code() == "QUERY_TOO_COMPLEX"
    assert result.errors[0]["extensions"]["found"] == 15
    assert result.extensions.get("cypherRoundTrips", 0) == 0


class LimitedServer(LiveServer):
    """The LiveServer with low rate limits (the shared one keeps the generous defaults)."""

    def __init__(self, limits: RateLimits) -> None:
        import threading

        import uvicorn

        from api.app import create_app
        from api.config import ApiSettings
        from api.live import free_port

        self.port = free_port()
        self.start_timeout = 120.0
        settings = ApiSettings(env="development", host="127.0.0.1", port=self.port, rate_limits=limits)
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="gongxu-limited-server", daemon=True)


@pytest.fixture(scope="module")
def limited(neo4j_env, embedder, reference_data):
    with LimitedServer(RateLimits(registrations=2, expensive=3, window_s=600)) as live:
        yield live


async def test_registrations_and_expensive_fields_are_rate_limited(limited, clean_db):
    client = Api(limited.url)
    await client.register_enterprise()
    await client.register_enterprise()
    values = {"name": "第三家有限公司", "creditCode": credit_code(), "region": "成都市"}
    response = httpx.post(f"{limited.url}/graphql", json={"query": REGISTER_ENTERPRISE, "variables": {"input": values}},
                          timeout=60)
    assert response.status_code == 429 and int(response.headers["retry-after"]) >= 1
    assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    rows = await clean_db.read("MATCH (e:Enterprise {credit_code: $c}) RETURN e", c=values["creditCode"])
    assert rows == []
    search = '{ searchProviders(text: "压铸", first: 1) { score } }'
    answers = [httpx.post(f"{limited.url}/graphql", json={"query": search}, timeout=120) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    await client.close()


async def test_an_anonymous_replay_with_someone_elses_client_id_returns_nothing_of_theirs(api):
    first = {"name": "甲企业有限公司", "creditCode": credit_code(), "region": "成都市", "contactPhone": "13800000000",
             "contactEmail": "a@example.com", "clientMutationId": "shared-id-1"}
    original = (await api.ok(REGISTER_ENTERPRISE, {"input": first}))["registerEnterprise"]
    other = {"name": "乙企业有限公司", "creditCode": credit_code(), "region": "成都市",
             "clientMutationId": "shared-id-1"}
    answer = (await api.run(REGISTER_ENTERPRISE, {"input": other})).data["registerEnterprise"]
    assert answer["enterprise"] is None or answer["enterprise"]["id"] != original["enterprise"]["id"]
    assert first["creditCode"] not in str(answer)
    # the same anonymous input re-sent is still a replay (idempotency kept)
    again = (await api.ok(REGISTER_ENTERPRISE, {"input": first}))["registerEnterprise"]
    assert again["enterprise"]["id"] == original["enterprise"]["id"] and again["token"] is None
