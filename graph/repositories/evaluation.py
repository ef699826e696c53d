"""Cypher of `make eval`: the provider corpus for the baselines, and removing the evaluation enterprise.

The evaluation posts its needs through the API like any client; this module only reads what the
baselines rank (the same providers, statements, offers and stored embeddings the service sees) and
cleans up afterwards, so a re-run starts from the same graph.
"""

from __future__ import annotations

from typing import Any

from graph.db import Database

_CORPUS = """
MATCH (p:Provider)
RETURN p.id AS id, p.name AS name, p.description AS description,
       [(p)-[:STATES]->(s:CapabilityStatement) | {id: s.id, text: s.text, embedding: s.embedding}] AS statements,
       [(p)-[:OFFERS]->(o:CapacityOffer) |
          {id: o.id, process_text: o.process_text, description: o.description, embedding: o.embedding}] AS offers
ORDER BY id
"""


async def provider_corpus(db: Database) -> list[dict[str, Any]]:
    """Every provider with its statements and offers (text and stored embedding), ordered by id."""
    return await db.read(_CORPUS)


async def providers_present(db: Database, provider_ids: list[str]) -> int:
    """How many of ``provider_ids`` exist in the graph."""
    rows = await db.read("UNWIND $ids AS id MATCH (p:Provider {id: id}) RETURN count(p) AS n", ids=provider_ids)
    return int(rows[0]["n"]) if rows else 0


_DELETE_ENTERPRISE = """
MATCH (e:Enterprise {credit_code: $credit_code})
OPTIONAL MATCH (e)-[:POSTED]->(n:Need)
OPTIONAL MATCH (n)-[:HAS_MATCH]->(m:Match)
WITH e, collect(DISTINCT n) AS needs, collect(DISTINCT m) AS matches
WITH e, needs, matches, [x IN needs | x.id] + [e.id] AS result_ids
OPTIONAL MATCH (t:ApiToken {org_id: e.id})
WITH e, needs, matches, result_ids, collect(t) AS tokens
OPTIONAL MATCH (c:ClientMutation) WHERE c.result_id IN result_ids
WITH e, needs, matches, tokens, collect(c) AS records
OPTIONAL MATCH (claim:CreditCode {key: 'ENTERPRISE:' + $credit_code})
WITH e, needs, matches, tokens, records, collect(claim) AS claims
FOREACH (x IN matches + needs + tokens + records + claims | DETACH DELETE x)
DETACH DELETE e
RETURN size(needs) AS needs, size(matches) AS matches
"""


async def delete_enterprise(db: Database, credit_code: str) -> dict[str, int]:
    """Delete the enterprise with this credit code, its needs, their matches, its tokens, idempotency records
    and credit-code claim (graph/repositories/credit_codes.py), so the evaluation can register it again."""
    rows = await db.write(_DELETE_ENTERPRISE, credit_code=credit_code)
    return {"needs": sum(r["needs"] for r in rows), "matches": sum(r["matches"] for r in rows),
            "enterprises": len(rows)}


_DELETE_PROVIDERS = """
UNWIND $ids AS id
MATCH (p:Provider {id: id})
OPTIONAL MATCH (p)-[:STATES|OFFERS]->(x)
OPTIONAL MATCH (p)<-[:WITH_PROVIDER]-(m:Match)
WITH p, collect(DISTINCT x) + collect(DISTINCT m) AS owned
FOREACH (y IN owned | DETACH DELETE y)
DETACH DELETE p
RETURN count(*) AS providers
"""


async def delete_providers(db: Database, provider_ids: list[str]) -> int:
    """Delete these providers with their statements, offers and matches (the hard set's registered providers,
    so the development set is always ranked over the sample alone)."""
    rows = await db.write(_DELETE_PROVIDERS, ids=provider_ids)
    return int(rows[0]["providers"]) if rows else 0
