"""Short versions of ``make soak`` (benchmarks/soak): load with reconciliation, abusive documents, fuzzing."""

from __future__ import annotations

import asyncio

from benchmarks.soak import ABUSIVE, abusive, load, reconcile
from benchmarks.soak.fuzz import fuzz


async def test_short_load_has_no_5xx_and_every_acknowledged_write_is_in_neo4j(live_server, api, db):
    report = await load(live_server.url, clients=4, seconds=8)
    assert report.requests > 0 and report.server_errors == 0, report.status
    assert report.acknowledged_writes
    assert await reconcile(db, report.acknowledged_writes) == []


async def test_abusive_documents_are_refused_without_a_neo4j_call(live_server, api):
    results = await abusive(live_server.url)
    assert [r.name for r in results] == list(ABUSIVE)
    for result in results:
        assert 400 <= result.status < 500 or result.code is not None, result
        assert result.code not in (None, "INTERNAL_SERVER_ERROR") or result.status in (400, 413), result
        assert not result.cypher_round_trips, result


async def test_short_fuzzing_finds_no_untyped_error(live_server, api):
    report = await asyncio.to_thread(fuzz, live_server.url, 25)
    assert report.cases >= 25 * 5 and report.failures == [], report.failures
