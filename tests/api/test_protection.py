"""Limits (depth, aliases, tokens, complexity), batching off, masked errors, auth failures, production mode."""

from __future__ import annotations

import httpx
import pytest
import strawberry
import uvicorn
from apiclient import Api

from api.app import create_app
from api.config import ApiSettings
from api.errors import ApiError
from api.extensions import MaskUnexpectedErrors, estimate
from api.live import LiveServer, free_port
from api.schema import COMPLEXITY_BUDGET, schema


def _post(url: str, body: object, headers: dict | None = None) -> httpx.Response:
    return httpx.post(f"{url}/graphql", json=body, headers=headers or {}, timeout=60)


async def test_depth_is_limited(api):
    def nested(levels: int) -> str:
        return '{ capability(code: "P.CAST.DIE.AL") { ' + "parent { " * levels + "code" + " }" * levels + " } }"

    result = await api.run(nested(10))  # 11 levels with capability itself
    assert result.errors and "exceeds maximum operation depth" in result.errors[0]["message"]
    assert result.code() == "GRAPHQL_VALIDATION_FAILED"
    assert (await api.run(nested(9))).errors == []


async def test_aliases_are_limited(api):
    many = " ".join(f"a{i}: statistics {{ providers }}" for i in range(16))
    result = await api.run(f"{{ {many} }}")
    assert "16 aliases found. Allowed: 15" in result.errors[0]["message"]
    few = " ".join(f"a{i}: statistics {{ providers }}" for i in range(15))
    assert (await api.run(f"{{ {few} }}")).errors == []


async def test_tokens_are_limited(live_server, api):
    fields = " ".join(["providers"] * 2100)
    response = _post(live_server.url, {"query": f"{{ statistics {{ {fields} }} }}"})
    body = response.json()
    assert "2000 tokens" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


EXPENSIVE = """
query($n: Int) { providers(first: $n) { edges { node { capabilities { capabilities { capability {
  children { children { code } } } } } } } } }"""


async def test_complexity_multiplies_by_page_size(api):
    result = await api.run(EXPENSIVE, {"n": 100})
    assert result.code() == "QUERY_TOO_COMPLEX"
    extensions = result.errors[0]["extensions"]
    assert extensions["budget"] == COMPLEXITY_BUDGET and extensions["complexity"] > COMPLEXITY_BUDGET
    assert result.data is None
    assert (await api.run(EXPENSIVE, {"n": 1})).errors == []  # the same shape, a small page


def test_the_estimate_counts_pages_and_lists():
    from graphql import parse

    graphql_schema = schema._schema
    one = estimate(graphql_schema, parse("{ providers(first: 1) { edges { node { name } } } }"), None, {})
    ten = estimate(graphql_schema, parse("{ providers(first: 10) { edges { node { name } } } }"), None, {})
    default = estimate(graphql_schema, parse("{ providers { edges { node { name } } } }"), None, {})
    assert (one, ten, default) == (4, 31, 61)
    listed = estimate(graphql_schema, parse("{ providers(first: 10) { edges { node { capabilities { text } } } } }"),
                      None, {})
    assert listed == 1 + 10 * (1 + 1 * (1 + (1 + 5 * 1)))


def test_http_batching_is_off(live_server):
    response = _post(live_server.url, [{"query": "{ statistics { providers } }"}] * 2)
    assert response.status_code == 400 and "Batching is not enabled" in response.text


def test_queries_over_get_are_refused(live_server):
    response = httpx.get(f"{live_server.url}/graphql", params={"query": "{ statistics { providers } }"})
    assert response.status_code in (400, 405)


async def test_bad_tokens_are_refused_not_served_as_anonymous(api, live_server, db):
    from graph.repositories import tokens

    for header in ("Bearer gx_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer"):
        response = _post(live_server.url, {"query": "{ viewer { role } }"}, {"Authorization": header})
        assert response.status_code == 401, header
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert response.headers["www-authenticate"] == "Bearer"
    _, token, _ = await api.register_enterprise()
    row = await tokens.find_active(db, tokens.hash_secret(token))
    await tokens.revoke(db, row["id"])
    response = _post(live_server.url, {"query": "{ viewer { role } }"}, {"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert (await api.ok("{ viewer { role authenticated } }"))["viewer"] == {"role": "ANONYMOUS",
                                                                           "authenticated": False}


async def test_parse_and_validation_errors_carry_codes(live_server, api):
    parse = _post(live_server.url, {"query": "{ statistics { "}).json()
    assert parse["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    unknown = _post(live_server.url, {"query": "{ secrets }"}).json()
    assert unknown["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_unexpected_errors_are_masked_and_deliberate_ones_kept():
    @strawberry.type
    class Query:
        @strawberry.field
        def boom(self) -> str:
            raise RuntimeError("password=hunter2 at db.internal:7687")

        @strawberry.field
        def refused(self) -> str:
            raise ApiError("first must be between 0 and 100", field="first")

    masking = strawberry.Schema(query=Query, extensions=[MaskUnexpectedErrors])
    boom = masking.execute_sync("{ boom }")
    assert boom.errors[0].message == "Unexpected error."
    assert boom.errors[0].extensions == {"code": "INTERNAL_SERVER_ERROR"}
    refused = masking.execute_sync("{ refused }")
    assert refused.errors[0].message == "first must be between 0 and 100"
    assert refused.errors[0].extensions == {"code": "BAD_USER_INPUT", "field": "first"}


class ProductionServer(LiveServer):
    """The LiveServer pattern with GONGXU_ENV=production settings."""

    def __init__(self) -> None:
        import threading

        self.port = free_port()
        self.start_timeout = 120.0
        settings = ApiSettings(env="production", host="127.0.0.1", port=self.port)
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="gongxu-production-server", daemon=True)


INTROSPECTION = "{ __schema { queryType { name } } }"


@pytest.fixture(scope="module")
def production(neo4j_env, embedder, reference_data):
    with ProductionServer() as live:
        yield live


async def test_production_turns_off_introspection_graphiql_and_the_round_trip_report(production, live_server):
    prod, dev = Api(production.url), Api(live_server.url)
    refused = await prod.run(INTROSPECTION)
    assert refused.errors and "introspection" in refused.errors[0]["message"].lower()
    answer = await prod.run("{ statistics { capabilities } }")
    assert answer.errors == [] and answer.data["statistics"]["capabilities"] > 0
    assert "cypherRoundTrips" not in answer.extensions
    page = httpx.get(f"{production.url}/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 404

    assert (await dev.run(INTROSPECTION)).data == {"__schema": {"queryType": {"name": "Query"}}}
    assert "cypherRoundTrips" in (await dev.run("{ statistics { capabilities } }")).extensions
    # each schema caches its own valid documents: the development app's cached introspection is still
    # refused by production's rules
    assert "introspection" in (await prod.run(INTROSPECTION)).errors[0]["message"].lower()
    graphiql = httpx.get(f"{live_server.url}/graphql", headers={"Accept": "text/html"})
    assert graphiql.status_code == 200 and "graphiql" in graphiql.text.lower()
    await prod.close()
    await dev.close()
