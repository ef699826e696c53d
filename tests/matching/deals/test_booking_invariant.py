"""Property: no sequence of calls leaves an offer's ``bookedVolume`` different from its live bookings.

Hypothesis drives random sequences of accept / contract / deliver / cancel / close need / withdraw
offer / update need quantity / cut offer volume through the real commands (``matching.feedback``,
``matching.deals.lifecycle``, ``matching.intake``) on real Neo4j, and after every step checks:

* every offer's ``booked_volume`` equals the sum of ``booked_volume`` over the matches that use it
  (``graph.repositories.deals.booking_drift`` is empty) and is never negative;
* only a deal under way or done holds a booking, at most one per need; a booking on a closed need
  or a withdrawn offer belongs to a delivered or completed deal;
* a refused step changed nothing (the bookings are the same before and after).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matching_world import OFFERS, World, capacity_need

from graph.repositories import deals as deals_repo
from graph.repositories import matches as matches_repo
from graph.viewer import Viewer
from matching import feedback
from matching.candidates import match_id
from matching.deals import lifecycle
from matching.engine import MatchingError
from matching.freshness import today
from matching.intake import Intake, needs, offers
from matching.linking import TaxonomyLinker

PROVIDERS = ("prv_cd_die", "prv_cd_die2", "prv_sz_die")
NEEDS = ("ned_p0", "ned_p1", "ned_p2")
ENTERPRISE = Viewer("ENTERPRISE", "ent_car", "tok_ent")
BOOKINGS = """
MATCH (n:Need)-[:HAS_MATCH]->(m:Match)
OPTIONAL MATCH (m)-[:USES_OFFER]->(o:CapacityOffer)
RETURN m.id AS match_id, n.id AS need_id, n.status AS need_status, m.status AS status,
       coalesce(m.booked_volume, 0) AS booked, o.id AS offer_id, o.status AS offer_status,
       o.booked_volume AS offer_booked
ORDER BY m.id
"""
RESET = """
MATCH (x) WHERE x:Match OR x:MatchTransition OR x:Response OR x:Rating OR (x:Need AND x.id IN $needs)
DETACH DELETE x
"""

LINKER: dict[str, TaxonomyLinker] = {}
need = st.integers(0, len(NEEDS) - 1)
provider = st.integers(0, len(PROVIDERS) - 1)
step = st.one_of(
    st.tuples(st.just("accept"), need, provider),
    st.tuples(st.just("contract"), need, provider),
    st.tuples(st.just("deliver"), need, provider),
    st.tuples(st.just("complete"), need, provider),
    st.tuples(st.sampled_from(["cancel_by_enterprise", "cancel_by_provider"]), need, provider),
    st.tuples(st.just("close"), need, st.just(0)),
    st.tuples(st.just("withdraw"), st.just(0), provider),
    st.tuples(st.just("quantity"), need, st.integers(1, 12).map(lambda k: k * 500)),
    st.tuples(st.just("cut"), st.just(0), st.tuples(provider, st.integers(0, 6).map(lambda k: k * 500))),
)


def provider_viewer(index: int) -> Viewer:
    return Viewer("PROVIDER", PROVIDERS[index], f"tok_{index}")


async def reset(world: World, quantities: list[int]) -> None:
    await world.db.write(RESET, needs=list(NEEDS))
    await world.write_offers([dict(OFFERS[p]) for p in PROVIDERS])
    for need_id, quantity in zip(NEEDS, quantities, strict=True):
        await world.need(capacity_need(need_id, quantity=quantity))
        rows = [{"id": match_id(need_id, p), "provider_id": p, "offer_id": OFFERS[p]["id"], "score": 0.5,
                 "explanation": "{}"} for p in PROVIDERS]
        await matches_repo.store_matches(world.db, need_id, rows, "property-test", today())


async def apply(world: World, intake: Intake, action: tuple[str, int, Any]) -> bool:
    """Run one step; True when it was refused."""
    kind, n, p = action
    if kind == "close":
        outcome = await needs.close_need(intake, ENTERPRISE, NEEDS[n])
    elif kind == "withdraw":
        outcome = await offers.withdraw_offer(intake, provider_viewer(p), OFFERS[PROVIDERS[p]]["id"])
    elif kind == "quantity":
        outcome = await needs.update_need(intake, ENTERPRISE, NEEDS[n], {"quantity": p})
    elif kind == "cut":
        index, volume = p
        outcome = await offers.update_offer(intake, provider_viewer(index), OFFERS[PROVIDERS[index]]["id"],
                                            {"monthly_volume": volume})
    else:
        mid = match_id(NEEDS[n], PROVIDERS[p])
        try:
            if kind == "accept":
                await feedback.accept_match(world.db, mid, enterprise_id="ent_car")
            elif kind == "contract":
                await lifecycle.advance(world.db, ENTERPRISE, mid, "CONTRACTED")
            elif kind == "deliver":
                await lifecycle.advance(world.db, provider_viewer(p), mid, "DELIVERED")
            elif kind == "complete":
                await lifecycle.advance(world.db, ENTERPRISE, mid, "COMPLETED")
            else:
                viewer = ENTERPRISE if kind == "cancel_by_enterprise" else provider_viewer(p)
                await lifecycle.advance(world.db, viewer, mid, "CANCELLED", note="property test")
        except MatchingError:
            return True
        return False
    if outcome.errors:
        assert all(e.code.value in ("INVALID_STATE", "CAPACITY_BOOKED", "NOT_POSITIVE") for e in outcome.errors), \
            outcome.errors
    return bool(outcome.errors)


async def check_invariant(world: World) -> list[dict[str, Any]]:
    assert await deals_repo.booking_drift(world.db) == []
    rows = await world.db.read(BOOKINGS)
    holding: dict[str, int] = {}
    for row in rows:
        if row["booked"]:
            assert row["status"] in ("ACCEPTED", "CONTRACTED", "DELIVERED", "COMPLETED"), row
            holding[row["need_id"]] = holding.get(row["need_id"], 0) + 1
            if row["need_status"] != "OPEN" or row["offer_status"] != "PUBLISHED":
                assert row["status"] in ("DELIVERED", "COMPLETED"), row
        assert (row["offer_booked"] or 0) >= 0, row
    assert all(count == 1 for count in holding.values()), holding
    return rows


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(quantities=st.lists(st.integers(1, 12).map(lambda k: k * 500), min_size=3, max_size=3),
       actions=st.lists(step, min_size=1, max_size=25))
async def test_booked_volume_is_always_the_sum_of_the_live_bookings(world: World, quantities: list[int],
                                                                     actions: list[tuple[str, int, Any]]):
    if "linker" not in LINKER:
        LINKER["linker"] = await TaxonomyLinker.build(world.db, world.cache.embedder)
    intake = Intake(world.db, world.cache.embedder, LINKER["linker"])
    await reset(world, quantities)
    before = await check_invariant(world)
    for action in actions:
        refused = await apply(world, intake, action)
        after = await check_invariant(world)
        if refused:
            assert after == before, action  # a refused step changes nothing
        before = after
