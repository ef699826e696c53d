"""Cypher of candidate retrieval: which providers a need is scored against, and which needs a provider is.

Every branch is a fixed fragment chosen by flags, never text built from input; the need's hard
constraints (``graph.repositories.constraints``) are applied before anything leaves the database.
Vector scores are converted back to the plain cosine (``2 * s - 1``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.db import Database
from graph.repositories.constraints import ACTIVE_CERT, PAIR_CONSTRAINTS

# Each branch yields (source, p, score); see retrieve_providers.
_VECTOR_STATEMENTS = """
CALL db.index.vector.queryNodes('capability_statement_embedding', $k, $vector) YIELD node, score
MATCH (p:Provider)-[:STATES]->(node)
RETURN 'VECTOR' AS source, p, max(2 * score - 1) AS score
"""
_VECTOR_OFFERS = """
CALL db.index.vector.queryNodes('capacity_offer_embedding', $k, $vector) YIELD node, score
WITH node, score WHERE node.status = 'PUBLISHED'
MATCH (p:Manufacturer)-[:OFFERS]->(node)
RETURN 'VECTOR' AS source, p, max(2 * score - 1) AS score
"""
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
# Constraint-first retrieval: when the need restricts region or certification, the approximate
# vector index over everyone may return few providers that pass, so the providers that pass are
# also ranked by exact cosine. The cost of an exact scan grows with the set the constraint leaves
# (a province group or ISO 9001 is most of the pool), so the scan is bounded:
#
# * a small set (at most $scan_max providers) is scanned whole — exact cosine over each member's
#   statements and published offers; this is the case the branch exists for;
# * a large set is not scanned: its members are the providers linked to the need's taxonomy scope
#   ($codes) that pass the constraint (exact cosine), plus the vector index queried with a k widened
#   by the inverse of the set's share of the pool ($k_wide, at most $k_wide_max) and filtered to the
#   set. A set holding a share s of the pool gets ≈ s · k_wide index hits, so the widened query
#   returns about as many passing providers as a plain query would without the constraint.
#
# Each part yields (p, score); the branch keeps the best $k. See docs/SCALING.md for the figures.
_SCAN_COSINE = """
  MATCH (p)-[:STATES|OFFERS]->(s) WHERE s.embedding IS NOT NULL AND coalesce(s.status, 'PUBLISHED') = 'PUBLISHED'
  RETURN p, max(2 * vector.similarity.cosine(s.embedding, $vector) - 1) AS score
