"""Cypher of candidate retrieval: which providers a need is scored against, and which needs a provider is.

Every branch is a fixed fragment chosen by flags, never text built from input. For a need only the
full-text indexes are asked here: the nearest providers by vector and by taxonomy link come from the
in-process provider index (``matching.provider_index``), which also decides which full-text hits pass
the need's constraints. Reverse matching queries the ``need_embedding`` index here (scores converted
back to the plain cosine, ``2 * s - 1``).
"""

from __future__ import annotations

from typing import Any

from graph.db import Database

# Each branch yields (source, p, score); see text_hits.
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


async def text_hits(db: Database, *, kind: str, text: str, k: int) -> list[dict[str, Any]]:
    """Providers whose statements, published offers (capacity needs) or own text match ``text`` (a Lucene
    query built by ``graph.lucene``): rows ``{source, provider_id, score}`` with ``source`` TEXT_STATEMENT /
    TEXT_OFFER / TEXT_PROVIDER and the Lucene score of that index, at most ``k`` per index.

    The need's hard constraints are not applied here: the caller keeps the hits the in-process provider
    index admits (``matching.provider_index``), and every candidate is checked again in
    ``graph.repositories.constraints.pair_features``.
    """
    branches = [_TEXT_STATEMENTS, _TEXT_PROVIDERS] + ([_TEXT_OFFERS] if kind == "CAPACITY" else [])
    query = "CALL () {\n" + "\nUNION ALL\n".join(branches) + "\n}\nRETURN source, p.id AS provider_id, score"
    return await db.read(query, text=text, k=k)


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

