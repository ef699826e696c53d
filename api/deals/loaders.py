"""Per-request DataLoaders of deals: a page of matches asks for its responses, history and ratings in
one round trip each (created with the request's ``Loaders``)."""

from __future__ import annotations

from typing import Any

from strawberry.dataloader import DataLoader

from graph.db import Database
from graph.repositories import deals
from matching.deals import fulfilment
from matching.deals.fulfilment import Fulfilment
from matching.freshness import today

Row = dict[str, Any]


class DealLoaders:
    def __init__(self, db: Database):
        self.db = db
        self.response: DataLoader[tuple[str, str], Row | None] = DataLoader(self._responses)
        self.history: DataLoader[str, list[Row]] = DataLoader(self._history)
        self.ratings: DataLoader[str, list[Row]] = DataLoader(self._ratings)
        self.provider_ratings: DataLoader[str, Row | None] = DataLoader(self._provider_ratings)
        self.fulfilment: DataLoader[str, Fulfilment | None] = DataLoader(self._fulfilment)

    async def _responses(self, pairs: list[tuple[str, str]]) -> list[Row | None]:
        rows = await deals.responses_for_pairs(self.db, [{"need_id": n, "provider_id": p} for n, p in pairs])
        found = {(row["need_id"], row["provider_id"]): row for row in rows}
        return [found.get(pair) for pair in pairs]

    async def _history(self, match_ids: list[str]) -> list[list[Row]]:
        found = await deals.history(self.db, match_ids)
        return [found.get(match_id, []) for match_id in match_ids]

    async def _ratings(self, match_ids: list[str]) -> list[list[Row]]:
        found = await deals.ratings_of_matches(self.db, match_ids)
        return [found.get(match_id, []) for match_id in match_ids]

    async def _provider_ratings(self, provider_ids: list[str]) -> list[Row | None]:
        found = {row["provider_id"]: row for row in await deals.provider_ratings(self.db, provider_ids)}
        return [found.get(provider_id) for provider_id in provider_ids]

    async def _fulfilment(self, provider_ids: list[str]) -> list[Fulfilment | None]:
        found = await fulfilment.fulfilment(self.db, provider_ids, today())
        return [found.get(provider_id) for provider_id in provider_ids]
