"""Turning driver values into plain Python for callers above ``graph/``.

The driver returns ``neo4j.time.Date``/``DateTime``; the layers above work with ``datetime.date`` and
``datetime.datetime``, so repositories pass their rows through :func:`native` before returning them.
"""

from __future__ import annotations

from typing import Any

from neo4j.time import Date, DateTime


def native(value: Any) -> Any:
    """``value`` with every Neo4j temporal replaced by its Python equivalent (recursively)."""
    if isinstance(value, DateTime | Date):
        return value.to_native()
    if isinstance(value, dict):
        return {key: native(item) for key, item in value.items()}
    if isinstance(value, list):
        return [native(item) for item in value]
    return value


def native_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [native(row) for row in rows]
