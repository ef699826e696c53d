"""Property-based fuzzing (hypothesis) of query and mutation arguments over HTTP: no 5xx, every error typed."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TARGETS = {
    "capability": ("query($v: String!) { capability(code: $v) { code } }", lambda v: {"v": v}),
    "providers.filter": ("query($v: ProviderFilter) { providers(filter: $v, first: 3) { totalCount } }",
                         lambda v: {"v": {"text": v, "region": v[:50]}}),
    "providers.after": ("query($v: String) { providers(after: $v) { totalCount } }", lambda v: {"v": v}),
    "node": ("query($v: ID!) { node(id: $v) { id } }", lambda v: {"v": v}),
    "registerEnterprise": ("mutation($v: RegisterEnterpriseInput!) { registerEnterprise(input: $v) "
                           "{ errors { code } } }", lambda v: {"v": {"name": v, "creditCode": v[:18], "region": v}}),
}
TYPED = {"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "QUERY_TOO_COMPLEX",
         "RATE_LIMITED", "PAYLOAD_TOO_LARGE", "NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED"}


@dataclass
class FuzzReport:
    cases: int = 0
    failures: list[str] = field(default_factory=list)


SPECIAL = ["Tm9kZTp4", "\ud800", "1e999", "NaN", "-0", "' OR 1=1 --", "MATCH (n) DETACH DELETE n"]
texts = st.one_of(st.text(max_size=64), st.text(alphabet="市省认证体系地区", max_size=3000),
                  st.binary(max_size=48).map(lambda b: base64.b64encode(b).decode()), st.sampled_from(SPECIAL))


def fuzz(url: str, examples: int) -> FuzzReport:
    """``examples`` generated inputs per target; a failure is a 5xx or an error without a typed code."""
    report = FuzzReport()
    with httpx.Client(timeout=120) as http:
        for name, (query, variables) in TARGETS.items():
            send = _sender(http, url, report, name, query, variables)
            settings(max_examples=examples, deadline=None, database=None,
                     suppress_health_check=list(HealthCheck))(given(texts)(send))()
    return report


def _sender(http: httpx.Client, url: str, report: FuzzReport, name: str, query: str, variables: Any) -> Any:
    def case(value: str) -> None:
        raw = json.dumps({"query": query, "variables": variables(value)})  # lone surrogates as \\ud800 escapes
        response = http.post(f"{url}/graphql", content=raw, headers={"Content-Type": "application/json"})
        report.cases += 1
        if response.status_code >= 500 and response.status_code != 503:
            report.failures.append(f"{name}: HTTP {response.status_code} for {value!r:.80}")
            return
        for error in response.json().get("errors") or []:
            code = (error.get("extensions") or {}).get("code")
            if code not in TYPED:
                report.failures.append(f"{name}: {code} for {value!r:.80}: {error.get('message')}")

    return case
