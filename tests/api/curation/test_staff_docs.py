"""Every example of docs/API.md's "Staff" section runs as written (ids, the import file and the term
keys filled in), in the order a member of staff would paste them into GraphiQL."""

from __future__ import annotations

import re
from pathlib import Path

from graph.repositories import unverified_terms
from matching.aliases import normalise

DOC = Path(__file__).resolve().parents[3] / "docs" / "API.md"


def staff_examples() -> list[tuple[str, str]]:
    """(root field, document) of each example in the Staff section, in order."""
    section = DOC.read_text(encoding="utf-8").split("\n## Staff\n", 1)[1]
    found = []
    for document in re.findall(r"```graphql\n(.*?)```", section, re.S):
        root = re.search(r"\{\s*(\w+)", document)
        assert root, document
        found.append((root.group(1), document))
    return found


async def test_staff_examples_run_as_written(api, db, staff_token, live_server, monkeypatch):
    monkeypatch.setenv("GONGXU_AUTO_LIST", "0")
    provider_id, _token, _ = await api.register_provider(
        "SERVICE_PROVIDER", name="蓉城标识科技有限公司",
        capabilities=[{"text": "工业互联网标识解析二级节点建设与运营"}],
        certifications=[{"certification": "IATF16949", "validUntil": "2099-01-01"}])
    key = (await db.read("MATCH (p:Provider {name: '蓉城标识科技有限公司'}) RETURN p.id AS id"))[0]["id"]
    for text in ("信息安全等级保护测评机构", "蓉城质量星级认证"):
        await db.write_tx(lambda tx, text=text: unverified_terms.mention(
            tx, "Provider", key, "CERTIFICATION", text, normalise(text), "certifications.9",
            {"status": "ACTIVE", "valid_until": None}))
    fill = {"U2VydmljZVByb3ZpZGVyOnBydl8…": provider_id, '"prv_…"': f'"{key}"'}
    results: dict[str, list[dict]] = {}
    try:
        for root, document in staff_examples():
            for old, new in fill.items():
                document = document.replace(old, new)
            result = await api.run(document, token=staff_token)
            assert not result.errors, (root, result.errors)
            payload = result.data[root]
            if isinstance(payload, dict) and "errors" in payload:
                assert payload["errors"] == [], (root, payload["errors"])
            results.setdefault(root, []).append(payload)
    finally:  # reference data outlives clean_db
        await db.write("MATCH (c:Certification {code: 'CERT.RCXJ'}) DETACH DELETE c")
        await db.write("MATCH (c:Certification {code: 'CERT.MLPS_ORG'}) "
                       "SET c.aliases = [a IN c.aliases WHERE a <> '信息安全等级保护测评机构']")
        live_server.server.config.app.state.gongxu["services"].forget_linker()

    assert {"reviewQueue", "reviewProvider", "verifyCertification", "expiringCertifications", "unverifiedTerms",
            "mapTerm", "createTermNode", "publishEdition", "editions", "auditLog"} == set(results)
    assert [item["provider"]["id"] for item in results["reviewQueue"][0]] == [provider_id]
    assert [p["listingStatus"] for p in results["reviewProvider"]] == ["LISTED", "SUSPENDED"]
    assert results["verifyCertification"][0]["verification"] == "VERIFIED"
    assert {t["text"] for t in results["unverifiedTerms"][0]} == {"信息安全等级保护测评机构", "蓉城质量星级认证"}
    assert results["mapTerm"][0]["relinked"] == 1 and results["createTermNode"][0]["relinked"] == 1
    assert results["publishEdition"][0]["edition"]["providerCount"] == 0  # the only provider is suspended
    assert {e["after"]["decision"] for e in results["auditLog"][0]["events"]} == {"LIST", "SUSPEND"}
