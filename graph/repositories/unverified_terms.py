"""Unverified terms: what people typed for a certification, industry or material that names nothing
known yet, kept until staff map it to a node (or create one).

``(:UnverifiedTerm {key, kind, text, normalised, first_seen, status})<-[:MENTIONS {field, status,
valid_until}]-(:Provider | :Enterprise | :Need | :CapacityOffer)``; ``key`` is ``kind:normalised``
(unique), ``status`` OPEN or MAPPED (with ``mapped_to``, ``mapped_by``, ``mapped_at``).

Mapping a term re-links every mention as the relationship the term would have had if it had been
known (:data:`RELINK`), adds the typed text as an alias of the node, and removes the mentions —
one transaction, so the data is never half re-linked.
"""

from __future__ import annotations

from typing import Any

from graph.db import Database, Tx
from graph.repositories.rows import native_rows

KIND_LABELS = {"CERTIFICATION": "Certification", "INDUSTRY": "Industry", "MATERIAL": "Material"}
SOURCE_LABELS = ("Provider", "Enterprise", "Need", "CapacityOffer")

# (source label, term kind) -> (relationship type, properties copied from MENTIONS)
RELINK: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("Provider", "CERTIFICATION"): ("HOLDS", ("status", "valid_until")),
    ("Need", "CERTIFICATION"): ("REQUIRES_CERT", ()),
    ("Provider", "INDUSTRY"): ("IN_INDUSTRY", ()),
    ("Enterprise", "INDUSTRY"): ("IN_INDUSTRY", ()),
    ("CapacityOffer", "MATERIAL"): ("IN_MATERIAL", ()),
    ("Need", "MATERIAL"): ("IN_MATERIAL", ()),
}
# The name property of each target label (an alias is appended to `aliases`).
NAME_PROPS = {"Certification": "name", "Industry": "name_zh", "Material": "name_zh"}


def _source(label: str) -> str:
    if label not in SOURCE_LABELS:
        raise ValueError(f"not a label that mentions terms: {label!r}")
    return label


async def mention(tx: Tx, source_label: str, source_id: str, kind: str, text: str, normalised: str,
                  field: str, props: dict[str, Any] | None = None) -> None:
    """Record that ``source`` typed ``text`` (a ``kind`` term that names nothing known)."""
    label = _source(source_label)
    if kind not in KIND_LABELS:
        raise ValueError(f"not a term kind: {kind!r}")
    await tx.rows(
        f"MATCH (s:{label} {{id: $id}}) "
        "MERGE (t:UnverifiedTerm {key: $key}) "
        "ON CREATE SET t.kind = $kind, t.text = $text, t.normalised = $normalised, t.first_seen = datetime(), "
        "t.status = 'OPEN' "
        "MERGE (s)-[m:MENTIONS {field: $field}]->(t) SET m += $props",
        id=source_id, key=f"{kind}:{normalised}", kind=kind, text=text, normalised=normalised, field=field,
        props=props or {})


async def queue(db: Database, kind: str | None, status: str, limit: int) -> list[dict[str, Any]]:
    """Terms with how often they are mentioned (most mentioned first): ``{key, kind, text, normalised,
    status, first_seen, mentions, by_label: [{label, n}], mapped_to}``."""
    rows = await db.read(
        "MATCH (t:UnverifiedTerm) WHERE ($kind IS NULL OR t.kind = $kind) AND t.status = $status "
        "OPTIONAL MATCH (s)-[:MENTIONS]->(t) "
        "WITH t, [l IN labels(s) WHERE l IN $sources][0] AS label, count(s) AS n "
        "WITH t, sum(n) AS mentions, collect(CASE WHEN label IS NULL THEN null ELSE {label: label, n: n} END) AS by "
        "RETURN t.key AS key, t.kind AS kind, t.text AS text, t.normalised AS normalised, t.status AS status, "
        "t.first_seen AS first_seen, t.mapped_to AS mapped_to, mentions, by AS by_label "
        "ORDER BY mentions DESC, t.key LIMIT $limit",
        kind=kind, status=status, limit=limit, sources=list(SOURCE_LABELS))
    return native_rows(rows)


async def term(tx: Tx, key: str) -> dict[str, Any] | None:
    return await tx.one("MATCH (t:UnverifiedTerm {key: $key}) RETURN t.key AS key, t.kind AS kind, "
                        "t.text AS text, t.status AS status, COUNT { (t)<-[:MENTIONS]-() } AS mentions", key=key)


async def node_exists(tx: Tx, kind: str, code: str) -> bool:
    label = KIND_LABELS[kind]
    row = await tx.one(f"MATCH (n:{label} {{code: $code}}) RETURN n.code AS code", code=code)
    return row is not None


async def create_node(tx: Tx, kind: str, code: str, name: str) -> None:
    """A new reference node for a term staff judged real (no parents; place it in the hierarchy later)."""
    label = KIND_LABELS[kind]
    await tx.rows(f"CREATE (n:{label} {{code: $code, {NAME_PROPS[label]}: $name, aliases: [], "
                  "created_by_curation: true})", code=code, name=name)


async def map_term(tx: Tx, key: str, kind: str, code: str, actor: str) -> int:
    """Re-link every mention of the term to ``code``, add its text as an alias, close the term.
    Returns the number of re-linked mentions."""
    label = KIND_LABELS[kind]
    relinked = 0
    for (source, term_kind), (rel, copied) in RELINK.items():
        if term_kind != kind:
            continue
        copy = "".join(f", r.{p} = m.{p}" for p in copied)
        row = await tx.one(
            f"MATCH (t:UnverifiedTerm {{key: $key}})<-[m:MENTIONS]-(s:{source}) "
            f"MATCH (n:{label} {{code: $code}}) "
            f"MERGE (s)-[r:{rel}]->(n) SET r.via_term = t.text{copy} "
            "DELETE m "
            # the provider the link is about changed a matching input (the provider index reloads it)
            "FOREACH (p IN [x IN [s] WHERE x:Provider] + [(x:Provider)-[:STATES|OFFERS]->(s) | x] | "
            "  SET p.matching_changed_at = datetime()) "
            "RETURN count(*) AS n",
            key=key, code=code)
        relinked += row["n"] if row else 0
    await tx.rows(
        f"MATCH (t:UnverifiedTerm {{key: $key}}), (n:{label} {{code: $code}}) "
        "SET n.aliases = CASE WHEN t.text IN coalesce(n.aliases, []) THEN n.aliases "
        "                     ELSE coalesce(n.aliases, []) + t.text END, "
        "t.status = 'MAPPED', t.mapped_to = $code, t.mapped_by = $actor, t.mapped_at = datetime()",
        key=key, code=code, actor=actor)
    return relinked


# ---------------------------------------------------------------- intake (added by the input-fit work)

async def forget(tx: Tx, source_label: str, source_id: str, kind: str) -> None:
    """Remove ``source``'s mentions of ``kind`` terms (before a list input replaces them); the terms stay."""
    label = _source(source_label)
    await tx.rows(f"MATCH (s:{label} {{id: $id}})-[m:MENTIONS]->(t:UnverifiedTerm {{kind: $kind}}) DELETE m",
                  id=source_id, kind=kind)

