"""The statements of a recompute: the evidence pair_features gathers, storing matches, the cached taxonomy,
and a need read together with its freshness signature."""

from __future__ import annotations

from datetime import date

from matching_world import World, capacity_need

from graph.repositories import constraints, freshness, matches, reference
from matching import engine
from matching.freshness import today
from matching.taxonomy import forget_taxonomy, load_taxonomy

# Decided matches and responses written as the deal commands leave them (test fixture: fixed ids).
HISTORY = """
UNWIND $rows AS row
MATCH (n:Need {id: row.need_id}) MATCH (p:Provider {id: row.provider_id})
CREATE (n)-[:HAS_MATCH]->(m:Match {id: row.id, status: row.status, created_at: datetime(),
                                   accepted_at: CASE WHEN row.accepted THEN datetime() - duration('P10D') END})
       -[:WITH_PROVIDER]->(p)
FOREACH (_ IN CASE WHEN row.response IS NULL THEN [] ELSE [1] END |
  CREATE (p)-[:RESPONDED]->(:Response {id: 'rsp_' + row.id, interest: row.response})-[:TO_NEED]->(n))
"""


def _history(need_id: str, status: str, response: str | None = None, provider_id: str = "prv_cd_die") -> dict:
    return {"id": f"mat_t_{need_id}", "need_id": need_id, "provider_id": provider_id, "status": status,
            "accepted": status not in ("PROPOSED", "REJECTED"), "response": response}


async def test_pair_evidence_counts_only_this_enterprises_other_needs(world: World):
    for need_id, enterprise in (("ned_die", "ent_car"), ("ned_die2", "ent_car"), ("ned_die3", "ent_car"),
                                ("ned_x", "ent_other")):
        await world.need(capacity_need(need_id, enterprise_id=enterprise))
    await world.db.write(HISTORY, rows=[
        _history("ned_die", "PROPOSED"),               # the pair's own match
        _history("ned_die2", "ACCEPTED"),              # a deal with this enterprise: a collaboration
        _history("ned_die3", "REJECTED", "DECLINED"),  # rejected by it, and declined by the provider
        _history("ned_x", "COMPLETED", "DECLINED"),    # another enterprise: a deal, nothing else
    ])
    pair = {"need_id": "ned_die", "provider_id": "prv_cd_die"}
    rows = await constraints.pair_features(
        world.db, [pair, {"need_id": "ned_x", "provider_id": "prv_cd_die"}, pair], today())
    by_need: dict[str, list[dict]] = {}
    for row in rows:
        by_need.setdefault(row["need_id"], []).append(row)
    assert len(by_need["ned_die"]) == 2  # one row per pair asked, duplicates included
    row = by_need["ned_die"][0]
    assert (row["collaborations"], row["rejections"], row["declines"]) == (1, 1, 1)
    assert row["existing_status"] == "PROPOSED"
    assert sorted(d["status"] for d in row["deals"]) == ["ACCEPTED", "COMPLETED"]
    # four matches created today; answered: the two accepted ones and the rejected one the provider declined
    assert row["opportunity_counts"] == {"offered": 4, "answered": 3}
    other = by_need["ned_x"][0]
    assert (other["collaborations"], other["rejections"], other["declines"]) == (0, 0, 0)
    assert other["existing_status"] == "COMPLETED"
    assert other["deals"] == row["deals"] and other["opportunity_counts"] == row["opportunity_counts"]


STORED = """
MATCH (n:Need {id: $need_id})-[:HAS_MATCH]->(m:Match)-[:WITH_PROVIDER]->(p:Provider)
RETURN p.id AS provider_id, m.status AS status, m.score AS score,
       [(m)-[u:USES_OFFER]->(o:CapacityOffer) | [o.id, elementId(u)]] AS uses, n.matches_fingerprint AS fingerprint
ORDER BY provider_id
"""


def _row(provider_id: str, score: float, offer_id: str | None) -> dict:
    return {"id": f"mat_s_{provider_id}", "provider_id": provider_id, "offer_id": offer_id, "score": score,
            "explanation": "{}"}


