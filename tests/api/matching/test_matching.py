"""The matching engine over real HTTP with a real GraphQL client: roles, explanations, consortia,
opportunities, decisions — and concurrent accepts that must never overbook one offer."""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass, field
from typing import Any

import pytest
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport
from matching_world import CHENGDU, World, capacity_need, d, service_need

from graph.repositories import tokens

MATCHES = """
query($needId: ID!, $first: Int, $after: String, $minScore: Float, $asOf: Date) {
  matches(needId: $needId, first: $first, after: $after, minScore: $minScore, asOf: $asOf) {
    totalCount asOf recomputed
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id score status computedAt asOf
      provider { id name }
      offer { id }
      explanation {
        summary
        capability { needPath providerPath relation method confidence }
        similarity { source cosine }
        constraints { name passed detail }
        scoreParts { name weight value contribution detail }
        offer { deliverable productionDays productionEnd }
      }
    } }
  }
}"""
CONSORTIA = """
query($needId: ID!) {
  consortia(needId: $needId) {
    singleProviderFeasible reason
    proposals { quantity score explanation members { share deliverable provider { id } offer { id } } }
  }
}"""
OPPORTUNITIES = """
query($providerId: ID!) {
  opportunities(providerId: $providerId) {
    totalCount
    edges { node { score matchId matchStatus need { id title } enterprise { name contactPhone }
                   explanation { summary } } }
  }
}"""
ACCEPT = """
mutation($id: ID!) { acceptMatch(input: {matchId: $id}) { match { id status bookedVolume }
                                                          errors { code field message } } }"""
REJECT = """
mutation($id: ID!, $reason: String!) { rejectMatch(input: {matchId: $id, reason: $reason}) {
  match { id status reason } errors { code field message } } }"""


@dataclass
class Reply:
    data: dict[str, Any] | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    extensions: dict[str, Any] = field(default_factory=dict)

    @property
    def code(self) -> str | None:
        return self.errors[0].get("extensions", {}).get("code") if self.errors else None


@dataclass
class GraphQLClient:
    url: str
    tokens: dict[str, str]

    async def run(self, document: str, variables: dict[str, Any], who: str | None = None) -> Reply:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        transport = HTTPXAsyncTransport(url=f"{self.url}/graphql", headers=headers, timeout=120)
        async with Client(transport=transport, execute_timeout=120) as session:
            try:
                request = gql(document)
                request.variable_values = variables
                result = await session.execute(request, get_execution_result=True)
            except TransportQueryError as exc:
                return Reply(exc.data, list(exc.errors or []), exc.extensions or {})
        return Reply(result.data, [], result.extensions or {})

    async def ok(self, document: str, variables: dict[str, Any], who: str | None = None) -> dict[str, Any]:
        reply = await self.run(document, variables, who)
        assert not reply.errors, reply.errors
        assert reply.data is not None
        return reply.data


ORGS = {"car": ("ENTERPRISE", "ent_car"), "other": ("ENTERPRISE", "ent_other"),
        "die": ("PROVIDER", "prv_cd_die"), "die2": ("PROVIDER", "prv_cd_die2"), "staff": ("STAFF", "staff")}


@pytest.fixture
async def client(world: World, live_server) -> GraphQLClient:
    services = live_server.server.config.app.state.gongxu["services"]
    if hasattr(services, "forget_linker"):
        services.forget_linker()
    issued = {}
    for who, (role, org) in ORGS.items():
        token = tokens.issue()
        await tokens.create_standalone(world.db, token.id, token.hash, role, org)
        issued[who] = token.secret
    return GraphQLClient(live_server.url, issued)


def key(global_id: str) -> str:
    """The stored id behind a Relay global ID (``base64("Type:key")``)."""
    return base64.b64decode(global_id).decode().split(":", 1)[1]


