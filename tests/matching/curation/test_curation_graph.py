"""The curation steps against the real Neo4j: each commits with its audit event or changes nothing."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from graph.db import Database, Tx
from graph.repositories import audit, bulk, editions
from graph.repositories import curation as curation_repo
from matching.credit_code import generate
from matching.curation import commands
from matching.curation.duplicates import Verdict
from matching.curation.files import parse_provider_file, to_csv, to_xlsx
from matching.curation.policy import Decision, Verification
from matching.freshness import today
from matching.intake.runner import Refusal

CHENGDU, YUBEI = "510100", "500112"
STAFF = "STAFF:经信局"


def code(seed: int, region: str = CHENGDU) -> str:
    return generate(random.Random(seed), region)


def provider(pid: str, name: str, status: str | None = "LISTED", region: str = CHENGDU, **extra) -> dict:
    return {"id": pid, "name": name, "kind": "MANUFACTURER", "credit_code": code(hash(pid) % 10_000, region),
            "region_code": region, "listing_status": status, **extra}


@pytest.fixture
async def pool(reference_data: Database, clean_db: Database) -> Database:
    await bulk.upsert_providers(clean_db, [
        provider("prv_a", "成都精工机械有限公司", "APPLIED", description="五轴加工"),
        provider("prv_b", "重庆渝北压铸厂", "LISTED", region=YUBEI,
                 certifications=[{"code": "CERT.IATF16949", "status": "ACTIVE",
                                  "valid_until": (today() + timedelta(days=10)).isoformat()}]),
        provider("prv_c", "成都华西注塑模具有限公司", "LISTED", industry_codes=["C35"],
                 certifications=[{"code": "CERT.ISO9001", "status": "ACTIVE",
                                  "valid_until": (today() + timedelta(days=400)).isoformat()}]),
    ])
    await bulk.upsert_capability_statements(clean_db, [
        {"id": "cst_c", "provider_id": "prv_c", "text": "精密注塑模具设计与制造", "embedding": [0.1] * 384,
         "links": [{"code": "P.MACH.CNC", "confidence": 0.9, "method": "ALIAS"}]}])
    return clean_db


async def run(db: Database, step):
    return await db.write_tx(step)


async def test_listing_transitions_keep_history_and_audit(pool: Database):
    async def decide(decision: Decision, reason: str | None = None):
        return await run(pool, lambda tx: commands.review_provider(tx, STAFF, "prv_a", decision, reason))

    assert (await decide(Decision.LIST))["listing_status"] == "LISTED"
    assert (await decide(Decision.SUSPEND, "证书过期未更新"))["listing_status"] == "SUSPENDED"
    assert (await decide(Decision.LIST, "已更新"))["listing_status"] == "LISTED"
    history = await curation_repo.histories(pool, ["prv_a"])
    assert [(e["from_status"], e["to_status"], e["actor"]) for e in history] == [
        ("APPLIED", "LISTED", STAFF), ("LISTED", "SUSPENDED", STAFF), ("SUSPENDED", "LISTED", STAFF)]
    assert history[1]["reason"] == "证书过期未更新"
    events = await audit.page(pool, 10, target="prv_a")
    assert [e["after"]["listing_status"] for e in events] == ["LISTED", "SUSPENDED", "LISTED"]
    assert events[0]["before"] == {"listing_status": "SUSPENDED"} and events[0]["actor"] == STAFF


@pytest.mark.parametrize(("decision", "reason", "code"), [
    (Decision.LIST, None, "INVALID_STATE"),  # already LISTED
    (Decision.REJECT, None, "REQUIRED"),  # a rejection needs a reason
    (Decision.SUSPEND, "x" * 2000, "TOO_LONG"),
])
async def test_refused_step_changes_nothing(pool: Database, decision, reason, code):
    with pytest.raises(Refusal) as refused:
        await run(pool, lambda tx: commands.review_provider(tx, STAFF, "prv_c", decision, reason))
    assert refused.value.errors[0].code.value == code
    assert (await curation_repo.statuses(pool, ["prv_c"]))["prv_c"] == "LISTED"
    assert await curation_repo.histories(pool, ["prv_c"]) == []
    assert await audit.page(pool, 10) == []


async def test_unknown_provider_is_not_found(pool: Database):
    with pytest.raises(Refusal) as refused:
        await run(pool, lambda tx: commands.review_provider(tx, STAFF, "prv_nope", Decision.LIST, None))
    assert refused.value.errors[0].code.value == "NOT_FOUND"


async def test_admission_of_a_new_registration(pool: Database):
    async def register(pid: str, name: str, credit_code: str, auto: bool) -> str:
        async def step(tx: Tx) -> str:
            judgement = await commands.judge_registration(tx, name, credit_code, CHENGDU)
            await tx.rows("CREATE (p:Provider {id: $id, name: $name, credit_code: $code}) WITH p "
                          "MATCH (r:Region {code: $region}) CREATE (p)-[:LOCATED_IN]->(r)",
                          id=pid, name=name, code=credit_code, region=CHENGDU)
            return await commands.admit(tx, pid, judgement, auto)
        return await run(pool, step)

    assert await register("prv_new", "绵竹新材料科技有限公司", code(1), auto=True) == "LISTED"
    assert await register("prv_manual", "德阳重装设备有限公司", code(2), auto=False) == "APPLIED"
    # in the review band: created APPLIED even with auto-listing, flagged with the candidate
    assert await register("prv_mid", "成都精工模具有限公司", code(3), auto=True) == "APPLIED"
    queue = await curation_repo.review_queue(pool, "APPLIED", 10)
    flagged = next(row for row in queue if row["id"] == "prv_mid")
    assert [c["id"] for c in flagged["candidates"]] == ["prv_a"]
    assert 0.5 <= flagged["candidates"][0]["similarity"] < 0.8
    # the same name (another legal form) in the same region: refused, naming the existing provider
    with pytest.raises(Refusal) as refused:
        await register("prv_dup", "成都精工机械股份有限公司", code(4), auto=True)
    assert refused.value.errors[0].code.value == "DUPLICATE" and "prv_a" in refused.value.errors[0].message
    # the same credit code: refused whatever the name
    existing_code = (await pool.read("MATCH (p:Provider {id: 'prv_b'}) RETURN p.credit_code AS c"))[0]["c"]
    async def same_code(tx: Tx):
        return await commands.judge_registration(tx, "全新名字有限公司", existing_code, CHENGDU)
    judgement = await run(pool, same_code)
    assert judgement.verdict is Verdict.DUPLICATE and judgement.candidate.id == "prv_b"
    assert (await pool.read("MATCH (p:Provider {id: 'prv_dup'}) RETURN count(p) AS n"))[0]["n"] == 0
    auto_events = await audit.page(pool, 10, actor="system")
    assert [e["target"] for e in auto_events] == ["prv_new"]


async def test_certificate_verification(pool: Database):
    async def verify(verdict: Verification, evidence: str | None, cert: str = "CERT.IATF16949"):
        return await run(pool, lambda tx: commands.verify_certification(tx, STAFF, "prv_b", cert, verdict, evidence))

    with pytest.raises(Refusal) as refused:
        await verify(Verification.VERIFIED, "  ")
    assert refused.value.errors[0].code.value == "REQUIRED"
    with pytest.raises(Refusal) as refused:
        await verify(Verification.VERIFIED, "证书号 X", cert="CERT.ISO9001")
    assert refused.value.errors[0].code.value == "NOT_FOUND"
    [row] = await curation_repo.verifications(pool, ["prv_b"])
    assert row["verification"] == "DECLARED" and row["verified_by"] is None

    await verify(Verification.VERIFIED, "IATF 0412345, 查询 https://iatfglobaloversight.org")
    [row] = await curation_repo.verifications(pool, ["prv_b"])
    assert row["verification"] == "VERIFIED" and row["verified_by"] == STAFF and row["verified_at"] is not None
    [event] = await audit.page(pool, 10, action="certification.verify")
    assert event["before"]["verification"] == "DECLARED" and event["after"]["verification"] == "VERIFIED"


async def test_expiring_view_lists_what_runs_out_soon(pool: Database):
    rows = await curation_repo.expiring_certificates(pool, today(), today() + timedelta(days=30), 50)
    assert [(r["provider_id"], r["code"]) for r in rows] == [("prv_b", "CERT.IATF16949")]


async def test_edition_is_a_numbered_immutable_snapshot(pool: Database):
    first = await run(pool, lambda tx: commands.publish_edition(tx, STAFF, "2026年第一批", None, None))
    scoped = await run(pool, lambda tx: commands.publish_edition(tx, STAFF, "四川", "P.MACH", "510000"))
    assert (first["number"], scoped["number"]) == (1, 2)
    assert first["provider_count"] == 2  # prv_a is only APPLIED
    assert [e["provider_id"] for e in await editions.entries(pool, 2)] == ["prv_c"]
    before = await editions.entries(pool, 1)
    await bulk.upsert_providers(pool, [provider("prv_c", "改了名字的公司", "SUSPENDED")])
    assert await editions.entries(pool, 1) == before
    entry = next(e for e in before if e["provider_id"] == "prv_c")
    assert entry["categories"] == ["P.MACH"]
    assert entry["capabilities"] == ["精密注塑模具设计与制造"]
    assert entry["certifications"][0].startswith("CERT.ISO9001|ACTIVE|")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_edition_files_read_back_as_the_same_providers(pool: Database, fmt: str):
    edition = await run(pool, lambda tx: commands.publish_edition(tx, STAFF, "round trip", None, None))
    entries = await editions.entries(pool, edition["number"])
    content = to_csv(entries) if fmt == "csv" else to_xlsx(entries, {"number": edition["number"]})
    parsed = parse_provider_file(content, f"edition.{fmt}")
    assert parsed.ok, (parsed.file_errors, parsed.row_errors)
    by_code = {data["credit_code"]: data for _row, data in parsed.rows}
    assert len(by_code) == len(entries)
    for entry in entries:
        data = by_code[entry["credit_code"]]
        assert data["name"] == entry["name"] and data["kind"] == entry["kind"]
        assert data.get("region") == entry["region"]
        assert data.get("industries", []) == entry["industries"]
        assert [c["text"] for c in data.get("capabilities", [])] == entry["capabilities"]
        assert [c["certification"] for c in data.get("certifications", [])] == \
            [c.split("|")[0] for c in entry["certifications"]]


async def test_mapping_an_unverified_term_relinks_every_mention(pool: Database):
    from graph.repositories import unverified_terms
    from matching.aliases import normalise

    text = "ZX质量体系认证（测试）"
    key = commands.term_key("CERTIFICATION", text)
    async def mention(tx: Tx) -> None:
        await tx.rows("MATCH (e:Enterprise {id: 'ent_x'}) DETACH DELETE e")
        await tx.rows("CREATE (:Enterprise {id: 'ent_x'})-[:POSTED]->(:Need {id: 'need_x', status: 'OPEN'})")
        await unverified_terms.mention(tx, "Provider", "prv_a", "CERTIFICATION", text, normalise(text),
                                       "certifications.0", {"status": "ACTIVE", "valid_until": None})
        await unverified_terms.mention(tx, "Need", "need_x", "CERTIFICATION", text, normalise(text),
                                       "required_certifications.0")
    await run(pool, mention)
    [queued] = await unverified_terms.queue(pool, "CERTIFICATION", "OPEN", 10)
    assert (queued["key"], queued["mentions"]) == (key, 2)
    assert sorted((b["label"], b["n"]) for b in queued["by_label"]) == [("Need", 1), ("Provider", 1)]

    with pytest.raises(Refusal) as refused:
        await run(pool, lambda tx: commands.map_term(tx, STAFF, key, "CERT.NOPE"))
    assert refused.value.errors[0].code.value == "UNKNOWN_CODE"
    try:
        result = await run(pool, lambda tx: commands.map_term(tx, STAFF, key, "CERT.ISO9001"))
        assert result["relinked"] == 2
        linked = await pool.read(
            "RETURN EXISTS { (:Provider {id: 'prv_a'})-[:HOLDS {status: 'ACTIVE'}]->(:Certification "
            "{code: 'CERT.ISO9001'}) } AS held, EXISTS { (:Need {id: 'need_x'})-[:REQUIRES_CERT]->(:Certification "
            "{code: 'CERT.ISO9001'}) } AS required, COUNT { ()-[:MENTIONS]->(:UnverifiedTerm {key: $key}) } AS left",
            key=key)
        assert linked == [{"held": True, "required": True, "left": 0}]
        assert await unverified_terms.queue(pool, "CERTIFICATION", "OPEN", 10) == []
        [event] = await audit.page(pool, 10, action="term.map")
        assert event["after"] == {"status": "MAPPED", "code": "CERT.ISO9001", "relinked": 2}
        with pytest.raises(Refusal) as refused:
            await run(pool, lambda tx: commands.map_term(tx, STAFF, key, "CERT.ISO9001"))
        assert refused.value.errors[0].code.value == "INVALID_STATE"
    finally:  # the alias is reference data, which outlives clean_db
        await pool.write("MATCH (c:Certification {code: 'CERT.ISO9001'}) "
                         "SET c.aliases = [a IN c.aliases WHERE a <> $text]", text=text)
        await pool.write("MATCH (n:Need {id: 'need_x'}) DETACH DELETE n")
