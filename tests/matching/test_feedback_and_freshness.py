"""Reverse matching, decisions as evidence, and stored matches that go stale exactly when a write can change them."""

from __future__ import annotations

import pytest
from matching_world import CHENGDU, MLPS, SUZHOU, World, capacity_need, link, service_need

from graph.repositories import bulk
from matching import engine, feedback

BOOKED = "MATCH (o:CapacityOffer {id: 'off_cd_die'}) RETURN o.booked_volume AS b"


async def matches(world: World, need_id: str, **kwargs) -> engine.MatchPage:
    return await engine.match_need(world.db, world.cache.embedder, need_id, first=50, **kwargs)


def by_provider(page: engine.MatchPage) -> dict[str, engine.MatchResult]:
    return {m.provider_id: m for m in page.items}


# ---------------------------------------------------------------------------------------- opportunities


async def test_opportunities_are_the_needs_that_fit_in_reverse(world: World):
    await world.need(capacity_need())  # IATF, 成渝: fits prv_cd_die
    await world.need(capacity_need("ned_delta", region_codes=["GRP.YANGTZE_DELTA"]))  # wrong region
    await world.need(capacity_need("ned_medical", certification_codes=["CERT.ISO13485"]))  # cert not held
    await world.need(capacity_need("ned_huge", quantity=50_000))  # more than the offer can deliver
    await world.need(service_need())  # security assessment: not what a die caster does
    page = await engine.opportunities(world.db, "prv_cd_die")
    assert [o.need.id for o in page.items] == ["ned_die"]
    only = page.items[0]
    forward = by_provider(await matches(world, "ned_die"))["prv_cd_die"]
    assert abs(only.score - forward.score) < 0.1  # same pair, same scoring (no lexical part in reverse)
    assert only.enterprise["name"] and only.enterprise["contact_phone"] is None  # hidden until accepted
    assert only.match_id == forward.id
    # the provider without an active IATF certificate is not offered the need
    assert [o.need.id for o in (await engine.opportunities(world.db, "prv_yb_die")).items] == []
    security = await engine.opportunities(world.db, "prv_cd_sec")
    assert [o.need.id for o in security.items] == ["ned_sec"]


# -------------------------------------------------------------------------------------------- feedback


async def test_accepting_books_the_volume_and_reveals_contacts(world: World):
    need_id = await world.need(capacity_need())
    match = by_provider(await matches(world, need_id))["prv_cd_die"]
    decision = await feedback.accept_match(world.db, match.id, enterprise_id="ent_car")
    assert decision.status == "ACCEPTED" and decision.booked_volume == 5000
    assert (await world.db.read(BOOKED))[0]["b"] == 5000
    again = await feedback.accept_match(world.db, match.id, enterprise_id="ent_car")  # a retried request
    assert again.status == "ACCEPTED"
    assert (await world.db.read(BOOKED))[0]["b"] == 5000
    stored = by_provider(await matches(world, need_id))
    assert stored["prv_cd_die"].status == "ACCEPTED"  # kept through the recomputation the booking caused
    other = stored["prv_cd_die2"]
    with pytest.raises(feedback.InvalidDecision, match="already has an accepted"):
        await feedback.accept_match(world.db, other.id, enterprise_id="ent_car")
    opportunity = (await engine.opportunities(world.db, "prv_cd_die")).items[0]
    assert opportunity.match_status == "ACCEPTED" and opportunity.enterprise["contact_phone"] == "13800000000"


async def test_only_the_posting_enterprise_decides(world: World):
    need_id = await world.need(capacity_need())
    match = by_provider(await matches(world, need_id))["prv_cd_die"]
    with pytest.raises(engine.NotFound):
        await feedback.accept_match(world.db, match.id, enterprise_id="ent_other")
    with pytest.raises(feedback.InvalidDecision, match="reason"):
        await feedback.reject_match(world.db, match.id, "  ", enterprise_id="ent_car")
    decision = await feedback.reject_match(world.db, match.id, "报价太高", enterprise_id="ent_car")
    assert decision.status == "REJECTED"
    with pytest.raises(feedback.InvalidDecision, match="already REJECTED"):
        await feedback.accept_match(world.db, match.id, enterprise_id="ent_car")
    page = by_provider(await matches(world, need_id))
    assert page["prv_cd_die"].status == "REJECTED" and page["prv_cd_die"].reason == "报价太高"


async def test_an_accepted_offer_that_can_no_longer_deliver_is_refused(world: World):
    need_id = await world.need(capacity_need())
    match = by_provider(await matches(world, need_id))["prv_cd_die"]
    await world.offer("prv_cd_die", booked_volume=5000)  # another customer took capacity meanwhile
    with pytest.raises(feedback.CapacityExhausted, match="4,000 deliverable"):
        await feedback.accept_match(world.db, match.id, enterprise_id="ent_car")
    assert (await world.db.read("MATCH (m:Match {id: $id}) RETURN m.status AS s", id=match.id))[0]["s"] == "PROPOSED"


async def test_decisions_become_evidence(world: World):
    """An accept is collaboration for the same enterprise's next need; a rejection a penalty."""
    first = await world.need(capacity_need())
    found = by_provider(await matches(world, first))
    await feedback.accept_match(world.db, found["prv_cd_die"].id, enterprise_id="ent_car")
    await feedback.reject_match(world.db, found["prv_cd_die2"].id, "交期不稳定", enterprise_id="ent_car")
    second = await world.need(capacity_need("ned_die_again", quantity=2000))
    again = by_provider(await matches(world, second))
    evidence = {p["name"]: p for p in again["prv_cd_die"].explanation["score_parts"]}
    assert evidence["collaboration"]["value"] > 0
    # accepting is not yet fulfilment: with no outcome the provider is new, its part carries no weight
    assert evidence["fulfilment"]["weight"] == 0 and "new to the pool" in evidence["fulfilment"]["detail"]
    assert again["prv_cd_die2"].explanation["penalty"] > 0
    assert again["prv_cd_die"].score > found["prv_cd_die"].score - 0.01


