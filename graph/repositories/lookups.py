"""Reads of reference data by code, batched, for the API's DataLoaders and for input resolution.

``graph.repositories.reference`` loads the reference data and builds alias indexes; this module
answers "give me these nodes" in one round trip each. Labels come from the allow-list in
``reference.REFERENCE_LABELS``, never from input.
"""

from __future__ import annotations

from typing import Any

from graph.db import Database
from graph.repositories.reference import HIERARCHY, REFERENCE_LABELS
from graph.repositories.rows import native_rows

# Large or internal properties that are never shown.
_HIDDEN = {"embedding", "text_hash", "alias_text"}


def _check(label: str) -> None:
    if label not in REFERENCE_LABELS:
        raise ValueError(f"not a reference label: {label!r}")


def _projection(label: str, var: str = "n") -> str:
    props = ["code", *(p for p in REFERENCE_LABELS[label] if p not in _HIDDEN)]
    return var + " {" + ", ".join(f".{p}" for p in props) + "}"


def node_map(label: str, var: str) -> str:
    """Cypher for a map of the node ``var`` as :func:`by_codes` returns it (with ``parents``), so that
    other repositories can return linked reference nodes in the same round trip."""
    _check(label)
    rel = HIERARCHY.get(label)
    parents = f"[({var})-[:{rel}]->(up:{label}) | up.code]" if rel else "[]"
    return f"{_projection(label, var)[:-1]}, parents: {parents}}}"


async def by_codes(db: Database, label: str, codes: list[str]) -> list[dict[str, Any]]:
    """The nodes of ``label`` with these codes (any order, unknown codes left out).

    Hierarchical labels also carry ``parents``: the codes one step up (a city has its province and
    its groups; a capability its one parent).
    """
    _check(label)
    rel = HIERARCHY.get(label)
    parents = f", [(n)-[:{rel}]->(p:{label}) | p.code] AS parents" if rel else ", [] AS parents"
    rows = await db.read(
        f"MATCH (n:{label}) WHERE n.code IN $codes RETURN {_projection(label)} AS node{parents}",
        codes=list(codes))
    return native_rows([{**row["node"], "parents": row["parents"]} for row in rows])


async def children(db: Database, label: str, codes: list[str]) -> list[dict[str, Any]]:
    """The direct children of each code: rows ``{parent, node}`` ordered by child code."""
    _check(label)
    rel = HIERARCHY.get(label)
    if rel is None:
        return []
    rows = await db.read(
        f"MATCH (n:{label})-[:{rel}]->(p:{label}) WHERE p.code IN $codes "
        f"RETURN p.code AS parent, {_projection(label)} AS node, [(n)-[:{rel}]->(q:{label}) | q.code] AS parents "
        "ORDER BY n.code",
        codes=list(codes))
    return native_rows([{"parent": row["parent"], "node": {**row["node"], "parents": row["parents"]}}
                        for row in rows])


async def roots(db: Database, label: str) -> list[dict[str, Any]]:
    """The nodes of a hierarchy that have no parent (capability categories, material families)."""
    _check(label)
    rel = HIERARCHY.get(label)
    where = f"WHERE NOT (n)-[:{rel}]->(:{label}) " if rel else ""
    rows = await db.read(f"MATCH (n:{label}) {where}RETURN {_projection(label)} AS node ORDER BY n.code")
    return native_rows([{**row["node"], "parents": []} for row in rows])


async def all_nodes(db: Database, label: str) -> list[dict[str, Any]]:
    """Every node of a label (reference data is small: at most a few hundred nodes)."""
    _check(label)
    rel = HIERARCHY.get(label)
    parents = f"[(n)-[:{rel}]->(p:{label}) | p.code]" if rel else "[]"
    rows = await db.read(f"MATCH (n:{label}) RETURN {_projection(label)} AS node, {parents} AS parents ORDER BY n.code")
    return native_rows([{**row["node"], "parents": row["parents"]} for row in rows])


async def known_codes(db: Database, wanted: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of the ``(label, code)`` pairs exist — one round trip for any mix of labels."""
    by_label: dict[str, list[str]] = {}
    for label, code in wanted:
        _check(label)
        by_label.setdefault(label, []).append(code)
    if not by_label:
        return set()
    labels = sorted(by_label)
    branches = " UNION ALL ".join(
        f"UNWIND $codes[{i}] AS c MATCH (n:{label} {{code: c}}) RETURN '{label}' AS label, n.code AS code"
        for i, label in enumerate(labels))
    rows = await db.read(f"CALL () {{ {branches} }} RETURN DISTINCT label, code",
                         codes=[by_label[label] for label in labels])
    return {(row["label"], row["code"]) for row in rows}


async def codes_by_name(db: Database, label: str, terms: list[str]) -> dict[str, str]:
    """term → code for terms equal to a node's code or one of its names (for labels without aliases)."""
    _check(label)
    rows = await db.read(
        f"UNWIND $terms AS term MATCH (n:{label}) "
        "WHERE n.code = term OR n.name_zh = term OR toLower(n.name_en) = toLower(term) "
        "RETURN term, min(n.code) AS code",
        terms=list(terms))
    return {row["term"]: row["code"] for row in rows}
