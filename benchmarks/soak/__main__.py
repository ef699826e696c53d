"""``make soak``: the long runs against a live app (started here, on the configured Neo4j); one JSON report.

Options by environment: SOAK_CLIENTS (50), SOAK_SECONDS (300), SOAK_FUZZ_EXAMPLES (2000 per target);
the fault run (its own Neo4j instance, SIGKILLed and restarted under a write load): SOAK_FAULT_CLIENTS (20),
SOAK_FAULT_SECONDS (120), SOAK_FAULT_KILLS (3), SOAK_FAULT_DOWN_S (5).
"""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path

from api.live import LiveServer
from benchmarks.soak import abusive, as_dict, load, reconcile
from benchmarks.soak.faults import run_faults
from benchmarks.soak.fuzz import fuzz

HERE = Path(__file__).resolve().parent


def audit(url: str) -> dict:
    modules = HERE / "node"
    if shutil.which("node") is None or not (modules / "node_modules" / "graphql-http").exists():
        return {"skipped": "run `make audit-deps` (node and npm)"}
    out = subprocess.run(["node", str(HERE / "graphql_http_audit.cjs"), str(modules), f"{url}/graphql"],
                         capture_output=True, text=True, timeout=600, check=True)
    report = json.loads(out.stdout)
    return {k: report[k] for k in ("ok", "warn", "error")} | {
        "not_ok": [r for r in report["results"] if r["status"] in ("warn", "error")]}


async def main() -> dict:
    from graph.db import Database
    from graph.server import ensure_neo4j

    clients = int(os.environ.get("SOAK_CLIENTS", 50))
    seconds = float(os.environ.get("SOAK_SECONDS", 300))
    examples = int(os.environ.get("SOAK_FUZZ_EXAMPLES", 2000))
    report: dict = {"date": datetime.date.today().isoformat()}
    with LiveServer() as live:
        report["abusive"] = [as_dict(r) for r in await abusive(live.url)]
        loaded = await load(live.url, clients, seconds)
        c = await asyncio.to_thread(ensure_neo4j, None)
        db = Database.connect(c.uri, c.user, c.password, c.database)
        try:
            missing = await reconcile(db, loaded.acknowledged_writes)
        finally:
            await db.close()
        report["load"] = {"clients": clients, "seconds": seconds, "requests": loaded.requests,
                          "status": loaded.status, "server_errors": loaded.server_errors,
                          "acknowledged_writes": len(loaded.acknowledged_writes), "missing": missing}
        fuzzed = await asyncio.to_thread(fuzz, live.url, examples)
        report["fuzz"] = {"cases": fuzzed.cases, "failures": fuzzed.failures[:20]}
        report["audit"] = await asyncio.to_thread(audit, live.url)
    report["faults"] = await run_faults(clients=int(os.environ.get("SOAK_FAULT_CLIENTS", 20)),
                                        seconds=float(os.environ.get("SOAK_FAULT_SECONDS", 120)),
                                        kills=int(os.environ.get("SOAK_FAULT_KILLS", 3)),
                                        down_s=float(os.environ.get("SOAK_FAULT_DOWN_S", 5)))
    return report


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main()), ensure_ascii=False, indent=2))
