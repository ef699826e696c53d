"""The in-process provider index against real Neo4j: exact under the hard constraints, and current after writes.

The oracle is independent of the index: Neo4j's own ``vector.similarity.cosine`` over every statement
and published offer of every provider, with the region and certificate rules written out in Cypher
here, so a disagreement in either the vector arithmetic or a constraint shows.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from matching_world import CHENGYU, IATF, SHANGHAI, SICHUAN, World, capacity_need, d

from graph.db import Database
from graph.repositories import bulk
from graph.repositories.constraints import offer_feasibility
from matching.freshness import today
from matching.provider_index import CapacityTerms, ProviderIndex, index_for

ORACLE = """
MATCH (p:Provider) WHERE p.listing_status = 'LISTED'
  AND (CASE WHEN $capacity THEN p:Manufacturer AND EXISTS { (p)-[:OFFERS]->(:CapacityOffer {status: 'PUBLISHED'}) }
       ELSE EXISTS { (p)-[:STATES]->(:CapabilityStatement) } END)
  AND (size($regions) = 0 OR EXISTS {
        (p)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(r:Region) WHERE r.code IN $regions })
  AND all(code IN $certs WHERE EXISTS {
        MATCH (p)-[h:HOLDS]->(c:Certification)
        WHERE (c.code = code OR code IN coalesce(c.satisfies, [])) AND h.status = 'ACTIVE'
          AND (h.valid_until IS NULL OR h.valid_until >= $as_of)
          AND coalesce(h.verification, 'DECLARED') <> 'REJECTED' })
MATCH (p)-[:STATES|OFFERS]->(x) WHERE x.embedding IS NOT NULL AND coalesce(x.status, 'PUBLISHED') = 'PUBLISHED'
  AND ($capacity OR x:CapabilityStatement)
