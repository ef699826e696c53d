"""Provider responses, two-sided ratings and the fulfilment score, on real Neo4j (and the pure rules)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from matching_world import World, capacity_need
from test_deal_lifecycle import ENTERPRISE, PROVIDER, accepted_deal

from graph.repositories import deal_records
from graph.repositories import deals as deals_repo
from graph.viewer import Viewer
from matching import engine, feedback
from matching.deals import fulfilment, lifecycle, ratings, responses
from matching.engine import MatchingError
from matching.freshness import today
from matching.validation import ErrorCode

QUOTE = {"interest": "INTERESTED", "price": 182000.0, "currency": "cny", "lead_time_days": 25,
         "valid_until": None, "message": "可按期交付，含首件检验", "offer_id": "off_cd_die"}


async def test_a_matching_provider_quotes_and_revises_until_the_enterprise_decides(world: World):
    await world.need(capacity_need())
    first = await responses.respond(world.db, PROVIDER, "ned_die", QUOTE, today=today())
    assert (first.interest, first.revision) == ("INTERESTED", 1)
    revised = await responses.respond(world.db, PROVIDER, "ned_die", {**QUOTE, "price": 175000.0}, today=today())
    assert (revised.id, revised.revision) == (first.id, 2)  # one response per (provider, need)
    stored = (await deals_repo.responses_for_pairs(world.db, [{"need_id": "ned_die", "provider_id": "prv_cd_die"}]))
    assert stored[0]["response"]["price"] == 175000.0 and stored[0]["response"]["currency"] == "CNY"
    assert stored[0]["response"]["offer_id"] == "off_cd_die"
    own = await deals_repo.responses_of_provider(world.db, "prv_cd_die")
    assert [(r["need_id"], r["need_status"]) for r in own] == [("ned_die", "OPEN")]

    match_id = await accepted_deal(world)
    with pytest.raises(MatchingError, match="already decided"):
        await responses.respond(world.db, PROVIDER, "ned_die", QUOTE, today=today())
    assert (await deals_repo.responses_of_provider(world.db, "prv_cd_die"))[0]["match_id"] == match_id


@pytest.mark.parametrize(("viewer", "need_id", "data", "code"), [
    (Viewer("PROVIDER", "prv_cd_sec"), "ned_die", QUOTE, "NOT_FOUND"),  # a service provider: not a match
    (Viewer("PROVIDER", "prv_cd_die"), "ned_nope", QUOTE, "NOT_FOUND"),
    (Viewer("ENTERPRISE", "ent_car"), "ned_die", QUOTE, "FORBIDDEN"),
    (Viewer("PROVIDER", "prv_cd_die"), "ned_die", {**QUOTE, "offer_id": "off_cd_die2"}, "NOT_FOUND"),
    (Viewer("PROVIDER", "prv_cd_die"), "ned_die", {**QUOTE, "interest": "MAYBE"}, "INVALID"),
    (Viewer("PROVIDER", "prv_cd_die"), "ned_die", {**QUOTE, "price": -1}, "NEGATIVE"),
    (Viewer("PROVIDER", "prv_cd_die"), "ned_die", {**QUOTE, "currency": "yuan"}, "INVALID"),
    (Viewer("PROVIDER", "prv_cd_die"), "ned_die", {**QUOTE, "valid_until": date(2020, 1, 1)}, "DEADLINE_IN_PAST"),
    (Viewer("PROVIDER", "prv_cd_die"), "ned_die", {**QUOTE, "message": "长" * 2001}, "TOO_LONG"),
])
async def test_a_response_is_refused_whole(world: World, viewer, need_id, data, code):
    await world.need(capacity_need())
    with pytest.raises(MatchingError) as refused:
        await responses.respond(world.db, viewer, need_id, data, today=today())
    assert refused.value.code is ErrorCode[code]
    assert await deals_repo.responses_of_need(world.db, "ned_die") == []


async def test_both_sides_rate_a_completed_deal_once(world: World):
    match_id = await accepted_deal(world)
    stars = {"quality": 5, "delivery": 4, "communication": 4, "comment": "质量稳定"}
    with pytest.raises(MatchingError, match="COMPLETED"):
        await ratings.rate(world.db, ENTERPRISE, match_id, stars)
    for viewer, to in [(ENTERPRISE, "CONTRACTED"), (PROVIDER, "DELIVERED"), (ENTERPRISE, "COMPLETED")]:
        await lifecycle.advance(world.db, viewer, match_id, to)
    with pytest.raises(MatchingError, match="delivery is required"):
        await ratings.rate(world.db, ENTERPRISE, match_id, {"quality": 5, "communication": 4})
    with pytest.raises(MatchingError, match="whole number"):
        await ratings.rate(world.db, ENTERPRISE, match_id, {**stars, "quality": 6})
    with pytest.raises(MatchingError, match="not payment"):
        await ratings.rate(world.db, ENTERPRISE, match_id, {**stars, "payment": 5})
    with pytest.raises(engine.NotFound):
        await ratings.rate(world.db, Viewer("PROVIDER", "prv_cd_die2"), match_id, {"clarity": 5, "payment": 5})
    await ratings.rate(world.db, ENTERPRISE, match_id, stars)
    await ratings.rate(world.db, PROVIDER, match_id, {"clarity": 4, "payment": 5})
    with pytest.raises(MatchingError, match="already rated"):
        await ratings.rate(world.db, ENTERPRISE, match_id, stars)
    summary = (await deals_repo.provider_ratings(world.db, ["prv_cd_die"]))[0]
    assert summary["count"] == 1 and summary["mean"] == pytest.approx(13 / 3) and summary["prior"] == 4.5
    assert (await deals_repo.enterprise_ratings(world.db, ["ent_car"]))[0]["mean"] == 4.5

    scored = (await fulfilment.fulfilment(world.db, ["prv_cd_die", "prv_cd_die2"], today()))
    assert scored["prv_cd_die2"].status == "NEW" and scored["prv_cd_die2"].score is None
    mine = scored["prv_cd_die"]
    parts = {part.name: part for part in mine.parts}
    assert mine.status == "SCORED" and mine.deals == 1
    assert parts["on_time"].value == 1.0 and parts["completion"].value == 1.0
    assert parts["rating"].value == pytest.approx((13 / 3 - 1) / 4, abs=1e-3)
    assert "on time 1/1" in mine.summary() and "rated 4.3/5 (1)" in mine.summary()


async def test_a_cancellation_by_the_provider_counts_against_it_and_one_by_the_enterprise_does_not(world: World):
    dropped = await accepted_deal(world)
    await lifecycle.advance(world.db, PROVIDER, dropped, "CANCELLED", note="排产冲突")
    await world.need(capacity_need("ned_two", quantity=1000))
    kept = await accepted_deal(world, "ned_two")
    await lifecycle.advance(world.db, ENTERPRISE, kept, "CANCELLED", note="项目取消")
    scored = (await fulfilment.fulfilment(world.db, ["prv_cd_die"], today()))["prv_cd_die"]
    assert {p.name: p.value for p in scored.parts}["completion"] == 0.0
    assert "completed 0/1 (1 cancelled by the provider)" in scored.summary()


async def test_a_decline_is_kept_and_counts_as_an_answer(world: World):
    await world.need(capacity_need())
    page = await engine.match_need(world.db, world.cache.embedder, "ned_die", first=50)
    assert any(m.provider_id == "prv_cd_die2" for m in page.items)
    await responses.respond(world.db, Viewer("PROVIDER", "prv_cd_die2"), "ned_die",
                            {"interest": "DECLINED", "message": "产能已满"}, today=today())
    records = (await deal_records.fulfilment(world.db, ["prv_cd_die2"], as_of=today(),
                                           window_start=fulfilment.window_start(today()), deal_cap=10))[0]
    assert records["opportunity_counts"] == {"offered": 1, "answered": 1}
    await feedback.reject_match(world.db, next(m.id for m in page.items if m.provider_id == "prv_cd_die"),
                                "价格", enterprise_id="ent_car")


# ------------------------------------------------------------------------------------ the pure score

AS_OF = date(2026, 6, 30)


def deal(days_ago: int, status: str = "COMPLETED", late: bool = False, by: str | None = None,
         rating: float | None = None) -> dict:
    accepted = AS_OF - timedelta(days=days_ago)
    delivered = accepted + timedelta(days=20) if status in ("DELIVERED", "COMPLETED") else None
    deadline = accepted + timedelta(days=10 if late else 30)
    return {"status": status, "accepted": accepted, "delivered": delivered, "deadline": deadline,
            "cancelled_by": by, "rating": rating}


def test_a_provider_without_outcomes_is_new_not_average():
    assert fulfilment.score("p", [], None, AS_OF).status == "NEW"
    under_way = fulfilment.score("p", [deal(5, "CONTRACTED")], {"offered": 4, "answered": 3}, AS_OF)
    assert under_way.status == "NEW" and under_way.score is None
    assert [p.name for p in under_way.parts] == ["responsiveness"]


def test_the_window_is_six_months_or_the_last_ten_deals():
    old = [deal(300 + i, late=True) for i in range(20)]  # all late, long ago
    recent = [deal(10 + i) for i in range(12)]  # twelve on time within six months
    assert fulfilment.score("p", old + recent, None, AS_OF).deals == 12
    assert {p.name: p.value for p in fulfilment.score("p", old + recent, None, AS_OF).parts}["on_time"] == 1.0
    few = fulfilment.score("p", old + recent[:3], None, AS_OF)  # 3 recent: reach back to ten deals
    assert few.deals == 10 and few.window_from == AS_OF - timedelta(days=306)
    assert {p.name: p.value for p in few.parts}["on_time"] == pytest.approx(0.3)


def test_the_parts_are_weighted_over_those_present():
    scored = fulfilment.score("p", [deal(5, rating=5.0), deal(6, late=True, rating=3.0),
                                    deal(7, "CANCELLED", by="PROVIDER"), deal(8, "CANCELLED", by="ENTERPRISE")],
                              {"offered": 10, "answered": 5}, AS_OF)
    parts = {p.name: p for p in scored.parts}
    assert parts["on_time"].value == 0.5 and parts["completion"].value == pytest.approx(2 / 3, abs=1e-4)
    assert parts["rating"].value == pytest.approx(0.75) and parts["responsiveness"].value == 0.5
    assert sum(p.weight for p in scored.parts) == pytest.approx(1.0)
    expected = 0.35 * 0.5 + 0.30 * (2 / 3) + 0.20 * 0.75 + 0.15 * 0.5
    assert scored.score == pytest.approx(expected, abs=1e-3)
