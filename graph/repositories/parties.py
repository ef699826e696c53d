"""Cypher of what matching reads about the two parties of a match: the need (with its enterprise) and the
provider."""

from __future__ import annotations

from typing import Any

from graph.db import Database
from graph.repositories.freshness import SIGNATURE_OF_NEED, signature_of

# What matching reads about a need (``n``) and its enterprise (``e``, optional).
_NEED_COLUMNS = """
       n.id AS id, n.kind AS kind, n.title AS title, n.description AS description,
       n.quantity AS quantity, n.unit AS unit, n.deadline AS deadline, n.status AS status,
       n.budget_min AS budget_min, n.budget_max AS budget_max,
       n.embedding AS embedding, toString(n.updated_at) AS updated_at,
       n.matches_fingerprint AS matches_fingerprint, n.matches_computed_at AS matches_computed_at,
       e.id AS enterprise_id, e.name AS enterprise_name,
       head([(e)-[:LOCATED_IN]->(r:Region) | {code: r.code, name: r.name_zh, lat: r.lat, lon: r.lon}])
         AS enterprise_region,
       [(n)-[r:REQUIRES_CAPABILITY]->(c:Capability) |
          {code: c.code, confidence: coalesce(r.confidence, 1.0), method: r.method}] AS capabilities,
       [(n)-[:REQUIRES_CERT]->(c:Certification) | {code: c.code, name: c.name}] AS certifications,
       [(n)-[:WITHIN_REGION]->(r:Region) |
          {code: r.code, name: r.name_zh, level: r.level, lat: r.lat, lon: r.lon}] AS regions,
       [(n)-[:IN_MATERIAL]->(m:Material) |
          {code: m.code, name: m.name_zh, parent: head([(m)-[:CHILD_OF]->(pm:Material) | pm.code])}]
         AS materials
"""
NEED_CONTEXT = """
UNWIND $need_ids AS need_id
MATCH (n:Need {id: need_id})
OPTIONAL MATCH (e:Enterprise)-[:POSTED]->(n)
RETURN""" + _NEED_COLUMNS
# One need and its freshness signature (graph.repositories.freshness) in one round trip.
_NEED_WITH_SIGNATURE = ("OPTIONAL MATCH (n:Need {id: $need_id})" + SIGNATURE_OF_NEED
                        + "OPTIONAL MATCH (e:Enterprise)-[:POSTED]->(n)\nRETURN versions, dirty," + _NEED_COLUMNS)


async def need_contexts(db: Database, need_ids: list[str]) -> list[dict[str, Any]]:
    """What matching needs to know about each need (and its enterprise), in one round trip."""
    return await db.read(NEED_CONTEXT, need_ids=need_ids)


async def need_with_signature(db: Database, need_id: str) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """A :func:`need_contexts` row (None: no such need) and the need's ``data_signature``, read together."""
    rows = await db.read(_NEED_WITH_SIGNATURE, need_id=need_id)
    row = rows[0] if rows else None
    return (row if row and row["id"] is not None else None), signature_of(row)


async def set_need_embedding(db: Database, need_id: str, embedding: list[float]) -> None:
    """Store an embedding for a need written without one (e.g. by an old client)."""
    await db.write("MATCH (n:Need {id: $id}) WHERE n.embedding IS NULL SET n.embedding = $embedding",
                   id=need_id, embedding=embedding)

_ENTERPRISE_CONTACTS = """
UNWIND $need_ids AS need_id
MATCH (e:Enterprise)-[:POSTED]->(n:Need {id: need_id})
RETURN n.id AS need_id, e.id AS id, e.name AS name, e.contact_name AS contact_name,
       e.contact_phone AS contact_phone, e.contact_email AS contact_email
"""


async def enterprise_contacts(db: Database, need_ids: list[str]) -> list[dict[str, Any]]:
    """The enterprise behind each need, with contact details (the caller decides who may see them)."""
    return await db.read(_ENTERPRISE_CONTACTS, need_ids=need_ids)


_PROVIDER_EXISTS = "MATCH (p:Provider {id: $id}) RETURN p.id AS id, p.kind AS kind, p.name AS name"


async def provider_summary(db: Database, provider_id: str) -> dict[str, Any] | None:
    rows = await db.read(_PROVIDER_EXISTS, id=provider_id)
    return rows[0] if rows else None
