"""Batch writers (one ``UNWIND`` per statement, one transaction per call) for seed loading and bulk import.

Rows are plain dicts (field names as in docs/ARCHITECTURE.md). Nodes are MERGEd by id and their
outgoing links replaced, so writing the same rows twice changes nothing. Dates are ISO strings
converted with ``date()`` in Cypher.

``fresh=True`` says the rows' nodes are new (a first load of generated or imported data): the
"delete the old links" statements are skipped, which saves one index seek per row and statement.
:func:`drop_search_indexes` / :func:`await_indexes` let a bulk load of 10⁵ providers insert into
no vector or full-text index and have them populated once at the end (``graph.migrations.migrate``
recreates them), which is several times faster than one HNSW insert per node.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from graph.db import Database, Tx
from graph.migrations import FULLTEXT_INDEXES, VECTOR_INDEXES
from graph.repositories.freshness import bump_data_version, mark_stale


def _bumping(work: Callable[[Tx], Awaitable[None]], rows: list[dict[str, Any]],
             fresh: bool) -> Callable[[Tx], Awaitable[None]]:
    """The write plus the freshness marks of what it wrote (``graph.repositories.freshness``), in one
    transaction. A fresh load (new nodes, often 10⁴ of them) bumps the global version instead."""

    async def both(tx: Tx) -> None:
        await work(tx)
        if fresh:
            await bump_data_version(tx)
        else:
            await mark_stale(tx, [row["id"] for row in rows])

    return both


PROVIDER_KIND_LABELS = {"MANUFACTURER": "Manufacturer", "SERVICE_PROVIDER": "ServiceProvider"}


async def _replace_links(tx: Tx, rows: list[dict[str, Any]], source: str, rel: str, target: str,
                         key: str, target_prop: str = "code", rel_props: tuple[str, ...] = (),
                         fresh: bool = False) -> None:
    """Delete ``(source)-[rel]->(target)`` for each row's node and create one per ``row[key]`` item.

    Items are codes, or dicts with ``code`` and the ``rel_props``. Labels and types come from the
    callers below, never from input. ``fresh``: the nodes are new, there is nothing to delete.
    """
    if not fresh:
        await tx.rows(f"UNWIND $ids AS id MATCH (n:{source} {{id: id}})-[r:{rel}]->(:{target}) DELETE r",
                      ids=[row["id"] for row in rows])
    links = []
    for row in rows:
        for item in row.get(key) or []:
            link = item if isinstance(item, dict) else {"code": item}
            links.append({"id": row["id"], "target": link["code"],
                          "props": {p: link.get(p) for p in rel_props}})
    if links:
        await tx.rows(
            f"UNWIND $links AS link MATCH (n:{source} {{id: link.id}}) "
            f"MATCH (t:{target} {{{target_prop}: link.target}}) MERGE (n)-[r:{rel}]->(t) SET r += link.props",
            links=links)


async def upsert_providers(db: Database, rows: list[dict[str, Any]], fresh: bool = False) -> None:
    async def work(tx: Tx) -> None:
        for kind, label in PROVIDER_KIND_LABELS.items():
            batch = [r for r in rows if r["kind"] == kind]
            if not batch:
                continue
            await tx.rows(
                f"UNWIND $rows AS row MERGE (p:Provider {{id: row.id}}) SET p:{label} "
                "SET p.name = row.name, p.kind = row.kind, p.credit_code = row.credit_code, "
                "p.description = row.description, p.website = row.website, p.contact_name = row.contact_name, "
                "p.contact_phone = row.contact_phone, p.contact_email = row.contact_email, "
                "p.rating = row.rating, p.created_at = coalesce(p.created_at, datetime(row.created_at)), "
                # sample and generated providers are in the pool unless a row says otherwise
                "p.listing_status = coalesce(row.listing_status, p.listing_status, 'LISTED'), "
                # the provider index reloads stamped providers (graph/repositories/provider_index.py)
                "p.matching_changed_at = datetime()",
                rows=[{**r, "created_at": r.get("created_at") or "2026-01-01T00:00:00Z"} for r in batch])
        await _replace_links(tx, _region_rows(rows), "Provider", "LOCATED_IN", "Region", "region_codes", fresh=fresh)
        await _replace_links(tx, rows, "Provider", "IN_INDUSTRY", "Industry", "industry_codes", fresh=fresh)
        await _replace_links(tx, rows, "Provider", "SUPPORTS_MODE", "SharingMode", "mode_codes", fresh=fresh)
        await _replace_links(tx, rows, "Provider", "HOLDS", "Certification", "certifications",
                             rel_props=("status", "valid_until"), fresh=fresh)
        await tx.rows("UNWIND $ids AS id MATCH (p:Provider {id: id})-[h:HOLDS]->() "
                      "WHERE h.valid_until IS :: STRING SET h.valid_until = date(h.valid_until)",
                      ids=[r["id"] for r in rows])

    await db.write_tx(_bumping(work, rows, fresh))


def _region_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "region_codes": [r["region_code"]] if r.get("region_code") else []} for r in rows]


def _material_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "material_codes": [r["material_code"]] if r.get("material_code") else []} for r in rows]


async def upsert_enterprises(db: Database, rows: list[dict[str, Any]], fresh: bool = False) -> None:
    async def work(tx: Tx) -> None:
        await tx.rows(
            "UNWIND $rows AS row MERGE (e:Enterprise {id: row.id}) "
            "SET e.name = row.name, e.credit_code = row.credit_code, e.description = row.description, "
            "e.contact_name = row.contact_name, e.contact_phone = row.contact_phone, "
            "e.contact_email = row.contact_email, "
            "e.created_at = coalesce(e.created_at, datetime(row.created_at))",
            rows=[{**r, "created_at": r.get("created_at") or "2026-01-01T00:00:00Z"} for r in rows])
        await _replace_links(tx, _region_rows(rows), "Enterprise", "LOCATED_IN", "Region", "region_codes", fresh=fresh)
        await _replace_links(tx, rows, "Enterprise", "IN_INDUSTRY", "Industry", "industry_codes", fresh=fresh)

    await db.write_tx(_bumping(work, rows, fresh))


async def upsert_capability_statements(db: Database, rows: list[dict[str, Any]], fresh: bool = False) -> None:
    async def work(tx: Tx) -> None:
        await tx.rows(
            "UNWIND $rows AS row MATCH (p:Provider {id: row.provider_id}) "
            "MERGE (s:CapabilityStatement {id: row.id}) SET s.text = row.text, s.embedding = row.embedding "
            "MERGE (p)-[:STATES]->(s) SET p.matching_changed_at = datetime()", rows=rows)
        await _replace_links(tx, rows, "CapabilityStatement", "ABOUT", "Capability", "links",
                             rel_props=("confidence", "method"), fresh=fresh)

    await db.write_tx(_bumping(work, rows, fresh))


async def upsert_capacity_offers(db: Database, rows: list[dict[str, Any]], fresh: bool = False) -> None:
    async def work(tx: Tx) -> None:
        await tx.rows(
            "UNWIND $rows AS row MATCH (p:Provider {id: row.provider_id}) WHERE p:Manufacturer "
            "MERGE (o:CapacityOffer {id: row.id}) "
            "SET o.process_text = row.process_text, o.description = row.description, "
            "o.monthly_volume = row.monthly_volume, o.unit = row.unit, "
            "o.available_from = date(row.available_from), o.available_to = date(row.available_to), "
            "o.lead_time_days = row.lead_time_days, o.moq = row.moq, "
            "o.external_booked_volume = coalesce(row.booked_volume, 0), o.status = coalesce(row.status, 'PUBLISHED'), "
            "o.embedding = row.embedding MERGE (p)-[:OFFERS]->(o) SET p.matching_changed_at = datetime() "
            # a row's booked volume is booked outside gongxu; deals' live bookings stay on top of it
            "WITH o CALL (o) { OPTIONAL MATCH (m:Match)-[:USES_OFFER]->(o) "
            "RETURN sum(coalesce(m.booked_volume, 0)) AS live } "
            "SET o.booked_volume = o.external_booked_volume + live", rows=rows)
        await _replace_links(tx, rows, "CapacityOffer", "OF_PROCESS", "Capability", "links",
                             rel_props=("confidence", "method"), fresh=fresh)
        await _replace_links(tx, _material_rows(rows), "CapacityOffer", "IN_MATERIAL", "Material",
                             "material_codes", fresh=fresh)

    await db.write_tx(_bumping(work, rows, fresh))


async def upsert_needs(db: Database, rows: list[dict[str, Any]], fresh: bool = False) -> None:
    async def work(tx: Tx) -> None:
        await tx.rows(
            "UNWIND $rows AS row MATCH (e:Enterprise {id: row.enterprise_id}) "
            "MERGE (n:Need {id: row.id}) "
            "SET n.kind = row.kind, n.title = row.title, n.description = row.description, "
            "n.quantity = row.quantity, n.unit = row.unit, "
            "n.deadline = CASE WHEN row.deadline IS NULL THEN null ELSE date(row.deadline) END, "
            "n.budget_min = row.budget_min, n.budget_max = row.budget_max, "
            "n.status = coalesce(row.status, 'OPEN'), n.embedding = row.embedding, "
            "n.created_at = coalesce(n.created_at, datetime(row.created_at)), n.updated_at = datetime() "
            "MERGE (e)-[:POSTED]->(n)",
            rows=[{**r, "created_at": r.get("created_at") or "2026-11-01T00:00:00Z"} for r in rows])
        await _replace_links(tx, rows, "Need", "REQUIRES_CAPABILITY", "Capability", "links",
                             rel_props=("confidence", "method"), fresh=fresh)
        await _replace_links(tx, rows, "Need", "REQUIRES_CERT", "Certification", "certification_codes", fresh=fresh)
        await _replace_links(tx, rows, "Need", "WITHIN_REGION", "Region", "region_codes", fresh=fresh)
        await _replace_links(tx, _material_rows(rows), "Need", "IN_MATERIAL", "Material", "material_codes", fresh=fresh)

    await db.write_tx(_bumping(work, rows, fresh))


# ------------------------------------------------------------------------------- bulk-load indexes

SEARCH_INDEXES = (*VECTOR_INDEXES, *FULLTEXT_INDEXES)


async def drop_search_indexes(db: Database, names: tuple[str, ...] = SEARCH_INDEXES) -> list[str]:
    """Drop the vector and full-text indexes before a bulk load; returns the names dropped.

    Names come from ``graph.migrations`` (an allow-list), never from input. Recreate them with
    ``graph.migrations.migrate`` and wait with :func:`await_indexes`.
    """
    existing = {row["name"] for row in await db.read("SHOW INDEXES YIELD name RETURN name")}
    dropped = []
    for name in names:
        if name not in SEARCH_INDEXES:
            raise ValueError(f"not a search index: {name!r}")
        if name in existing:
            await db.schema(f"DROP INDEX {name} IF EXISTS")
            dropped.append(name)
    return dropped


async def create_search_indexes(db: Database, dimension: int) -> None:
    """Recreate the indexes :func:`drop_search_indexes` dropped, with the migrations' own DDL."""
    from graph.migrations import MIGRATIONS

    for migration in MIGRATIONS:
        for statement in migration.statements(dimension):
            if any(f" INDEX {name} IF NOT EXISTS" in statement for name in SEARCH_INDEXES):
                await db.schema(statement)


