"""Root query fields about the service itself: ``node(id:)``, ``statistics`` and ``viewer``."""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.enterprises.types import Enterprise
from api.enums import Role
from api.providers.types import Provider, provider_from_row
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


@strawberry.type(description="Who is asking.")
class Viewer:
    role: Role
    organisation_id: strawberry.Private[str | None]

    @strawberry.field
    def authenticated(self) -> bool:
        return self.role != Role.ANONYMOUS

    @strawberry.field(description="The viewer's enterprise (ENTERPRISE tokens).")
    async def enterprise(self, info: strawberry.Info) -> Enterprise | None:
        if self.role != Role.ENTERPRISE or not self.organisation_id:
            return None
        row = await info.context.loaders.enterprise.load(self.organisation_id)
        return Enterprise.from_row(row) if row else None

    @strawberry.field(description="The viewer's provider (PROVIDER tokens).")
    async def provider(self, info: strawberry.Info) -> Provider | None:
        if self.role != Role.PROVIDER or not self.organisation_id:
            return None
        return provider_from_row(await info.context.loaders.provider.load(self.organisation_id))


@strawberry.type
class SystemQuery:
    @strawberry.field(description="Any object by its global ID (null if it does not exist or the viewer may not "
                                  "see it).")
    async def node(self, info: strawberry.Info, id: relay.GlobalID) -> relay.Node | None:
        # a plain resolver rather than relay.node(): that field mutates itself when a schema is built, so
        # the development and production schemas could not share this Query type
        definition = info.schema.get_type_by_name(id.type_name)
        origin = getattr(definition, "origin", None)
        if not (isinstance(origin, type) and issubclass(origin, relay.Node)):
            return None  # an id of no Node type is simply not found
        return await id.resolve_node(info, required=False)

    @strawberry.field(description="Counts of providers, enterprises, needs, taxonomy nodes … in the graph.")
    async def statistics(self, info: strawberry.Info) -> Statistics:
        return Statistics(**await statistics.counts(info.context.db))

    @strawberry.field(description="Who is asking: role and organisation of the API token.")
    def viewer(self, info: strawberry.Info) -> Viewer:
        viewer = info.context.viewer
        return Viewer(role=Role(viewer.role) if viewer.role else Role.ANONYMOUS, organisation_id=viewer.org_id)
