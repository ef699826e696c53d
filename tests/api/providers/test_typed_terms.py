"""Reference terms as people type them on registration and needs: industries and certifications named by
their common names resolve; unknown ones are kept as unverified terms (never a refusal); an unknown
region is refused with the nearest known names."""

from __future__ import annotations

from apiclient import ERRORS, REGISTER_ENTERPRISE, REGISTER_PROVIDER, credit_code

POST = f"""
mutation($input: PostNeedInput!) {{ postNeed(input: $input) {{
  need {{ id requiredCertifications {{ code }} unit materials {{ material {{ code }} }} }} {ERRORS} }} }}"""
UPDATE_PROVIDER = f"""
mutation($input: UpdateProviderInput!) {{ updateProvider(input: $input) {{
  provider {{ id certifications {{ certification {{ code }} }} }} {ERRORS} }} }}"""


async def _register(api, **fields):
    values = {"kind": "SERVICE_PROVIDER", "name": f"词汇测试{credit_code()[-6:]}有限公司", "creditCode": credit_code(),
              "region": "成都市", **fields}
    return (await api.run(REGISTER_PROVIDER, {"input": values})).data["registerProvider"]


async def test_common_industry_and_certification_names_resolve_on_registration(api):
    payload = await _register(api, industries=["航空航天", "生物医药", "医疗器械"], certifications=[
        {"certification": "等保三级"}, {"certification": "CMMI 3"}, {"certification": "SC食品生产许可"},
        {"certification": "化妆品生产许可"}])
    assert payload["errors"] == [] and payload["unresolved"] == []
    provider = payload["provider"]
    assert {i["code"] for i in provider["industries"]} == {"P-AERO", "P-BIOMED"}
    assert {c["certification"]["code"] for c in provider["certifications"]} == {
        "CERT.MLPS_L3", "CERT.CMMI", "CERT.SC", "CERT.GMPC"}


async def test_common_certification_names_resolve_on_a_need(api):
    _, token, _ = await api.register_enterprise()
    required = ["等保三级", "CMMI三级", "SC食品生产许可", "化妆品生产许可"]
    payload = (await api.ok(POST, {"input": {"kind": "SERVICE", "title": "核心业务系统等保测评整改",
                                             "requiredCertifications": required}}, token=token))["postNeed"]
    assert {c["code"] for c in payload["need"]["requiredCertifications"]} == {
        "CERT.MLPS_L3", "CERT.CMMI", "CERT.SC", "CERT.GMPC"}
    assert payload["unresolved"] == []


async def test_unknown_certification_and_industry_are_kept_not_refused(api, db):
    payload = await _register(api, industries=["航空航天", "量子养生"], certifications=[
        {"certification": "ISO 9001"}, {"certification": "蓉城数据安全星级证书", "validUntil": "2099-01-01"}])
    assert payload["errors"] == []
    assert sorted(payload["unresolved"]) == ["蓉城数据安全星级证书", "量子养生"]
    provider = payload["provider"]
    assert [i["code"] for i in provider["industries"]] == ["P-AERO"]
    assert [c["certification"]["code"] for c in provider["certifications"]] == ["CERT.ISO9001"]
    stored = await db.read(
        "MATCH (p:Provider)-[m:MENTIONS]->(t:UnverifiedTerm) RETURN t.kind AS kind, t.text AS text, "
        "t.status AS status, m.status AS held, toString(m.valid_until) AS valid_until ORDER BY kind")
    assert stored == [
        {"kind": "CERTIFICATION", "text": "蓉城数据安全星级证书", "status": "OPEN", "held": "ACTIVE",
         "valid_until": "2099-01-01"},
        {"kind": "INDUSTRY", "text": "量子养生", "status": "OPEN", "held": None, "valid_until": None}]

    # a new certification list replaces the kept terms too
    updated = (await api.ok(UPDATE_PROVIDER, {"input": {"id": provider["id"], "certifications": [
        {"certification": "等保二级"}]}}, token=payload["token"]))["updateProvider"]
    assert [c["certification"]["code"] for c in updated["provider"]["certifications"]] == ["CERT.MLPS_L2"]
    kinds = await db.read("MATCH (:Provider)-[:MENTIONS]->(t) RETURN collect(t.kind) AS kinds")
    assert kinds == [{"kinds": ["INDUSTRY"]}]


async def test_enterprise_with_an_unknown_industry_is_registered(api, db):
    values = {"name": "新词企业有限公司", "creditCode": credit_code(), "region": "成都市",
              "industries": ["新能源", "低空经济飞行服务"]}
    payload = (await api.run(REGISTER_ENTERPRISE, {"input": values})).data["registerEnterprise"]
    assert payload["errors"] == [] and payload["unresolved"] == ["低空经济飞行服务"]
    assert payload["enterprise"]["industries"] == [{"code": "P-ENERGY"}]
    assert await db.read("MATCH (:Enterprise)-[:MENTIONS]->(t:UnverifiedTerm) RETURN t.text AS text") == [
        {"text": "低空经济飞行服务"}]


async def test_an_unknown_region_is_refused_with_the_nearest_names(api, db):
    payload = await _register(api, region="成度市")
    [error] = payload["errors"]
    assert (error["code"], error["field"]) == ("UNRESOLVED", "region")
    assert "did you mean" in error["message"] and "成都" in error["message"]
    assert payload["provider"] is None
    assert await db.read("MATCH (p:Provider) RETURN count(p) AS n") == [{"n": 0}]


async def test_a_need_keeps_unknown_materials_and_takes_unit_words(api, db):
    _, token, _ = await api.register_enterprise()
    payload = (await api.ok(POST, {"input": {
        "kind": "CAPACITY", "title": "包装盒印刷 2000箱", "quantity": 2000, "unitText": "箱",
        "materials": ["304不锈钢、振金"]}}, token=token))["postNeed"]
    need = payload["need"]
    assert need["unit"] == "CARTON"
    assert [m["material"]["code"] for m in need["materials"]] == ["M.SS.304"]
    assert payload["unresolved"] == ["振金"]
    assert await db.read("MATCH (:Need)-[:MENTIONS]->(t:UnverifiedTerm) RETURN t.kind AS kind") == [
        {"kind": "MATERIAL"}]
