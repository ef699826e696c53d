"""Admission over HTTP: each listing transition, who may make it, and what the public sees."""

from __future__ import annotations

import pytest
from apiclient import REGISTER_PROVIDER, credit_code

REVIEW = """
mutation($input: ReviewProviderInput!) {
  reviewProvider(input: $input) { listingStatus provider { id listingStatus } errors { code field message } }
}"""

NODE = """
query($id: ID!) { node(id: $id) { ... on Provider { id name listingStatus tags
  listingHistory { fromStatus toStatus decision reason actor } } } }"""

DIRECTORY = """
query($text: String) { providers(first: 50, filter: {text: $text}) { totalCount edges { node { id } } } }"""

AUDIT = """
query($target: String) { auditLog(first: 20, target: $target) {
  events { actor action target before after } nextCursor } }"""


@pytest.fixture
def review_required(monkeypatch):
    """Production's admission: registrations wait for staff (the live server reads it per request)."""
    monkeypatch.setenv("GONGXU_AUTO_LIST", "0")


async def _status(api, db, key: str) -> str:
    rows = await db.read("MATCH (p:Provider {id: $id}) RETURN p.listing_status AS s", id=key)
    return rows[0]["s"]


async def _key(db, name: str) -> str:
    return (await db.read("MATCH (p:Provider {name: $name}) RETURN p.id AS id", name=name))[0]["id"]


async def _in_directory(api, provider_id: str, name: str, token: str | None = None) -> bool:
    data = await api.ok(DIRECTORY, {"text": name}, token=token)
    return provider_id in [e["node"]["id"] for e in data["providers"]["edges"]]


async def test_listing_transitions_roles_and_visibility(api, db, staff_token, review_required):
    provider_id, token, provider = await api.register_provider(tags=["PLATFORM_OPERATOR"])
    name = provider["name"]
    key = await _key(db, name)
    own = (await api.ok(NODE, {"id": provider_id}, token=token))["node"]
    assert own["listingStatus"] == "APPLIED"
    assert own["tags"] == ["MANUFACTURER", "PLATFORM_OPERATOR"]
    assert [(e["fromStatus"], e["toStatus"], e["actor"]) for e in own["listingHistory"]] == \
        [(None, "APPLIED", "registration")]
    # not public yet: absent from the directory and not found by id; staff and itself see it
    assert (await api.ok(NODE, {"id": provider_id}))["node"] is None
    assert not await _in_directory(api, provider_id, name)

    # who may decide: nobody but staff; a refused step changes nothing
    _enterprise_id, enterprise_token, _ = await api.register_enterprise()
    for who, code in ((None, "UNAUTHENTICATED"), (token, "FORBIDDEN"), (enterprise_token, "FORBIDDEN")):
        result = await api.run(REVIEW, {"input": {"providerId": provider_id, "decision": "LIST"}}, token=who)
        payload = result.data["reviewProvider"]
        assert [e["code"] for e in payload["errors"]] == [code] and payload["listingStatus"] is None
        assert await _status(api, db, key) == "APPLIED"

    async def decide(decision: str, reason: str | None = None) -> dict:
        result = await api.run(REVIEW, {"input": {"providerId": provider_id, "decision": decision, "reason": reason}},
                               token=staff_token)
        assert not result.errors, result.errors
        return result.data["reviewProvider"]

    assert (await decide("LIST"))["listingStatus"] == "LISTED"
    assert await _in_directory(api, provider_id, name)
    assert (await api.ok(NODE, {"id": provider_id}))["node"]["listingHistory"] == []  # reasons are private

    refused = await decide("SUSPEND")  # a suspension needs a reason
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("REQUIRED", "reason")]
    refused = await decide("REJECT", "晚了")  # LISTED cannot be rejected directly
    assert refused["errors"][0]["code"] == "INVALID_STATE" and "SUSPEND" in refused["errors"][0]["message"]
    assert await _status(api, db, key) == "LISTED"

    assert (await decide("SUSPEND", "资质证书过期"))["listingStatus"] == "SUSPENDED"
    assert not await _in_directory(api, provider_id, name)
    assert (await decide("LIST", "已补交证书"))["provider"]["listingStatus"] == "LISTED"
    history = (await api.ok(NODE, {"id": provider_id}, token=token))["node"]["listingHistory"]
    assert [(e["toStatus"], e["reason"], e["actor"]) for e in history] == [
        ("APPLIED", None, "registration"), ("LISTED", None, "STAFF:gongxu-ops"),
        ("SUSPENDED", "资质证书过期", "STAFF:gongxu-ops"), ("LISTED", "已补交证书", "STAFF:gongxu-ops")]

    log = (await api.ok(AUDIT, {"target": key}, token=staff_token))["auditLog"]
    assert [(e["action"], e["after"]["listing_status"]) for e in log["events"]] == [
        ("provider.review", "LISTED"), ("provider.review", "SUSPENDED"), ("provider.review", "LISTED")]
    assert log["events"][1]["before"] == {"listing_status": "LISTED"}
    assert (await api.run(AUDIT, {"target": key}, token=token)).code() == "FORBIDDEN"
    assert (await api.run(AUDIT, {"target": key})).code() == "UNAUTHENTICATED"


