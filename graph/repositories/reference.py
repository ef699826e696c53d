"""Reference data: the capability taxonomy, materials, certifications, industries, regions, modes.

Writers are idempotent (MERGE by code, then SET), so loading twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from graph.db import Database, Tx
from graph.repositories.freshness import DATA_VERSION_BUMP

# label -> the properties written from a seed record (besides `code`)
REFERENCE_LABELS = {
    "Capability": ("name_zh", "name_en", "kind", "level", "aliases", "user_terms", "problems", "alias_text",
                   "description", "embedding", "text_hash"),
    "Material": ("name_zh", "name_en", "aliases", "user_terms", "family"),
    "Certification": ("name", "aliases", "user_terms", "satisfies"),
    "Industry": ("name_zh", "name_en", "aliases", "user_terms", "pillar"),
    "Region": ("name_zh", "name_en", "aliases", "level", "lat", "lon"),
    "SharingMode": ("name_zh", "name_en", "description"),
    # the units a quantity is counted in, with the words people type for them (seed/data/units.jsonl)
    "Unit": ("name_zh", "name_en", "aliases", "dimension", "factor"),
}
# label -> relationship type of its hierarchy (child -> parent)
HIERARCHY = {"Capability": "CHILD_OF", "Material": "CHILD_OF", "Region": "PART_OF"}


def _check_label(label: str) -> None:
    if label not in REFERENCE_LABELS:
        raise ValueError(f"not a reference label: {label!r}")


async def upsert(db: Database, label: str, rows: list[dict[str, Any]]) -> None:
    """MERGE nodes by code and set their properties; then (re)link each to its parents.

    Each row: ``code`` + the label's properties + ``parents`` (list of codes, may be empty).
    One transaction: a load commits whole or not at all. It bumps the global matching version
    (``graph.repositories.freshness``): reference data is an input of every need's matches, and
    per-process copies of it (``matching.taxonomy.load_taxonomy``) are checked against that version.
    """
    _check_label(label)
    props = REFERENCE_LABELS[label]

    async def work(tx: Tx) -> None:
        # label comes from the allow-list above, never from input
        await tx.rows(
            f"UNWIND $rows AS row MERGE (n:{label} {{code: row.code}}) "
            f"SET {', '.join(f'n.{p} = row.{p}' for p in props)}",
            rows=[{p: row.get(p) for p in ("code", *props)} for row in rows],
        )
        rel = HIERARCHY.get(label)
        if rel:
            await tx.rows(
                f"UNWIND $rows AS row MATCH (n:{label} {{code: row.code}}) "
                f"OPTIONAL MATCH (n)-[old:{rel}]->() DELETE old",
                rows=[{"code": row["code"]} for row in rows],
            )
            links = [{"code": row["code"], "parent": parent} for row in rows for parent in row.get("parents", [])]
            await tx.rows(
                f"UNWIND $links AS link MATCH (n:{label} {{code: link.code}}) "
                f"MATCH (p:{label} {{code: link.parent}}) MERGE (n)-[:{rel}]->(p)",
                links=links,
            )
        await tx.rows(DATA_VERSION_BUMP)

    await db.write_tx(work)


async def alias_entries(db: Database, label: str) -> list[tuple[str, list[str]]]:
    """``[(code, [names…, aliases…, user terms…])]`` for building an alias index (user terms — the words
    people type that the curated aliases lack, docs/TAXONOMY.md — resolve like aliases)."""
    _check_label(label)
    name_props = {"Certification": ["name"]}.get(label, ["name_zh", "name_en"])
    rows = await db.read(
        f"MATCH (n:{label}) RETURN n.code AS code, "
        "[x IN $names | n[x]] + coalesce(n.aliases, []) + coalesce(n.user_terms, []) AS names ORDER BY code",
        names=name_props,
    )
    return [(row["code"], [name for name in row["names"] if name]) for row in rows]


async def replace_capability_problems(db: Database, rows: list[dict[str, Any]]) -> int:
    """Replace every capability's problem phrases: ``rows`` ``{code, text, embedding}``, one per phrase.

    A problem is a (:CapabilityProblem {code, text, embedding})-[:PROBLEM_OF]->(:Capability) node: linking
    compares a need with each phrase on its own (a need that describes a problem resembles one phrase,
    not the node's name, description and every other phrase averaged together).
    """

    async def work(tx: Tx) -> None:
        await tx.rows("MATCH (x:CapabilityProblem) DETACH DELETE x")
        await tx.rows(
            "UNWIND $rows AS row MATCH (c:Capability {code: row.code}) "
            "CREATE (x:CapabilityProblem {code: row.code, text: row.text, embedding: row.embedding})"
            "-[:PROBLEM_OF]->(c)", rows=rows)

    await db.write_tx(work)
    return len(rows)


async def capability_problems(db: Database) -> list[dict[str, Any]]:
    """Every capability problem phrase with its passage embedding: ``{code, text, embedding}``."""
    return await db.read("MATCH (x:CapabilityProblem)-[:PROBLEM_OF]->(c:Capability) "
                         "RETURN c.code AS code, x.text AS text, x.embedding AS embedding ORDER BY code, text")


async def region_levels(db: Database) -> dict[str, str]:
    """code -> GROUP | PROVINCE | CITY."""
    rows = await db.read("MATCH (r:Region) RETURN r.code AS code, r.level AS level")
    return {row["code"]: row["level"] for row in rows}


async def capabilities(db: Database) -> list[dict[str, Any]]:
    """Every capability with its parent code, level, kind and embedding (the taxonomy, ~200 nodes)."""
    return await db.read(
        "MATCH (c:Capability) OPTIONAL MATCH (c)-[:CHILD_OF]->(p:Capability) "
        "RETURN c.code AS code, c.name_zh AS name_zh, c.name_en AS name_en, c.kind AS kind, c.level AS level, "
        "c.aliases AS aliases, c.description AS description, p.code AS parent, c.embedding AS embedding "
        "ORDER BY c.code"
    )


async def capability_tree(db: Database) -> list[dict[str, Any]]:
    """Capabilities without embeddings, for display."""
    return await db.read(
        "MATCH (c:Capability) OPTIONAL MATCH (c)-[:CHILD_OF]->(p:Capability) "
        "RETURN c.code AS code, c.name_zh AS name_zh, c.name_en AS name_en, c.kind AS kind, c.level AS level, "
        "c.aliases AS aliases, c.description AS description, p.code AS parent ORDER BY c.code"
    )


async def counts(db: Database) -> dict[str, int]:
    rows = await db.read(
        "RETURN " + ", ".join(f"COUNT {{ MATCH (:{label}) }} AS {label}" for label in REFERENCE_LABELS))
    return rows[0]


async def parents(db: Database, label: str) -> dict[str, str | None]:
    """code -> the code one step up its hierarchy (None at the top), e.g. a material grade → its family."""
    _check_label(label)
    rel = HIERARCHY.get(label)
    if rel is None:
        return {}
    rows = await db.read(f"MATCH (n:{label}) RETURN n.code AS code, "
                         f"head([(n)-[:{rel}]->(p:{label}) | p.code]) AS parent")
    return {row["code"]: row["parent"] for row in rows}
