"""Root query fields of reference data: the capability taxonomy, regions and the flat lists."""

from __future__ import annotations

import strawberry

from api.enums import CapabilityKind, RegionLevel
from api.filters import filter_term, lookup_term
from api.reference.types import Capability, Certification, Industry, Material, Region, SharingMode
from graph.repositories import lookups


@strawberry.type
class ReferenceQuery:
    @strawberry.field(description="The capability taxonomy's categories (level 1); follow `children` down.")
    async def capability_tree(self, info: strawberry.Info, kind: CapabilityKind | None = None) -> list[Capability]:
        rows = await lookups.roots(info.context.db, "Capability")
        return [Capability.from_row(row) for row in rows if kind is None or row["kind"] == kind.value]

    @strawberry.field(description="The direct children of `parent` (a code or name), or the categories.")
    async def capabilities(self, info: strawberry.Info, parent: str | None = None,
                           kind: CapabilityKind | None = None) -> list[Capability]:
        if parent is None:
            rows = await lookups.roots(info.context.db, "Capability")
        else:
            code = await filter_term(info, "Capability", parent, "parent")
            rows = await info.context.loaders.children["Capability"].load(code)
        return [Capability.from_row(row) for row in rows if kind is None or row["kind"] == kind.value]

    @strawberry.field(description="One taxonomy node by code or name.")
    async def capability(self, info: strawberry.Info, code: str) -> Capability | None:
        return await Capability.one(info, await lookup_term(info, "Capability", code))

    @strawberry.field(description="Regions, optionally of one level or the direct parts of one region.")
    async def regions(self, info: strawberry.Info, level: RegionLevel | None = None,
                      parent: str | None = None) -> list[Region]:
        if parent is not None:
            code = await filter_term(info, "Region", parent, "parent")
            rows = await info.context.loaders.children["Region"].load(code)
        else:
            rows = await lookups.all_nodes(info.context.db, "Region")
        return [Region.from_row(row) for row in rows if level is None or row["level"] == level.value]

    @strawberry.field
    async def certifications(self, info: strawberry.Info) -> list[Certification]:
        return [Certification.from_row(row) for row in await lookups.all_nodes(info.context.db, "Certification")]

    @strawberry.field
    async def industries(self, info: strawberry.Info) -> list[Industry]:
        return [Industry.from_row(row) for row in await lookups.all_nodes(info.context.db, "Industry")]

    @strawberry.field
    async def materials(self, info: strawberry.Info) -> list[Material]:
        return [Material.from_row(row) for row in await lookups.all_nodes(info.context.db, "Material")]

    @strawberry.field
    async def sharing_modes(self, info: strawberry.Info) -> list[SharingMode]:
        return [SharingMode.from_row(row) for row in await lookups.all_nodes(info.context.db, "SharingMode")]
