"""Cypher of reverse retrieval: which open needs a provider is scored against.

A need's candidates come from the in-process provider index (``matching.provider_index``: vectors,
taxonomy links and full text, under the hard constraints). Reverse matching queries the ``need_embedding``
index here (scores converted back to the plain cosine, ``2 * s - 1``) and the taxonomy.
"""

from __future__ import annotations

from typing import Any

from graph.db import Database

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

