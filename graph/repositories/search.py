"""Candidate rankings for free-text provider search, from the vector and the full-text indexes.

One round trip returns five ranked lists of provider ids (best first); fusing them is the caller's
business (``matching.search``). Vector indexes are approximate, so callers over-fetch (``k``).
"""

from __future__ import annotations

from graph.db import Database
from graph.lucene import lucene_query

RANKINGS = ("statement_vector", "offer_vector", "provider_text", "statement_text", "offer_text")

SEARCH_QUERY_CHARS = 500  # searchProviders takes longer text than a need's full-text branch


def _fulltext(index: str, provider_path: str, name: str) -> str:
    # index and path are constants of this module, never input
    return (f"CALL () {{ UNWIND CASE WHEN $lucene = '' THEN [] ELSE [$lucene] END AS q "
            f"CALL db.index.fulltext.queryNodes('{index}', q, {{limit: $k}}) YIELD node, score "
            f"MATCH {provider_path} WITH p, max(score) AS best ORDER BY best DESC, p.id "
            f"RETURN collect(p.id) AS {name} }}")


RANKINGS_QUERY = f"""
CALL () {{
  CALL db.index.vector.queryNodes('capability_statement_embedding', $k, $vector) YIELD node, score
  MATCH (p:Provider)-[:STATES]->(node)
  WITH p, max(score) AS best ORDER BY best DESC, p.id
  RETURN collect(p.id) AS statement_vector
}}
CALL () {{
  CALL db.index.vector.queryNodes('capacity_offer_embedding', $k, $vector) YIELD node, score
  WITH node, score WHERE node.status = 'PUBLISHED'
  MATCH (p:Provider)-[:OFFERS]->(node)
  WITH p, max(score) AS best ORDER BY best DESC, p.id
  RETURN collect(p.id) AS offer_vector
}}
{_fulltext('provider_text', '(p:Provider) WHERE p = node', 'provider_text')}
{_fulltext('capability_statement_text', '(p:Provider)-[:STATES]->(node)', 'statement_text')}
{_fulltext('capacity_offer_text', "(p:Provider)-[:OFFERS]->(node) WHERE node.status = 'PUBLISHED'", 'offer_text')}
RETURN {', '.join(RANKINGS)}
"""


async def provider_rankings(db: Database, vector: list[float], text: str, k: int) -> dict[str, list[str]]:
    """Provider ids ranked by each index (``RANKINGS``), at most ``k`` hits read from each."""
    rows = await db.read(RANKINGS_QUERY, vector=vector, lucene=lucene_query(text, SEARCH_QUERY_CHARS) or '', k=k)
    return {name: rows[0][name] for name in RANKINGS}
