"""Loading the seed data into the real Neo4j: counts visible through GraphQL, loading twice changes
nothing, a malformed file fails with file, line and reason and loads nothing of it."""

from __future__ import annotations

import asyncio
import json
import os
import random
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


# ------------------------------------------------------------------- the loader links as the API does

_LINK_TYPES = {"statement": ("CapabilityStatement", "ABOUT"), "offer": ("CapacityOffer", "OF_PROCESS"),
                   "need": ("Need", "REQUIRES_CAPABILITY")}
LINKS = "capability { code } confidence method"
REGISTER = f"""
mutation($input: RegisterProviderInput!) {{
  registerProvider(input: $input) {{ provider {{ capabilities {{ text capabilities {{ {LINKS} }} }} }}
                                    token errors {{ code message }} }}
}}"""
REGISTER_ENTERPRISE = """
mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { token errors { code message } } }"""
PUBLISH = f"""
mutation($input: PublishCapacityOfferInput!) {{
  publishCapacityOffer(input: $input) {{ capacityOffer {{ processes {{ {LINKS} }} }} errors {{ code message }} }}
}}"""
POST_NEED = f"""
mutation($input: PostNeedInput!) {{
  postNeed(input: $input) {{ need {{ capabilities {{ {LINKS} }} }} errors {{ code message }} }}
}}"""


def _api_links(links: list[dict]) -> set[tuple[str, float, str]]:
    return {(link["capability"]["code"], round(link["confidence"], 4), link["method"]) for link in links}


async def _stored_links(db, subject: str, node_id: str) -> set[tuple[str, float, str]]:
    label, rel = _LINK_TYPES[subject]
    rows = await db.read(f"MATCH (:{label} {{id: $id}})-[a:{rel}]->(c:Capability) "
                         "RETURN c.code AS code, a.confidence AS confidence, a.method AS method", id=node_id)
    return {(r["code"], round(r["confidence"], 4), r["method"]) for r in rows}


def _kind_matters(linker, cache, texts: list[str], kind: str) -> int | None:
    """Index of the first text whose links restricted to ``kind`` differ from its unrestricted links."""
    for index, (text, vector) in enumerate(zip(texts, cache.queries(texts), strict=True)):
        if linker.link_vector(vector, text, kind) != linker.link_vector(vector, text, None):
            return index
    return None


async def test_the_loader_links_like_the_api(db, embedder, live_server, tmp_path):
    """A statement, an offer and needs loaded by the seed loader get exactly the links the same input gets
    through GraphQL — including the service texts whose links depend on the taxonomy kind."""
    import sys
    from pathlib import Path

    from matching.credit_code import generate
    from matching.embedding_cache import EmbeddingCache
    from matching.linking import TaxonomyLinker
    from matching.texts import need_text
    from seed.sample import SampleData, read_sample, write_sample

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
    from apiclient import Api

    if (await db.read("RETURN COUNT { MATCH (:Capability) } AS n"))[0]["n"] < 300:
        await load_reference_data(db, embedder, progress=False)
    live_server.server.config.app.state.gongxu["services"].forget_linker()
    sample = read_sample()
    linker, cache = await TaxonomyLinker.build(db, embedder), EmbeddingCache(embedder)
    kinds = {p.id: p.kind for p in sample.providers}
    service_statements = [s for s in sample.capability_statements if kinds[s.provider_id] == "SERVICE_PROVIDER"]
    service_needs = [n for n in sample.needs if n.kind == "SERVICE"]
    statement_index = _kind_matters(linker, cache, [s.text.strip() for s in service_statements], "SERVICE")
    need_index = _kind_matters(linker, cache, [need_text(n.title, n.description) for n in service_needs], "SERVICE")
    assert statement_index is not None and need_index is not None  # else this test could not tell the kinds apart
    statements = [service_statements[statement_index],
                  next(s for s in sample.capability_statements if kinds[s.provider_id] == "MANUFACTURER")]
    offer = next(o for o in sample.capacity_offers if kinds[o.provider_id] == "MANUFACTURER")
    needs = [service_needs[need_index], next(n for n in sample.needs if n.kind == "CAPACITY")]
    owners = {s.provider_id for s in statements} | {offer.provider_id}
    subset = SampleData(providers=[p for p in sample.providers if p.id in owners], capability_statements=statements,
                        capacity_offers=[offer], needs=needs,
                        enterprises=[e for e in sample.enterprises if e.id in {n.enterprise_id for n in needs}])
    write_sample(tmp_path, subset)
    await load_sample(db, embedder, tmp_path, progress=False)

    api, rng, codes = Api(live_server.url), random.Random(8), []
    try:
        for statement in statements:
            codes.append(generate(rng, "510100"))
            data = await api.ok(REGISTER, {"input": {
                "kind": kinds[statement.provider_id], "name": f"链接对照{len(codes)}有限公司",
                "creditCode": codes[-1], "region": "成都市", "capabilities": [{"text": statement.text}]}})
            payload = data["registerProvider"]
            registered = payload["provider"]["capabilities"][0]["capabilities"]
            assert _api_links(registered) == await _stored_links(db, "statement", statement.id), statement.text
            if kinds[statement.provider_id] == "MANUFACTURER":
                data = await api.ok(PUBLISH, {"input": {
                    "processText": offer.process_text, "description": offer.description,
                    "monthlyVolume": offer.monthly_volume, "unit": offer.unit,
                    "capabilityCodes": [offer.capability_code]}}, token=payload["token"])
                published = data["publishCapacityOffer"]["capacityOffer"]["processes"]
                assert _api_links(published) == await _stored_links(db, "offer", offer.id), offer.process_text
        codes.append(generate(rng, "510100"))
        data = await api.ok(REGISTER_ENTERPRISE, {"input": {
            "name": "链接对照企业有限公司", "creditCode": codes[-1], "region": "成都市"}})
        token = data["registerEnterprise"]["token"]
        for need in needs:
            values = {"kind": need.kind, "title": need.title, "description": need.description,
                      "capabilityCodes": need.declared_capability_codes}
            if need.quantity is not None:
                values.update(quantity=need.quantity, unit=need.unit)
            posted = (await api.ok(POST_NEED, {"input": values}, token=token))["postNeed"]["need"]["capabilities"]
            assert _api_links(posted) == await _stored_links(db, "need", need.id), need.title
    finally:
        await api.close()
        await db.write("MATCH (o) WHERE (o:Provider OR o:Enterprise) AND o.credit_code IN $codes "
                       "OPTIONAL MATCH (o)-[:STATES|OFFERS|POSTED]->(x) "
                       "OPTIONAL MATCH (t:ApiToken {org_id: o.id}) DETACH DELETE x, t, o", codes=codes)
