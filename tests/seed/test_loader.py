"""Loading the seed data into the real Neo4j: counts visible through GraphQL, loading twice changes
nothing, a malformed file fails with file, line and reason and loads nothing of it."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys

from gql import Client, gql
from gql.transport.httpx import HTTPXAsyncTransport

from seed.loader import default_sample_dir, load_reference_data, load_sample
from seed.reference import load_reference

FINGERPRINT = """
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
CALL () { MATCH (p:Provider) RETURN count(DISTINCT p.name + p.credit_code) AS providers }
CALL () { MATCH (o:CapacityOffer) RETURN sum(o.monthly_volume) + sum(o.booked_volume) AS volume }
CALL () { MATCH (n:Need)-[l:REQUIRES_CAPABILITY]->(c) WITH n.id + c.code + ':' + toString(l.confidence) AS link
          ORDER BY link RETURN collect(link) AS links }
RETURN nodes, relationships, providers, volume, size(links) AS link_count,
       reduce(h = '', x IN links | h + x) AS link_text
"""


def _lines(name: str) -> int:
    return sum(1 for line in (default_sample_dir() / name).read_text().splitlines() if line.strip())


async def test_sample_counts_are_visible_through_graphql(sample_db, live_server):
    transport = HTTPXAsyncTransport(url=f"{live_server.url}/graphql")
    async with Client(transport=transport) as session:
        result = await session.execute(gql(
            "{ statistics { providers manufacturers serviceProviders capacityOffers enterprises needs capabilities "
            "regions certifications } }"))
    stats = result["statistics"]
    reference = load_reference()
    assert stats["providers"] >= _lines("providers.jsonl") >= 1000
    assert stats["manufacturers"] >= 600 and stats["serviceProviders"] >= 300
    assert stats["capacityOffers"] >= _lines("capacity_offers.jsonl")
    assert stats["enterprises"] >= 300 and stats["needs"] >= 200
    assert stats["capabilities"] >= len(reference.capabilities)
    assert stats["regions"] == len(reference.regions)
    assert stats["certifications"] == len(reference.certifications)


async def test_loading_twice_changes_nothing(sample_db, embedder):
    before = (await sample_db.read(FINGERPRINT))[0]
    await load_reference_data(sample_db, embedder, progress=False)
    await load_sample(sample_db, embedder, progress=False)
    after = (await sample_db.read(FINGERPRINT))[0]
    assert after == before


async def test_malformed_sample_file_fails_with_file_line_reason_and_loads_nothing(sample_db, neo4j_env, tmp_path):
    broken = tmp_path / "sample"
    shutil.copytree(default_sample_dir(), broken)
    providers = (broken / "providers.jsonl").read_text().splitlines()
    first = json.loads(providers[0])
    original_name = first["name"]
    first["name"] = "坏数据探针有限公司"  # would be written first if loading were not all-or-nothing
    providers[0] = json.dumps(first, ensure_ascii=False)
    (broken / "providers.jsonl").write_text("\n".join(providers) + "\n")
    needs = (broken / "needs.jsonl").read_text().splitlines()
    needs[6] = needs[6][: len(needs[6]) // 2]  # line 7: truncated JSON
    (broken / "needs.jsonl").write_text("\n".join(needs) + "\n")

    result = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "api.cli", "seed", "load", "--sample-dir", str(broken)],
        capture_output=True, text=True, env=os.environ.copy(), timeout=600, check=False)
    assert result.returncode == 1, result.stderr
    error = [line for line in result.stderr.splitlines() if line.startswith("gongxu: error:")]
    assert len(error) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "needs.jsonl:7" in error[0], error[0]

    rows = await sample_db.read("MATCH (p:Provider {id: $id}) RETURN p.name AS name", id=first["id"])
    assert rows[0]["name"] == original_name
