"""The reports over GraphQL: STAFF only, a region-scoped STAFF token sees only its region, filters checked."""

from __future__ import annotations

import pytest
import report_world

from graph.repositories import tokens

REPORTS = """
query Reports($filter: ReportFilterInput!) {
  staffReports(filter: $filter) {
    scope
    gap { key categoryCode needs openNeeds matchedNeeds providers offers }
    byIndustry: gap(by: INDUSTRY) { key categoryCode needs }
    unmatchedNeeds(first: 10) { total needs { needId listedProviders feasibleProviders reasons
                                              eliminated { noCapability certification region unit moq } } }
    coverage(minProviders: 2, categories: ["P.MACH"]) { regionCode capabilityCode providers openNeeds }
    funnel { bucket posted matched accepted completed matchStatuses { status count } }
    enterprisesServed { total byRegion { key enterprises } bySize { key label enterprises } }
    topProviders { providerId completed accepted matches }
  }
}
"""
FILTER = {"from": "2026-01-01", "to": "2026-06-30"}


@pytest.fixture
async def world(api, clean_db):
    await report_world.build(clean_db)
    return api


async def _staff(db, region: str | None = None) -> str:
    issued = tokens.issue()
    await tokens.create_standalone(db, issued.id, issued.hash, "STAFF", "ops", region)
    return issued.secret


async def test_staff_gets_every_report(world, clean_db):
    data = (await world.ok(REPORTS, {"filter": FILTER}, token=await _staff(clean_db)))["staffReports"]
    assert data["scope"] is None
    assert {(c["key"], c["categoryCode"]): c["needs"] for c in data["gap"]} == \
        {("510000", "P.MACH"): 2, ("500000", "S.RND"): 2, ("310000", "S.RND"): 1}
    assert {(c["key"], c["categoryCode"]) for c in data["byIndustry"]} == \
        {("C34", "P.MACH"), ("C34", "S.RND"), ("C36", "S.RND")}
    unmatched = data["unmatchedNeeds"]
    assert unmatched["total"] == 2
    n4 = unmatched["needs"][0]
    assert n4["needId"] == "N4" and n4["eliminated"] == {"noCapability": 2, "certification": 0, "region": 1,
                                                         "unit": 1, "moq": 1}
    assert data["funnel"][0] == {"bucket": "2026-03-01", "posted": 2, "matched": 2, "accepted": 1, "completed": 0,
                                 "matchStatuses": [{"status": "ACCEPTED", "count": 1},
                                                   {"status": "PROPOSED", "count": 1},
                                                   {"status": "REJECTED", "count": 1}]}
    served = data["enterprisesServed"]
    assert served["total"] == 2
    assert {g["key"]: g["label"] for g in served["bySize"]} == {"SMALL": "小型", "UNKNOWN": "未填写"}
    assert [p["providerId"] for p in data["topProviders"]] == ["PD", "PA", "PC"]


async def test_region_scoped_staff_sees_only_its_region(world, clean_db):
    """A 重庆 staff token: 重庆's gap cell, E2 served, PD (the 重庆 provider with matches) on top,
    even when it asks for the whole 成渝地区."""
    token = await _staff(clean_db, "500000")
    data = (await world.ok(REPORTS, {"filter": {**FILTER, "regions": ["成渝地区"]}}, token=token))["staffReports"]
    assert data["scope"] == "500000"
    assert {(c["key"], c["categoryCode"]) for c in data["gap"]} == {("500000", "S.RND")}
    assert data["unmatchedNeeds"]["total"] == 0
    assert data["enterprisesServed"]["total"] == 1
    assert [p["providerId"] for p in data["topProviders"]] == ["PD"]
    assert {c["regionCode"] for c in data["coverage"]} <= {"500000"}
    assert sum(b["posted"] for b in data["funnel"]) == 2  # N2, N5


async def test_reports_are_forbidden_to_everyone_else(world):
    _, enterprise_token, _ = await world.register_enterprise()
    for token in (None, enterprise_token):
        result = await world.run(REPORTS, {"filter": FILTER}, token=token)
        assert result.code() == "FORBIDDEN"
        assert result.data is None


async def test_bad_filters_are_typed_errors(world, clean_db):
    token = await _staff(clean_db)
    unknown = await world.run(REPORTS, {"filter": {**FILTER, "regions": ["火星"]}}, token=token)
    assert unknown.code() == "BAD_USER_INPUT" and "火星" in unknown.errors[0]["message"]
    backwards = await world.run(REPORTS, {"filter": {"from": "2026-06-01", "to": "2026-01-01"}}, token=token)
    assert backwards.code() == "BAD_USER_INPUT"