RETURN p.id AS id, max(vector.similarity.cosine(x.embedding, $vector) * 2 - 1) AS cosine
ORDER BY cosine DESC, id
"""


async def oracle(db: Database, vector: list[float], capacity: bool, regions: list[str], certs: list[str],
                 as_of: date) -> list[tuple[str, float]]:
    rows = await db.read(ORACLE, vector=vector, capacity=capacity, regions=regions, certs=certs, as_of=as_of)
    return [(r["id"], r["cosine"]) for r in rows]


def query(world: World, text: str) -> list[float]:
    return world.cache.queries([text])[0].tolist()


CASES = [
    ("铝合金压铸件 汽车零部件", True, [], []),
    ("铝合金压铸件 汽车零部件", True, [CHENGYU], [IATF]),
    ("铝合金压铸件 汽车零部件", True, [SICHUAN], []),
    ("等保测评 网络安全", False, [], []),
    ("等保测评 网络安全", False, [SHANGHAI], []),
    ("数控加工", False, [CHENGYU], [IATF]),
]


@pytest.mark.parametrize(("text", "capacity", "regions", "certs"), CASES)
async def test_search_is_the_exact_scan_under_the_constraints(world: World, text, capacity, regions, certs):
    vector = query(world, text)
    index = ProviderIndex()
    found = (await index.search(world.db, vector, capacity=capacity, regions=regions, certifications=certs,
                                as_of=today(), k=50)).nearest
    expected = await oracle(world.db, vector, capacity, regions, certs, today())
    assert expected, "each case has providers that pass"
    assert [pid for pid, _ in found] == [pid for pid, _ in expected]
    for (_, got), (_, want) in zip(found, expected, strict=True):
        assert got == pytest.approx(want, abs=1e-4)


async def test_k_bounds_the_answer_and_keeps_the_best(world: World):
    vector = query(world, "铝合金压铸件")
    found = (await ProviderIndex().search(world.db, vector, capacity=True, regions=[], certifications=[],
                                          as_of=today(), k=2)).nearest
    expected = await oracle(world.db, vector, True, [], [], today())
    assert [pid for pid, _ in found] == [pid for pid, _ in expected[:2]]


async def test_certificate_validity_is_judged_on_the_date_asked(world: World):
    vector = query(world, "铝合金压铸件")
    index = ProviderIndex()
    now = (await index.search(world.db, vector, capacity=True, regions=[], certifications=[IATF], as_of=today(),
                              k=50)).nearest
    later = (await index.search(world.db, vector, capacity=True, regions=[], certifications=[IATF],
                                as_of=today() + timedelta(days=400), k=50)).nearest
    assert "prv_cd_die" in {pid for pid, _ in now}  # valid for 365 more days
    assert "prv_cd_die" not in {pid for pid, _ in later}
    assert {pid for pid, _ in later} == {pid for pid, _ in await oracle(
        world.db, vector, True, [], [IATF], today() + timedelta(days=400))}


async def test_writes_reach_the_index_before_the_next_search(world: World):
    index = index_for(world.db)
    vector = query(world, "铝合金压铸件 汽车零部件")

    async def ids() -> set[str]:
        found = await index.search(world.db, vector, capacity=True, regions=[CHENGYU], certifications=[],
                                   as_of=today(), k=50)
        return {pid for pid, _ in found.nearest}

    assert "prv_cd_die" in await ids()
    await world.provider("prv_cd_die", listing_status="SUSPENDED")  # curation takes it out of the pool
    assert "prv_cd_die" not in await ids()
    await world.provider("prv_cd_die", listing_status="LISTED", region_code=SHANGHAI)  # back, but elsewhere
    assert "prv_cd_die" not in await ids()
    await world.provider("prv_cd_die", listing_status="LISTED")
    assert "prv_cd_die" in await ids()
    await world.offer("prv_cd_die2", status="WITHDRAWN")  # its only offer: no longer capacity
    assert "prv_cd_die2" not in await ids()
    await bulk.upsert_providers(world.db, [{"id": "prv_new_die", "name": "新成都压铸", "kind": "MANUFACTURER",
                                            "region_code": "510100", "certifications": []}])
    await world.write_offers([{**world.offers["prv_cd_die"], "id": "cof_new_die", "provider_id": "prv_new_die"}])
    assert "prv_new_die" in await ids()
    assert await ids() == {pid for pid, _ in await oracle(world.db, vector, True, [CHENGYU], [], today())}


async def test_a_wiped_database_leaves_no_ghosts(world: World, clean_db: Database):
    vector = query(world, "铝合金压铸件")
    index = index_for(world.db)
    assert (await index.search(world.db, vector, capacity=True, regions=[], certifications=[], as_of=today(),
                               k=5)).nearest
    await clean_db.write("MATCH (p:Provider) DETACH DELETE p")
    assert (await index.search(world.db, vector, capacity=True, regions=[], certifications=[], as_of=today(),
                               k=5)).nearest == []
    assert index.providers == 0


LINKED = """
MATCH (p:Provider)-[:STATES|OFFERS]->(x)-[a:ABOUT|OF_PROCESS]->(c:Capability) WHERE c.code IN $codes
  AND p.listing_status = 'LISTED' AND coalesce(x.status, 'PUBLISHED') = 'PUBLISHED' AND x.embedding IS NOT NULL
  AND ($capacity OR x:CapabilityStatement)
  AND (CASE WHEN $capacity THEN p:Manufacturer AND EXISTS { (p)-[:OFFERS]->(:CapacityOffer {status: 'PUBLISHED'}) }
       ELSE true END)
  AND (size($regions) = 0 OR EXISTS {
        (p)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(r:Region) WHERE r.code IN $regions })
