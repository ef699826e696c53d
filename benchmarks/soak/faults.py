"""The fault run of ``make soak``: Neo4j SIGKILLed and restarted during a write load.

A live app on its own Neo4j instance (``<GONGXU_NEO4J_INSTANCE or dev>-soakfault``, never the one other
runs use) takes ``clients`` concurrent clients registering enterprises (a write of profile, credit-code
claim and token in one transaction) and sending a cheap query. ``kills`` times the Neo4j process is
SIGKILLed (no clean shutdown), left down for ``down_s`` seconds and started again on the same port —
the app is never restarted; the load lasts ``seconds`` and at least until every kill was made. Measured and checked:

* while down: every answer is a clear error (HTTP 503 ``SERVICE_UNAVAILABLE``), none hangs (the slowest
  answer is reported), no 500;
* recovery: seconds from the restart to the first successful registration, without touching the app;
* afterwards: every acknowledged registration is in Neo4j (reconciled by id) and every enterprise the
  run wrote is whole — profile as sent, one token, its credit-code claim — none half-written, whether
  its answer was lost or not.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from matching.credit_code import generate as generate_credit_code

REGISTER = ("mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) "
            "{ enterprise { id } errors { code } } }")
CHEAP = {"query": "{ statistics { providers } }"}


@dataclass
class FaultReport:
    clients: int
    seconds: float
    run: str = ""  # the name prefix of this run's enterprises
    kills: int = 0
    requests: int = 0
    status: dict[str, int] = field(default_factory=dict)
    down_answers: dict[str, int] = field(default_factory=dict)  # "status code" while Neo4j was down
    down_slowest_ms: float = 0.0
    cheap_ms_up: list[float] = field(default_factory=list)
    cheap_ms_down: list[float] = field(default_factory=list)
    recovery_s: list[float] = field(default_factory=list)
    acknowledged: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> what was sent
    missing: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    unacknowledged_but_whole: int = 0

    @property
    def server_errors_while_up(self) -> int:
        return sum(n for code, n in self.status.items() if code.startswith("500"))

    def summary(self) -> dict[str, Any]:
        def pct(values: list[float], q: float) -> float | None:
            ordered = sorted(values)
            return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else None

        return {"clients": self.clients, "seconds": self.seconds, "faults_injected": self.kills,
                "requests": self.requests, "status": self.status, "answers_while_down": self.down_answers,
                "slowest_answer_while_down_ms": round(self.down_slowest_ms, 1),
                "cheap_query_ms_up": {"p50": pct(self.cheap_ms_up, 0.5), "p95": pct(self.cheap_ms_up, 0.95)},
                "cheap_query_ms_down": {"p50": pct(self.cheap_ms_down, 0.5),
                                        "p95": pct(self.cheap_ms_down, 0.95)},
                "recovery_s": [round(s, 1) for s in self.recovery_s],
                "acknowledged_writes": len(self.acknowledged), "missing": self.missing,
                "incomplete": self.incomplete, "unacknowledged_but_whole": self.unacknowledged_but_whole}


def _key(global_id: str) -> str:
    import base64

    return base64.b64decode(global_id + "=" * (-len(global_id) % 4)).decode().partition(":")[2]


async def run_faults(clients: int = 20, seconds: float = 60.0, kills: int = 2, down_s: float = 5.0,
                     seed: int = 20) -> dict[str, Any]:
    """Start an instance and an app on it, load, inject ``kills`` SIGKILLs, reconcile; the report."""
    from api.live import LiveServer
    from graph import server
    from graph.config import Neo4jSettings
    from graph.db import Database

    base = os.environ.get("GONGXU_NEO4J_INSTANCE") or os.environ.get("GONGXU_TEST_NEO4J_INSTANCE") or "dev"
    settings = Neo4jSettings.from_env(f"{base}-soakfault")
    port = server._free_port()
    state = server.start_local(settings, port=port)
    saved = os.environ.get("NEO4J_URI")
    os.environ["NEO4J_URI"] = state["uri"]
    try:
        # the fault run measures faults, not rate limits: its own app admits the whole load
        limits = {key: os.environ.get(key) for key in ("GONGXU_RATE_REGISTRATIONS", "GONGXU_RATE_EXPENSIVE")}
        os.environ.update({key: "1000000" for key in limits})
        try:
            live = LiveServer(start_timeout=300)
        finally:
            for key, value in limits.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        with live:
            if saved is None:
                os.environ.pop("NEO4J_URI", None)
            else:
                os.environ["NEO4J_URI"] = saved
            report = await _load_with_faults(live.url, settings, port, clients, seconds, kills, down_s, seed)
        db = Database.connect(state["uri"], settings.user, settings.password, settings.database)
        try:
            await _reconcile(db, report)
        finally:
            await db.close()
        return report.summary()
    finally:
        if saved is None:
            os.environ.pop("NEO4J_URI", None)
        else:
            os.environ["NEO4J_URI"] = saved
        server.stop_local(settings.instance)


async def _load_with_faults(url: str, settings: Any, port: int, clients: int, seconds: float, kills: int,
                            down_s: float, seed: int) -> FaultReport:
    from graph import server

    run = f"故障{seed}x{int(time.time())}"
    report = FaultReport(clients, seconds, run)
    codes = random.Random(seed + int(time.time()))
    counter = itertools.count(1)
    down = asyncio.Event()
    injected = asyncio.Event()  # set when every kill is done: the load runs at least `seconds` and until then
    deadline = time.monotonic() + seconds

    async def client(index: int, http: httpx.AsyncClient) -> None:
        rng = random.Random(seed * 1000 + index)
        while time.monotonic() < deadline or not injected.is_set():
            cheap = rng.random() < 0.3
            sent = {"name": f"{run}企业{next(counter)}", "creditCode": generate_credit_code(codes, "510100"),
                    "description": f"浸泡 {index}", "contactPhone": f"028-{rng.randrange(10**7, 10**8)}"}
            body = CHEAP if cheap else {"query": REGISTER, "variables": {"input": sent}}
            was_down = down.is_set()
            started = time.perf_counter()
            try:
                response = await http.post(f"{url}/graphql", json=body, timeout=120)
                answer = response.json()
                code = ((answer.get("errors") or [{}])[0].get("extensions") or {}).get("code")
                status = f"{response.status_code} {code}" if code else str(response.status_code)
                enterprise = ((answer.get("data") or {}).get("registerEnterprise") or {}).get("enterprise")
                if enterprise:
                    report.acknowledged[_key(enterprise["id"])] = sent
            except (httpx.HTTPError, ValueError) as exc:
                status = exc.__class__.__name__
            took = (time.perf_counter() - started) * 1000
            report.requests += 1
            report.status[status] = report.status.get(status, 0) + 1
            if was_down or down.is_set():
                report.down_answers[status] = report.down_answers.get(status, 0) + 1
                report.down_slowest_ms = max(report.down_slowest_ms, took)
            if cheap:
                (report.cheap_ms_down if was_down else report.cheap_ms_up).append(took)
            if status.startswith("503"):
                await asyncio.sleep(0.2)  # a client honouring Retry-After a little

    async def faults(http: httpx.AsyncClient) -> None:
        try:
            await inject(http)
        finally:
            injected.set()  # also when a restart failed: the clients stop at the deadline

    async def inject(http: httpx.AsyncClient) -> None:
        gap = seconds / (kills + 1)
        for _ in range(kills):  # every kill happens, however long a restart takes on a busy machine
            await asyncio.sleep(max(0.0, gap - down_s))
            down.set()
            await asyncio.to_thread(server.kill_local, settings.instance)
            report.kills += 1
            await asyncio.sleep(down_s)
            restarted = time.monotonic()
            await asyncio.to_thread(server.start_local, settings, port)
            down.clear()
            while True:  # the same app, never restarted: how long until a write goes through again
                probe = {"query": REGISTER, "variables": {"input": {
                    "name": f"{run}探针{next(counter)}", "creditCode": generate_credit_code(codes, "510100")}}}
                try:
                    response = await http.post(f"{url}/graphql", json=probe, timeout=60)
                    enterprise = ((response.json().get("data") or {}).get("registerEnterprise") or {}).get("enterprise")
                    if enterprise:
                        report.acknowledged[_key(enterprise["id"])] = probe["variables"]["input"]
                        break
                except (httpx.HTTPError, ValueError):
                    pass
                await asyncio.sleep(0.5)
            report.recovery_s.append(time.monotonic() - restarted)

    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=clients + 2)) as http:
        await asyncio.gather(faults(http), *(client(i, http) for i in range(clients)))
    return report


async def _reconcile(db: Any, report: FaultReport) -> None:
    from graph.repositories import registrations

    rows = {row["id"]: row for row in await registrations.enterprises_named(db, report.run)}
    report.missing = sorted(key for key in report.acknowledged if key not in rows)
    for key, row in rows.items():
        sent = report.acknowledged.get(key)
        whole = (row["tokens"] == 1 and row["claimed"] and row["name"] and row["credit_code"]
                 and (sent is None or (row["name"] == sent["name"] and row["credit_code"] == sent["creditCode"]
                                       and row.get("description") == sent.get("description")
                                       and row.get("contact_phone") == sent.get("contactPhone"))))
        if not whole:
            report.incomplete.append(key)
        elif sent is None:
            report.unacknowledged_but_whole += 1
