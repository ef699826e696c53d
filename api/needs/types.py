"""The need type and its pages: what an enterprise needs, with its constraints as links."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime
from typing import Any

import strawberry
from strawberry import relay

from api.enterprises.types import Enterprise
from api.enums import NeedKind, NeedStatus, Unit
from api.pagination import build_connection
from api.reference.types import (
    CapabilityLink,
    Certification,
    Material,
    MaterialLink,
    Region,
    capability_links,
    material_links,
)
from graph.repositories import needs as needs_repo
from graph.repositories.paging import PageRequest
from graph.repositories.rows import NeedRow


@strawberry.type(description="What an enterprise needs: a service or manufacturing capacity, with constraints.")
class Need(relay.Node):
    key: relay.NodeID[str]
    kind: NeedKind
    title: str
    description: str | None
    quantity: float | None
    unit: Unit | None
    deadline: date | None
    budget_min: float | None = strawberry.field(description="In yuan (CNY).")
    budget_max: float | None = strawberry.field(description="In yuan (CNY).")
    status: NeedStatus
    created_at: datetime | None
    updated_at: datetime | None
    row: strawberry.Private[NeedRow]

    @classmethod
    def from_row(cls, row: NeedRow) -> Need:
        unit = row.get("unit")
        return cls(key=row["id"], kind=NeedKind(row.get("kind") or "SERVICE"), title=row.get("title") or "",
                   description=row.get("description"), quantity=row.get("quantity"),
                   unit=Unit(unit) if unit is not None else None,
                   deadline=row.get("deadline"), budget_min=row.get("budget_min"), budget_max=row.get("budget_max"),
                   status=NeedStatus(row.get("status") or "OPEN"), created_at=row.get("created_at"),
                   updated_at=row.get("updated_at"), row=row)

    @strawberry.field(description="The capabilities the need REQUIRES, as linked from its text, most confident "
                                  "first.")
    async def capabilities(self, info: strawberry.Info) -> list[CapabilityLink]:
        return await capability_links(info, self.row.get("links") or [])

    @strawberry.field(description="The most confident of `materials`.")
    async def material(self, info: strawberry.Info) -> Material | None:
        return await Material.one(info, self.row.get("material_code"))

    @strawberry.field(description="The materials the need names (a family or a grade), as linked from what was "
                                  "typed, most confident first.")
    async def materials(self, info: strawberry.Info) -> list[MaterialLink]:
        return await material_links(info, list(self.row.get("material_links") or []))

    @strawberry.field
    async def required_certifications(self, info: strawberry.Info) -> list[Certification]:
        return await Certification.many(info, self.row.get("certification_codes") or [])

    @strawberry.field(description="Providers must be located within one of these regions (empty: anywhere).")
    async def regions(self, info: strawberry.Info) -> list[Region]:
        return await Region.many(info, self.row.get("region_codes") or [])

    @strawberry.field
    async def enterprise(self, info: strawberry.Info) -> Enterprise | None:
        row = await info.context.loaders.enterprise.load(self.row["enterprise_id"])
        return Enterprise.from_row(row) if row else None

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str],
                            required: bool = False) -> list[Need | None]:
        rows = await info.context.loaders.need.load_many(list(node_ids))
        return [cls.from_row(row) if row else None for row in rows]


@strawberry.type(name="NeedConnection", description="A page of needs.")
class NeedConnection(relay.Connection[Need]):
    counter: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many needs match the filter, over all pages.")
    async def total_count(self) -> int:
        return await self.counter()


async def need_connection(info: strawberry.Info, filters: dict[str, Any], request: PageRequest) -> NeedConnection:
    context = info.context
    rows = await needs_repo.page(context.db, context.viewer, filters, request)
    return build_connection(NeedConnection, rows, request, Need.from_row,
                            lambda: needs_repo.count(context.db, context.viewer, filters))