RETURN p.id AS id, max(coalesce(a.confidence, 1.0)) AS confidence ORDER BY confidence DESC, id
"""


@pytest.mark.parametrize(("codes", "capacity", "regions"), [
    (["P.CAST.DIE.AL"], True, []), (["P.CAST.DIE.AL", "P.CAST.DIE.ZN"], True, [SICHUAN]),
    (["S.SEC.ASSESS.MLPS"], False, [])])
async def test_taxonomy_links_are_ranked_by_confidence_under_the_constraints(world: World, codes, capacity,
                                                                            regions):
    await world.provider("prv_yb_die", listing_status="SUSPENDED")
    found = await ProviderIndex().search(world.db, None, capacity=capacity, regions=regions, certifications=[],
                                         as_of=today(), k=0, codes=codes, k_taxonomy=50)
    rows = await world.db.read(LINKED, codes=codes, capacity=capacity, regions=regions)
    assert rows and found.nearest == []
    assert [(pid, round(c, 4)) for pid, c in found.linked] == [(r["id"], round(r["confidence"], 4)) for r in rows]
    assert "prv_yb_die" not in {pid for pid, _ in found.linked}  # suspended, though linked


FEASIBLE = """
MATCH (n:Need {id: $need_id})
MATCH (p:Manufacturer)-[:OFFERS]->(o:CapacityOffer {status: 'PUBLISHED'})
WHERE p.listing_status = 'LISTED'
""" + offer_feasibility("p") + """
WITH p, unit_ok AND moq_ok AND window_ok AND volume_ok AS ok
RETURN p.id AS id, any(x IN collect(ok) WHERE x) AS deliverable
"""


@pytest.mark.parametrize("overrides", [
    {}, {"quantity": 20000}, {"quantity": 100}, {"unit": "KG"}, {"deadline": None}, {"quantity": None}])
async def test_capacity_terms_keep_exactly_the_manufacturers_with_a_deliverable_offer(world: World, overrides):
    """Against Cypher's own offer_feasibility (nothing booked in this world): same manufacturers."""
    row = capacity_need(certification_codes=[], region_codes=[], **overrides)
    need_id = await world.need(row)
    await world.offer("prv_sz_die", available_from=d(30))  # a later window
    need = (await world.db.read("MATCH (n:Need {id: $id}) RETURN n.quantity AS q, n.unit AS u, n.deadline AS d",
                                id=need_id))[0]
    deadline = need["d"].to_native() if need["d"] is not None else None
    found = await ProviderIndex().search(world.db, query(world, "铝合金压铸"), capacity=True, regions=[],
                                         certifications=[], as_of=today(), k=50,
                                         terms=CapacityTerms(need["q"], need["u"], deadline))
    rows = await world.db.read(FEASIBLE, need_id=need_id, as_of=today())
    assert {pid for pid, _ in found.nearest} == {r["id"] for r in rows if r["deliverable"]}


async def test_text_changes_reach_the_index_before_the_next_search(world: World):
    """Full-text hits come from the index too (``matching.lexical_index``): a renamed provider and a
    rewritten offer are found by their new words, no longer by their old ones."""
    index = index_for(world.db)

    async def hits(text: str) -> set[tuple[str, str]]:
        found = await index.search(world.db, None, capacity=True, regions=[], certifications=[], as_of=today(),
                                   k=50, text=text)
        return {(str(h["source"]), str(h["provider_id"])) for h in found.text_hits}

    assert ("TEXT_PROVIDER", "prv_cd_die") in await hits("成都精铸")
    await world.provider("prv_cd_die", name="蓉城金属成型有限公司")
    assert ("TEXT_PROVIDER", "prv_cd_die") in await hits("蓉城金属成型")
    assert ("TEXT_PROVIDER", "prv_cd_die") not in await hits("成都精铸")
    await world.offer("prv_cd_die", process_text="镁合金半固态触变成型")
    assert ("TEXT_OFFER", "prv_cd_die") in await hits("半固态触变")
    await world.offer("prv_cd_die", status="WITHDRAWN")  # a withdrawn offer is no longer searched
    assert ("TEXT_OFFER", "prv_cd_die") not in await hits("半固态触变")
