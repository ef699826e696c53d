"""Needs: ``(:Enterprise)-[:POSTED]->(:Need)`` with ``REQUIRES_CAPABILITY {confidence, method}``,
``REQUIRES_CERT``, ``WITHIN_REGION`` and ``IN_MATERIAL`` links.

Needs are private to the enterprise that posted them (and staff): ``_READABLE`` is in every read,
so another organisation's need is indistinguishable from a missing one.
"""

from __future__ import annotations

from typing import Any, cast

from graph.db import Database, Tx
from graph.repositories import lookups
from graph.repositories.paging import PageRequest, keyset_clauses
from graph.repositories.rows import NeedRow, native, sorted_material_links
from graph.viewer import Viewer

NEED_PROPS = ("kind", "title", "description", "quantity", "unit", "deadline", "budget_min", "budget_max")

SORTS = {
    "CREATED": "coalesce(n.created_at.epochMillis, 0)",
    "DEADLINE": "coalesce(n.deadline, date('9999-12-31'))",
    "TITLE": "coalesce(n.title, '')",
}

_READABLE = "($viewer_role = 'STAFF' OR ($viewer_role = 'ENTERPRISE' AND e.id = $viewer_org))"

_PROJECTION = """
e.id AS enterprise_id,
n {.id, .kind, .title, .description, .quantity, .unit, .deadline, .budget_min, .budget_max, .status,
   .created_at, .updated_at} AS node,
[(n)-[r:REQUIRES_CAPABILITY]->(c:Capability) | {code: c.code, confidence: r.confidence, method: r.method,
                                               node: __CAPABILITY__}] AS links,
[(n)-[:REQUIRES_CERT]->(c:Certification) | c.code] AS certification_codes,
[(n)-[:WITHIN_REGION]->(r:Region) | r.code] AS region_codes,
[(n)-[r:IN_MATERIAL]->(m:Material) | {code: m.code, confidence: coalesce(r.confidence, 1.0),
                                      method: coalesce(r.method, 'CODE'), text: r.text}] AS material_links
""".replace("__CAPABILITY__", lookups.node_map("Capability", "c"))

_FILTERS = """
  AND ($enterprise IS NULL OR e.id = $enterprise)
  AND ($kind IS NULL OR n.kind = $kind)
  AND ($status IS NULL OR n.status = $status)
  AND ($capability IS NULL
       OR EXISTS { MATCH (n)-[:REQUIRES_CAPABILITY]->(:Capability)
                         -[:CHILD_OF*0..3]->(:Capability {code: $capability}) })
  AND ($region IS NULL
       OR EXISTS { MATCH (n)-[:WITHIN_REGION]->(:Region)-[:PART_OF*0..3]->(:Region {code: $region}) })
  AND ($certification IS NULL OR EXISTS { MATCH (n)-[:REQUIRES_CERT]->(:Certification {code: $certification}) })
  AND ($text IS NULL OR toLower(coalesce(n.title, '')) CONTAINS $text
       OR toLower(coalesce(n.description, '')) CONTAINS $text)
"""

FILTER_KEYS = ("enterprise", "kind", "status", "capability", "region", "certification", "text")


def _filter_params(filters: dict[str, Any]) -> dict[str, Any]:
    params = {key: filters.get(key) for key in FILTER_KEYS}
    if params["text"]:
        params["text"] = params["text"].lower()
    return params


def _flatten(row: dict[str, Any]) -> NeedRow:
    materials = sorted_material_links(row["material_links"])
    flat = {**row["node"], "enterprise_id": row["enterprise_id"], "links": row["links"],
            "certification_codes": row["certification_codes"], "region_codes": row["region_codes"],
            "material_links": materials, "material_code": materials[0]["code"] if materials else None}
    if "sort_key" in row:
        flat["sort_key"] = row["sort_key"]
    return cast(NeedRow, native(flat))


# --------------------------------------------------------------------------------------------- reads


async def page(db: Database, viewer: Viewer, filters: dict[str, Any], request: PageRequest) -> list[NeedRow]:
    after, order = keyset_clauses("n", SORTS[request.sort], request, keep=("e",))
    rows = await db.read(
        f"MATCH (e:Enterprise)-[:POSTED]->(n:Need) WHERE {_READABLE} {_FILTERS} {after} WITH e, n, sort_key "
        f"{order} RETURN {_PROJECTION}, sort_key",
        **_filter_params(filters), **request.params(), **viewer.params())
    return [_flatten(row) for row in rows]


