"""Per-request DataLoaders: every "for each of these parents, fetch …" is one Cypher round trip.

Created fresh in ``get_context`` for each request (never shared: they cache, and the viewer's
visibility is baked into the reads). Values are plain row dicts from ``graph/repositories``; the
GraphQL types in ``api/<domain>/types.py`` wrap them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from api.deals.loaders import DealLoaders
from graph.db import Database
from graph.repositories import capability_statements, capacity_offers, curation, enterprises, lookups, needs, providers
from graph.repositories.reference import HIERARCHY, REFERENCE_LABELS
from graph.viewer import Viewer

Row = dict[str, Any]


def _by_key(rows: list[Row], keys: Sequence[Hashable], key: str) -> list[Row | None]:
    found = {row[key]: row for row in rows}
    return [found.get(k) for k in keys]


def _grouped(rows: list[Row], keys: Sequence[Hashable], key: str) -> list[list[Row]]:
    groups: dict[Hashable, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return [groups.get(k, []) for k in keys]


class Loaders:
    def __init__(self, db: Database, viewer: Viewer):
        self.db = db
        self.viewer = viewer
        self.provider: DataLoader[str, Row | None] = DataLoader(self._providers)
        self.statements_by_provider: DataLoader[str, list[Row]] = DataLoader(self._statements_by_provider)
        self.statement: DataLoader[str, Row | None] = DataLoader(self._statements)
        self.offers_by_provider: DataLoader[str, list[Row]] = DataLoader(self._offers_by_provider)
        self.offer: DataLoader[str, Row | None] = DataLoader(self._offers)
        self.certifications_by_provider: DataLoader[str, list[Row]] = DataLoader(self._certifications)
        self.listing_history: DataLoader[str, list[Row]] = DataLoader(self._listing_history)
        self.enterprise: DataLoader[str, Row | None] = DataLoader(self._enterprises)
        self.need: DataLoader[str, Row | None] = DataLoader(self._needs)
        self.deals = DealLoaders(db)
        self.reference: dict[str, DataLoader[str, Row | None]] = {
            label: DataLoader(self._reference(label)) for label in REFERENCE_LABELS}
        self.children: dict[str, DataLoader[str, list[Row]]] = {
            label: DataLoader(self._children(label)) for label in HIERARCHY}

    async def _providers(self, ids: list[str]) -> list[Row | None]:
        return _by_key(await providers.by_ids(self.db, ids), ids, "id")

    async def _statements_by_provider(self, ids: list[str]) -> list[list[Row]]:
        return _grouped(await capability_statements.by_providers(self.db, ids), ids, "provider_id")

    async def _statements(self, ids: list[str]) -> list[Row | None]:
        return _by_key(await capability_statements.by_ids(self.db, ids), ids, "id")

    async def _offers_by_provider(self, ids: list[str]) -> list[list[Row]]:
        rows = await capacity_offers.by_providers(self.db, ids, self.viewer, include_withdrawn=True)
        return _grouped(rows, ids, "provider_id")

    async def _offers(self, ids: list[str]) -> list[Row | None]:
        return _by_key(await capacity_offers.by_ids(self.db, ids, self.viewer), ids, "id")

    async def _certifications(self, ids: list[str]) -> list[list[Row]]:
        return _grouped(await providers.certifications(self.db, ids), ids, "provider_id")

    async def _listing_history(self, ids: list[str]) -> list[list[Row]]:
        return _grouped([dict(e) for e in await curation.histories(self.db, ids)], ids, "provider_id")

    async def _enterprises(self, ids: list[str]) -> list[Row | None]:
        return _by_key(await enterprises.by_ids(self.db, ids, self.viewer), ids, "id")

    async def _needs(self, ids: list[str]) -> list[Row | None]:
        return _by_key(await needs.by_ids(self.db, ids, self.viewer), ids, "id")

    def _reference(self, label: str) -> Callable[[list[str]], Awaitable[list[Row | None]]]:
        async def load(codes: list[str]) -> list[Row | None]:
            return _by_key(await lookups.by_codes(self.db, label, codes), codes, "code")

        return load

    def _children(self, label: str) -> Callable[[list[str]], Awaitable[list[list[Row]]]]:
        async def load(codes: list[str]) -> list[list[Row]]:
            rows = await lookups.children(self.db, label, codes)
            groups: dict[str, list[Row]] = defaultdict(list)
            for row in rows:
                groups[row["parent"]].append(row["node"])
            return [groups.get(code, []) for code in codes]

        return load

    def prime_providers(self, rows: list[Row]) -> None:
        """Rows a list query already read need not be read again when a field asks for them."""
        for row in rows:
            self.provider.prime(row["id"], row)
