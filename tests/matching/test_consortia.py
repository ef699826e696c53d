"""协同型共享制造: consortia when no single manufacturer can deliver, and how shares are given."""

from __future__ import annotations

from matching_world import CHENGDU, World, capacity_need

from matching import engine
from matching.consortia import Member, allocate, propose


def member(pid: str, score: float, deliverable: float, moq: float = 0) -> Member:
    return Member(pid, pid, f"off_{pid}", score, deliverable, moq, "PIECE")


def test_allocation_is_greedy_by_score_and_respects_each_moq():
    shares = allocate([member("b", 0.5, 9000, moq=7000), member("a", 0.9, 9000, moq=500)], 15000)
    assert [(s.member.provider_id, s.share) for s in shares] == [("a", 8000), ("b", 7000)]
    assert allocate([member("a", 0.9, 9000), member("b", 0.5, 5000)], 15000) is None  # 14,000 < 15,000
    assert allocate([member("a", 0.9, 9000, moq=9000), member("b", 0.5, 9000, moq=7000)], 15000) is None


def test_fewest_members_first_then_best_score():
    members = [member("a", 0.9, 6000), member("b", 0.8, 6000), member("c", 0.7, 9000), member("d", 0.3, 9000)]
    proposals = propose(members, 15000, "PIECE")
    assert all(len(p.shares) == 2 for p in proposals)  # pairs cover it: no three-member proposal
    assert [s.member.provider_id for s in proposals[0].shares] == ["a", "c"]  # best share-weighted score
    assert [s.share for s in proposals[0].shares] == [6000, 9000]
    three = propose([member("a", 0.9, 6000), member("b", 0.8, 6000), member("e", 0.7, 4000)], 15000, "PIECE")
    assert len(three) == 1 and [s.share for s in three[0].shares] == [6000, 6000, 3000]
    assert propose(members, 100_000, "PIECE") == []


async def test_consortium_proposed_when_no_single_manufacturer_can_deliver(world: World):
    """Two 成都 aluminium die casters deliver 9,000 each by the deadline; the need is 15,000."""
    need_id = await world.need(capacity_need(quantity=15000, region_codes=[CHENGDU]))
    alone = await engine.match_need(world.db, world.cache.embedder, need_id)
    assert not {m.provider_id for m in alone.items} & {"prv_cd_die", "prv_cd_die2"}
    result = await engine.consortia(world.db, world.cache.embedder, need_id)
    assert not result.single_provider_feasible and result.proposals
    best = result.proposals[0]
    assert {s.member.provider_id for s in best.shares} == {"prv_cd_die", "prv_cd_die2"}
    assert sum(s.share for s in best.shares) == 15000
    assert all(s.member.moq <= s.share <= s.member.deliverable for s in best.shares)
    assert best.shares[0].share == 9000  # the better-scored member makes all it can
    assert "2 manufacturers cover 15,000" in best.explanation


async def test_no_consortium_when_one_manufacturer_suffices_or_none_qualifies(world: World):
    need_id = await world.need(capacity_need(quantity=5000))
    result = await engine.consortia(world.db, world.cache.embedder, need_id)
    assert result.single_provider_feasible and result.proposals == []
    need_id = await world.need(capacity_need(quantity=500_000))
    result = await engine.consortia(world.db, world.cache.embedder, need_id)
    assert not result.single_provider_feasible and result.proposals == []
    need_id = await world.need(capacity_need(need_id="ned_service", kind="SERVICE"))
    assert (await engine.consortia(world.db, world.cache.embedder, need_id)).proposals == []
