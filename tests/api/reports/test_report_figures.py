"""Each report's figures against the hand-built graph of ``report_world`` (counted by hand below)."""

from __future__ import annotations

from datetime import date

import pytest
import report_world

from matching.reports import ReportFilter, ReportFilterError, StaffReports

FLT = ReportFilter(**report_world.PERIOD)


@pytest.fixture
async def world(clean_db, reference_data):
    await report_world.build(clean_db)
    return clean_db


def _cells(rows):
    return {(r.key, r.category_code): (r.needs, r.open_needs, r.matched_needs, r.providers, r.offers) for r in rows}


async def test_gap_by_region(world):
    """四川×机械加工: N1, N4 (2 needs, both open, N1 matched); supply PA with offer O1.
    重庆×研发设计: N2, N5 (N5 closed; both matched); supply PD (statement only).
    上海×研发设计: N3 (open, unmatched); supply PC. 重庆×机械加工 has supply (PB) but no need: not listed.
    N6 lies before the period."""
    rows = await StaffReports(world).gap(FLT)
    assert _cells(rows) == {("510000", "P.MACH"): (2, 2, 1, 1, 1),
                            ("500000", "S.RND"): (2, 1, 2, 1, 0),
                            ("310000", "S.RND"): (1, 1, 0, 1, 0)}
    grouped = await StaffReports(world).gap(ReportFilter(**report_world.PERIOD, regions=["成渝地区"]))
    assert set(_cells(grouped)) == {("510000", "P.MACH"), ("500000", "S.RND")}


async def test_gap_by_industry(world):
    """C34 (E1, E3): 机械加工 N1, N4; 研发设计 N3. C36 (E2): 研发设计 N2, N5. Supply for an industry is
    every listed provider: 机械加工 PA, PB; 研发设计 PC, PD."""
    rows = await StaffReports(world).gap(FLT, "INDUSTRY")
    assert _cells(rows) == {("C34", "P.MACH"): (2, 2, 1, 2, 2), ("C34", "S.RND"): (1, 1, 0, 2, 0),
                            ("C36", "S.RND"): (2, 1, 2, 2, 0)}
    only = await StaffReports(world).gap(ReportFilter(**report_world.PERIOD, industries=["C36"]), "INDUSTRY")
    assert set(_cells(only)) == {("C36", "S.RND")}


async def test_unmatched_needs_with_eliminations(world):
    """Unmatched: N3 and N4 (newest first). Of 4 listed providers:
    N4 (capacity, CNC, 50 件, within 重庆): capable PA, PB; PA is in 成都 (region) and its MOQ is 100
    (moq); PB offers 吨 (unit); nobody feasible.
    N3 (FEA + ISO9001): capable PD (FEA) and PC (FEA's parent); neither holds ISO9001."""
    total, needs = await StaffReports(world).unmatched(FLT, as_of=date(2026, 11, 29))
    assert total == 2
    assert [n.need_id for n in needs] == ["N4", "N3"]
    n4, n3 = needs
    assert (n4.listed, n4.feasible) == (4, 0)
    assert n4.eliminated == {"no_capability": 2, "kind": 0, "certification": 0, "region_eliminated": 1,
                             "unit": 1, "window": 0, "moq": 1, "volume": 0}
    assert n3.eliminated == {"no_capability": 2, "kind": 0, "certification": 2, "region_eliminated": 0,
                             "unit": 0, "window": 0, "moq": 0, "volume": 0}
    assert "资质认证 2" in n3.reasons
    # 重庆's needs (N2, N5) all have a match
    assert await StaffReports(world).unmatched(ReportFilter(**report_world.PERIOD, regions=["重庆"])) == (0, [])