async def await_indexes(db: Database, seconds: int = 3600) -> None:
    """Block until every index is ONLINE (population after a bulk load can take minutes at 10⁵ nodes)."""
    await db.schema("CALL db.awaitIndexes($seconds)", seconds=int(seconds))


async def index_states(db: Database) -> list[dict[str, Any]]:
    """Name, type, state and population percentage of every index (for progress and reports)."""
    return await db.read("SHOW INDEXES YIELD name, type, state, populationPercent "
                         "RETURN name, type, state, populationPercent ORDER BY name")


# ---------------------------------------------------------------------------- bulk export (benchmarks)
# Whole-pool reads for the exact reference scan of benchmarks/ (vectors and constraint data of every
# provider); at 10⁵ providers they move hundreds of MB, so they are for offline tools, never the API.

async def export_statement_vectors(db: Database) -> list[dict[str, Any]]:
    """``{provider_id, embedding}`` of every capability statement with an embedding."""
    return await db.read("MATCH (p:Provider)-[:STATES]->(s:CapabilityStatement) WHERE s.embedding IS NOT NULL "
                         "RETURN p.id AS provider_id, s.embedding AS embedding")


async def export_offers(db: Database) -> list[dict[str, Any]]:
    """Every published offer of a manufacturer with its embedding and the fields the capacity checks read."""
    return await db.read(
        "MATCH (p:Provider)-[:OFFERS]->(o:CapacityOffer {status: 'PUBLISHED'}) WHERE p:Manufacturer "
        "RETURN p.id AS provider_id, o.id AS id, o.embedding AS embedding, o.unit AS unit, o.moq AS moq, "
        "o.monthly_volume AS monthly_volume, coalesce(o.booked_volume, 0) AS booked_volume, "
        "o.lead_time_days AS lead_time_days, o.available_from AS available_from, o.available_to AS available_to")


