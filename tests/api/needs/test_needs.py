"""postNeed, updateNeed, closeNeed, and who may see needs and enterprises."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from apiclient import ERRORS

NEED = """id kind title description quantity unit deadline budgetMin budgetMax status
          capabilities { capability { code } confidence method } material { code }
          requiredCertifications { code } regions { code } enterprise { id }"""

POST = f"""
mutation($input: PostNeedInput!) {{ postNeed(input: $input) {{ need {{ {NEED} }} {ERRORS} }} }}"""
UPDATE = f"""
mutation($input: UpdateNeedInput!) {{ updateNeed(input: $input) {{ need {{ {NEED} }} {ERRORS} }} }}"""
CLOSE = f"""
mutation($input: CloseNeedInput!) {{ closeNeed(input: $input) {{ need {{ id status }} {ERRORS} }} }}"""

CAPACITY = {"kind": "CAPACITY", "title": "铝合金压铸壳体 5000件", "description": "新能源汽车电控壳体，需IATF16949",
            "quantity": 5000, "unit": "PIECE", "deadline": "2099-12-20", "requiredCertifications": ["IATF16949"],
            "regions": ["成渝地区"], "material": "ADC12", "budgetMin": 100000, "budgetMax": 150000}


async def test_post_a_capacity_need_with_constraints_typed_as_people_type_them(api):
    enterprise_id, token, _ = await api.register_enterprise()
    need = (await api.ok(POST, {"input": CAPACITY}, token=token))["postNeed"]["need"]
    assert need["kind"] == "CAPACITY" and need["status"] == "OPEN"
    assert need["capabilities"][0]["capability"]["code"] == "P.CAST.DIE.AL"
    assert need["requiredCertifications"] == [{"code": "CERT.IATF16949"}]
    assert need["regions"] == [{"code": "GRP.CHENGYU"}]
    assert need["material"] == {"code": "M.AL.ADC12"}
    assert need["deadline"] == "2099-12-20" and need["quantity"] == 5000 and need["unit"] == "PIECE"
    assert need["enterprise"] == {"id": enterprise_id}


async def test_a_need_may_be_only_a_title(api):
    _, token, _ = await api.register_enterprise()
    data = await api.ok(POST, {"input": {"kind": "SERVICE", "title": "工厂需要上MES系统"}}, token=token)
    need = data["postNeed"]["need"]
    assert need["capabilities"] and need["capabilities"][0]["capability"]["code"].startswith("S.MES")
    assert need["regions"] == [] and need["requiredCertifications"] == [] and need["deadline"] is None


@pytest.mark.parametrize(("fields", "code", "field"), [
    ({"deadline": (date.today() - timedelta(days=1)).isoformat()}, "DEADLINE_IN_PAST", "deadline"),
    ({"quantity": 0}, "NOT_POSITIVE", "quantity"),
    ({"quantity": 10, "unit": None}, "REQUIRED", "unit"),
    ({"budgetMin": 200000, "budgetMax": 100000}, "RANGE_REVERSED", "budgetMax"),
    ({"budgetMin": -1}, "NEGATIVE", "budgetMin"),
    ({"title": ""}, "REQUIRED", "title"),
    ({"title": "题" * 201}, "TOO_LONG", "title"),
    ({"description": "述" * 5001}, "TOO_LONG", "description"),
    ({"requiredCertifications": ["IATF16949", ""]}, "REQUIRED", "requiredCertifications.1"),
    ({"unit": None, "unitText": "一坨"}, "UNRESOLVED", "unitText"),
    ({"regions": ["亚特兰蒂斯"]}, "UNRESOLVED", "regions.0"),
    ({"capabilityCodes": ["P.NOPE"]}, "UNKNOWN_CODE", "capabilityCodes.0"),
])
async def test_post_need_validates_and_writes_nothing(api, db, fields, code, field):
    _, token, _ = await api.register_enterprise()
    payload = (await api.run(POST, {"input": {**CAPACITY, **fields}}, token=token)).data["postNeed"]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    assert payload["need"] is None
    assert (await db.read("MATCH (n:Need) RETURN count(n) AS n"))[0]["n"] == 0


async def test_unresolved_terms_are_reported_and_the_need_is_posted(api):
    _, token, _ = await api.register_enterprise()
    payload = (await api.run(POST, {"input": {**CAPACITY, "requiredCertifications": ["火星认证"],
                                              "material": "振金"}}, token=token)).data["postNeed"]
    assert payload["errors"] == [] and payload["need"]["requiredCertifications"] == []
    assert sorted(payload["unresolved"]) == ["振金", "火星认证"]


async def test_update_and_close_a_need(api):
    _, token, _ = await api.register_enterprise()
    need = (await api.ok(POST, {"input": CAPACITY}, token=token))["postNeed"]["need"]
    updated = (await api.ok(UPDATE, {"input": {"id": need["id"], "title": "CNC精密加工 铝件 2000件",
                                               "regions": ["重庆"], "requiredCertifications": []}},
                            token=token))["updateNeed"]["need"]
    assert updated["title"] == "CNC精密加工 铝件 2000件"
    assert updated["capabilities"][0]["capability"]["code"].startswith("P.MACH")  # relinked from the new text
    assert updated["regions"] == [{"code": "500000"}] and updated["requiredCertifications"] == []
    assert updated["material"] == {"code": "M.AL.ADC12"} and updated["quantity"] == 5000  # unchanged

    wrong = (await api.run(UPDATE, {"input": {"id": need["id"], "budgetMax": 1}}, token=token)).data["updateNeed"]
    assert [(e["code"], e["field"]) for e in wrong["errors"]] == [("RANGE_REVERSED", "budgetMax")]

    closed = (await api.ok(CLOSE, {"input": {"id": need["id"]}}, token=token))["closeNeed"]["need"]
    assert closed["status"] == "CLOSED"
    for document, mutation, variables in ((CLOSE, "closeNeed", {"id": need["id"]}),
                                          (UPDATE, "updateNeed", {"id": need["id"], "title": "x"})):
        payload = (await api.run(document, {"input": variables}, token=token)).data[mutation]
        assert payload["errors"][0]["code"] == "INVALID_STATE"


async def test_who_may_change_a_need(api, staff_token):
    _, token, _ = await api.register_enterprise()
    _, other_token, _ = await api.register_enterprise()
    _, provider_token, _ = await api.register_provider()
    need = (await api.ok(POST, {"input": CAPACITY}, token=token))["postNeed"]["need"]
    for who, expected in ((None, "UNAUTHENTICATED"), (provider_token, "FORBIDDEN"), (staff_token, "FORBIDDEN")):
        posted = (await api.run(POST, {"input": CAPACITY}, token=who)).data["postNeed"]
        assert posted["errors"][0]["code"] == expected
    for document, mutation, variables in ((UPDATE, "updateNeed", {"id": need["id"], "title": "x"}),
                                          (CLOSE, "closeNeed", {"id": need["id"]})):
        for who, expected in ((None, "UNAUTHENTICATED"), (provider_token, "FORBIDDEN"), (staff_token, "FORBIDDEN"),
                              (other_token, "NOT_FOUND")):  # needs are private: someone else's is not found
            payload = (await api.run(document, {"input": variables}, token=who)).data[mutation]
            assert payload["errors"][0]["code"] == expected, (mutation, who)
    unknown = (await api.run(CLOSE, {"input": {"id": "ned_does_not_exist"}}, token=token)).data["closeNeed"]
    assert unknown["errors"][0]["code"] == "NOT_FOUND"
    still = await api.ok(f'{{ node(id: "{need["id"]}") {{ ... on Need {{ title status }} }} }}', token=token)
    assert still["node"] == {"title": CAPACITY["title"], "status": "OPEN"}


async def test_who_sees_needs_and_enterprises(api, staff_token):
    enterprise_id, token, _ = await api.register_enterprise()
    other_id, other_token, _ = await api.register_enterprise()
    _, provider_token, _ = await api.register_provider()
    need = (await api.ok(POST, {"input": CAPACITY}, token=token))["postNeed"]["need"]
    await api.ok(POST, {"input": {"kind": "SERVICE", "title": "等保测评"}}, token=other_token)

    listing = "{ needs { totalCount edges { node { id } } } enterprises { totalCount edges { node { id } } } }"
    seen = {}
    for name, who in (("anonymous", None), ("provider", provider_token), ("owner", token), ("other", other_token),
                      ("staff", staff_token)):
        data = await api.ok(listing, token=who)
        seen[name] = (data["needs"]["totalCount"], data["enterprises"]["totalCount"])
    assert seen == {"anonymous": (0, 0), "provider": (0, 0), "owner": (1, 1), "other": (1, 1), "staff": (2, 2)}

    by_id = f'{{ n: node(id: "{need["id"]}") {{ id }} e: node(id: "{enterprise_id}") {{ id }} }}'
    assert await api.ok(by_id) == {"n": None, "e": None}
    assert await api.ok(by_id, token=other_token) == {"n": None, "e": None}
    assert await api.ok(by_id, token=token) == {"n": {"id": need["id"]}, "e": {"id": enterprise_id}}
    assert await api.ok(by_id, token=staff_token) == {"n": {"id": need["id"]}, "e": {"id": enterprise_id}}

    own = await api.ok("{ viewer { enterprise { needs { totalCount edges { node { id } } } } } }", token=token)
    assert own["viewer"]["enterprise"]["needs"]["edges"] == [{"node": {"id": need["id"]}}]
    assert other_id != enterprise_id


async def test_contact_details_are_hidden_from_anonymous_clients(api):
    provider_id, _, _ = await api.register_provider(contactPhone="028-8888 6666", contactEmail="a@b.cn")
    _, token, _ = await api.register_enterprise()
    query = f'{{ node(id: "{provider_id}") {{ ... on Provider {{ name contactPhone contactEmail }} }} }}'
    assert (await api.ok(query))["node"]["contactPhone"] is None
    assert (await api.ok(query, token=token))["node"]["contactPhone"] == "028-8888 6666"
