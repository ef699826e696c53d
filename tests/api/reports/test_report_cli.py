"""``gongxu report`` (HTML/CSV/XLSX files) and ``gongxu token create --role STAFF --region``."""

from __future__ import annotations

import asyncio
import csv
import io

import pytest
import report_world
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from api.cli import main

REPORTS = """query ($filter: ReportFilterInput!) { staffReports(filter: $filter) {
  scope gap { key } enterprisesServed { total } } }"""


async def _cli(*args: str) -> Result:
    return await asyncio.to_thread(lambda: CliRunner().invoke(main, list(args), catch_exceptions=False))


@pytest.fixture
async def world(api, clean_db, neo4j_env):
    await report_world.build(clean_db)
    return api


async def test_report_files(world, tmp_path):
    period = ["--from", "2026-01-01", "--to", "2026-06-30"]
    html = await _cli("report", *period, "--region", "成渝地区", "-o", str(tmp_path / "r.html"))
    assert html.exit_code == 0, html.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "成渝地区" in page and 'id="served-total">2<' in page and "/static/" not in page
    assert len(page) > 500_000  # ECharts inlined: the file is self-contained

    done = await _cli("report", *period, "--format", "csv", "-o", str(tmp_path / "r.txt"))
    assert done.exit_code == 0, done.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "r.txt").read_text(encoding="utf-8").lstrip("\ufeff"))))
    start = rows.index(["# 需求转化漏斗"])
    assert [r[:3] for r in rows[start + 2:start + 5]] == [["2026-03-01", "2", "2"], ["2026-04-01", "2", "0"],
                                                          ["2026-05-01", "1", "1"]]

    xlsx = await _cli("report", *period, "--industry", "C36", "-o", str(tmp_path / "r.xlsx"))
    assert xlsx.exit_code == 0, xlsx.stderr
    gap = list(load_workbook(tmp_path / "r.xlsx")["gap_by_industry"].iter_rows(values_only=True))
    assert [r[0] for r in gap[1:]] == ["C36"]

    bad = await _cli("report", *period, "--region", "火星", "-o", str(tmp_path / "x.html"))
    assert bad.exit_code == 1 and "unknown region: 火星" in bad.stderr
    assert (await _cli("report", "-o", str(tmp_path / "x.pdf"))).exit_code == 2


async def test_region_scoped_staff_token_from_the_cli(world):
    created = await _cli("token", "create", "--org", "ops-cq", "--role", "STAFF", "--region", "重庆")
    assert created.exit_code == 0, created.stderr
    data = await world.ok(REPORTS, {"filter": {"from": "2026-01-01", "to": "2026-06-30"}},
                          token=created.stdout.strip())
    assert data["staffReports"]["scope"] == "500000"
    assert {c["key"] for c in data["staffReports"]["gap"]} == {"500000"}
    assert data["staffReports"]["enterprisesServed"]["total"] == 1
    unknown = await _cli("token", "create", "--org", "ops", "--role", "STAFF", "--region", "火星")
    assert unknown.exit_code == 2 and "火星" in unknown.stderr
    not_staff = await _cli("token", "create", "--org", "E1", "--role", "ENTERPRISE", "--region", "重庆")
    assert not_staff.exit_code == 2
