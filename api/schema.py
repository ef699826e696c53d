"""The GraphQL schema: root types assembled from the per-domain modules."""

from __future__ import annotations

import strawberry

from api.context import Context
from graph.repositories import statistics


@strawberry.type(description="How much the graph holds.")
class Statistics:
    providers: int
    manufacturers: int
    service_providers: int
    capability_statements: int
    capacity_offers: int
    enterprises: int
    needs: int
    open_needs: int
    matches: int
    capabilities: int
    materials: int
    certifications: int
    industries: int
    regions: int
    sharing_modes: int


@strawberry.type
class Query:
    @strawberry.field(description="Counts of providers, enterprises, needs, taxonomy nodes … in the graph.")
    async def statistics(self, info: strawberry.Info[Context, None]) -> Statistics:
        return Statistics(**await statistics.counts(info.context.db))


schema = strawberry.Schema(query=Query)