async def test_reject_from_applied_and_unknown_provider(api, db, staff_token, review_required):
    provider_id, _token, _provider = await api.register_provider()
    result = await api.ok(REVIEW, {"input": {"providerId": provider_id, "decision": "REJECT",
                                             "reason": "营业执照信息不符"}}, token=staff_token)
    assert result["reviewProvider"]["listingStatus"] == "REJECTED"
    again = await api.run(REVIEW, {"input": {"providerId": provider_id, "decision": "LIST"}}, token=staff_token)
    assert again.data["reviewProvider"]["errors"][0]["code"] == "INVALID_STATE"
    missing = await api.run(REVIEW, {"input": {"providerId": "prv_nothing", "decision": "LIST"}}, token=staff_token)
    assert missing.data["reviewProvider"]["errors"][0]["code"] == "NOT_FOUND"


async def test_auto_listing_lists_at_once_as_system(api, db, staff_token, monkeypatch):
    monkeypatch.setenv("GONGXU_AUTO_LIST", "1")
    provider_id, _token, provider = await api.register_provider()
    assert await _in_directory(api, provider_id, provider["name"])
    key = await _key(db, provider["name"])
    log = (await api.ok(AUDIT, {"target": key}, token=staff_token))["auditLog"]["events"]
    assert [(e["actor"], e["after"]["listing_status"]) for e in log] == [("system", "LISTED")]


async def test_duplicates_at_registration(api, db, staff_token, monkeypatch):
    monkeypatch.setenv("GONGXU_AUTO_LIST", "1")
    first_id, _t, _p = await api.register_provider(name="蓉城精锻机械有限公司")
    first_key = await _key(db, "蓉城精锻机械有限公司")

    same = await api.run(REGISTER_PROVIDER, {"input": {"kind": "MANUFACTURER", "name": "蓉城精锻机械股份有限公司",
                                                       "creditCode": credit_code(), "region": "成都市"}})
    [error] = same.data["registerProvider"]["errors"]
    assert error["code"] == "DUPLICATE" and first_key in error["message"]
    assert same.data["registerProvider"]["provider"] is None

    # another region: another organisation
    await api.register_provider(name="蓉城精锻机械股份有限公司", region="重庆")

    # the review band: created, but APPLIED with the candidate shown to staff
    similar_id, _t, _similar = await api.register_provider(name="蓉城精工模具有限公司")
    queue = (await api.ok("""{ reviewQueue { provider { id name } candidates { provider { id } similarity } } }""",
                          token=staff_token))["reviewQueue"]
    [item] = [i for i in queue if i["provider"]["id"] == similar_id]
    assert [c["provider"]["id"] for c in item["candidates"]] == [first_id]
    assert 0.5 <= item["candidates"][0]["similarity"] < 0.8
    assert (await api.run("{ reviewQueue { provider { id } } }")).code() == "UNAUTHENTICATED"


async def test_staff_browse_the_directory_by_listing_status(api, staff_token, review_required):
    provider_id, token, _ = await api.register_provider()
    query = """query($status: ListingStatus) { providers(first: 50, filter: {listingStatus: $status}) {
                 edges { node { id listingStatus } } } }"""
    applied = (await api.ok(query, {"status": "APPLIED"}, token=staff_token))["providers"]["edges"]
    assert [e["node"] for e in applied] == [{"id": provider_id, "listingStatus": "APPLIED"}]
    assert (await api.run(query, {"status": "APPLIED"}, token=token)).code() == "FORBIDDEN"
    assert (await api.ok(query, {"status": None}, token=token))["providers"]["edges"] == []
