"""Only the pool is matched and found, and a need can insist on certificates staff verified."""

from __future__ import annotations

MATCHES = """
query($needId: ID!) { matches(needId: $needId, first: 20) { edges { node {
  provider { id } explanation { constraints { name passed detail } } } } } }"""

SEARCH = """query($text: String!) { searchProviders(text: $text, first: 20) { provider { id } } }"""

POST = """
mutation($input: PostNeedInput!) { postNeed(input: $input) { need { id requireVerified }
  errors { code field message } } }"""

UPDATE = """
mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { id requireVerified }
  errors { code field message } } }"""

REVIEW = """
mutation($input: ReviewProviderInput!) { reviewProvider(input: $input) { listingStatus errors { code } } }"""

VERIFY = """
mutation($input: VerifyCertificationInput!) { verifyCertification(input: $input) { verification errors { code } } }"""


async def test_listing_and_verification_decide_who_is_matched(api, staff_token, monkeypatch):
    monkeypatch.setenv("GONGXU_AUTO_LIST", "1")
    mes = [{"text": "MES 制造执行系统实施与车间数字化改造"}]
    declared, _t, _ = await api.register_provider("SERVICE_PROVIDER", capabilities=mes,
                                                  certifications=[{"certification": "ISO9001"}])
    verified, _t, _ = await api.register_provider("SERVICE_PROVIDER", capabilities=mes,
                                                  certifications=[{"certification": "ISO9001"}])
    suspended, _t, _ = await api.register_provider("SERVICE_PROVIDER", capabilities=mes,
                                                   certifications=[{"certification": "ISO9001"}])
    await api.ok(VERIFY, {"input": {"providerId": verified, "certification": "CERT.ISO9001",
                                    "verification": "VERIFIED", "evidence": "证书号 Q-1"}}, token=staff_token)
    await api.ok(REVIEW, {"input": {"providerId": suspended, "decision": "SUSPEND", "reason": "投诉核查中"}},
                 token=staff_token)

    _e, enterprise_token, _ = await api.register_enterprise()
    need = (await api.ok(POST, {"input": {"kind": "SERVICE", "title": "MES系统实施", "description": "车间MES上线",
                                          "requiredCertifications": ["ISO9001"]}},
                         token=enterprise_token))["postNeed"]["need"]
    assert need["requireVerified"] is False

    async def matched() -> dict[str, str]:
        data = await api.ok(MATCHES, {"needId": need["id"]}, token=enterprise_token)
        return {edge["node"]["provider"]["id"]: next(c["detail"] for c in edge["node"]["explanation"]["constraints"]
                                                     if c["name"] == "certification")
                for edge in data["matches"]["edges"]}

    found = await matched()
    assert set(found) == {declared, verified}  # the suspended provider is out of the pool
    assert found[declared].endswith("declared only (not verified by staff)")
    assert found[verified].endswith("verified by staff")
    hits = (await api.ok(SEARCH, {"text": "MES 制造执行系统"}))["searchProviders"]
    searched = {hit["provider"]["id"] for hit in hits}
    assert suspended not in searched and {declared, verified} <= searched

    changed = await api.ok(UPDATE, {"input": {"id": need["id"], "requireVerified": True}}, token=enterprise_token)
    assert changed["updateNeed"]["need"]["requireVerified"] is True
    assert set(await matched()) == {verified}

    # re-listed, the provider is matched again (its certificate is still only declared)
    await api.ok(REVIEW, {"input": {"providerId": suspended, "decision": "LIST", "reason": "核查完毕"}},
                 token=staff_token)
    await api.ok(UPDATE, {"input": {"id": need["id"], "requireVerified": False}}, token=enterprise_token)
    assert set(await matched()) == {declared, verified, suspended}
