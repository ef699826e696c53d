"""registerEnterprise: open to anyone, returns a token once, validates everything and writes nothing
when it refuses. (Providers register in tests/api/providers/test_registration.py; a credit code
registers once per kind of organisation is tested there.)"""

from __future__ import annotations

import pytest
from apiclient import REGISTER_ENTERPRISE, bad_check_digit, credit_code


async def _count(db, label: str) -> int:
    rows = await db.read(f"MATCH (n:{label}) RETURN count(n) AS n")
    return rows[0]["n"]


async def test_register_enterprise_resolves_what_people_type_and_returns_a_working_token(api, db):
    code = credit_code()
    data = await api.ok(REGISTER_ENTERPRISE, {"input": {
        "name": " 成都精密机械有限公司 ", "creditCode": code, "region": "成都市", "industries": ["汽车制造", "C34"],
        "contactName": "王工", "contactPhone": "+86 28 8888 6666", "contactEmail": "wang@example.cn"}})
    payload = data["registerEnterprise"]
    enterprise = payload["enterprise"]
    assert enterprise["name"] == "成都精密机械有限公司"
    assert enterprise["creditCode"] == code
    assert enterprise["region"]["code"] == "510100"
    assert sorted(i["code"] for i in enterprise["industries"]) == ["C34", "C36"]
    assert enterprise["contactName"] == "王工"
    assert payload["unresolved"] == []
    assert payload["token"].startswith("gx_")

    viewer = await api.ok("{ viewer { role authenticated enterprise { id name } provider { id } } }",
                          token=payload["token"])
    assert viewer["viewer"] == {"role": "ENTERPRISE", "authenticated": True, "provider": None,
                                "enterprise": {"id": enterprise["id"], "name": "成都精密机械有限公司"}}
    stored = await db.read("MATCH (t:ApiToken {role: 'ENTERPRISE'}) RETURN t.token_hash AS hash")
    assert len(stored) == 1 and payload["token"] not in stored[0]["hash"] and len(stored[0]["hash"]) == 64


@pytest.mark.parametrize(("fields", "code", "field"), [
    ({"creditCode": "91510100MA61234567"}, "INVALID_CREDIT_CODE", "creditCode"),
    ({"creditCode": "not a code"}, "INVALID_CREDIT_CODE", "creditCode"),
    ({"name": "   "}, "REQUIRED", "name"),
    ({"name": "长" * 201}, "TOO_LONG", "name"),
    ({"description": "x" * 5001}, "TOO_LONG", "description"),
    ({"contactEmail": "not-an-email"}, "INVALID", "contactEmail"),
    ({"contactPhone": "call me"}, "INVALID", "contactPhone"),
    ({"region": "火星基地"}, "UNRESOLVED", "region"),
    ({"industries": ["汽车制造", ""]}, "REQUIRED", "industries.1"),
])
async def test_register_enterprise_refuses_bad_input_and_writes_nothing(api, db, fields, code, field):
    values = {"name": "校验企业", "creditCode": credit_code(), **fields}
    result = await api.run(REGISTER_ENTERPRISE, {"input": values})
    payload = result.data["registerEnterprise"]
    assert payload["enterprise"] is None and payload["token"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    assert payload["errors"][0]["message"]
    assert await _count(db, "Enterprise") == 0
    assert await _count(db, "ApiToken") == 0


async def test_a_wrong_check_digit_is_caught(api):
    result = await api.run(REGISTER_ENTERPRISE, {"input": {"name": "x", "creditCode": bad_check_digit(credit_code())}})
    assert result.data["registerEnterprise"]["errors"][0]["code"] == "INVALID_CREDIT_CODE"