async def test_coverage(world):
    """四川省 has one provider (PA) able to do 数控加工 and two open needs (N1, N4) asking for it."""
    reports = StaffReports(world)
    flt = ReportFilter(**report_world.PERIOD, regions=["四川省"])
    rows = await reports.coverage(flt, min_providers=2, categories=["P.MACH"])
    assert (rows[0].region_code, rows[0].capability_code, rows[0].providers, rows[0].open_needs) == \
        ("510000", "P.MACH.CNC", 1, 2)
    machining = next(r for r in rows if r.capability_code == "P.MACH")
    assert (machining.providers, machining.open_needs) == (1, 0)
    assert {r.region_code for r in rows} == {"510000"}
    assert all(r.providers < 2 for r in rows)
    served = await reports.coverage(flt, min_providers=1, categories=["P.MACH"])
    assert "P.MACH.CNC" not in {r.capability_code for r in served}


async def test_funnel_monthly(world):
    """2026-03: N1 (accepted), N2 (proposed + rejected). 2026-04: N3, N4 (no match).
    2026-05: N5 (completed, which is past accepted and contracted)."""
    rows = await StaffReports(world).funnel(FLT)
    got = {r.bucket: (r.posted, r.matched, r.accepted, r.contracted, r.completed, r.cancelled, r.rejected)
           for r in rows}
    assert got == {"2026-03-01": (2, 2, 1, 0, 0, 0, 0), "2026-04-01": (2, 0, 0, 0, 0, 0, 0),
                   "2026-05-01": (1, 1, 1, 1, 1, 0, 0)}
    march = next(r for r in rows if r.bucket == "2026-03-01")
    assert march.match_statuses == {"ACCEPTED": 1, "PROPOSED": 1, "REJECTED": 1}
    weekly = await StaffReports(world).funnel(ReportFilter(**report_world.PERIOD, bucket="week"))
    assert sum(r.posted for r in weekly) == 5 and len(weekly) == 5


async def test_enterprises_served(world):
    """Accepted or later in the period: E1 (N1), E2 (N5 completed). E3's accepted N6 is before it."""
    rows = await StaffReports(world).served(FLT)
    got = {(r.dimension, r.key): r.enterprises for r in rows}
    assert got == {("TOTAL", ""): 2, ("REGION", "510000"): 1, ("REGION", "500000"): 1,
                   ("SIZE", "SMALL"): 1, ("SIZE", "UNKNOWN"): 1}
    assert {r.label for r in rows if r.dimension == "SIZE"} == {"小型", "未填写"}


async def test_top_providers(world):
    """PD: N2 proposed, N5 completed; PA: N1 accepted; PC: N2 rejected (N6 is out); PB: no match."""
    rows = await StaffReports(world).top_providers(FLT)
    assert [(r.provider_id, r.completed, r.accepted, r.matches) for r in rows] == \
        [("PD", 1, 1, 2), ("PA", 0, 1, 1), ("PC", 0, 0, 1)]


async def test_unlisted_providers_are_not_supply(world):
    """A provider whose listing was suspended (issue 11's listing_status) stops counting."""
    await world.write("MATCH (p:Provider {id: 'PC'}) SET p.listing_status = 'SUSPENDED'")
    rows = await StaffReports(world).gap(FLT)
    assert _cells(rows)[("310000", "S.RND")] == (1, 1, 0, 0, 0)


async def test_filter_is_strict(world):
    reports = StaffReports(world)
    with pytest.raises(ReportFilterError, match="unknown region"):
        await reports.gap(ReportFilter(**report_world.PERIOD, regions=["火星"]))
    with pytest.raises(ReportFilterError):
        await reports.gap(ReportFilter(date_from=date(2026, 2, 1), date_to=date(2026, 1, 1)))


async def test_scope_limits_to_the_jurisdiction(world):
    """A 重庆 staff scope sees 重庆's cells only, even when asking for 成渝地区."""
    scoped = StaffReports(world, scope="重庆")
    rows = await scoped.gap(ReportFilter(**report_world.PERIOD, regions=["成渝地区"]))
    assert set(_cells(rows)) == {("500000", "S.RND")}
    served = await scoped.served(FLT)
    assert {(r.dimension, r.key): r.enterprises for r in served}[("TOTAL", "")] == 1
