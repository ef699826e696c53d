"""Enterprises: ``(:Enterprise)-[:LOCATED_IN]->(:Region)``, ``-[:IN_INDUSTRY]->(:Industry)``.

Not public: an ENTERPRISE token reads its own enterprise, STAFF reads all, nobody else reads any
(``_READABLE``). A row the viewer may not read is indistinguishable from a missing one.
"""

from __future__ import annotations

from typing import Any, cast

from graph.db import Database, Tx
from graph.repositories.paging import PageRequest, keyset_clauses
from graph.repositories.rows import EnterpriseRow, native
from graph.viewer import Viewer

PROFILE_PROPS = ("name", "credit_code", "description", "contact_name", "contact_phone", "contact_email")

SORTS = {
    "NAME": "coalesce(e.name, '')",
    "CREATED": "coalesce(e.created_at.epochMillis, 0)",
}

_READABLE = "($viewer_role = 'STAFF' OR ($viewer_role = 'ENTERPRISE' AND e.id = $viewer_org))"

_PROJECTION = """
e {.id, .name, .credit_code, .description, .contact_name, .contact_phone, .contact_email, .created_at} AS node,
[(e)-[:LOCATED_IN]->(r:Region) | r.code] AS region_codes,
[(e)-[:IN_INDUSTRY]->(i:Industry) | i.code] AS industry_codes
"""

_FILTERS = """
  AND ($region IS NULL
       OR EXISTS { MATCH (e)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $region}) })
  AND ($industry IS NULL OR EXISTS { MATCH (e)-[:IN_INDUSTRY]->(:Industry {code: $industry}) })
  AND ($text IS NULL OR toLower(coalesce(e.name, '')) CONTAINS $text
       OR toLower(coalesce(e.description, '')) CONTAINS $text)
"""

FILTER_KEYS = ("region", "industry", "text")


def _filter_params(filters: dict[str, Any]) -> dict[str, Any]:
    params = {key: filters.get(key) for key in FILTER_KEYS}
    if params["text"]:
        params["text"] = params["text"].lower()
    return params


def _flatten(row: dict[str, Any]) -> EnterpriseRow:
    flat = {**row["node"], "region_codes": row["region_codes"], "industry_codes": row["industry_codes"]}
    if "sort_key" in row:
        flat["sort_key"] = row["sort_key"]
    return cast(EnterpriseRow, native(flat))


async def page(db: Database, viewer: Viewer, filters: dict[str, Any], request: PageRequest) -> list[EnterpriseRow]:
    after, order = keyset_clauses("e", SORTS[request.sort], request)
    rows = await db.read(
        f"MATCH (e:Enterprise) WHERE {_READABLE} {_FILTERS} {after} WITH e, sort_key {order} "
        f"RETURN {_PROJECTION}, sort_key",
        **_filter_params(filters), **request.params(), **viewer.params())
    return [_flatten(row) for row in rows]


async def count(db: Database, viewer: Viewer, filters: dict[str, Any]) -> int:
    rows = await db.read(f"MATCH (e:Enterprise) WHERE {_READABLE} {_FILTERS} RETURN count(e) AS n",
                         **_filter_params(filters), **viewer.params())
    return rows[0]["n"]


async def by_ids(db: Database, ids: list[str], viewer: Viewer) -> list[EnterpriseRow]:
    rows = await db.read(f"MATCH (e:Enterprise) WHERE e.id IN $ids AND {_READABLE} RETURN {_PROJECTION}",
                         ids=list(ids), **viewer.params())
    return [_flatten(row) for row in rows]


async def id_by_credit_code(tx: Tx, credit_code: str) -> str | None:
    row = await tx.one("MATCH (e:Enterprise {credit_code: $credit_code}) RETURN e.id AS id LIMIT 1",
                       credit_code=credit_code)
    return row["id"] if row else None


async def exists(tx: Tx, enterprise_id: str) -> bool:
    return await tx.one("MATCH (e:Enterprise {id: $id}) RETURN e.id AS id", id=enterprise_id) is not None


async def create(tx: Tx, row: dict[str, Any]) -> None:
    """``row``: id, PROFILE_PROPS, region_codes, industry_codes."""
    await tx.rows(
        "CREATE (e:Enterprise {id: $id, created_at: datetime()}) SET e += $props "
        "WITH e CALL (e) { UNWIND $region_codes AS code MATCH (r:Region {code: code}) "
        "                  CREATE (e)-[:LOCATED_IN]->(r) } "
        "CALL (e) { UNWIND $industry_codes AS code MATCH (i:Industry {code: code}) "
        "           CREATE (e)-[:IN_INDUSTRY]->(i) }",
        id=row["id"], props={key: row.get(key) for key in PROFILE_PROPS},
        region_codes=row.get("region_codes") or [], industry_codes=row.get("industry_codes") or [])