"""
_SCAN_WIDE_K = ("CASE WHEN wide > $k_wide_max THEN $k_wide_max WHEN wide < $k THEN $k "
                "ELSE toInteger(wide) END")


def _scan_branch(head: str, keep: str, small: str, passes: str) -> str:
    """The bounded constraint-first scan: ``head`` binds ``members`` (the set's size) and ``keep``;
    ``small`` matches every ``p`` of the set; ``passes`` says whether a ``p`` is in it."""
    return head + f"""
CALL (members, {keep}) {{
  WITH members, {keep} WHERE members <= $scan_max
  {small}
  WITH DISTINCT p{_SCAN_COSINE} UNION ALL
  WITH members, {keep} WHERE members > $scan_max
  MATCH (c:Capability) WHERE c.code IN $codes
  MATCH (p:Provider)-[:STATES|OFFERS]->()-[:ABOUT|OF_PROCESS]->(c)
  WITH DISTINCT p, {keep} WHERE {passes}{_SCAN_COSINE} UNION ALL
  WITH members, {keep} WHERE members > $scan_max
  WITH {keep}, $k * COUNT {{ (:Provider) }} / members AS wide
  CALL db.index.vector.queryNodes('capability_statement_embedding', {_SCAN_WIDE_K}, $vector)
    YIELD node, score
  MATCH (p:Provider)-[:STATES]->(node)
  WITH p, score, {keep} WHERE {passes}
  RETURN p, max(2 * score - 1) AS score
}}
WITH p, max(score) AS score ORDER BY score DESC LIMIT $k
RETURN 'SCAN' AS source, p, score
"""


_SCAN_REGION = _scan_branch(
    """
MATCH (r:Region) WHERE r.code IN $regions
WITH collect(r) AS regions
WITH regions, reduce(total = 0, r IN regions |
       total + COUNT { (:Provider)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(r) }) AS members""",
    keep="regions",
    small="UNWIND regions AS r\n  MATCH (p:Provider)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(r)",
    passes="EXISTS { (p)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(r) WHERE r IN regions }")
_SCAN_CERT = _scan_branch(
    """
MATCH (cert:Certification {code: $certs[0]})
WITH cert, COUNT { (cert)<-[:HOLDS]-(:Provider) } AS members""",
    keep="cert",
    small=f"MATCH (cert)<-[h:HOLDS]-(p:Provider) WHERE {ACTIVE_CERT}",
    passes=f"EXISTS {{ MATCH (p)-[h:HOLDS]->(cert) WHERE {ACTIVE_CERT} }}")
SCAN_MAX = 1500  # providers an exact scan may cover (≈ 3,300 statement and offer vectors)
SCAN_WIDE_K_MAX = 1000  # the widened vector query of a large constrained set

_RETRIEVAL_TAIL = f"""
}}
WITH n, req_certs, p, collect({{source: source, score: score}}) AS hits
WHERE {PAIR_CONSTRAINTS}
  AND (n.kind <> 'CAPACITY' OR EXISTS {{ (p)-[:OFFERS]->(:CapacityOffer {{status: 'PUBLISHED'}}) }})
UNWIND hits AS hit
RETURN hit.source AS source, p.id AS provider_id, max(hit.score) AS score
"""


def _retrieval_query(capacity: bool, text: bool, taxonomy: bool, scan: str | None) -> str:
    branches = [_VECTOR_STATEMENTS]
    if capacity:
        branches.append(_VECTOR_OFFERS)
    if text:
        branches += [_TEXT_STATEMENTS, _TEXT_PROVIDERS] + ([_TEXT_OFFERS] if capacity else [])
    if taxonomy:
        branches.append(_TAXONOMY_STATEMENTS)
        if capacity:
            branches.append(_TAXONOMY_OFFERS)
    if scan == "REGION":
        branches.append(_SCAN_REGION)
    elif scan == "CERT":
        branches.append(_SCAN_CERT)
    head = ("MATCH (n:Need {id: $need_id})\n"
            "WITH n, [(n)-[:REQUIRES_CERT]->(c:Certification) | c.code] AS req_certs\n"
            "CALL () {\n")
    return head + "\nUNION ALL\n".join(branches) + _RETRIEVAL_TAIL


async def retrieve_providers(db: Database, *, need_id: str, vector: list[float], kind: str, text: str | None,
                             codes: list[str], regions: list[str], certs: list[str], as_of: date,
                             k: int, k_taxonomy: int) -> list[dict[str, Any]]:
    """Candidate providers for one need that pass its kind, certification and region constraints.

    Rows ``{source, provider_id, score}``: ``source`` is VECTOR (cosine), TEXT_STATEMENT /
    TEXT_OFFER / TEXT_PROVIDER (Lucene score of that index), TAXONOMY (link confidence) or SCAN
    (exact cosine among the providers that pass the region or certification constraint). The
    branches are fixed fragments chosen by flags, never text built from input. Filtering here,
    before fusion, keeps the scoring budget for providers that can actually serve the need.
    """
    scan = "REGION" if regions else "CERT" if certs else None
    query = _retrieval_query(kind == "CAPACITY", bool(text), bool(codes), scan)
    return await db.read(query, need_id=need_id, vector=vector, text=text or "", codes=codes, regions=regions,
                         certs=certs, as_of=as_of, k=k, k_taxonomy=k_taxonomy,
                         scan_max=SCAN_MAX, k_wide_max=SCAN_WIDE_K_MAX)


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

