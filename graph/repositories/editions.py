"""Published 名录 editions: a numbered, dated snapshot of the listed pool, never changed afterwards.

``(:Edition {number, title, published_at, published_by, category, region, provider_count})
-[:LISTS {position}]->(:EditionEntry {...})``: each entry copies what the edition says about one
provider at publication (not a link to the live provider, which goes on changing). Numbers come
from ``(:Sequence {name: 'edition'})``, incremented under its write lock, so two staff publishing at
once get two numbers. No statement in gongxu sets a property of an Edition or EditionEntry after
:func:`create`.
"""

from __future__ import annotations

from typing import Any, TypedDict

from graph.db import Database, Tx
from graph.repositories.rows import native, native_rows

# Properties of an entry, in export order. List-valued ones hold strings (see matching.curation.files).
ENTRY_PROPS = ("provider_id", "name", "credit_code", "kind", "tags", "region", "region_name", "categories",
               "capabilities", "industries", "sharing_modes", "certifications", "description", "website",
               "contact_name", "contact_phone", "contact_email")


class Edition(TypedDict):
    number: int
    title: str
    published_at: Any
    published_by: str
    category: str | None
    region: str | None
    provider_count: int


_EDITION = ("e.number AS number, e.title AS title, e.published_at AS published_at, "
            "e.published_by AS published_by, e.category AS category, e.region AS region, "
            "e.provider_count AS provider_count")


async def listed_snapshot(tx: Tx, category: str | None, region: str | None) -> list[dict[str, Any]]:
    """What an edition lists now: LISTED providers (in ``category`` / ``region`` and below, when
    given), ordered by region, then name, then id. Certificates as ``{code, status, valid_until,
    verification}``; categories: the top-level capability codes of its statements and published offers."""
    rows = await tx.rows(
        "MATCH (p:Provider) WHERE p.listing_status = 'LISTED' "
        "  AND ($region IS NULL OR EXISTS { MATCH (p)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->"
        "                                   (:Region {code: $region}) }) "
        "  AND ($category IS NULL "
        "       OR EXISTS { MATCH (p)-[:STATES]->(:CapabilityStatement)-[:ABOUT]->(:Capability)"
        "                         -[:CHILD_OF*0..3]->(:Capability {code: $category}) } "
        "       OR EXISTS { MATCH (p)-[:OFFERS]->(o:CapacityOffer)-[:OF_PROCESS]->(:Capability)"
        "                         -[:CHILD_OF*0..3]->(:Capability {code: $category}) "
        "                   WHERE o.status = 'PUBLISHED' }) "
        "OPTIONAL MATCH (p)-[:LOCATED_IN]->(r:Region) "
        "WITH p, head(collect(r)) AS r "
        "RETURN p.id AS provider_id, p.name AS name, p.credit_code AS credit_code, p.kind AS kind, "
        "coalesce(p.tags, []) AS tags, r.code AS region, r.name_zh AS region_name, "
        "COLLECT { MATCH (p)-[:STATES|OFFERS]->(x)-[:ABOUT|OF_PROCESS]->(:Capability)-[:CHILD_OF*0..3]->"
        "          (top:Capability) WHERE NOT (top)-[:CHILD_OF]->() "
        "          AND (NOT x:CapacityOffer OR x.status = 'PUBLISHED') "
        "          RETURN DISTINCT top.code ORDER BY top.code } AS categories, "
        "COLLECT { MATCH (p)-[:STATES]->(s:CapabilityStatement) RETURN s.text ORDER BY s.text } AS capabilities, "
        "COLLECT { MATCH (p)-[:IN_INDUSTRY]->(i:Industry) RETURN i.code ORDER BY i.code } AS industries, "
        "COLLECT { MATCH (p)-[:SUPPORTS_MODE]->(m:SharingMode) RETURN m.code ORDER BY m.code } AS sharing_modes, "
        "COLLECT { MATCH (p)-[h:HOLDS]->(c:Certification) "
        "          RETURN {code: c.code, status: h.status, valid_until: h.valid_until, "
        "                  verification: coalesce(h.verification, 'DECLARED')} ORDER BY c.code } AS certifications, "
        "p.description AS description, p.website AS website, p.contact_name AS contact_name, "
        "p.contact_phone AS contact_phone, p.contact_email AS contact_email "
        "ORDER BY coalesce(region, ''), p.name, p.id",
        category=category, region=region)
    return native_rows(rows)


async def create(tx: Tx, title: str, published_by: str, category: str | None, region: str | None,
                 entries: list[dict[str, Any]]) -> Edition:
    """Number and write a new edition with ``entries`` (ENTRY_PROPS each) in their order."""
    row = await tx.one(
        "MERGE (s:Sequence {name: 'edition'}) ON CREATE SET s.value = 0 "
        "SET s.value = s.value + 1 "
        "CREATE (e:Edition {number: s.value, title: $title, published_at: datetime(), "
        "published_by: $published_by, category: $category, region: $region, provider_count: size($entries)}) "
        "WITH e CALL (e) { UNWIND range(0, size($entries) - 1) AS position "
        "  WITH position, $entries[position] AS entry "
        "  CREATE (e)-[:LISTS {position: position}]->(x:EditionEntry) SET x = entry } "
        f"RETURN {_EDITION}",
        title=title, published_by=published_by, category=category, region=region,
        entries=[{key: entry.get(key) for key in ENTRY_PROPS} for entry in entries])
    assert row is not None
    return Edition(**native(row))  # type: ignore[typeddict-item]


async def listing(db: Database, limit: int, before_number: int | None = None) -> list[Edition]:
    """Editions, newest first."""
    rows = await db.read(f"MATCH (e:Edition) WHERE $before IS NULL OR e.number < $before "
                         f"RETURN {_EDITION} ORDER BY e.number DESC LIMIT $limit",
                         before=before_number, limit=limit)
    return [Edition(**row) for row in native_rows(rows)]  # type: ignore[typeddict-item]


async def by_number(db: Database, number: int) -> Edition | None:
    rows = await db.read(f"MATCH (e:Edition {{number: $number}}) RETURN {_EDITION}", number=number)
    return Edition(**native(rows[0])) if rows else None  # type: ignore[typeddict-item]


async def entries(db: Database, number: int) -> list[dict[str, Any]]:
    """The edition's entries in their published order (ENTRY_PROPS each)."""
    rows = await db.read("MATCH (:Edition {number: $number})-[l:LISTS]->(x:EditionEntry) "
                         "RETURN x AS entry ORDER BY l.position", number=number)
    return [{key: row["entry"].get(key) for key in ENTRY_PROPS} for row in native_rows(rows)]
