"""Every hard constraint at its edges, through the engine against real Neo4j and the real model.

The world (``matching_world.py``) has one offer per die caster: 3,000 PIECE/month from today for
180 days, lead time 10 days, MOQ 500. A need due on day 99 can use days 0…89 — 90 production days,
9,000 pieces.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from matching_world import (
    CHENGDU,
    CHENGYU,
    IATF,
    SICHUAN,
    World,
    capacity_need,
    cert,
    d,
    service_need,
)

from matching import engine
from matching.freshness import today

DIE_CASTERS_IN_CHENGYU = {"prv_cd_die", "prv_cd_die2", "prv_yb_die", "prv_my_die", "prv_dy_die"}


async def matched(world: World, row: dict, **kwargs) -> dict[str, engine.MatchResult]:
    need_id = await world.need(row)
    page = await engine.match_need(world.db, world.cache.embedder, need_id, first=100, **kwargs)
    return {m.provider_id: m for m in page.items}


# ------------------------------------------------------------------------------------ certifications


async def test_only_active_unexpired_certificates_count(world: World):
    found = await matched(world, capacity_need())
    assert "prv_cd_die" in found and "prv_cd_die2" in found  # ACTIVE, valid for a year, in 成渝
    assert "prv_yb_die" not in found  # IN_PROGRESS
    assert "prv_my_die" not in found  # EXPIRED
    assert "prv_dy_die" not in found  # says ACTIVE, but valid_until was yesterday
    assert "prv_sz_die" not in found  # certified, but in 苏州, outside 成渝地区


@pytest.mark.parametrize(("valid_for", "included"), [(0, True), (-1, False)])
async def test_certificate_valid_until_today_is_still_valid(world: World, valid_for: int, included: bool):
    await world.provider("prv_dy_die", certifications=[cert("ACTIVE", valid_for)])
    found = await matched(world, capacity_need())
    assert ("prv_dy_die" in found) is included


async def test_a_certificate_nobody_holds_excludes_everyone(world: World):
    found = await matched(world, capacity_need(certification_codes=[IATF, "CERT.ISO13485"]))
    assert found == {}


# -------------------------------------------------------------------------------------------- regions


@pytest.mark.parametrize(("regions", "expected"), [
    ([CHENGYU], DIE_CASTERS_IN_CHENGYU),  # group: 成都, 渝北 (重庆), 绵阳, 德阳
    ([SICHUAN], DIE_CASTERS_IN_CHENGYU - {"prv_yb_die"}),  # province: not 重庆
    ([CHENGDU], {"prv_cd_die", "prv_cd_die2"}),  # city
    (["GRP.YANGTZE_DELTA"], {"prv_sz_die"}),  # 长三角: 苏州
    ([CHENGDU, "GRP.YANGTZE_DELTA"], {"prv_cd_die", "prv_cd_die2", "prv_sz_die"}),  # any of several
])
async def test_region_constraint_by_city_province_and_group(world: World, regions: list[str], expected: set[str]):
    found = await matched(world, capacity_need(certification_codes=[], region_codes=regions))
    die_casters = {p for p in found if p.endswith("_die") or p.endswith("_die2")}
    assert die_casters == expected


# ------------------------------------------------------------------------------------------ provider kind


async def test_capacity_needs_get_manufacturers_with_a_published_offer(world: World):
    found = await matched(world, capacity_need(certification_codes=[], region_codes=[]))
    assert found and all(m.provider_kind == "MANUFACTURER" and m.offer_id for m in found.values())
    await world.offer("prv_cd_die", status="WITHDRAWN")
    assert "prv_cd_die" not in await matched(world, capacity_need(certification_codes=[], region_codes=[]))


async def test_service_needs_get_providers_with_matching_statements(world: World):
    found = await matched(world, service_need())
    ranked = sorted(found.values(), key=lambda m: -m.score)
    assert [m.provider_id for m in ranked[:2]] == ["prv_cd_sec", "prv_sh_sec"]
    assert all(m.offer_id is None for m in found.values())


# ------------------------------------------------------------------------------- capacity: volume, window


def die_need(**overrides) -> dict:
    """Only the capacity arithmetic decides: no certificate, no region."""
    return capacity_need(certification_codes=[], region_codes=[CHENGDU], **overrides)


@pytest.mark.parametrize(("quantity", "deadline", "included"), [
    (9000, 99, True),  # exactly the deliverable volume: 3,000/month × 90 days
    (9001, 99, False),  # one piece more
    (9000, 98, False),  # deadline one day earlier: 89 days, 8,900 pieces
    (8900, 98, True),
])
async def test_volume_and_deadline_edges(world: World, quantity: int, deadline: int, included: bool):
    found = await matched(world, die_need(quantity=quantity, deadline=d(deadline)))
    assert ("prv_cd_die" in found) is included


@pytest.mark.parametrize(("quantity", "included"), [(500, True), (499, False)])
async def test_quantity_must_reach_the_moq(world: World, quantity: int, included: bool):
    found = await matched(world, die_need(quantity=quantity))
    assert ("prv_cd_die" in found) is included


@pytest.mark.parametrize(("quantity", "included"), [(8000, True), (8001, False)])
async def test_booked_volume_is_no_longer_available(world: World, quantity: int, included: bool):
    await world.offer("prv_cd_die", booked_volume=1000)
    found = await matched(world, die_need(quantity=quantity))
    assert ("prv_cd_die" in found) is included


@pytest.mark.parametrize(("quantity", "included"), [(3000, True), (3001, False)])
async def test_offer_window_end_limits_production(world: World, quantity: int, included: bool):
    await world.offer("prv_cd_die", available_to=d(29))  # days 0…29: 30 days, 3,000 pieces
    found = await matched(world, die_need(quantity=quantity, deadline=d(150)))
    assert ("prv_cd_die" in found) is included


@pytest.mark.parametrize(("quantity", "included"), [(3000, True), (3001, False)])
async def test_offer_starting_later_has_fewer_days(world: World, quantity: int, included: bool):
    await world.offer("prv_cd_die", available_from=d(60))  # days 60…89: 30 days
    found = await matched(world, die_need(quantity=quantity))
    assert ("prv_cd_die" in found) is included


async def test_a_window_closed_before_the_deadline_minus_lead_time_delivers_nothing(world: World):
    await world.offer("prv_cd_die", lead_time_days=95)  # last production day 99 − 95 = 4: 5 days, 500
    assert "prv_cd_die" in await matched(world, die_need(quantity=500))
    await world.offer("prv_cd_die", lead_time_days=100)  # last day −1 < today: no day left
    assert "prv_cd_die" not in await matched(world, die_need(quantity=500))


async def test_units_must_be_equal(world: World):
    assert "prv_cd_die" not in await matched(world, die_need(unit="KG"))
    assert "prv_cd_die" in await matched(world, die_need(unit="PIECE"))


async def test_as_of_reproduces_feasibility_on_another_day(world: World):
    """asOf + 80: days 80…89 are left, 1,000 pieces; nothing is stored for that day."""
    later = today() + timedelta(days=80)
    assert "prv_cd_die" in await matched(world, die_need(quantity=1000), as_of=later)
    assert "prv_cd_die" not in await matched(world, die_need(quantity=1001), as_of=later)
    page = await engine.match_need(world.db, world.cache.embedder, "ned_die", as_of=later)
    assert page.recomputed and all(m.computed_at is None for m in page.items)