def edges(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Match nodes with the provider's and offer's stored ids as ``provider_id`` / ``offer_id``."""
    nodes = [edge["node"] for edge in data["matches"]["edges"]]
    for node in nodes:
        node["provider_id"] = key(node["provider"]["id"])
        node["offer_id"] = key(node["offer"]["id"]) if node.get("offer") else None
    return nodes


async def test_matches_with_typed_explanations_and_pages(world: World, client: GraphQLClient):
    await world.need(capacity_need())
    data = await client.ok(MATCHES, {"needId": "ned_die"}, "car")
    nodes = edges(data)
    assert nodes[0]["provider"]["id"] and data["matches"]["totalCount"] == len(nodes)
    assert nodes[0]["computedAt"] and nodes[0]["asOf"] == data["matches"]["asOf"]
    best = next(n for n in nodes if n["offer_id"] == "off_cd_die")
    explanation = best["explanation"]
    assert explanation["capability"]["providerPath"] == "铸造 › 压铸 › 铝合金压铸"
    checks = {c["name"]: c for c in explanation["constraints"]}
    assert checks["volume"]["detail"] == "9,000 deliverable ≥ 5,000 needed (3,000/month × 90 days)"
    assert checks["certification"]["detail"].startswith("IATF 16949 汽车质量管理体系: held, ACTIVE until")
    assert explanation["offer"]["deliverable"] == 9000 and explanation["offer"]["productionDays"] == 90
    assert {p["name"] for p in explanation["scoreParts"]} >= {"semantic", "taxonomy", "material", "rating"}
    first = await client.ok(MATCHES, {"needId": "ned_die", "first": 1}, "car")
    assert first["matches"]["pageInfo"]["hasNextPage"] is (len(nodes) > 1)
    second = await client.ok(MATCHES, {"needId": "ned_die", "first": 1,
                                       "after": first["matches"]["pageInfo"]["endCursor"]}, "car")
    assert edges(second)[0]["id"] == nodes[1]["id"]
    high = await client.ok(MATCHES, {"needId": "ned_die", "minScore": 0.99}, "car")
    assert high["matches"]["totalCount"] == 0


async def test_matches_cost_a_bounded_number_of_round_trips(world: World, client: GraphQLClient):
    """Recomputing, then serving stored matches with their providers and offers: no N+1."""
    await world.need(service_need())
    await client.run(MATCHES, {"needId": "ned_sec"}, "car")  # the server's provider index has seen the world
    await world.need(capacity_need(certification_codes=[], region_codes=[]))
    fresh = await client.run(MATCHES, {"needId": "ned_die", "first": 50}, "car")
    stored = await client.run(MATCHES, {"needId": "ned_die", "first": 50}, "car")
    assert fresh.data["matches"]["recomputed"] and not stored.data["matches"]["recomputed"]
    assert len(stored.data["matches"]["edges"]) > 3
    assert fresh.extensions["cypherRoundTrips"] <= 12
    assert stored.extensions["cypherRoundTrips"] <= 3  # need + freshness + page in one, then providers, offers


async def test_who_sees_which_matches(world: World, client: GraphQLClient):
    await world.need(capacity_need())
    variables = {"needId": "ned_die"}
    assert (await client.run(MATCHES, variables)).code == "UNAUTHENTICATED"
    assert (await client.run(MATCHES, variables, "other")).code == "NOT_FOUND"  # not its need
    everyone = edges(await client.ok(MATCHES, variables, "staff"))
    assert len(everyone) > 1
    own = edges(await client.ok(MATCHES, variables, "die"))
    assert [n["provider_id"] for n in own] == ["prv_cd_die"]  # a provider sees its own match only
    past = await client.ok(MATCHES, {**variables, "asOf": d(80)}, "staff")  # 10 days left: 1,000 < 5,000
    assert past["matches"]["recomputed"] and edges(past) == []
    assert (await client.run(CONSORTIA, variables, "die")).code == "FORBIDDEN"
    assert (await client.run(OPPORTUNITIES, {"providerId": "prv_cd_die"}, "die2")).code == "FORBIDDEN"


UPDATE_OFFER = """
mutation($id: ID!, $volume: Float) {
  updateCapacityOffer(input: {id: $id, monthlyVolume: $volume}) { errors { code field message } } }"""


async def test_an_offer_updated_through_the_api_changes_the_matches(world: World, client: GraphQLClient):
    """Freshness end to end: the provider halves its capacity; the next `matches` recomputes."""
    await world.need(capacity_need(certification_codes=[], region_codes=[CHENGDU]))
    before = await client.ok(MATCHES, {"needId": "ned_die"}, "car")
    assert "prv_cd_die" in {n["provider_id"] for n in edges(before)}
    assert not (await client.ok(MATCHES, {"needId": "ned_die"}, "car"))["matches"]["recomputed"]
    await client.ok(UPDATE_OFFER, {"id": "off_cd_die", "volume": 1000}, "die")  # 3,000 by the deadline
    after = await client.ok(MATCHES, {"needId": "ned_die"}, "car")
    assert after["matches"]["recomputed"]
    assert "prv_cd_die" not in {n["provider_id"] for n in edges(after)}


async def test_consortium_over_http(world: World, client: GraphQLClient):
    await world.need(capacity_need(quantity=15000, region_codes=[CHENGDU]))
    data = (await client.ok(CONSORTIA, {"needId": "ned_die"}, "car"))["consortia"]
    assert not data["singleProviderFeasible"]
    members = data["proposals"][0]["members"]
    assert {key(m["provider"]["id"]) for m in members} == {"prv_cd_die", "prv_cd_die2"}
    assert sum(m["share"] for m in members) == 15000


async def test_decisions_and_opportunity_contacts(world: World, client: GraphQLClient):
    await world.need(capacity_need())
    nodes = {n["provider_id"]: n for n in edges(await client.ok(MATCHES, {"needId": "ned_die"}, "car"))}
    seen = (await client.ok(OPPORTUNITIES, {"providerId": "prv_cd_die"}, "die"))["opportunities"]["edges"]
    assert seen[0]["node"]["need"]["id"] == "ned_die" and seen[0]["node"]["enterprise"]["contactPhone"] is None
    refused = (await client.ok(ACCEPT, {"id": nodes["prv_cd_die"]["id"]}, "other"))["acceptMatch"]
    assert refused["match"] is None and refused["errors"][0]["code"] == "NOT_FOUND"
    refused = (await client.ok(ACCEPT, {"id": nodes["prv_cd_die"]["id"]}, "die"))["acceptMatch"]
    assert refused["errors"][0]["code"] == "FORBIDDEN"
    blank = (await client.ok(REJECT, {"id": nodes["prv_cd_die2"]["id"], "reason": " "}, "car"))["rejectMatch"]
    assert blank["errors"][0]["code"] == "REQUIRED" and blank["errors"][0]["field"] == "reason"
    rejected = (await client.ok(REJECT, {"id": nodes["prv_cd_die2"]["id"], "reason": "交期太长"}, "car"))["rejectMatch"]
    assert rejected["match"] == {"id": nodes["prv_cd_die2"]["id"], "status": "REJECTED", "reason": "交期太长"}
    accepted = (await client.ok(ACCEPT, {"id": nodes["prv_cd_die"]["id"]}, "car"))["acceptMatch"]
    assert accepted["errors"] == [] and accepted["match"]["status"] == "ACCEPTED"
    assert accepted["match"]["bookedVolume"] == 5000
    seen = (await client.ok(OPPORTUNITIES, {"providerId": "prv_cd_die"}, "die"))["opportunities"]["edges"]
    assert seen[0]["node"]["matchStatus"] == "ACCEPTED"
    assert seen[0]["node"]["enterprise"]["contactPhone"] == "13800000000"


async def test_concurrent_accepts_never_overbook_an_offer(world: World, client: GraphQLClient):
    """Six needs of 3,000 each want one offer that delivers 9,000 by their deadline: three fit."""
    need_ids = [await world.need(capacity_need(f"ned_rush_{i}", quantity=3000, certification_codes=[],
                                               region_codes=[CHENGDU])) for i in range(6)]
    match_ids = []
    for need_id in need_ids:
        nodes = edges(await client.ok(MATCHES, {"needId": need_id}, "car"))
        match_ids.append(next(n["id"] for n in nodes if n["provider_id"] == "prv_cd_die"))
    replies = await asyncio.gather(*(client.ok(ACCEPT, {"id": mid}, "car") for mid in match_ids))
    results = [reply["acceptMatch"] for reply in replies]
    accepted = [r for r in results if not r["errors"]]
    refused = [r for r in results if r["errors"]]
    assert len(accepted) == 3 and len(refused) == 3
    assert all("can no longer deliver" in r["errors"][0]["message"] for r in refused)
    assert {r["errors"][0]["code"] for r in refused} == {"CAPACITY_EXHAUSTED"}
    booked = await world.db.read("MATCH (o:CapacityOffer {id: 'off_cd_die'}) RETURN o.booked_volume AS b")
    assert booked[0]["b"] == 9000


async def test_accepting_more_than_an_offer_can_deliver_is_capacity_exhausted(world: World, client: GraphQLClient):
    """Two needs of 6,000 on one offer that delivers 9,000 by their deadline: the second accept is refused
    with its own error code (not INVALID_STATE), names the match argument, and books nothing."""
    need_ids = [await world.need(capacity_need(f"ned_big_{i}", quantity=6000, certification_codes=[],
                                               region_codes=[CHENGDU])) for i in range(2)]
    match_ids = []
    for need_id in need_ids:
        nodes = edges(await client.ok(MATCHES, {"needId": need_id}, "car"))
        match_ids.append(next(n["id"] for n in nodes if n["provider_id"] == "prv_cd_die"))
    first = (await client.ok(ACCEPT, {"id": match_ids[0]}, "car"))["acceptMatch"]
    assert first["errors"] == [] and first["match"]["bookedVolume"] == 6000
    second = (await client.ok(ACCEPT, {"id": match_ids[1]}, "car"))["acceptMatch"]
    assert second["match"] is None
    assert [(e["code"], e["field"]) for e in second["errors"]] == [("CAPACITY_EXHAUSTED", "matchId")]
    booked = await world.db.read("MATCH (o:CapacityOffer {id: 'off_cd_die'}) RETURN o.booked_volume AS b")
    assert booked[0]["b"] == 6000
