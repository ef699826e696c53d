"""The sample's deals (seed/data/sample/deals.jsonl) driven through the real commands: every state,
responses and ratings are there after loading, bookings add up, and loading again changes nothing."""

from __future__ import annotations

import pytest

from graph.repositories import deals as deals_repo
from seed.deals import ACTOR, load_deals, read_plan
from seed.loader import default_sample_dir, load_sample

STATES = """
MATCH (m:Match) WHERE EXISTS { (m)-[:HAD_TRANSITION]->(:MatchTransition {actor: $actor}) }
RETURN collect(DISTINCT m.status) AS statuses,
       COUNT { MATCH (:Match)-[:HAS_RATING]->(r:Rating) } AS ratings,
       COUNT { MATCH (:Response {interest: 'DECLINED'}) } AS declined,
       COUNT { MATCH (:Response {interest: 'INTERESTED'}) } AS interested,
       COUNT { MATCH (:MatchTransition {actor: $actor}) } AS transitions
"""


@pytest.mark.slow
async def test_sample_deals_cover_every_state_and_load_once(sample_db, embedder):
    first = await load_deals(sample_db, embedder, default_sample_dir())
    plan = read_plan(default_sample_dir() / "deals.jsonl")
    if first["deals"] == 0:  # already loaded in this database by an earlier run
        assert await deals_repo.seeded(sample_db, ACTOR)
    else:
        assert first["deals"] + first["deals_skipped"] == len(plan) and first["deals_skipped"] == 0
    found = (await sample_db.read(STATES, actor=ACTOR))[0]
    assert {"ACCEPTED", "CONTRACTED", "DELIVERED", "COMPLETED", "CANCELLED", "REJECTED"} <= set(found["statuses"])
    assert found["ratings"] >= 6 and found["declined"] >= 2 and found["interested"] >= 9
    assert await deals_repo.booking_drift(sample_db) == []

    again = await load_deals(sample_db, embedder, default_sample_dir())
    assert again == {"deals": 0, "deals_skipped": 0}
    await load_sample(sample_db, embedder, progress=False)  # reloading the sample keeps the deals' bookings
    assert await deals_repo.booking_drift(sample_db) == []
    assert (await sample_db.read(STATES, actor=ACTOR))[0] == found
