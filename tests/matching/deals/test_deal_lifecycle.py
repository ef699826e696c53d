"""The deal lifecycle on real Neo4j: each step, who may take it, history, and capacity released."""

from __future__ import annotations

import pytest
from matching_world import World, capacity_need

from graph.repositories import deals as deals_repo
from graph.viewer import Viewer
from matching import engine, feedback
from matching.deals import lifecycle

ENTERPRISE = Viewer("ENTERPRISE", "ent_car", "tok_ent")
OTHER_ENTERPRISE = Viewer("ENTERPRISE", "ent_other", "tok_other")
PROVIDER = Viewer("PROVIDER", "prv_cd_die", "tok_prv")
OTHER_PROVIDER = Viewer("PROVIDER", "prv_cd_die2", "tok_prv2")
STATE = """
MATCH (m:Match {id: $id})-[:USES_OFFER]->(o:CapacityOffer)
RETURN m.status AS status, m.booked_volume AS match_booked, o.booked_volume AS offer_booked,
       m.cancelled_by_role AS cancelled_by, m.cancel_reason AS reason
"""


async def accepted_deal(world: World, need_id: str = "ned_die", provider_id: str = "prv_cd_die") -> str:
    if not await world.db.read("MATCH (n:Need {id: $id}) RETURN n.id AS id", id=need_id):
        await world.need(capacity_need(need_id))
    page = await engine.match_need(world.db, world.cache.embedder, need_id, first=50)
    match = next(m for m in page.items if m.provider_id == provider_id)
    await feedback.accept_match(world.db, match.id, enterprise_id="ent_car", actor="tok_ent")
    return match.id


async def state(world: World, match_id: str) -> dict:
    return (await world.db.read(STATE, id=match_id))[0]


async def test_a_deal_runs_from_acceptance_to_completion_each_side_confirming_its_steps(world: World):
    match_id = await accepted_deal(world)
    assert (await state(world, match_id))["offer_booked"] == 5000

    refusals = [(PROVIDER, "CONTRACTED", lifecycle.Forbidden), (ENTERPRISE, "DELIVERED", lifecycle.Forbidden),
                (ENTERPRISE, "COMPLETED", lifecycle.InvalidStep), (OTHER_PROVIDER, "CONTRACTED", engine.NotFound),
                (OTHER_ENTERPRISE, "CANCELLED", engine.NotFound), (ENTERPRISE, "ACCEPTED", lifecycle.InvalidStep)]
    for viewer, to, error in refusals:
        with pytest.raises(error):
            await lifecycle.advance(world.db, viewer, match_id, to, note="x")
    assert (await state(world, match_id))["status"] == "ACCEPTED"  # a refused step changed nothing

    steps = [(ENTERPRISE, "CONTRACTED"), (PROVIDER, "DELIVERED"), (ENTERPRISE, "COMPLETED")]
    for viewer, to in steps:
        step = await lifecycle.advance(world.db, viewer, match_id, to, note=f"{to.lower()} ok")
        assert step.status == to
    again = await lifecycle.advance(world.db, ENTERPRISE, match_id, "COMPLETED")  # a retried request
    assert again.previous == "COMPLETED"
    with pytest.raises(lifecycle.InvalidStep, match="COMPLETED"):
        await lifecycle.advance(world.db, PROVIDER, match_id, "CANCELLED", note="too late")
    done = await state(world, match_id)
    assert done["status"] == "COMPLETED" and done["offer_booked"] == 5000  # used capacity stays booked

    history = (await deals_repo.history(world.db, [match_id]))[match_id]
    assert [(t["from"], t["to"], t["by_role"]) for t in history] == [
        ("PROPOSED", "ACCEPTED", "ENTERPRISE"), ("ACCEPTED", "CONTRACTED", "ENTERPRISE"),
        ("CONTRACTED", "DELIVERED", "PROVIDER"), ("DELIVERED", "COMPLETED", "ENTERPRISE")]
    assert all(t["at"] for t in history) and history[2]["note"] == "delivered ok"


@pytest.mark.parametrize("viewer", [ENTERPRISE, PROVIDER])
async def test_either_side_cancels_with_a_reason_and_the_capacity_comes_back(world: World, viewer: Viewer):
    match_id = await accepted_deal(world)
    await lifecycle.advance(world.db, ENTERPRISE, match_id, "CONTRACTED")
    with pytest.raises(lifecycle.InvalidStep, match="reason"):
        await lifecycle.advance(world.db, viewer, match_id, "CANCELLED", note="  ")
    step = await lifecycle.advance(world.db, viewer, match_id, "CANCELLED", note="客户取消订单")
    assert step.released_volume == 5000
    after = await state(world, match_id)
    assert after == {"status": "CANCELLED", "match_booked": 0, "offer_booked": 0, "cancelled_by": viewer.role,
                     "reason": "客户取消订单"}
    assert await deals_repo.booking_drift(world.db) == []
    with pytest.raises(lifecycle.InvalidStep):
        await lifecycle.advance(world.db, ENTERPRISE, match_id, "CONTRACTED")


async def test_the_freed_capacity_can_be_booked_again(world: World):
    first = await accepted_deal(world)
    await lifecycle.advance(world.db, PROVIDER, first, "CANCELLED", note="产线故障")
    # the need has no accepted capacity match any more: another manufacturer can be accepted
    second = await accepted_deal(world, provider_id="prv_cd_die2")
    assert (await state(world, second))["offer_booked"] == 5000
    assert (await state(world, first))["offer_booked"] == 0
    assert await deals_repo.booking_drift(world.db) == []


def test_the_steps_are_a_closed_table():
    """The rule table itself: every target names its sources, and only cancel is open to both sides."""
    assert set(lifecycle.STEPS) == {"CONTRACTED", "DELIVERED", "COMPLETED", "CANCELLED"}
    assert [role for _, role in lifecycle.STEPS.values()] == ["ENTERPRISE", "PROVIDER", "ENTERPRISE", None]
    assert "COMPLETED" not in lifecycle.STEPS["CANCELLED"][0] and "REJECTED" not in lifecycle.STEPS["CANCELLED"][0]
