"""Soak runs against a live gongxu endpoint: load, abusive documents, fuzzing, GraphQL-over-HTTP audits.

``make soak`` (``python -m benchmarks.soak``) runs the long versions and prints one JSON report;
``tests/api/test_hardening_soak.py`` runs short versions of the same functions inside ``make test``.
Everything talks HTTP to the app; Neo4j is only read afterwards, to reconcile acknowledged writes.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from matching.credit_code import generate as generate_credit_code

CHEAP = {"query": "{ statistics { providers } }"}
REGISTER = ("mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) "
            "{ enterprise { id } errors { code } } }")


@dataclass
class LoadReport:
    clients: int
    seconds: float
    requests: int = 0
    status: dict[str, int] = field(default_factory=dict)
    acknowledged_writes: list[str] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(n for code, n in self.status.items() if code.startswith("5"))


async def load(url: str, clients: int, seconds: float, seed: int = 10) -> LoadReport:
    """``clients`` concurrent clients for ``seconds`` of mixed reads (statistics, pages, search) and writes
    (anonymous registrations); the ids of acknowledged writes are kept for :func:`reconcile`."""
    report = LoadReport(clients, seconds)
    codes = random.Random(seed)
    counter = itertools.count(1)
    deadline = time.monotonic() + seconds
    reads = [CHEAP, {"query": "{ providers(first: 5) { edges { node { name } } } }"},
             {"query": '{ searchProviders(text: "铝合金压铸", first: 3) { score } }'},
             {"query": '{ capability(code: "压铸") { code } }'}]

    async def client(index: int, http: httpx.AsyncClient) -> None:
        rng = random.Random(seed * 1000 + index)
        while time.monotonic() < deadline:
            if rng.random() < 0.3:
                body = {"query": REGISTER, "variables": {"input": {
                    "name": f"浸泡测试{next(counter)}有限公司", "creditCode": generate_credit_code(codes, "510100"),
                    "region": "成都市"}}}
            else:
                body = rng.choice(reads)
            try:
                response = await http.post(f"{url}/graphql", json=body, timeout=120)
                status = str(response.status_code)
                data = response.json().get("data") or {}
                enterprise = (data.get("registerEnterprise") or {}).get("enterprise")
                if enterprise:
                    report.acknowledged_writes.append(enterprise["id"])
            except httpx.HTTPError as exc:
                status = exc.__class__.__name__
            report.requests += 1
            report.status[status] = report.status.get(status, 0) + 1

    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=clients)) as http:
        await asyncio.gather(*(client(i, http) for i in range(clients)))
    return report


async def reconcile(db: Any, ids: list[str]) -> list[str]:
    """The acknowledged enterprise ids (global ids) that are not in Neo4j (must be empty)."""
    import base64

    from graph.repositories import enterprises
    from graph.viewer import Viewer

    keys = {base64.b64decode(node_id + "=" * (-len(node_id) % 4)).decode().partition(":")[2]: node_id
            for node_id in ids}
    found = {row["id"] for row in await enterprises.by_ids(db, list(keys), Viewer("STAFF", "soak"))}
    return [node_id for key, node_id in keys.items() if key not in found]


ABUSIVE: dict[str, dict[str, Any] | list[Any]] = {
    "depth 100": {"query": "{ capability(code: \"P\") { " + "parent { " * 100 + "code" + " }" * 100 + " } }"},
    "1,000 aliases": {"query": "{ " + " ".join(f"a{i}: statistics {{ providers }}" for i in range(1000)) + " }"},
    "1 MB document": {"query": "{ statistics { providers } }#" + "x" * 1_000_000},
    "circular fragments": {"query": "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"},
    "batched array": [CHEAP] * 50,
    "huge first": {"query": "{ providers(first: 1000000000) { totalCount } }"},
    "3 MB code": {"query": "query($c: String!) { capability(code: $c) { code } }",
                  "variables": {"c": "市" * 3_000_000}},
    "15 recomputations": {"query": "{ " + " ".join(f'm{i}: matches(needId: "x", asOf: "2026-01-0{1 + i % 9}") '
                                                   "{ recomputed }" for i in range(15)) + " }"},
    "lone surrogate": {"query": "query($f: ProviderFilter) { providers(filter: $f) { totalCount } }",
                       "variables": {"f": {"text": "\ud800"}}},
    "bad node id": {"query": '{ node(id: "Tm9kZTp4") { id } }'},
}


@dataclass
class AbuseResult:
    name: str
    status: int
    code: str | None
    refused_ms: float
    cypher_round_trips: int | None
    cheap_during_ms: float


async def abusive(url: str) -> list[AbuseResult]:
    """Each abusive request, with a cheap query sent alongside it (its latency is reported)."""
    results = []
    async with httpx.AsyncClient() as http:
        for name, body in ABUSIVE.items():
            raw = json.dumps(body, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")

            async def attack(raw: bytes = raw) -> tuple[float, httpx.Response]:
                started = time.perf_counter()
                response = await http.post(f"{url}/graphql", content=raw, timeout=120,
                                           headers={"Content-Type": "application/json"})
                return (time.perf_counter() - started) * 1000, response

            async def cheap() -> float:
                started = time.perf_counter()
                await http.post(f"{url}/graphql", json=CHEAP, timeout=120)
                return (time.perf_counter() - started) * 1000

            (took, response), cheap_ms = await asyncio.gather(attack(), cheap())
            try:
                answer = response.json()
            except ValueError:
                answer = {}
            errors = answer.get("errors") or [{}] if isinstance(answer, dict) else [{}]
            results.append(AbuseResult(name, response.status_code, (errors[0].get("extensions") or {}).get("code"),
                                       round(took, 1), (answer.get("extensions") or {}).get("cypherRoundTrips")
                                       if isinstance(answer, dict) else None, round(cheap_ms, 1)))
    return results


def as_dict(value: Any) -> Any:
    return asdict(value) if hasattr(value, "__dataclass_fields__") else value
