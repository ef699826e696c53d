"""The capability taxonomy in memory: paths for explanations and the proximity of two nodes.

The taxonomy is small (a few hundred nodes) and changes only when reference data is (re)loaded, so it
is read once per process and database and kept (:func:`load_taxonomy`). A reference-data write bumps
the global matching version (``graph.repositories.reference.upsert``, in its transaction), so the
copy is kept together with the global version it was read at and read again when that version moved
— in whichever process the write happened. Checking the version is one small read, unless the caller
has already read it (a need's signature carries it: ``NeedContext.global_version``) and passes it.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Literal

from graph.db import Database
from graph.repositories import freshness, reference

Relation = Literal["SAME", "DESCENDANT", "PARENT", "ANCESTOR", "SIBLING", "CATEGORY", "NONE"]

PATH_SEPARATOR = " › "


@dataclass(frozen=True)
class Taxonomy:
    names: dict[str, str]
    parents: dict[str, str | None]

    def ancestors(self, code: str) -> list[str]:
        """Parent, grandparent, … up to the category (level 1)."""
        found: list[str] = []
        parent = self.parents.get(code)
        while parent and parent not in found:
            found.append(parent)
            parent = self.parents.get(parent)
        return found

    def descendants(self, code: str) -> list[str]:
        """Children, grandchildren, … of ``code``."""
        found: list[str] = []
        frontier = [code]
        while frontier:
            children = [c for c, parent in self.parents.items() if parent in frontier and c not in found]
            found += children
            frontier = children
        return found

    def retrieval_scope(self, codes: list[str]) -> list[str]:
        """The nodes whose providers are candidates for a need linked to ``codes``: the nodes
        themselves, their descendants and their direct parents (scoring grades them)."""
        scope: dict[str, None] = {}
        for code in codes:
            scope[code] = None
            scope.update(dict.fromkeys(self.descendants(code)))
            parent = self.parents.get(code)
            if parent:
                scope[parent] = None
        return list(scope)

    def path(self, code: str) -> list[str]:
        """Names from the category down to ``code``, e.g. ``['铸造', '压铸', '铝合金压铸']``."""
        chain = [code, *self.ancestors(code)]
        return [self.names.get(c, c) for c in reversed(chain)]

    def path_text(self, code: str) -> str:
        return PATH_SEPARATOR.join(self.path(code))

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    def relation(self, need_code: str, provider_code: str) -> tuple[Relation, int]:
        """How the provider's node stands to the need's node, and how many levels apart.

        SAME; DESCENDANT (the provider is more specific, e.g. need 压铸, provider 铝合金压铸);
        PARENT / ANCESTOR (the provider is more general); SIBLING (same parent); CATEGORY (same
        level-1 category, further apart); NONE.
        """
        if need_code == provider_code:
            return "SAME", 0
        provider_up = self.ancestors(provider_code)
        if need_code in provider_up:
            return "DESCENDANT", provider_up.index(need_code) + 1
        need_up = self.ancestors(need_code)
        if provider_code in need_up:
            distance = need_up.index(provider_code) + 1
            return ("PARENT" if distance == 1 else "ANCESTOR"), distance
        if need_up and provider_up and need_up[0] == provider_up[0]:
            return "SIBLING", 2
        need_root = need_up[-1] if need_up else need_code
        provider_root = provider_up[-1] if provider_up else provider_code
        if need_root == provider_root:
            return "CATEGORY", len(need_up) + len(provider_up)
        return "NONE", -1


# database -> (the global version the copy was read at, the copy)
_cache: weakref.WeakKeyDictionary[Database, tuple[int, Taxonomy]] = weakref.WeakKeyDictionary()


async def load_taxonomy(db: Database, version: int | None = None) -> Taxonomy:
    """The taxonomy of ``db``: the copy kept for this process, read again when the global version moved.

    ``version``: the global data version (``graph.repositories.freshness.read_global_version``) the caller
    has just read, e.g. with the need; without it, it is read here (one small statement).
    """
    if version is None:
        version = await freshness.read_global_version(db)
    cached = _cache.get(db)
    if cached is not None and cached[0] == version:
        return cached[1]
    rows = await reference.capability_tree(db)  # read after the version: never older than it says
    taxonomy = Taxonomy(names={r["code"]: r["name_zh"] or r["code"] for r in rows},
                        parents={r["code"]: r["parent"] for r in rows})
    if rows:  # an empty taxonomy (reference data not loaded yet) is not worth keeping
        _cache[db] = (version, taxonomy)
    return taxonomy


def forget_taxonomy() -> None:
    """Drop cached taxonomies (tests that rewrite reference data without the version bump)."""
    _cache.clear()