async def export_providers(db: Database) -> list[dict[str, Any]]:
    """Every provider's kind, region codes, held certifications and whether it states a capability."""
    return await db.read(
        "MATCH (p:Provider) RETURN p.id AS id, p.kind AS kind, "
        "[(p)-[:LOCATED_IN]->(r:Region) | r.code] AS regions, "
        "[(p)-[h:HOLDS]->(c:Certification) | {code: c.code, status: h.status, valid_until: h.valid_until}] AS certs, "
        "EXISTS { (p)-[:STATES]->(:CapabilityStatement) } AS states")


async def export_region_parents(db: Database) -> list[dict[str, Any]]:
    return await db.read("MATCH (r:Region) RETURN r.code AS code, [(r)-[:PART_OF]->(q:Region) | q.code] AS parents")


async def open_need_ids(db: Database, limit: int) -> list[str]:
    rows = await db.read("MATCH (n:Need {status: 'OPEN'}) RETURN n.id AS id ORDER BY id LIMIT $limit", limit=limit)
    return [row["id"] for row in rows]


async def forget_stored_matches(db: Database, need_id: str) -> None:
    """Make the need's stored matches stale (its next ``matches`` recomputes), whatever else changed."""
    await db.write("MATCH (n:Need {id: $id}) SET n.matches_fingerprint = null", id=need_id)


async def pool_counts(db: Database) -> dict[str, int]:
    rows = await db.read("RETURN COUNT { (:Provider) } AS providers, COUNT { (:CapabilityStatement) } AS statements, "
                         "COUNT { (:CapacityOffer) } AS offers, COUNT { (:Need) } AS needs, "
                         "COUNT { (:Capability) } AS capabilities")
    return dict(rows[0])


async def delete_providers(db: Database, ids: list[str]) -> int:
    """Delete providers with their statements, offers, matches with them and API tokens (benchmark clean-up)."""
    rows = await db.write(
        "UNWIND $ids AS id MATCH (p:Provider {id: id}) "
        "OPTIONAL MATCH (p)-[:STATES|OFFERS]->(x) "
        "OPTIONAL MATCH (m:Match)-[:WITH_PROVIDER]->(p) "
        "OPTIONAL MATCH (t:ApiToken {org_id: id}) "
        "WITH p, collect(DISTINCT x) + collect(DISTINCT m) + collect(DISTINCT t) AS owned "
        "FOREACH (n IN owned | DETACH DELETE n) DETACH DELETE p RETURN count(*) AS n", ids=ids)
    return rows[0]["n"] if rows else 0
