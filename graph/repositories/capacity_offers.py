"""Capacity offers: ``(:Manufacturer)-[:OFFERS]->(:CapacityOffer)-[:OF_PROCESS {confidence, method}]->
(:Capability)``, ``-[:IN_MATERIAL {confidence, method, text}]->(:Material)`` (one per material the offer
names; ``text`` is the part of the input it was linked from).

Published offers are part of the public directory; a withdrawn one is seen only by its manufacturer
and by staff (the filter is ``_VISIBLE``).
"""

from __future__ import annotations

from typing import Any, Literal, cast

from graph.db import Database, Tx
from graph.repositories import lookups
from graph.repositories.rows import OfferRow, native, sorted_material_links
from graph.viewer import Viewer

# Properties an offer's manufacturer may set.
OFFER_PROPS = ("process_text", "description", "monthly_volume", "unit", "available_from", "available_to",
               "lead_time_days", "moq")

_VISIBLE = """
(o.status = 'PUBLISHED' OR $viewer_role = 'STAFF' OR ($viewer_role = 'PROVIDER' AND p.id = $viewer_org))
"""

_PROJECTION = """
p.id AS provider_id,
o {.id, .process_text, .description, .monthly_volume, .unit, .available_from, .available_to, .lead_time_days,
   .moq, .booked_volume, .status, .created_at} AS node,
[(o)-[r:OF_PROCESS]->(c:Capability) | {code: c.code, confidence: r.confidence, method: r.method,
                                       node: __CAPABILITY__}] AS links,
[(o)-[r:IN_MATERIAL]->(m:Material) | {code: m.code, confidence: coalesce(r.confidence, 1.0),
                                      method: coalesce(r.method, 'CODE'), text: r.text}] AS material_links
""".replace("__CAPABILITY__", lookups.node_map("Capability", "c"))


def _flatten(row: dict[str, Any]) -> OfferRow:
    materials = sorted_material_links(row["material_links"])
    return cast(OfferRow, native({**row["node"], "provider_id": row["provider_id"], "links": row["links"],
                                  "material_links": materials,
                                  "material_code": materials[0]["code"] if materials else None}))


async def by_providers(db: Database, provider_ids: list[str], viewer: Viewer,
                       include_withdrawn: bool = False) -> list[OfferRow]:
    rows = await db.read(
        f"MATCH (p:Manufacturer)-[:OFFERS]->(o:CapacityOffer) WHERE p.id IN $ids AND {_VISIBLE} "
        "AND ($include_withdrawn OR o.status = 'PUBLISHED') "
        f"RETURN {_PROJECTION} ORDER BY o.available_from, o.id",
        ids=list(provider_ids), include_withdrawn=include_withdrawn, **viewer.params())
    return [_flatten(row) for row in rows]


async def by_ids(db: Database, ids: list[str], viewer: Viewer) -> list[OfferRow]:
    rows = await db.read(
        f"MATCH (p:Manufacturer)-[:OFFERS]->(o:CapacityOffer) WHERE o.id IN $ids AND {_VISIBLE} "
        f"RETURN {_PROJECTION}",
        ids=list(ids), **viewer.params())
    return [_flatten(row) for row in rows]


async def current(tx: Tx, offer_id: str, viewer: Viewer) -> tuple[Literal["OWN", "READ"] | None,
                                                                   OfferRow | None]:
    """The offer as its viewer sees it and whether the viewer may change it (None: not visible)."""
    row = await tx.one(
        f"MATCH (p:Manufacturer)-[:OFFERS]->(o:CapacityOffer {{id: $id}}) WHERE {_VISIBLE} "
        f"RETURN {_PROJECTION}, $viewer_role = 'PROVIDER' AND p.id = $viewer_org AS own",
        id=offer_id, **viewer.params())
    if row is None:
        return None, None
    return ("OWN" if row["own"] else "READ"), _flatten(row)


async def create(tx: Tx, provider_id: str, offer: dict[str, Any]) -> None:
    """``offer``: id, OFFER_PROPS, embedding, links ``[{code, confidence, method}]``,
    material_links ``[{code, confidence, method, text}]``."""
    await tx.rows(
        "MATCH (p:Provider {id: $provider_id}) WHERE p:Manufacturer "  # the id index; a label scan grows with the pool
        "CREATE (p)-[:OFFERS]->(o:CapacityOffer {id: $id, status: 'PUBLISHED', booked_volume: 0, "
        "external_booked_volume: 0, "
        "created_at: datetime()}) SET o += $props, o.embedding = $embedding",
        provider_id=provider_id, id=offer["id"], props={key: offer.get(key) for key in OFFER_PROPS},
        embedding=offer["embedding"])
    await replace_process_links(tx, offer["id"], offer["links"])
    await replace_materials(tx, offer["id"], offer.get("material_links") or [])


async def update(tx: Tx, offer_id: str, props: dict[str, Any], embedding: list[float] | None) -> None:
    props = {key: value for key, value in props.items() if key in OFFER_PROPS}
    await tx.rows(
        "MATCH (o:CapacityOffer {id: $id}) SET o += $props, o.updated_at = datetime(), "
        "o.embedding = coalesce($embedding, o.embedding)",
        id=offer_id, props=props, embedding=embedding)


async def replace_process_links(tx: Tx, offer_id: str, links: list[dict[str, Any]]) -> None:
    await tx.rows(
        "MATCH (o:CapacityOffer {id: $id}) "
        "CALL (o) { MATCH (o)-[old:OF_PROCESS]->(:Capability) DELETE old } "
        "WITH o UNWIND $links AS link MATCH (c:Capability {code: link.code}) "
        "CREATE (o)-[:OF_PROCESS {confidence: link.confidence, method: link.method}]->(c)",
        id=offer_id, links=list(links))


async def replace_materials(tx: Tx, offer_id: str, links: list[dict[str, Any]]) -> None:
    """The offer's materials become ``links`` ``[{code, confidence, method, text}]``."""
    await tx.rows(
        "MATCH (o:CapacityOffer {id: $id}) "
        "CALL (o) { MATCH (o)-[old:IN_MATERIAL]->(:Material) DELETE old } "
        "WITH o UNWIND $links AS link MATCH (m:Material {code: link.code}) "
        "CREATE (o)-[:IN_MATERIAL {confidence: link.confidence, method: link.method, text: link.text}]->(m)",
        id=offer_id, links=list(links))


async def set_status(tx: Tx, offer_id: str, status: str) -> None:
    await tx.rows("MATCH (o:CapacityOffer {id: $id}) SET o.status = $status, o.updated_at = datetime()",
                  id=offer_id, status=status)


async def lock(tx: Tx, offer_id: str) -> None:
    """Take the offer's write lock first in an update transaction (a constant, so nothing stale is written
    back): a concurrent update waits, and the re-read after it sees every earlier commit."""
    await tx.rows("MATCH (o:CapacityOffer {id: $id}) SET o._lock = true", id=offer_id)
