"""Read-found role defects of the matching fields (issue 10), each over HTTP with the real client:

* STAFF read everything and change nothing (docs/API.md): ``acceptMatch`` / ``rejectMatch`` with a STAFF
  token are FORBIDDEN and write nothing;
* a PROVIDER token learns nothing about needs that are not its business: ``matches`` on a need it has no
  stored match on answers exactly as for a missing need, and never recomputes (no Match is written);
  ``consortia`` is FORBIDDEN before the need is looked up, whatever the id.
"""

from __future__ import annotations

from matching_world import World, capacity_need
from test_matching import ACCEPT, CONSORTIA, MATCHES, REJECT, GraphQLClient, client, edges  # noqa: F401

STORED = "MATCH (:Need {id: $id})-[:HAS_MATCH]->(m:Match) RETURN count(m) AS n, collect(m.status) AS statuses"


async def test_staff_cannot_decide_on_matches(world: World, client: GraphQLClient):  # noqa: F811
    await world.need(capacity_need())
    nodes = {n["provider_id"]: n for n in edges(await client.ok(MATCHES, {"needId": "ned_die"}, "car"))}
    match_id = nodes["prv_cd_die"]["id"]
    accepted = (await client.ok(ACCEPT, {"id": match_id}, "staff"))["acceptMatch"]
    assert accepted["match"] is None and [e["code"] for e in accepted["errors"]] == ["FORBIDDEN"]
    rejected = (await client.ok(REJECT, {"id": match_id, "reason": "不合适"}, "staff"))["rejectMatch"]
    assert rejected["match"] is None and [e["code"] for e in rejected["errors"]] == ["FORBIDDEN"]
    rows = await world.db.read(STORED, id="ned_die")
    assert set(rows[0]["statuses"]) == {"PROPOSED"}  # nothing was decided
    booked = await world.db.read("MATCH (o:CapacityOffer {id: 'off_cd_die'}) RETURN o.booked_volume AS b")
    assert not booked[0]["b"]


async def test_a_provider_cannot_tell_other_needs_from_missing_ones(world: World, client: GraphQLClient):  # noqa: F811
    await world.need(capacity_need())  # never matched yet: nothing stored
    existing = await client.run(MATCHES, {"needId": "ned_die"}, "die")
    missing = await client.run(MATCHES, {"needId": "ned_no_such_need"}, "die")
    assert existing.data is None and missing.data is None
    assert [(e["message"], e["extensions"]) for e in existing.errors] == \
        [(e["message"], e["extensions"]) for e in missing.errors]
    assert existing.code == "NOT_FOUND"
    assert (await world.db.read(STORED, id="ned_die"))[0]["n"] == 0  # the provider triggered no recomputation
    past = await client.run(MATCHES, {"needId": "ned_die", "asOf": "2026-01-01"}, "die")
    assert past.code == "FORBIDDEN" and (await world.db.read(STORED, id="ned_die"))[0]["n"] == 0

    for need_id in ("ned_die", "ned_no_such_need"):  # consortia: refused before the need is looked up
        reply = await client.run(CONSORTIA, {"needId": need_id}, "die")
        assert reply.code == "FORBIDDEN", (need_id, reply.errors)

    await client.ok(MATCHES, {"needId": "ned_die"}, "car")  # the enterprise computes and stores them
    own = edges(await client.ok(MATCHES, {"needId": "ned_die"}, "die"))
    assert [n["provider_id"] for n in own] == ["prv_cd_die"]  # then the provider sees its own match only
