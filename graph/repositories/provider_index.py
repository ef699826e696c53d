"""Cypher of the in-process provider index (``matching.provider_index``): what it loads and how it syncs.

The index holds, per provider, the vectors, texts and taxonomy links of its capability statements and
published capacity offers, its own name and description, and the attributes its hard constraints need
(listing status, kind, region chain, active certificates; per published offer its unit, MOQ, window,
lead time and monthly volume). It loads every provider once (keyset pages by id) and afterwards only
the providers whose ``matching_changed_at`` moved: every write that changes a matching input of a
provider stamps it in the write's own transaction (``graph.repositories.freshness.mark_stale`` and the
bulk writers in ``graph.repositories.bulk``).
"""

from __future__ import annotations

from typing import Any

from graph.db import Database

# One provider as the index sees it. Certificates: ACTIVE holdings staff did not reject, with every
# code the certificate satisfies; validity dates and the need's "verified only" are applied at search.
_ENTRY = """
RETURN p.id AS id, p.listing_status AS listing_status, p:Manufacturer AS manufacturer,
  p.name AS name, p.description AS description,
  p.matching_changed_at AS changed_at,
  EXISTS { (p)-[:STATES]->(:CapabilityStatement) } AS states,
  [(p)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(r:Region) | r.code] AS regions,
  [(p)-[h:HOLDS]->(c:Certification)
     WHERE h.status = 'ACTIVE' AND coalesce(h.verification, 'DECLARED') <> 'REJECTED' |
     {codes: [c.code] + coalesce(c.satisfies, []), valid_until: h.valid_until,
      verified: h.verification = 'VERIFIED'}] AS certifications,
  [(p)-[:STATES]->(s:CapabilityStatement) WHERE s.embedding IS NOT NULL |
     {vector: s.embedding, text: s.text,
      links: [(s)-[a:ABOUT]->(c:Capability) | [c.code, coalesce(a.confidence, 1.0)]]}]
     AS statements,
  [(p)-[:OFFERS]->(o:CapacityOffer {status: 'PUBLISHED'}) WHERE o.embedding IS NOT NULL |
     {vector: o.embedding, process_text: o.process_text, description: o.description,
      links: [(o)-[a:OF_PROCESS]->(c:Capability) | [c.code, coalesce(a.confidence, 1.0)]],
      unit: o.unit, moq: o.moq, available_from: o.available_from, available_to: o.available_to,
      lead_time_days: o.lead_time_days, monthly_volume: o.monthly_volume}]
     AS offers
"""
_PAGE = "MATCH (p:Provider) WHERE p.id > $after WITH p ORDER BY p.id LIMIT $limit" + _ENTRY
_BY_IDS = "UNWIND $ids AS id MATCH (p:Provider {id: id})" + _ENTRY
_CHANGES = """
CALL () {
  MATCH (p:Provider) WHERE p.matching_changed_at >= $since
  RETURN collect([p.id, p.matching_changed_at]) AS changed
}
RETURN changed, COUNT { (:Provider) } AS providers, datetime() AS now
"""


async def provider_page(db: Database, after: str, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` providers with ids after ``after``, in id order (a full load pages through these)."""
    return await db.read(_PAGE, after=after, limit=limit)


async def providers_by_id(db: Database, ids: list[str]) -> list[dict[str, Any]]:
    """The entries of these providers (absent ids yield nothing)."""
    return await db.read(_BY_IDS, ids=ids) if ids else []


async def changes(db: Database, since: Any) -> dict[str, Any]:
    """``{changed: [[id, stamp]], providers: count, now: server time}``; ``since`` None → nothing changed
    is listed (the caller is about to load everything)."""
    rows = await db.read(_CHANGES, since=since)
    return rows[0]
