"""A required certification that names nothing known still constrains matching: only providers that
declared the same term (same normalised text) as held pass. And a certification that `satisfies` the
required one counts as holding it (等保三级 covers 等保二级)."""

from __future__ import annotations

from apiclient import ERRORS

POST = f"""
mutation($input: PostNeedInput!) {{ postNeed(input: $input) {{ need {{ id requiredCertifications {{ code }} }}
  {ERRORS} }} }}"""
MATCHES = """
query($needId: ID!) { matches(needId: $needId, first: 50) { edges { node { provider { id }
  explanation { constraints { name passed detail } } } } } }"""

STATEMENT = [{"text": "MES制造执行系统实施、部署与二次开发，服务离散制造工厂"}]
UNKNOWN = "蓉城工业软件星级服务认证"


async def _provider(api, certifications):
    provider_id, _, _ = await api.register_provider("SERVICE_PROVIDER", capabilities=STATEMENT,
                                                    certifications=certifications)
    return provider_id


async def _matched(api, token, required):
    posted = (await api.ok(POST, {"input": {"kind": "SERVICE", "title": "工厂需要上MES系统",
                                            "description": "车间生产过程透明化，工单报工与质量追溯",
                                            "requiredCertifications": required}}, token=token))["postNeed"]
    edges = (await api.ok(MATCHES, {"needId": posted["need"]["id"]}, token=token))["matches"]["edges"]
    for edge in edges:  # what is proposed passes every certification check it explains
        checks = edge["node"]["explanation"]["constraints"]
        assert all(check["passed"] for check in checks if check["name"] == "certification"), checks
    return posted, {edge["node"]["provider"]["id"] for edge in edges}


async def test_an_unknown_required_certification_still_constrains(api):
    holder = await _provider(api, [{"certification": UNKNOWN}])
    # the same term typed with other spacing and case normalises to the same text
    same = await _provider(api, [{"certification": " 蓉城工业软件 星级服务认证 "}])
    expired = await _provider(api, [{"certification": UNKNOWN, "status": "EXPIRED"}])
    other = await _provider(api, [{"certification": "蓉城工业软件银级服务认证"}])
    plain = await _provider(api, [])
    _, token, _ = await api.register_enterprise()

    posted, matched = await _matched(api, token, [UNKNOWN])
    assert posted["unresolved"] == [UNKNOWN] and posted["need"]["requiredCertifications"] == []
    assert matched == {holder, same}
    assert not matched & {expired, other, plain}

    # the pool can serve the need without the certificate: the constraint, not the text, excluded them
    _, unconstrained = await _matched(api, token, [])
    assert {holder, same, expired, other, plain} <= unconstrained


async def test_a_higher_level_satisfies_a_required_lower_one(api):
    level_3 = await _provider(api, [{"certification": "等保三级"}])
    level_2 = await _provider(api, [{"certification": "等保二级"}])
    none = await _provider(api, [])
    _, token, _ = await api.register_enterprise()
    posted, matched = await _matched(api, token, ["等保二级"])
    assert posted["need"]["requiredCertifications"] == [{"code": "CERT.MLPS_L2"}]
    assert matched == {level_2, level_3} and none not in matched
    _, matched_3 = await _matched(api, token, ["等保三级"])
    assert matched_3 == {level_3}
