"""Root query fields. Thin: validate arguments, resolve typed filter terms, call a repository."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay

from api.enums import CapabilityKind, RegionLevel, Role, SortDirection
from api.errors import ApiError
from api.inputs import EnterpriseFilter, EnterpriseSort, NeedFilter, NeedSort, ProviderFilter, ProviderSort
from api.pagination import check_first, page_request
from api.types import (
    Capability,
    Certification,
    EnterpriseConnection,
    Industry,
    Material,
    NeedConnection,
    ProviderConnection,
    ProviderSearchHit,
    Region,
    SharingMode,
    Viewer,
    build_connection,
    need_connection,
    provider_from_row,
)
from api.types import Enterprise as EnterpriseType
from graph.repositories import enterprises, lookups, providers, statistics
from matching.search import search_providers
from matching.validation import MAX_TERM

MAX_SEARCH = 50
MAX_SEARCH_TEXT = 500


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


_LABEL_WORDS = {"Capability": "capability", "Region": "region", "Certification": "certification",
                "Industry": "industry", "Material": "material"}


async def _term(info: strawberry.Info, label: str, text: str | None, field: str) -> str | None:
    """A filter term as typed → its code; an unknown one is an error, not an empty result."""
    if text is None:
        return None
    if len(text) > MAX_TERM:
        raise ApiError(f"{field} is longer than {MAX_TERM} characters", field=field)
    code = await (await info.context.intake()).resolve_term(label, text)
    if code is None:
        raise ApiError(f"{text!r} names no known {_LABEL_WORDS[label]}", field=field)
    return code


def _listing_status(info: strawberry.Info, filter: ProviderFilter) -> str:
    """LISTED for everyone; staff may browse another listing status."""
    wanted = filter.listing_status.value if filter.listing_status else "LISTED"
    if wanted != "LISTED" and not info.context.viewer.is_staff:
        raise ApiError("filter.listingStatus other than LISTED needs a STAFF token", code="FORBIDDEN",
                       field="filter.listingStatus")
    return wanted


def _text(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    if len(text) > MAX_TERM:
        raise ApiError(f"filter.text is longer than {MAX_TERM} characters", field="filter.text")
    return text.strip()


async def _reference_list(info: strawberry.Info, label: str) -> list[dict[str, Any]]:
    return await lookups.all_nodes(info.context.db, label)


@strawberry.type
class Query:
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

    # ------------------------------------------------------------------------------------- lists

    @strawberry.field(description="The public provider directory, filtered and sorted (at most 100 per page).")
    async def providers(self, info: strawberry.Info, first: int | None = 20, after: str | None = None,
                        filter: ProviderFilter | None = None, sort: ProviderSort | None = None) -> ProviderConnection:
        sort = sort or ProviderSort()
        request = page_request(sort.field.value, sort.direction == SortDirection.DESC, first, after)
        filter = filter or ProviderFilter()
        filters = {
            "capability": await _term(info, "Capability", filter.capability, "filter.capability"),
            "region": await _term(info, "Region", filter.region, "filter.region"),
            "certification": await _term(info, "Certification", filter.certification, "filter.certification"),
            "industry": await _term(info, "Industry", filter.industry, "filter.industry"),
            "kind": filter.kind.value if filter.kind else None,
            "text": _text(filter.text),
            "listing_status": _listing_status(info, filter),
        }
        db = info.context.db
        rows = await providers.page(db, filters, request)
        info.context.loaders.prime_providers(rows)
        return build_connection(ProviderConnection, rows, request, provider_from_row,
                                lambda: providers.count(db, filters))

    @strawberry.field(description="Enterprises: staff see all, an enterprise itself, others none.")
    async def enterprises(self, info: strawberry.Info, first: int | None = 20, after: str | None = None,
                          filter: EnterpriseFilter | None = None,
                          sort: EnterpriseSort | None = None) -> EnterpriseConnection:
        sort = sort or EnterpriseSort()
        request = page_request(sort.field.value, sort.direction == SortDirection.DESC, first, after)
        filter = filter or EnterpriseFilter()
        filters = {
            "region": await _term(info, "Region", filter.region, "filter.region"),
            "industry": await _term(info, "Industry", filter.industry, "filter.industry"),
            "text": _text(filter.text),
        }
        context = info.context
        rows = await enterprises.page(context.db, context.viewer, filters, request)
        return build_connection(EnterpriseConnection, rows, request, EnterpriseType.from_row,
                                lambda: enterprises.count(context.db, context.viewer, filters))

    @strawberry.field(description="Needs: staff see all, an enterprise its own, others none.")
    async def needs(self, info: strawberry.Info, first: int | None = 20, after: str | None = None,
                    filter: NeedFilter | None = None, sort: NeedSort | None = None) -> NeedConnection:
        sort = sort or NeedSort()
        request = page_request(sort.field.value, sort.direction == SortDirection.DESC, first, after)
        filter = filter or NeedFilter()
        filters = {
            "kind": filter.kind.value if filter.kind else None,
            "status": filter.status.value if filter.status else None,
            "capability": await _term(info, "Capability", filter.capability, "filter.capability"),
            "region": await _term(info, "Region", filter.region, "filter.region"),
            "certification": await _term(info, "Certification", filter.certification, "filter.certification"),
            "text": _text(filter.text),
        }
        return await need_connection(info, filters, request)

    @strawberry.field(description="Free-text provider search over capability statements, offers, names and "
                                  "descriptions: embeddings and full-text fused by reciprocal rank.")
    async def search_providers(self, info: strawberry.Info, text: str, first: int = 10) -> list[ProviderSearchHit]:
        first = check_first(first, MAX_SEARCH)
        if not text.strip():
            raise ApiError("text must not be blank", field="text")
        if len(text) > MAX_SEARCH_TEXT:
            raise ApiError(f"text is longer than {MAX_SEARCH_TEXT} characters", field="text")
        context = info.context
        hits = await search_providers(context.db, context.services.embedder, text.strip(), first)
        rows = await context.loaders.provider.load_many([hit.provider_id for hit in hits])
        found = []
        for hit, row in zip(hits, rows, strict=True):
            provider = provider_from_row(row)
            if provider is not None:
                found.append(ProviderSearchHit(provider=provider, score=hit.score, sources=list(hit.sources)))
        return found

    # ---------------------------------------------------------------------------- reference data

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
            code = await _term(info, "Capability", parent, "parent")
            rows = await info.context.loaders.children["Capability"].load(code)
        return [Capability.from_row(row) for row in rows if kind is None or row["kind"] == kind.value]

    @strawberry.field(description="One taxonomy node by code or name.")
    async def capability(self, info: strawberry.Info, code: str) -> Capability | None:
        resolved = await (await info.context.intake()).resolve_term("Capability", code)
        row = await info.context.loaders.reference["Capability"].load(resolved) if resolved else None
        return Capability.from_row(row) if row else None

    @strawberry.field(description="Regions, optionally of one level or the direct parts of one region.")
    async def regions(self, info: strawberry.Info, level: RegionLevel | None = None,
                      parent: str | None = None) -> list[Region]:
        if parent is not None:
            code = await _term(info, "Region", parent, "parent")
            rows = await info.context.loaders.children["Region"].load(code)
        else:
            rows = await _reference_list(info, "Region")
        return [Region.from_row(row) for row in rows if level is None or row["level"] == level.value]

    @strawberry.field
    async def certifications(self, info: strawberry.Info) -> list[Certification]:
        return [Certification.from_row(row) for row in await _reference_list(info, "Certification")]

    @strawberry.field
    async def industries(self, info: strawberry.Info) -> list[Industry]:
        return [Industry.from_row(row) for row in await _reference_list(info, "Industry")]

    @strawberry.field
    async def materials(self, info: strawberry.Info) -> list[Material]:
        return [Material.from_row(row) for row in await _reference_list(info, "Material")]

    @strawberry.field
    async def sharing_modes(self, info: strawberry.Info) -> list[SharingMode]:
        return [SharingMode.from_row(row) for row in await _reference_list(info, "SharingMode")]
