"""Cypher of candidate retrieval: which providers a need is scored against, and which needs a provider is.

Every branch is a fixed fragment chosen by flags, never text built from input; the need's hard
constraints (``graph.repositories.constraints``) are applied before anything leaves the database.
Vector retrieval for a need is in process (``matching.provider_index``); reverse matching still
queries the ``need_embedding`` index here (scores converted back to the plain cosine, ``2 * s - 1``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.db import Database
from graph.repositories.constraints import PAIR_CONSTRAINTS

# Each branch yields (source, p, score); see retrieve_providers.
_TEXT_STATEMENTS = """
CALL db.index.fulltext.queryNodes('capability_statement_text', $text, {limit: $k}) YIELD node, score
MATCH (p:Provider)-[:STATES]->(node)
RETURN 'TEXT_STATEMENT' AS source, p, max(score) AS score
"""
_TEXT_OFFERS = """
CALL db.index.fulltext.queryNodes('capacity_offer_text', $text, {limit: $k}) YIELD node, score
WITH node, score WHERE node.status = 'PUBLISHED'
MATCH (p:Manufacturer)-[:OFFERS]->(node)
RETURN 'TEXT_OFFER' AS source, p, max(score) AS score
"""
_TEXT_PROVIDERS = """
CALL db.index.fulltext.queryNodes('provider_text', $text, {limit: $k}) YIELD node, score
RETURN 'TEXT_PROVIDER' AS source, node AS p, max(score) AS score
"""
# Providers linked to the taxonomy nodes in scope ($codes: the need's nodes, their descendants and
# their direct parents — computed from the in-memory taxonomy, so this is an index seek).
_TAXONOMY_STATEMENTS = """
MATCH (c:Capability) WHERE c.code IN $codes
MATCH (p:Provider)-[:STATES]->(:CapabilityStatement)-[a:ABOUT]->(c)
WITH p, max(coalesce(a.confidence, 1.0)) AS score ORDER BY score DESC LIMIT $k_taxonomy
RETURN 'TAXONOMY' AS source, p, score
"""
_TAXONOMY_OFFERS = """
MATCH (c:Capability) WHERE c.code IN $codes
MATCH (p:Manufacturer)-[:OFFERS]->(o:CapacityOffer {status: 'PUBLISHED'})-[a:OF_PROCESS]->(c)
WITH p, max(coalesce(a.confidence, 1.0)) AS score ORDER BY score DESC LIMIT $k_taxonomy
RETURN 'TAXONOMY' AS source, p, score
"""
_RETRIEVAL_TAIL = f"""
}}
WITH n, req_certs, p, collect({{source: source, score: score}}) AS hits
WHERE {PAIR_CONSTRAINTS}
  AND (n.kind <> 'CAPACITY' OR EXISTS {{ (p)-[:OFFERS]->(:CapacityOffer {{status: 'PUBLISHED'}}) }})
UNWIND hits AS hit
RETURN hit.source AS source, p.id AS provider_id, max(hit.score) AS score
"""


def _retrieval_query(capacity: bool, text: bool, taxonomy: bool) -> str | None:
    branches = []
    if text:
        branches += [_TEXT_STATEMENTS, _TEXT_PROVIDERS] + ([_TEXT_OFFERS] if capacity else [])
    if taxonomy:
        branches.append(_TAXONOMY_STATEMENTS)
        if capacity:
            branches.append(_TAXONOMY_OFFERS)
    if not branches:
        return None
    head = ("MATCH (n:Need {id: $need_id})\n"
            "WITH n, [(n)-[:REQUIRES_CERT]->(c:Certification) | c.code] AS req_certs\n"
            "CALL () {\n")
    return head + "\nUNION ALL\n".join(branches) + _RETRIEVAL_TAIL


async def retrieve_providers(db: Database, *, need_id: str, kind: str, text: str | None, codes: list[str],
                             as_of: date, k: int, k_taxonomy: int) -> list[dict[str, Any]]:
    """Candidate providers for one need, by words and by taxonomy, that pass its hard constraints.

    Rows ``{source, provider_id, score}``: ``source`` is TEXT_STATEMENT / TEXT_OFFER / TEXT_PROVIDER
    (Lucene score of that index) or TAXONOMY (link confidence). The nearest providers by vector come
    from the in-process provider index (``matching.provider_index``), exact under the same
    constraints. The branches are fixed fragments chosen by flags, never text built from input.
    Filtering here, before fusion, keeps the scoring budget for providers that can actually serve the need.
    """
    query = _retrieval_query(kind == "CAPACITY", bool(text), bool(codes))
    if query is None:
        return []
    return await db.read(query, need_id=need_id, text=text or "", codes=codes, as_of=as_of, k=k,
                         k_taxonomy=k_taxonomy)


_OPPORTUNITY_RETRIEVAL = """
MATCH (p:Provider {id: $provider_id})-[:STATES|OFFERS]->(x)
WHERE x.embedding IS NOT NULL AND coalesce(x.status, 'PUBLISHED') = 'PUBLISHED'
CALL db.index.vector.queryNodes('need_embedding', $k, x.embedding) YIELD node, score
WITH node, score WHERE node.status = 'OPEN'
RETURN 'VECTOR' AS source, node.id AS need_id, max(2 * score - 1) AS score
UNION ALL
MATCH (p:Provider {id: $provider_id})-[:STATES|OFFERS]->(x)-[a:ABOUT|OF_PROCESS]->(c:Capability)
WHERE coalesce(x.status, 'PUBLISHED') = 'PUBLISHED'
MATCH (need:Need {status: 'OPEN'})-[:REQUIRES_CAPABILITY]->(nc:Capability)
WHERE nc = c OR (c)-[:CHILD_OF*1..3]->(nc) OR (nc)-[:CHILD_OF]->(c)
RETURN 'TAXONOMY' AS source, need.id AS need_id, max(coalesce(a.confidence, 1.0)) AS score
"""


async def retrieve_needs(db: Database, provider_id: str, k: int) -> list[dict[str, Any]]:
    """Candidate open needs for one provider (reverse matching): rows ``{source, need_id, score}``."""
    return await db.read(_OPPORTUNITY_RETRIEVAL, provider_id=provider_id, k=k)

