"""updateProvider, addCapability, removeCapability: a provider changes only its own profile."""

from __future__ import annotations

import pytest
from apiclient import ERRORS

UPDATE = f"""
mutation($input: UpdateProviderInput!) {{
  updateProvider(input: $input) {{
    provider {{ id name description website region {{ code }} industries {{ code }}
               certifications {{ certification {{ code }} status }} sharingModes {{ code }} contactEmail }}
    {ERRORS}
  }}
}}"""

ADD = f"""
mutation($input: AddCapabilityInput!) {{
  addCapability(input: $input) {{
    capabilityStatement {{ id text capabilities {{ capability {{ code path {{ code }} }} confidence method }} }}
    provider {{ id capabilities {{ id }} }}
    {ERRORS}
  }}
}}"""

REMOVE = f"""
mutation($input: RemoveCapabilityInput!) {{
  removeCapability(input: $input) {{ removedId provider {{ id capabilities {{ id }} }} {ERRORS} }}
}}"""


async def test_update_provider_changes_only_what_is_given(api):
    provider_id, token, _ = await api.register_provider(
        description="旧描述", industries=["C33"], certifications=[{"certification": "ISO9001"}])
    data = await api.ok(UPDATE, {"input": {
        "id": provider_id, "name": "新名称制造有限公司", "website": "https://example.cn", "region": "德阳市",
        "certifications": [{"certification": "IATF 16949", "status": "ACTIVE"}], "contactEmail": "sales@example.cn"}},
        token=token)
    provider = data["updateProvider"]["provider"]
    assert provider["name"] == "新名称制造有限公司"
    assert provider["description"] == "旧描述"  # not given: unchanged
    assert provider["industries"] == [{"code": "C33"}]
    assert provider["region"]["code"] == "510600"
    assert provider["certifications"] == [{"certification": {"code": "CERT.IATF16949"}, "status": "ACTIVE"}]
    assert provider["contactEmail"] == "sales@example.cn"

    cleared = await api.ok(UPDATE, {"input": {"id": provider_id, "description": None, "industries": []}},
                           token=token)
    assert cleared["updateProvider"]["provider"]["description"] is None
    assert cleared["updateProvider"]["provider"]["industries"] == []


