"""/reports over HTTP: 401 without a token, 403 for other roles, the login form's session cookie,
the page's figures and the CSV/XLSX/HTML downloads."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
import report_world
from openpyxl import load_workbook

from graph.repositories import tokens

PERIOD = "from=2026-01-01&to=2026-06-30"


@pytest.fixture
async def world(api, clean_db):
    await report_world.build(clean_db)
    return api


async def _token(db, role: str, org: str = "ops", region: str | None = None) -> str:
    issued = tokens.issue()
    await tokens.create_standalone(db, issued.id, issued.hash, role, org, region)
    return issued.secret


async def test_anonymous_and_other_roles_are_refused(world, clean_db, live_server):
    enterprise_token = await _token(clean_db, "ENTERPRISE", "E1")
    async with httpx.AsyncClient(base_url=live_server.url, timeout=120) as client:
        anonymous = await client.get(f"/reports?{PERIOD}")
        assert anonymous.status_code == 401 and 'name="token"' in anonymous.text
        assert (await client.get("/reports/export.csv")).status_code == 401
        header = await client.get("/reports", headers={"Authorization": f"Bearer {enterprise_token}"})
        assert header.status_code == 403
        form = await client.post("/reports/login", data={"token": enterprise_token})
        assert form.status_code == 403 and "gongxu_staff" not in form.headers.get("set-cookie", "")
        wrong = await client.post("/reports/login", data={"token": "gx_nope"})
        assert wrong.status_code == 401
    async with httpx.AsyncClient(base_url=live_server.url, timeout=120,
                                 cookies={"gongxu_staff": "forged.value"}) as forging:
        assert (await forging.get("/reports")).status_code == 401


async def test_login_keeps_the_token_out_of_the_url_and_cookie(world, clean_db, live_server):
    secret = await _token(clean_db, "STAFF")
    async with httpx.AsyncClient(base_url=live_server.url, timeout=120) as client:
        login = await client.post("/reports/login", data={"token": secret})
        assert login.status_code == 303 and login.headers["location"] == "/reports"
        cookie = login.headers["set-cookie"]
        assert secret not in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        page = await client.get(f"/reports?{PERIOD}")
        assert page.status_code == 200 and secret not in page.text
        assert "供需缺口" in page.text and "/static/vendor/echarts@" in page.text
        assert 'id="served-total">2<' in page.text and 'id="unmatched-total">2<' in page.text
        assert "N4" in page.text and "资质认证 2" in page.text  # the unmatched needs table with reasons
        scoped = await client.get(f"/reports?{PERIOD}&region=上海")
        assert 'id="served-total">0<' in scoped.text and 'id="unmatched-total">1<' in scoped.text
        bad = await client.get(f"/reports?{PERIOD}&region=火星")
        assert bad.status_code == 400 and "火星" in bad.text
        await client.post("/reports/logout")
        assert (await client.get("/reports")).status_code == 401


async def test_downloads(world, clean_db, live_server):
    headers = {"Authorization": f"Bearer {await _token(clean_db, 'STAFF')}"}
    async with httpx.AsyncClient(base_url=live_server.url, headers=headers, timeout=120) as client:
        text = (await client.get(f"/reports/export.csv?{PERIOD}")).text.lstrip("\ufeff")
        rows = list(csv.reader(io.StringIO(text)))
        top = rows.index(["# 服务商排行"])
        assert [r[0] for r in rows[top + 2:top + 5]] == ["PD", "PA", "PC"]
        xlsx = await client.get(f"/reports/export.xlsx?{PERIOD}")
        book = load_workbook(io.BytesIO(xlsx.content))
        unmatched = [row for row in book["unmatched_needs"].iter_rows(values_only=True)]
        assert [r[0] for r in unmatched[1:]] == ["N4", "N3"]
        html = (await client.get(f"/reports/export.html?{PERIOD}")).text
        assert "/static/" not in html and len(html) > 500_000  # self-contained: ECharts inlined


async def test_static_files_are_served_locally(live_server):
    async with httpx.AsyncClient(base_url=live_server.url, timeout=120) as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        assert "unpkg.com" not in page.text and "/static/vendor/graphiql@" in page.text
        for path in ("/static/vendor/react@18.2.0/umd/react.production.min.js",
                     "/static/vendor/echarts@5.6.0/dist/echarts.min.js"):
            assert (await client.get(path)).status_code == 200, "run make static"
