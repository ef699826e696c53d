"""Short versions of ``make soak`` (benchmarks/soak): load with reconciliation, abusive documents, fuzzing,
Neo4j killed under a write load."""

from __future__ import annotations

import asyncio

import pytest

from benchmarks.soak import ABUSIVE, abusive, load, reconcile
from benchmarks.soak.faults import run_faults
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


@pytest.mark.slow
async def test_short_fault_run_loses_and_half_writes_nothing(neo4j_env, live_server):
    """Neo4j SIGKILLed once under a write load (its own instance): clear 503s while down, no 500, the app
    recovers without a restart, every acknowledged write is there and every written enterprise is whole."""
    report = await run_faults(clients=4, seconds=30, kills=1, down_s=3)
    assert report["faults_injected"] == 1 and len(report["recovery_s"]) == 1
    assert report["answers_while_down"] and all(
        s.startswith("503 SERVICE_UNAVAILABLE") or s == "200" for s in report["answers_while_down"]), report
    assert not [s for s in report["status"] if s.startswith("500")], report["status"]
    assert report["acknowledged_writes"] > 0 and report["missing"] == [] and report["incomplete"] == [], report