async def count(db: Database, viewer: Viewer, filters: dict[str, Any]) -> int:
    rows = await db.read(
        f"MATCH (e:Enterprise)-[:POSTED]->(n:Need) WHERE {_READABLE} {_FILTERS} RETURN count(n) AS n",
        **_filter_params(filters), **viewer.params())
    return rows[0]["n"]


async def by_ids(db: Database, ids: list[str], viewer: Viewer) -> list[NeedRow]:
    rows = await db.read(
        f"MATCH (e:Enterprise)-[:POSTED]->(n:Need) WHERE n.id IN $ids AND {_READABLE} RETURN {_PROJECTION}",
        ids=list(ids), **viewer.params())
    return [_flatten(row) for row in rows]


async def current(tx: Tx, need_id: str, viewer: Viewer) -> NeedRow | None:
    """The need if the viewer may read it (with ``own``: whether it may change it), else None."""
    row = await tx.one(
        f"MATCH (e:Enterprise)-[:POSTED]->(n:Need {{id: $id}}) WHERE {_READABLE} "
        f"RETURN {_PROJECTION}, $viewer_role = 'ENTERPRISE' AND e.id = $viewer_org AS own",
        id=need_id, **viewer.params())
    if row is None:
        return None
    return {**_flatten(row), "own": row["own"]}


# -------------------------------------------------------------------------------------------- writes


async def create(tx: Tx, enterprise_id: str, need: dict[str, Any]) -> None:
    """``need``: id, NEED_PROPS, embedding, links, certification_codes, region_codes, material_links."""
    await tx.rows(
        "MATCH (e:Enterprise {id: $enterprise_id}) "
        "CREATE (e)-[:POSTED]->(n:Need {id: $id, status: 'OPEN', created_at: datetime(), updated_at: datetime()}) "
        "SET n += $props, n.embedding = $embedding",
        enterprise_id=enterprise_id, id=need["id"], props={key: need.get(key) for key in NEED_PROPS},
        embedding=need["embedding"])
    await replace_links(tx, need["id"], need)


async def update(tx: Tx, need_id: str, props: dict[str, Any], embedding: list[float] | None) -> None:
    props = {key: value for key, value in props.items() if key in NEED_PROPS and key != "kind"}
    await tx.rows(
        "MATCH (n:Need {id: $id}) SET n += $props, n.updated_at = datetime(), "
        "n.embedding = coalesce($embedding, n.embedding)",
        id=need_id, props=props, embedding=embedding)


_CODE_LINKS = {
    # key in the need dict -> (relationship type, target label)
    "certification_codes": ("REQUIRES_CERT", "Certification"),
    "region_codes": ("WITHIN_REGION", "Region"),
}


async def replace_links(tx: Tx, need_id: str, need: dict[str, Any]) -> None:
    """Replace the links whose keys are present in ``need`` (links, certification/region codes, materials)."""
    if "links" in need:
        await tx.rows(
            "MATCH (n:Need {id: $id}) "
            "CALL (n) { MATCH (n)-[old:REQUIRES_CAPABILITY]->(:Capability) DELETE old } "
            "WITH n UNWIND $links AS link MATCH (c:Capability {code: link.code}) "
            "CREATE (n)-[:REQUIRES_CAPABILITY {confidence: link.confidence, method: link.method}]->(c)",
            id=need_id, links=list(need["links"]))
    for key, (rel, target) in _CODE_LINKS.items():
        if key in need:
            await tx.rows(
                f"MATCH (n:Need {{id: $id}}) "
                f"CALL (n) {{ MATCH (n)-[old:{rel}]->(:{target}) DELETE old }} "
                f"WITH n UNWIND $codes AS code MATCH (t:{target} {{code: code}}) MERGE (n)-[:{rel}]->(t)",
                id=need_id, codes=list(need[key] or []))
    if "material_links" in need:
        await tx.rows(
            "MATCH (n:Need {id: $id}) "
            "CALL (n) { MATCH (n)-[old:IN_MATERIAL]->(:Material) DELETE old } "
            "WITH n UNWIND $links AS link MATCH (m:Material {code: link.code}) "
            "CREATE (n)-[:IN_MATERIAL {confidence: link.confidence, method: link.method, text: link.text}]->(m)",
            id=need_id, links=list(need["material_links"] or []))


async def set_status(tx: Tx, need_id: str, status: str) -> None:
    await tx.rows("MATCH (n:Need {id: $id}) SET n.status = $status, n.updated_at = datetime()",
                  id=need_id, status=status)
