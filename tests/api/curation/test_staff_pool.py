"""Certificate verdicts, the expiry view, vocabulary curation, 名录 editions and imports, over HTTP."""

from __future__ import annotations

import io
from datetime import timedelta

import httpx
from apiclient import credit_code
from openpyxl import load_workbook

from matching.freshness import today

VERIFY = """
mutation($input: VerifyCertificationInput!) {
  verifyCertification(input: $input) { verification errors { code field message }
    provider { certifications { certification { code } verification evidence verifiedBy verifiedAt } } }
}"""

CERTS = """query($id: ID!) { node(id: $id) { ... on Provider {
  certifications { certification { code } verification evidence verifiedBy } } } }"""

PUBLISH = """
mutation($input: PublishEditionInput!) {
  publishEdition(input: $input) { edition { number title providerCount csvUrl xlsxUrl region category }
    errors { code field message } }
}"""



async def _import(live_server, content: bytes, filename: str, token: str | None,
                  dry_run: bool = False) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    params = {"filename": filename, **({"dryRun": "1"} if dry_run else {})}
    async with httpx.AsyncClient(base_url=live_server.url, timeout=120) as client:
        return await client.post("/imports/providers", content=content, params=params, headers=headers)


async def test_certificate_verdicts_and_who_sees_the_evidence(api, db, staff_token):
    provider_id, token, _ = await api.register_provider(certifications=[{"certification": "ISO9001"}])
    variables = {"input": {"providerId": provider_id, "certification": "ISO 9001", "verification": "VERIFIED",
                           "evidence": "证书号 00123Q45678R0M, CNAS 认可, 查询 https://cx.cnca.cn"}}
    refused = await api.run(VERIFY, variables, token=token)
    assert refused.data["verifyCertification"]["errors"][0]["code"] == "FORBIDDEN"
    no_evidence = await api.run(VERIFY, {"input": {**variables["input"], "evidence": " "}}, token=staff_token)
    assert [e["code"] for e in no_evidence.data["verifyCertification"]["errors"]] == ["REQUIRED"]
    not_held = await api.run(VERIFY, {"input": {**variables["input"], "certification": "IATF16949"}},
                             token=staff_token)
    assert not_held.data["verifyCertification"]["errors"][0]["code"] == "NOT_FOUND"
    before = (await api.ok(CERTS, {"id": provider_id}, token=token))["node"]["certifications"]
    assert before == [{"certification": {"code": "CERT.ISO9001"}, "verification": "DECLARED", "evidence": None,
                       "verifiedBy": None}]

    done = (await api.ok(VERIFY, variables, token=staff_token))["verifyCertification"]
    assert done["verification"] == "VERIFIED"
    own = (await api.ok(CERTS, {"id": provider_id}, token=token))["node"]["certifications"][0]
    assert own["verification"] == "VERIFIED" and own["evidence"].startswith("证书号")
    assert own["verifiedBy"] == "STAFF:gongxu-ops"
    public = (await api.ok(CERTS, {"id": provider_id}))["node"]["certifications"][0]
    assert public["verification"] == "VERIFIED" and public["evidence"] is None and public["verifiedBy"] is None


async def test_daily_expiry_view(api, staff_token):
    soon = (today() + timedelta(days=12)).isoformat()
    provider_id, token, _ = await api.register_provider(
        certifications=[{"certification": "IATF16949", "validUntil": soon},
                        {"certification": "ISO9001", "validUntil": (today() + timedelta(days=300)).isoformat()}])
    query = "{ expiringCertifications(withinDays: 30) { provider { id } certification { code } daysLeft } }"
    rows = (await api.ok(query, token=staff_token))["expiringCertifications"]
    assert rows == [{"provider": {"id": provider_id}, "certification": {"code": "CERT.IATF16949"}, "daysLeft": 12}]
    assert (await api.run(query, token=token)).code() == "FORBIDDEN"


