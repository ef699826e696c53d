"""Keyset pagination shared by the list queries (providers, enterprises, needs).

A page is asked for by a sort (a key expression from the repository's allow-list), a direction,
a limit and optionally the ``(sort_key, id)`` of the last row already seen. Ties are broken by
``id``, so every row has a unique position and a page never skips or repeats a row even when rows
are added in between (unlike OFFSET).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PageRequest:
    sort: str  # a key of the repository's SORTS
    descending: bool = False
    limit: int = 20
    after_key: Any = None
    after_id: str | None = None

    def params(self) -> dict[str, Any]:
        return {"limit": self.limit, "after_key": self.after_key, "after_id": self.after_id}


def keyset_clauses(alias: str, key_expr: str, request: PageRequest, keep: tuple[str, ...] = ()) -> tuple[str, str]:
    """Cypher for ``WITH <alias>, key AS sort_key WHERE <after>`` and ``ORDER BY … LIMIT $limit``.

    ``alias``, ``keep`` (other variables to carry) and ``key_expr`` come from the repositories'
    allow-lists, never from input.
    """
    carried = ", ".join((alias, *keep))
    op = "<" if request.descending else ">"
    direction = "DESC" if request.descending else "ASC"
    where = (f"WITH {carried}, {key_expr} AS sort_key "
             f"WHERE $after_id IS NULL OR sort_key {op} $after_key "
             f"OR (sort_key = $after_key AND {alias}.id {op} $after_id) ")
    order = f"ORDER BY sort_key {direction}, {alias}.id {direction} LIMIT $limit "
    return where, order