async def test_store_matches_replaces_proposed_keeps_decided_and_unchanged_offer_links(world: World):
    need_id = await world.need(capacity_need())
    offer = world.offers["prv_cd_die"]["id"]
    await matches.store_matches(world.db, need_id, [_row("prv_cd_die", 0.9, offer), _row("prv_yb_die", 0.5, None),
                                                    _row("prv_sz_die", 0.4, None)], "f1", today())
    first = {r["provider_id"]: r for r in await world.db.read(STORED, need_id=need_id)}
    assert set(first) == {"prv_cd_die", "prv_yb_die", "prv_sz_die"} and first["prv_cd_die"]["fingerprint"] == "f1"
    assert [u[0] for u in first["prv_cd_die"]["uses"]] == [offer]
    await world.db.write("MATCH (m:Match {id: 'mat_s_prv_sz_die'}) SET m.status = 'REJECTED'")
    # prv_yb_die drops out, prv_sz_die (decided) is not touched though it comes again with another score
    await matches.store_matches(world.db, need_id, [_row("prv_cd_die", 0.8, offer), _row("prv_sz_die", 0.99, None)],
                                "f2", today())
    second = {r["provider_id"]: r for r in await world.db.read(STORED, need_id=need_id)}
    assert set(second) == {"prv_cd_die", "prv_sz_die"}
    assert second["prv_sz_die"]["status"] == "REJECTED" and second["prv_sz_die"]["score"] == 0.4
    assert second["prv_cd_die"]["score"] == 0.8 and second["prv_cd_die"]["fingerprint"] == "f2"
    assert second["prv_cd_die"]["uses"] == first["prv_cd_die"]["uses"]  # the same relationship, kept
    await matches.store_matches(world.db, need_id, [_row("prv_cd_die", 0.8, None)], "f3", today())
    third = {r["provider_id"]: r for r in await world.db.read(STORED, need_id=need_id)}
    assert third["prv_cd_die"]["uses"] == [] and third["prv_cd_die"]["fingerprint"] == "f3"
    await matches.store_matches(world.db, "ned_nobody", [_row("prv_cd_die", 0.1, None)], "f4", today())
    assert {r["provider_id"]: r for r in await world.db.read(STORED, need_id=need_id)} == third  # nothing happened


async def test_taxonomy_is_read_again_only_after_a_reference_write(reference_data):
    db = reference_data
    forget_taxonomy()
    first = await load_taxonomy(db)
    assert await load_taxonomy(db) is first  # kept: the global version has not moved
    version = await freshness.read_global_version(db)
    assert await load_taxonomy(db, version) is first
    row = {"code": "TEST.TAXONOMY.CACHE", "name_zh": "缓存测试", "parents": ["P.CAST"]}
    try:
        await reference.upsert(db, "Capability", [row])  # a reference write bumps the global version
        assert await freshness.read_global_version(db) > version
        second = await load_taxonomy(db)
        assert second is not first and second.path("TEST.TAXONOMY.CACHE")[-1] == "缓存测试"
        assert second.parents["TEST.TAXONOMY.CACHE"] == "P.CAST"
        await reference.upsert(db, "Capability", [{**row, "name_zh": "改名了"}])
        assert (await load_taxonomy(db)).name("TEST.TAXONOMY.CACHE") == "改名了"
    finally:
        await db.write("MATCH (c:Capability {code: 'TEST.TAXONOMY.CACHE'}) DETACH DELETE c")
        forget_taxonomy()


async def test_a_need_comes_with_the_signature_match_need_checks(world: World):
    need_id = await world.need(capacity_need())
    need = await engine.load_need(world.db, need_id)
    assert need.signature == await freshness.data_signature(world.db, need_id)
    assert need.global_version == await freshness.read_global_version(world.db)
    page = await engine.match_need(world.db, None, need_id, need=need)  # stored embedding: no model needed
    assert page.recomputed
    again = await engine.match_need(world.db, None, need_id)  # loads the need and its signature itself
    assert not again.recomputed and [m.id for m in again.items] == [m.id for m in page.items]
    assert date.fromisoformat(str(again.as_of)) == today()