async def test_mapping_an_unverified_term_relinks_existing_data(api, db, staff_token, live_server):
    from graph.repositories import unverified_terms
    from matching.aliases import normalise

    text = "蓉城质量星级认证"
    provider_id, _token, _ = await api.register_provider()
    key = (await db.read("MATCH (p:Provider) RETURN p.id AS id ORDER BY p.created_at DESC LIMIT 1"))[0]["id"]
    # stored as the input-fit issue stores an unknown certification
    await db.write_tx(lambda tx: unverified_terms.mention(tx, "Provider", key, "CERTIFICATION", text,
                                                          normalise(text), "certifications.0",
                                                          {"status": "ACTIVE", "valid_until": None}))
    queue = (await api.ok("{ unverifiedTerms { key kind text mentions byLabel { label count } } }",
                          token=staff_token))["unverifiedTerms"]
    [term] = [t for t in queue if t["text"] == text]
    assert term["mentions"] == 1 and term["byLabel"] == [{"label": "Provider", "count": 1}]

    mutation = """mutation($input: CreateTermNodeInput!) { createTermNode(input: $input) { code relinked
                  errors { code field message } } }"""
    try:
        done = (await api.ok(mutation, {"input": {"term": term["key"], "code": "CERT.RCXJ", "name": "蓉城质量星级"}},
                             token=staff_token))["createTermNode"]
        assert (done["code"], done["relinked"]) == ("CERT.RCXJ", 1)
        held = (await api.ok(CERTS, {"id": provider_id}))["node"]["certifications"]
        assert [h["certification"]["code"] for h in held] == ["CERT.RCXJ"]
        assert [t for t in (await api.ok("{ unverifiedTerms { text } }", token=staff_token))["unverifiedTerms"]
                if t["text"] == text] == []
        # the text is an alias now: the next registration that types it links it
        _id, _t, again = await api.register_provider(certifications=[{"certification": text}])
        assert [c["certification"]["code"] for c in again["certifications"]] == ["CERT.RCXJ"]
    finally:  # reference data outlives clean_db
        await db.write("MATCH (c:Certification {code: 'CERT.RCXJ'}) DETACH DELETE c")
        live_server.server.config.app.state.gongxu["services"].forget_linker()


async def _download(live_server, path: str, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=live_server.url, timeout=60) as client:
        return await client.get(path, headers=headers)


async def test_edition_round_trips_through_the_import(api, db, staff_token, live_server, monkeypatch):
    monkeypatch.setenv("GONGXU_AUTO_LIST", "1")
    await api.register_provider(
        name="蓉城精锻机械有限公司", industries=["C34"], sharingModes=["服务型"], tags=["PRODUCT_SUPPLIER"],
        certifications=[{"certification": "ISO9001", "validUntil": "2028-06-30"}],
        capabilities=[{"text": "五轴数控加工，精密零件"}, {"text": "热处理与表面处理"}],
        website="https://jingduan.example.cn", contactPhone="+86 28 8765 4321", contactEmail="sales@jingduan.cn")
    await api.register_provider(kind="SERVICE_PROVIDER", name="天府云智软件有限公司", region="绵阳市",
                                capabilities=[{"text": "MES 制造执行系统实施"}], description="=HYPERLINK 不是公式")
    edition = (await api.ok(PUBLISH, {"input": {"title": "2026年第一批"}}, token=staff_token))["publishEdition"]
    edition = edition["edition"]
    assert edition["providerCount"] == 2 and edition["csvUrl"] == f"/editions/{edition['number']}.csv"

    assert (await _download(live_server, edition["csvUrl"], None)).status_code == 401
    _pid, provider_token, _ = await api.register_provider()
    assert (await _download(live_server, edition["csvUrl"], provider_token)).status_code == 403
    assert (await _download(live_server, "/editions/999.csv", staff_token)).status_code == 404
    csv_file = await _download(live_server, edition["csvUrl"], staff_token)
    xlsx_file = await _download(live_server, edition["xlsxUrl"], staff_token)
    assert csv_file.status_code == 200 and csv_file.content.startswith("\ufeff".encode())
    book = load_workbook(io.BytesIO(xlsx_file.content), read_only=True)
    assert book.sheetnames == ["名录", "edition"]

    async def entries_of(number: int) -> list[dict]:
        from graph.repositories import editions
        return [{k: v for k, v in e.items() if k != "provider_id"} for e in await editions.entries(db, number)]

    published = await entries_of(edition["number"])
    for name, content in (("edition.csv", csv_file.content), ("edition.xlsx", xlsx_file.content)):
        await db.write("MATCH (n) WHERE n:Provider OR n:CapabilityStatement OR n:ListingEvent "
                       "OR (n:ApiToken AND n.role = 'PROVIDER') DETACH DELETE n")
        dry = (await _import(live_server, content, name, staff_token, dry_run=True)).json()
        assert (dry["created"], dry["listed"], dry["rowErrors"]) == ([], 2, [])
        assert (await db.read("MATCH (p:Provider) RETURN count(p) AS n"))[0]["n"] == 0
        answer = await _import(live_server, content, name, staff_token)
        done = answer.json()
        assert answer.status_code == 200, done
        assert ([p["listingStatus"] for p in done["created"]], done["listed"]) == (["LISTED", "LISTED"], 2)
        again = (await api.ok(PUBLISH, {"input": {"title": f"re-import of {name}"}}, token=staff_token))
        assert await entries_of(again["publishEdition"]["edition"]["number"]) == published  # same providers, fields

    # importing the same file again: every row is a duplicate, nothing is written
    before = (await db.read("MATCH (p:Provider) RETURN count(p) AS n"))[0]["n"]
    answer = await _import(live_server, csv_file.content, "edition.csv", staff_token)
    payload = answer.json()
    assert answer.status_code == 422
    assert [(e["row"], e["code"]) for e in payload["rowErrors"]] == [(2, "DUPLICATE"), (3, "DUPLICATE")]
    assert payload["created"] == [] and (await db.read("MATCH (p:Provider) RETURN count(p) AS n"))[0]["n"] == before


