"""Headless Chromium (Debian's chromium + chromium-driver, installed by ``make browser``) on /reports
and /graphql, with every host but 127.0.0.1 unresolvable: the pages must work from local files."""

from __future__ import annotations

import json
from urllib.parse import quote, urlsplit

import pytest
import report_world
from webdriver import CHROMEDRIVER, CHROMIUM, Browser

from graph.repositories import tokens

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="no chromium/chromedriver: run make browser")]

CHARTS = ["chart-gap", "chart-funnel", "chart-served-region", "chart-served-size", "chart-top"]

# per chart: the number of data points ECharts holds and the number of painted (non-transparent) pixels
CHART_STATE = """
return arguments[0].map(function (id) {
  var el = document.getElementById(id), chart = echarts.getInstanceByDom(el);
  var canvas = el.querySelector("canvas"), ctx = canvas.getContext("2d");
  var pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data, painted = 0;
  for (var i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
  var points = chart.getOption().series.reduce(function (n, s) { return n + (s.data || []).length; }, 0);
  return {id: id, points: points, painted: painted};
});
"""


@pytest.fixture
def browser():
    instance = Browser()
    yield instance
    instance.close()


def _local_only(urls: list[str]) -> None:
    outside = [u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")
               and urlsplit(u).hostname != "127.0.0.1"]
    assert not outside, f"requests left 127.0.0.1: {outside}"


async def test_reports_page_in_chromium(api, clean_db, live_server, browser, tmp_path):
    await report_world.build(clean_db)
    issued = tokens.issue()
    await tokens.create_standalone(clean_db, issued.id, issued.hash, "STAFF", "ops")

    browser.get(f"{live_server.url}/reports")
    assert browser.run("return document.title").endswith("登录")
    browser.type("#token", issued.secret)
    browser.click("#login")
    browser.wait_for("return window.reportChartsReady === true")
    assert issued.secret not in browser.run("return location.href")
    # a filter: the period of the fixture, then the 成渝地区 group
    browser.type("#from", "2026-01-01")  # date inputs take keystrokes in the locale's order; set directly
    browser.run("document.getElementById('from').value = '2026-01-01';"
                "document.getElementById('to').value = '2026-06-30';"
                "document.getElementById('region').value = '成渝地区';")
    browser.click("#apply")
    browser.wait_for("return window.reportChartsReady === true && location.search.indexOf('region=') >= 0")
    assert browser.run("return document.getElementById('unmatched-total').textContent") == "1"  # N4 only
    heat = json.loads(browser.run("return document.getElementById('chart-data').textContent"))["heat"]
    assert sorted(heat["regions"]) == ["四川省", "重庆市"]
    states = browser.run(CHART_STATE, CHARTS)
    for state in states:
        assert state["points"] > 0 and state["painted"] > 2000, state  # drawn with data, not an empty canvas
    shot = browser.screenshot(tmp_path / "reports.png")
    assert shot.stat().st_size > 20_000
    print(f"screenshot: {shot}")
    _local_only(browser.requested_urls())


async def test_graphiql_works_offline(live_server, browser, tmp_path):
    query = "{ __typename }"
    browser.get(f"{live_server.url}/graphql?q={quote(query)}")
    browser.wait_for("return !!document.querySelector('.graphiql-execute-button')")
    browser.click(".graphiql-execute-button")
    text = browser.wait_for("var r = document.querySelector('.graphiql-response');"
                            "return r && r.innerText.indexOf('__typename') >= 0 ? r.innerText : null")
    assert '"Query"' in text
    browser.screenshot(tmp_path / "graphiql.png")
    _local_only(browser.requested_urls())
