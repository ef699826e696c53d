"""Capability statements: ``(:Provider)-[:STATES]->(:CapabilityStatement {id, text, embedding})``
``-[:ABOUT {confidence, method}]->(:Capability)``. Public, like the provider directory."""

from __future__ import annotations

from typing import Any, Literal, cast

from graph.db import Database, Tx
from graph.repositories import lookups
from graph.repositories.rows import StatementRow, native_rows
from graph.viewer import Viewer

_PROJECTION = """
p.id AS provider_id, s.id AS id, s.text AS text, s.created_at AS created_at,
[(s)-[a:ABOUT]->(c:Capability) | {code: c.code, confidence: a.confidence, method: a.method,
                                   node: __CAPABILITY__}] AS links
""".replace("__CAPABILITY__", lookups.node_map("Capability", "c"))


async def by_providers(db: Database, provider_ids: list[str]) -> list[StatementRow]:
    rows = await db.read(
        f"MATCH (p:Provider)-[:STATES]->(s:CapabilityStatement) WHERE p.id IN $ids "
        f"RETURN {_PROJECTION} ORDER BY s.created_at, s.id",
        ids=list(provider_ids))
    return cast(list[StatementRow], native_rows(rows))


async def by_ids(db: Database, ids: list[str]) -> list[StatementRow]:
    rows = await db.read(
        f"MATCH (p:Provider)-[:STATES]->(s:CapabilityStatement) WHERE s.id IN $ids RETURN {_PROJECTION}",
        ids=list(ids))
    return cast(list[StatementRow], native_rows(rows))


async def access(tx: Tx, statement_id: str, viewer: Viewer) -> Literal["OWN", "READ"] | None:
    row = await tx.one(
        "MATCH (p:Provider)-[:STATES]->(s:CapabilityStatement {id: $id}) "
        "RETURN $viewer_role = 'PROVIDER' AND p.id = $viewer_org AS own",
        id=statement_id, **viewer.params())
    if row is None:
        return None
    return "OWN" if row["own"] else "READ"


async def create(tx: Tx, provider_id: str, statement: dict[str, Any]) -> None:
    """``statement``: id, text, embedding (list of floats), links ``[{code, confidence, method}]``."""
    await tx.rows(
        "MATCH (p:Provider {id: $provider_id}) "
        "CREATE (p)-[:STATES]->(s:CapabilityStatement {id: $id, text: $text, embedding: $embedding, "
        "created_at: datetime()}) "
        "WITH s UNWIND $links AS link MATCH (c:Capability {code: link.code}) "
        "CREATE (s)-[:ABOUT {confidence: link.confidence, method: link.method}]->(c)",
        provider_id=provider_id, id=statement["id"], text=statement["text"],
        embedding=statement["embedding"], links=statement["links"])


async def delete(tx: Tx, statement_id: str) -> str | None:
    """Delete the statement; returns its provider's id (None when there was no such statement)."""
    row = await tx.one(
        "MATCH (p:Provider)-[:STATES]->(s:CapabilityStatement {id: $id}) "
        "WITH p, s, p.id AS provider_id DETACH DELETE s RETURN provider_id",
        id=statement_id)
    return row["provider_id"] if row else None
