"""Issue 10, GraphQL over HTTP: ``application/graphql-response+json`` negotiation, and the
``graphql-http`` server audits when ``make audit-deps`` has fetched them (node + npm)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

MODERN = "application/graphql-response+json"
AUDIT_MODULES = Path(__file__).resolve().parents[2] / "benchmarks" / "soak" / "node"


def _post(url: str, query: str, accept: str) -> httpx.Response:
    return httpx.post(f"{url}/graphql", json={"query": query}, headers={"Accept": accept}, timeout=60)


@pytest.mark.parametrize("query", ["{ statistics { ", "{ secrets }",
                                   '{ capability(code: "' + "x" * 3000 + '") { code } }'])
def test_requests_that_never_executed_are_4xx_without_data(live_server, reference_data, query):
    modern = _post(live_server.url, query, f"{MODERN}, application/json;q=0.9")
    assert modern.status_code == 400
    assert modern.headers["content-type"].startswith(MODERN)
    assert "data" not in modern.json() and modern.json()["errors"]
    classic = _post(live_server.url, query, "application/json")
    assert classic.status_code == 200 and classic.headers["content-type"].startswith("application/json")
    assert classic.json()["data"] is None


def test_an_executed_request_keeps_200_in_either_media_type(live_server, reference_data):
    for accept in (MODERN, "application/json", "*/*"):
        response = _post(live_server.url, "{ statistics { capabilities } }", accept)
        assert response.status_code == 200 and response.json()["data"]["statistics"]["capabilities"] > 0
        expected = MODERN if accept == MODERN else "application/json"
        assert response.headers["content-type"].startswith(expected)


@pytest.mark.skipif(shutil.which("node") is None or not (AUDIT_MODULES / "node_modules" / "graphql-http").exists(),
                    reason="graphql-http audits not fetched: run `make audit-deps` (needs node and npm)")
def test_graphql_http_server_audits_have_no_errors_or_warnings(live_server, reference_data):
    out = subprocess.run(["node", str(AUDIT_MODULES.parent / "graphql_http_audit.cjs"), str(AUDIT_MODULES),
                          f"{live_server.url}/graphql"], capture_output=True, text=True, timeout=300, check=True)
    report = json.loads(out.stdout)
    bad = [r for r in report["results"] if r["status"] in ("warn", "error")]
    assert (report["error"], report["warn"]) == (0, 0), bad