async def test_a_bad_file_writes_nothing_and_reports_rows(api, db, staff_token, live_server):
    good, other = credit_code(), credit_code()
    content = (f"kind,name,credit_code,region,certifications\r\n"
               f"MANUFACTURER,好公司甲,{good},成都市,ISO9001\r\n"
               f"MANUFACTURER,坏地区乙,{other},火星,\r\n"
               f"MANUFACTURER,坏代码丙,91510100XXXXXXXXXX,成都市,\r\n").encode()
    before = (await db.read("MATCH (p:Provider) RETURN count(p) AS n"))[0]["n"]
    answer = await _import(live_server, content, "list.csv", staff_token)
    payload = answer.json()
    assert answer.status_code == 422
    assert {(e["row"], e["column"], e["code"]) for e in payload["rowErrors"]} == {
        (3, "region", "UNRESOLVED"), (4, "credit_code", "INVALID_CREDIT_CODE")}
    assert payload["created"] == []
    assert (await db.read("MATCH (p:Provider) RETURN count(p) AS n"))[0]["n"] == before
    unknown = (await _import(live_server, b"kind,name,salary\r\n", "x.csv", staff_token)).json()
    assert "salary" in unknown["errors"][0]["message"]
    assert (await _import(live_server, b"x" * (5 * 1024 * 1024 + 1), "x.csv", staff_token)).status_code == 413
    _pid, provider_token, _ = await api.register_provider()
    assert (await _import(live_server, content, "list.csv", provider_token)).status_code == 403
    assert (await _import(live_server, content, "list.csv", None)).status_code == 401


async def test_a_verdict_survives_a_profile_update_that_keeps_the_certificate(api, staff_token):
    provider_id, token, _ = await api.register_provider(
        certifications=[{"certification": "ISO9001", "validUntil": "2028-01-01"}, {"certification": "ISO14001"}])
    for code in ("CERT.ISO9001", "CERT.ISO14001"):
        await api.ok(VERIFY, {"input": {"providerId": provider_id, "certification": code, "verification": "VERIFIED",
                                        "evidence": "证书核验"}}, token=staff_token)
    update = """mutation($input: UpdateProviderInput!) { updateProvider(input: $input) {
                  provider { certifications { certification { code } verification } } errors { code } } }"""
    data = await api.ok(update, {"input": {"id": provider_id, "certifications": [
        {"certification": "ISO9001", "validUntil": "2028-01-01"},  # the same certificate: still verified
        {"certification": "ISO14001", "validUntil": "2030-01-01"}]}}, token=token)  # renewed: declared again
    held = {c["certification"]["code"]: c["verification"]
            for c in data["updateProvider"]["provider"]["certifications"]}
    assert held == {"CERT.ISO9001": "VERIFIED", "CERT.ISO14001": "DECLARED"}
