"""clientMutationId: re-sending a mutation returns its first result and creates nothing."""

from __future__ import annotations

import asyncio

from apiclient import REGISTER_ENTERPRISE, credit_code

POST = """
mutation($input: PostNeedInput!) {
  postNeed(input: $input) { need { id title } errors { code } clientMutationId }
}"""
ADD = """
mutation($input: AddCapabilityInput!) {
  addCapability(input: $input) { capabilityStatement { id } errors { code } clientMutationId }
}"""
CLOSE = """
mutation($input: CloseNeedInput!) { closeNeed(input: $input) { need { id status } errors { code } } }"""


async def _count(db, label: str) -> int:
    return (await db.read(f"MATCH (n:{label}) RETURN count(n) AS n"))[0]["n"]


async def test_post_need_twice_with_one_client_mutation_id_creates_one_need(api, db):
    _, token, _ = await api.register_enterprise()
    need = {"kind": "SERVICE", "title": "等保三级测评", "clientMutationId": "req-0001"}
    first = (await api.ok(POST, {"input": need}, token=token))["postNeed"]
    again = (await api.ok(POST, {"input": {**need, "title": "changed on the way"}}, token=token))["postNeed"]
    assert again["need"] == first["need"] and again["clientMutationId"] == "req-0001"
    assert await _count(db, "Need") == 1
    other = (await api.ok(POST, {"input": {**need, "clientMutationId": "req-0002"}}, token=token))["postNeed"]
    assert other["need"]["id"] != first["need"]["id"]
    assert await _count(db, "Need") == 2


async def test_the_key_is_per_token_and_per_mutation(api, db):
    _, token, _ = await api.register_enterprise()
    _, other_token, _ = await api.register_enterprise()
    _, provider_token, _ = await api.register_provider()
    need = {"kind": "SERVICE", "title": "MES 实施", "clientMutationId": "same"}
    mine = (await api.ok(POST, {"input": need}, token=token))["postNeed"]["need"]
    theirs = (await api.ok(POST, {"input": need}, token=other_token))["postNeed"]["need"]
    assert mine["id"] != theirs["id"]
    statement = (await api.ok(ADD, {"input": {"text": "MES 实施", "clientMutationId": "same"}},
                              token=provider_token))["addCapability"]["capabilityStatement"]
    assert statement is not None
    assert await _count(db, "ClientMutation") == 3


async def test_concurrent_resends_create_one_object(api, db):
    _, token, _ = await api.register_provider()
    variables = {"input": {"text": "五轴联动数控加工", "clientMutationId": "burst"}}
    results = await asyncio.gather(*(api.ok(ADD, variables, token=token) for _ in range(5)))
    ids = {r["addCapability"]["capabilityStatement"]["id"] for r in results}
    assert len(ids) == 1
    assert await _count(db, "CapabilityStatement") == 1


async def test_a_refused_mutation_records_nothing_so_a_corrected_resend_works(api, db):
    _, token, _ = await api.register_enterprise()
    bad = {"kind": "SERVICE", "title": "", "clientMutationId": "fix-me"}
    refused = (await api.run(POST, {"input": bad}, token=token)).data["postNeed"]
    assert refused["errors"] == [{"code": "REQUIRED"}]
    fixed = (await api.ok(POST, {"input": {**bad, "title": "工业APP开发"}}, token=token))["postNeed"]
    assert fixed["need"]["title"] == "工业APP开发"
    assert await _count(db, "ClientMutation") == 1


async def test_replaying_a_change_does_not_apply_it_again(api):
    _, token, _ = await api.register_enterprise()
    need = (await api.ok(POST, {"input": {"kind": "SERVICE", "title": "设备预测性维护"}}, token=token))["postNeed"]
    close = {"input": {"id": need["need"]["id"], "clientMutationId": "close-1"}}
    first = (await api.ok(CLOSE, close, token=token))["closeNeed"]
    again = (await api.ok(CLOSE, close, token=token))["closeNeed"]  # not INVALID_STATE: a replay
    assert first == again == {"need": {"id": need["need"]["id"], "status": "CLOSED"}, "errors": []}


async def test_anonymous_registration_replays_without_a_second_token(api, db):
    variables = {"input": {"name": "幂等企业", "creditCode": credit_code(), "clientMutationId": "signup-42"}}
    first = (await api.ok(REGISTER_ENTERPRISE, variables))["registerEnterprise"]
    again = (await api.ok(REGISTER_ENTERPRISE, variables))["registerEnterprise"]
    assert first["token"] and again["token"] is None  # the plaintext is shown once only
    assert again["enterprise"]["id"] == first["enterprise"]["id"]
    assert await _count(db, "Enterprise") == 1 and await _count(db, "ApiToken") == 1


async def test_client_mutation_id_length_is_limited(api):
    _, token, _ = await api.register_enterprise()
    payload = (await api.run(POST, {"input": {"kind": "SERVICE", "title": "x", "clientMutationId": "k" * 201}},
                             token=token)).data["postNeed"]
    assert payload["errors"] == [{"code": "TOO_LONG"}]
