"""registerProvider: open to anyone, returns a token once, validates everything (also: one credit code
registers once per kind of organisation)."""

from __future__ import annotations

import pytest
from apiclient import REGISTER_ENTERPRISE, REGISTER_PROVIDER, credit_code


async def _count(db, label: str) -> int:
    rows = await db.read(f"MATCH (n:{label}) RETURN count(n) AS n")
    return rows[0]["n"]


async def test_register_provider_with_certifications_modes_and_first_capabilities(api):
    data = await api.ok(REGISTER_PROVIDER, {"input": {
        "kind": "MANUFACTURER", "name": "重庆渝铝压铸有限公司", "creditCode": credit_code(), "region": "重庆",
        "sharingModes": ["服务型", "MODE.BROKER"], "contactPhone": "023-6666 8888",
        "certifications": [{"certification": "IATF16949", "validUntil": "2099-06-30"},
                           {"certification": "ISO 9001:2015", "status": "IN_PROGRESS"}],
        "capabilities": [{"text": "铝合金压铸件，最大锁模力800吨"},
                         {"text": "专业团队，服务周到", "capabilityCodes": ["S.TEST"]}]}})
    provider = data["registerProvider"]["provider"]
    assert provider["kind"] == "MANUFACTURER"
    assert provider["region"]["code"] == "500000"
    assert provider["contactPhone"] == "023-6666 8888"  # the registrant sees its own contact details
    assert sorted(m["code"] for m in provider["sharingModes"]) == ["MODE.BROKER", "MODE.SERVICE"]
    held = {h["certification"]["code"]: h for h in provider["certifications"]}
    assert held["CERT.IATF16949"]["status"] == "ACTIVE" and held["CERT.IATF16949"]["validUntil"] == "2099-06-30"
    assert held["CERT.ISO9001"]["status"] == "IN_PROGRESS"
    statements = {s["text"]: s["capabilities"] for s in provider["capabilities"]}
    die_casting = statements["铝合金压铸件，最大锁模力800吨"]
    assert die_casting[0]["capability"]["code"].startswith("P.CAST.DIE")
    assert die_casting[0]["method"] == "ALIAS" and 0 < die_casting[0]["confidence"] <= 1
    assert {"capability": {"code": "S.TEST"}, "confidence": 1.0, "method": "CODE"} in statements["专业团队，服务周到"]


async def test_free_text_that_links_to_nothing_is_kept_and_reported(api):
    data = await api.ok(REGISTER_PROVIDER, {"input": {
        "kind": "SERVICE_PROVIDER", "name": "某某咨询", "creditCode": credit_code(),
        "capabilities": [{"text": "hello world"}]}})
    payload = data["registerProvider"]
    assert payload["provider"]["capabilities"][0]["text"] == "hello world"
    assert payload["provider"]["capabilities"][0]["capabilities"] == []
    assert payload["unresolved"] == ["hello world"]


async def test_unresolved_terms_are_listed(api):
    """A region or sharing mode naming nothing cannot be applied: refused. An unknown certification alone
    would be kept (tests/api/providers/test_typed_terms.py), but the refusal writes nothing at all."""
    result = await api.run(REGISTER_PROVIDER, {"input": {
        "kind": "MANUFACTURER", "name": "x", "creditCode": credit_code(), "region": "火星",
        "certifications": [{"certification": "IATF16949"}, {"certification": "火星认证"}],
        "sharingModes": ["量子型"]}})
    payload = result.data["registerProvider"]
    assert payload["provider"] is None
    assert sorted(payload["unresolved"]) == sorted(["火星", "火星认证", "量子型"])
    assert sorted(e["field"] for e in payload["errors"]) == ["region", "sharingModes.0"]
    assert {e["code"] for e in payload["errors"]} == {"UNRESOLVED"}


@pytest.mark.parametrize(("fields", "code", "field"), [
    ({"capabilities": [{"text": "压铸", "capabilityCodes": ["P.NOPE"]}]}, "UNKNOWN_CODE",
     "capabilities.0.capabilityCodes.0"),
    ({"capabilities": [{"text": ""}]}, "REQUIRED", "capabilities.0.text"),
    ({"website": "ftp://example.cn"}, "INVALID", "website"),
    ({"certifications": [{"certification": ""}]}, "REQUIRED", "certifications.0.certification"),
])
async def test_register_provider_refuses_bad_input_and_writes_nothing(api, db, fields, code, field):
    result = await api.run(REGISTER_PROVIDER, {"input": {"kind": "MANUFACTURER", "name": "x",
                                                         "creditCode": credit_code(), **fields}})
    payload = result.data["registerProvider"]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    assert await _count(db, "Provider") == 0
    assert await _count(db, "CapabilityStatement") == 0


async def test_a_credit_code_registers_once_per_kind_of_organisation(api, db):
    code = credit_code()
    await api.register_enterprise(creditCode=code)
    again = await api.run(REGISTER_ENTERPRISE, {"input": {"name": "重复", "creditCode": code}})
    errors = again.data["registerEnterprise"]["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [("DUPLICATE", "creditCode")]
    assert await _count(db, "Enterprise") == 1
    assert await _count(db, "ApiToken") == 1
    # the same company may also be a provider
    await api.register_provider(creditCode=code)
    again = await api.run(REGISTER_PROVIDER, {"input": {"kind": "MANUFACTURER", "name": "重复", "creditCode": code}})
    assert again.data["registerProvider"]["errors"][0]["code"] == "DUPLICATE"


async def test_an_enum_outside_the_schema_is_refused_by_graphql(api):
    result = await api.run(REGISTER_PROVIDER, {"input": {"kind": "ROBOT", "name": "x", "creditCode": credit_code()}})
    assert result.errors and result.code() == "GRAPHQL_VALIDATION_FAILED"