@pytest.mark.parametrize(("fields", "code", "field"), [
    ({"name": None}, "REQUIRED", "name"),
    ({"name": "名" * 201}, "TOO_LONG", "name"),
    ({"website": "example"}, "INVALID", "website"),
    ({"region": "亚特兰蒂斯"}, "UNRESOLVED", "region"),
])
async def test_update_provider_validates_and_writes_nothing(api, fields, code, field):
    provider_id, token, before = await api.register_provider()
    result = await api.run(UPDATE, {"input": {"id": provider_id, "description": "不应写入", **fields}}, token=token)
    payload = result.data["updateProvider"]
    assert payload["provider"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    after = await api.ok(f'{{ node(id: "{provider_id}") {{ ... on Provider {{ name description }} }} }}')
    assert after["node"] == {"name": before["name"], "description": None}


async def test_who_may_update_a_provider(api, staff_token):
    provider_id, token, _ = await api.register_provider()
    _, other_token, _ = await api.register_provider()
    _, enterprise_token, _ = await api.register_enterprise()
    change = {"input": {"id": provider_id, "description": "x"}}

    async def code(token: str | None, variables: dict = change) -> str | None:
        errors = (await api.run(UPDATE, variables, token=token)).data["updateProvider"]["errors"]
        return errors[0]["code"] if errors else None

    assert await code(None) == "UNAUTHENTICATED"
    assert await code(enterprise_token) == "FORBIDDEN"  # wrong role
    assert await code(staff_token) == "FORBIDDEN"  # staff read everything but change nothing
    assert await code(other_token) == "FORBIDDEN"  # the directory is public, so: exists, not yours
    assert await code(token) is None
    missing = {"input": {"id": "TWFudWZhY3R1cmVyOnBydl9ub3BlCg==", "description": "x"}}
    assert await code(token, missing) == "NOT_FOUND"
    assert await code(token, {"input": {"id": "not-an-id", "description": "x"}}) == "NOT_FOUND"


async def test_add_and_remove_a_capability(api):
    _, token, _ = await api.register_provider(kind="SERVICE_PROVIDER")
    data = await api.ok(ADD, {"input": {"text": "MES系统实施与二次开发"}}, token=token)
    payload = data["addCapability"]
    statement = payload["capabilityStatement"]
    links = statement["capabilities"]
    assert links and links[0]["method"] in ("ALIAS", "EMBEDDING")
    assert links[0]["capability"]["code"].startswith("S.")  # a service provider's statements link to services
    assert links[0]["capability"]["path"][-1]["code"] == links[0]["capability"]["code"]
    assert payload["provider"]["capabilities"] == [{"id": statement["id"]}]

    explicit = await api.ok(ADD, {"input": {"text": "我们提供相关支持", "capabilityCodes": ["S.TEST.LAB"]}},
                            token=token)
    assert explicit["addCapability"]["capabilityStatement"]["capabilities"][0] == {
        "capability": {"code": "S.TEST.LAB", "path": [{"code": "S.TEST"}, {"code": "S.TEST.LAB"}]},
        "confidence": 1.0, "method": "CODE"}

    removed = await api.ok(REMOVE, {"input": {"id": statement["id"]}}, token=token)
    assert removed["removeCapability"]["removedId"] == statement["id"]
    remaining = removed["removeCapability"]["provider"]["capabilities"]
    assert remaining == [{"id": explicit["addCapability"]["capabilityStatement"]["id"]}]
    again = await api.run(REMOVE, {"input": {"id": statement["id"]}}, token=token)
    assert again.data["removeCapability"]["errors"][0]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(("fields", "code", "field"), [
    ({"text": ""}, "REQUIRED", "text"),
    ({"text": "字" * 2001}, "TOO_LONG", "text"),
    ({"text": "压铸", "capabilityCodes": ["P.CAST.DIE", "X.NOPE"]}, "UNKNOWN_CODE", "capabilityCodes.1"),
])
async def test_add_capability_validates_and_writes_nothing(api, db, fields, code, field):
    _, token, _ = await api.register_provider()
    payload = (await api.run(ADD, {"input": fields}, token=token)).data["addCapability"]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    assert payload["capabilityStatement"] is None
    rows = await db.read("MATCH (s:CapabilityStatement) RETURN count(s) AS n")
    assert rows[0]["n"] == 0


async def test_who_may_add_or_remove_capabilities(api, staff_token):
    _, token, _ = await api.register_provider()
    _, other_token, _ = await api.register_provider()
    _, enterprise_token, _ = await api.register_enterprise()
    statement = (await api.ok(ADD, {"input": {"text": "数控加工"}}, token=token))["addCapability"]
    statement_id = statement["capabilityStatement"]["id"]

    for who, expected in ((None, "UNAUTHENTICATED"), (enterprise_token, "FORBIDDEN"), (staff_token, "FORBIDDEN")):
        added = (await api.run(ADD, {"input": {"text": "焊接"}}, token=who)).data["addCapability"]
        assert added["errors"][0]["code"] == expected
    for who, expected in ((None, "UNAUTHENTICATED"), (enterprise_token, "FORBIDDEN"), (other_token, "FORBIDDEN")):
        removed = (await api.run(REMOVE, {"input": {"id": statement_id}}, token=who)).data["removeCapability"]
        assert removed["errors"][0]["code"] == expected
    public = await api.ok(f'{{ node(id: "{statement_id}") {{ ... on CapabilityStatement {{ text }} }} }}')
    assert public["node"] == {"text": "数控加工"}  # still there