# ------------------------------------------------------------------------------------------- freshness


async def test_stored_matches_are_served_until_an_input_changes(world: World):
    need_id = await world.need(capacity_need(certification_codes=[], region_codes=[CHENGDU]))
    first = await matches(world, need_id)
    assert first.recomputed and "prv_cd_die" in by_provider(first)
    assert not (await matches(world, need_id)).recomputed  # nothing changed: served from storage
    await world.offer("prv_cd_die", monthly_volume=1000)  # now 3,000 by the deadline < 5,000
    changed = await matches(world, need_id)
    assert changed.recomputed and "prv_cd_die" not in by_provider(changed)
    await world.offer("prv_cd_die", monthly_volume=3000)
    assert "prv_cd_die" in by_provider(await matches(world, need_id))


async def test_a_new_provider_is_seen_even_without_a_version_bump(world: World):
    need_id = await world.need(service_need())
    assert "prv_new_sec" not in by_provider(await matches(world, need_id))
    await bulk.upsert_providers(world.db, [{"id": "prv_new_sec", "name": "新网安测评", "kind": "SERVICE_PROVIDER",
                                            "region_code": CHENGDU, "rating": 4.0}])
    vector = world.cache.passages(["等保测评，网络安全等级保护2.0三级测评"])[0]
    await bulk.upsert_capability_statements(world.db, [{"id": "cst_new_sec", "provider_id": "prv_new_sec",
                                                        "text": "等保测评，网络安全等级保护2.0三级测评",
                                                        "embedding": vector.tolist(), "links": [link(MLPS)]}])
    page = await matches(world, need_id)
    assert page.recomputed and "prv_new_sec" in by_provider(page)


async def test_a_changed_need_is_recomputed(world: World):
    need_id = await world.need(capacity_need(certification_codes=[], region_codes=[CHENGDU]))
    assert "prv_cd_die" in by_provider(await matches(world, need_id))
    await world.need(capacity_need(certification_codes=[], region_codes=["GRP.YANGTZE_DELTA"]))
    page = by_provider(await matches(world, need_id))
    assert "prv_cd_die" not in page and "prv_sz_die" in page


# ------------------------------------------------------------------------ freshness scoped to the write


async def test_a_write_in_another_province_leaves_a_regional_need_fresh(world: World):
    need_id = await world.need(capacity_need(certification_codes=[], region_codes=[CHENGDU]))
    assert (await matches(world, need_id)).recomputed
    await world.offer("prv_sz_die", monthly_volume=9000)  # Suzhou (Jiangsu): outside the need's region
    await world.provider("prv_sh_sec", rating=3.0)  # Shanghai
    assert not (await matches(world, need_id)).recomputed
    await world.offer("prv_cd_die2", monthly_volume=9000)  # Chengdu (Sichuan): inside it
    assert (await matches(world, need_id)).recomputed


async def test_a_write_to_any_provider_makes_a_need_without_region_stale(world: World):
    need_id = await world.need(service_need())
    assert (await matches(world, need_id)).recomputed
    assert not (await matches(world, need_id)).recomputed
    await world.provider("prv_sh_pdm", rating=3.5)  # any province may serve a need without a region
    assert (await matches(world, need_id)).recomputed


async def test_posting_a_need_leaves_the_other_needs_fresh(world: World):
    need_id = await world.need(capacity_need(certification_codes=[], region_codes=[CHENGDU]))
    assert (await matches(world, need_id)).recomputed
    await world.need(service_need())  # written with its own dirty mark, no version bump
    assert not (await matches(world, need_id)).recomputed


async def test_a_provider_moving_out_of_the_region_leaves_the_matches_it_was_in(world: World):
    need_id = await world.need(capacity_need(certification_codes=[], region_codes=[CHENGDU]))
    assert "prv_cd_die" in by_provider(await matches(world, need_id))
    await world.provider("prv_cd_die", region_code=SUZHOU)  # bumps Jiangsu only; the stored match marks the need
    page = await matches(world, need_id)
    assert page.recomputed and "prv_cd_die" not in by_provider(page)


async def test_a_decision_makes_the_needs_sharing_the_provider_stale(world: World):
    first = await world.need(capacity_need(certification_codes=[], region_codes=[CHENGDU]))
    second = await world.need(capacity_need("ned_second", certification_codes=[], region_codes=[CHENGDU]))
    assert "prv_cd_die" in by_provider(await matches(world, first))
    assert "prv_cd_die" in by_provider(await matches(world, second))
    assert not (await matches(world, second)).recomputed
    chosen = by_provider(await matches(world, first))["prv_cd_die"]
    await feedback.accept_match(world.db, chosen.id, enterprise_id="ent_car")
    assert (await matches(world, second)).recomputed


async def test_a_registered_enterprise_leaves_every_need_fresh(world: World):
    need_id = await world.need(service_need())
    assert (await matches(world, need_id)).recomputed
    await bulk.upsert_enterprises(world.db, [{"id": "ent_new", "name": "新注册企业", "region_code": CHENGDU}])
    assert not (await matches(world, need_id)).recomputed
