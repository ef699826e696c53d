"""GraphQL object types. Thin: each wraps a row from ``graph/repositories`` and resolves its links
through the request's DataLoaders (``info.context.loaders``), so a list of N objects costs one round
trip per kind of link, not N.

Every object with an identity is a Relay ``Node``: ``id`` is a global ID (``base64("Type:key")``),
and ``node(id:)`` finds it again — through the same visibility filters as the lists.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime
from typing import Any

import strawberry
from strawberry import relay

from api.curation.enums import ListingEvent, ListingStatus, Verification
from api.enums import (
    CapabilityKind,
    CertificationStatus,
    ErrorCode,
    LinkMethod,
    NeedKind,
    NeedStatus,
    OfferStatus,
    ProviderKind,
    RegionLevel,
    Role,
    Unit,
)
from api.pagination import encode_cursor, page_request, sort_token
from graph.repositories import needs as needs_repo
from graph.repositories.paging import PageRequest

Row = dict[str, Any]


def _enum(cls: Any, value: str | None) -> Any:
    return cls(value) if value is not None else None


async def _reference(info: strawberry.Info, label: str, codes: Iterable[str]) -> list[Row]:
    rows = await info.context.loaders.reference[label].load_many(list(codes))
    return [row for row in rows if row is not None]


# --------------------------------------------------------------------------------- reference data


@strawberry.type(description="A node of the capability taxonomy: category (level 1), capability (2), "
                             "sub-capability (3).")
class Capability(relay.Node):
    key: relay.NodeID[str]
    code: str
    name_zh: str
    name_en: str | None
    kind: CapabilityKind
    level: int | None
    aliases: list[str]
    description: str | None
    parent_codes: strawberry.Private[list[str]]

    @classmethod
    def from_row(cls, row: Row) -> Capability:
        return cls(key=row["code"], code=row["code"], name_zh=row["name_zh"], name_en=row.get("name_en"),
                   kind=CapabilityKind(row["kind"]), level=row.get("level"), aliases=list(row.get("aliases") or []),
                   description=row.get("description"), parent_codes=list(row.get("parents") or []))

    @strawberry.field(description="The node one level up (null for a category).")
    async def parent(self, info: strawberry.Info) -> Capability | None:
        rows = await _reference(info, "Capability", self.parent_codes[:1])
        return Capability.from_row(rows[0]) if rows else None

    @strawberry.field(description="The nodes one level down.")
    async def children(self, info: strawberry.Info) -> list[Capability]:
        rows = await info.context.loaders.children["Capability"].load(self.code)
        return [Capability.from_row(row) for row in rows]

    @strawberry.field(description="From the category down to this node (this node last).")
    async def path(self, info: strawberry.Info) -> list[Capability]:
        path = [self]
        seen = {self.code}
        while path[0].parent_codes and path[0].parent_codes[0] not in seen:
            parent = await path[0].parent(info)
            if parent is None:
                break
            seen.add(parent.code)
            path.insert(0, parent)
        return path

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str],
                            required: bool = False) -> list[Capability | None]:
        rows = await info.context.loaders.reference["Capability"].load_many(list(node_ids))
        return [cls.from_row(row) if row else None for row in rows]


@strawberry.type(description="A region: a group such as 成渝地区, a province, or a city.")
class Region(relay.Node):
    key: relay.NodeID[str]
    code: str
    name_zh: str
    name_en: str | None
    level: RegionLevel
    aliases: list[str]
    lat: float | None
    lon: float | None
    parent_codes: strawberry.Private[list[str]]

    @classmethod
    def from_row(cls, row: Row) -> Region:
        return cls(key=row["code"], code=row["code"], name_zh=row["name_zh"], name_en=row.get("name_en"),
                   level=RegionLevel(row["level"]), aliases=list(row.get("aliases") or []), lat=row.get("lat"),
                   lon=row.get("lon"), parent_codes=list(row.get("parents") or []))

    @strawberry.field(description="The regions this one is PART_OF, one step up (province, groups).")
    async def part_of(self, info: strawberry.Info) -> list[Region]:
        return [Region.from_row(row) for row in await _reference(info, "Region", self.parent_codes)]

    @strawberry.field(description="The regions PART_OF this one, one step down.")
    async def parts(self, info: strawberry.Info) -> list[Region]:
        return [Region.from_row(row) for row in await info.context.loaders.children["Region"].load(self.code)]

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str],
                            required: bool = False) -> list[Region | None]:
        rows = await info.context.loaders.reference["Region"].load_many(list(node_ids))
        return [cls.from_row(row) if row else None for row in rows]


@strawberry.type(description="A certification scheme (ISO 9001, IATF 16949, 等保三级 …).")
class Certification(relay.Node):
    key: relay.NodeID[str]
    code: str
    name: str
    aliases: list[str]

    @classmethod
    def from_row(cls, row: Row) -> Certification:
        return cls(key=row["code"], code=row["code"], name=row["name"], aliases=list(row.get("aliases") or []))

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str],
                            required: bool = False) -> list[Certification | None]:
        rows = await info.context.loaders.reference["Certification"].load_many(list(node_ids))
        return [cls.from_row(row) if row else None for row in rows]


@strawberry.type(description="An industry: a GB/T 4754-2017 manufacturing division or a pillar industry.")
class Industry(relay.Node):
    key: relay.NodeID[str]
    code: str
    name_zh: str
    name_en: str | None
    aliases: list[str]
    pillar: bool

    @classmethod
    def from_row(cls, row: Row) -> Industry:
        return cls(key=row["code"], code=row["code"], name_zh=row["name_zh"], name_en=row.get("name_en"),
                   aliases=list(row.get("aliases") or []), pillar=bool(row.get("pillar")))

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str],
                            required: bool = False) -> list[Industry | None]:
        rows = await info.context.loaders.reference["Industry"].load_many(list(node_ids))
        return [cls.from_row(row) if row else None for row in rows]


@strawberry.type(description="A material or material grade (grade → family).")
class Material(relay.Node):
    key: relay.NodeID[str]
    code: str
    name_zh: str
    name_en: str | None
    aliases: list[str]
    parent_codes: strawberry.Private[list[str]]

    @classmethod
    def from_row(cls, row: Row) -> Material:
        return cls(key=row["code"], code=row["code"], name_zh=row["name_zh"], name_en=row.get("name_en"),
                   aliases=list(row.get("aliases") or []), parent_codes=list(row.get("parents") or []))

    @strawberry.field(description="The material family of a grade.")
    async def parent(self, info: strawberry.Info) -> Material | None:
        rows = await _reference(info, "Material", self.parent_codes[:1])
        return Material.from_row(rows[0]) if rows else None

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str],
                            required: bool = False) -> list[Material | None]:
        rows = await info.context.loaders.reference["Material"].load_many(list(node_ids))
        return [cls.from_row(row) if row else None for row in rows]


@strawberry.type(description="A mode of shared manufacturing: 中介型, 众创型, 服务型, 协同型.")
class SharingMode(relay.Node):
    key: relay.NodeID[str]
    code: str
    name_zh: str
    name_en: str | None
    description: str | None

    @classmethod
    def from_row(cls, row: Row) -> SharingMode:
        return cls(key=row["code"], code=row["code"], name_zh=row["name_zh"], name_en=row.get("name_en"),
                   description=row.get("description"))

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str],
                            required: bool = False) -> list[SharingMode | None]:
        rows = await info.context.loaders.reference["SharingMode"].load_many(list(node_ids))
        return [cls.from_row(row) if row else None for row in rows]


@strawberry.type(description="A link from free text to a taxonomy node, with how sure the service is.")
class CapabilityLink:
    capability: Capability
    confidence: float = strawberry.field(description="0..1; 1 for a code given explicitly.")
    method: LinkMethod


async def _links(info: strawberry.Info, links: list[Row]) -> list[CapabilityLink]:
    """Links as repositories return them: with the capability node inline (or, failing that, loaded)."""
    nodes = {link["code"]: link["node"] for link in links if link.get("node")}
    missing = [link["code"] for link in links if link["code"] not in nodes]
    nodes |= {row["code"]: row for row in await _reference(info, "Capability", missing)} if missing else {}
    ordered = sorted(links, key=lambda link: (-(link.get("confidence") or 0.0), link["code"]))
    return [CapabilityLink(capability=Capability.from_row(nodes[link["code"]]),
                           confidence=float(link.get("confidence") or 0.0),
                           method=LinkMethod(link.get("method") or "CODE"))
            for link in ordered if link["code"] in nodes]


# ------------------------------------------------------------------------------------- providers


@strawberry.type(description="A certification a provider holds, with its status.")
class HeldCertification:
    certification: Certification
    status: CertificationStatus | None
    valid_until: date | None
    verification: Verification = strawberry.field(description="DECLARED until staff give a verdict.")
    verified_at: datetime | None
    provider_id: strawberry.Private[str]
    evidence_text: strawberry.Private[str | None]
    verified_by_text: strawberry.Private[str | None]

    def _own_or_staff(self, info: strawberry.Info) -> bool:
        viewer = info.context.viewer
        return viewer.is_staff or viewer.is_provider(self.provider_id)

    @strawberry.field(description="What the verdict rests on; the provider itself and staff only.")
    def evidence(self, info: strawberry.Info) -> str | None:
        return self.evidence_text if self._own_or_staff(info) else None

    @strawberry.field(description="Who gave the verdict; the provider itself and staff only.")
    def verified_by(self, info: strawberry.Info) -> str | None:
        return self.verified_by_text if self._own_or_staff(info) else None


@strawberry.type(description="A provider's capability in its own words, linked to the taxonomy.")
class CapabilityStatement(relay.Node):
    key: relay.NodeID[str]
    text: str
    created_at: datetime | None
    provider_id: strawberry.Private[str]
    link_rows: strawberry.Private[list[Row]]

    @classmethod
    def from_row(cls, row: Row) -> CapabilityStatement:
        return cls(key=row["id"], text=row["text"], created_at=row.get("created_at"),
                   provider_id=row["provider_id"], link_rows=list(row.get("links") or []))

    @strawberry.field(description="The taxonomy nodes the text is ABOUT, most confident first.")
    async def capabilities(self, info: strawberry.Info) -> list[CapabilityLink]:
        return await _links(info, self.link_rows)

    @strawberry.field
    async def provider(self, info: strawberry.Info) -> Provider | None:
        return provider_from_row(await info.context.loaders.provider.load(self.provider_id))

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str],
                            required: bool = False) -> list[CapabilityStatement | None]:
        rows = await info.context.loaders.statement.load_many(list(node_ids))
        return [cls.from_row(row) if row else None for row in rows]


@strawberry.type(description="Shared manufacturing capacity a manufacturer offers (共享产能).")
class CapacityOffer(relay.Node):
    key: relay.NodeID[str]
    process_text: str
    description: str | None
    monthly_volume: float | None
    unit: Unit | None
    available_from: date | None
    available_to: date | None
    lead_time_days: int | None
    moq: float | None = strawberry.field(description="Minimum order quantity, in `unit`.")
    booked_volume: float | None
    status: OfferStatus
    created_at: datetime | None
    provider_id: strawberry.Private[str]
    link_rows: strawberry.Private[list[Row]]
    material_code: strawberry.Private[str | None]

    @classmethod
    def from_row(cls, row: Row) -> CapacityOffer:
        return cls(key=row["id"], process_text=row.get("process_text") or "", description=row.get("description"),
                   monthly_volume=row.get("monthly_volume"), unit=_enum(Unit, row.get("unit")),
                   available_from=row.get("available_from"), available_to=row.get("available_to"),
                   lead_time_days=row.get("lead_time_days"), moq=row.get("moq"),
                   booked_volume=row.get("booked_volume"), status=OfferStatus(row.get("status") or "PUBLISHED"),
                   created_at=row.get("created_at"), provider_id=row["provider_id"],
                   link_rows=list(row.get("links") or []), material_code=row.get("material_code"))

    @strawberry.field(description="The processes (taxonomy nodes) the offer is OF_PROCESS, most confident first.")
    async def processes(self, info: strawberry.Info) -> list[CapabilityLink]:
        return await _links(info, self.link_rows)

    @strawberry.field
    async def material(self, info: strawberry.Info) -> Material | None:
        rows = await _reference(info, "Material", [self.material_code] if self.material_code else [])
        return Material.from_row(rows[0]) if rows else None

    @strawberry.field
    async def provider(self, info: strawberry.Info) -> Provider | None:
        return provider_from_row(await info.context.loaders.provider.load(self.provider_id))

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str],
                            required: bool = False) -> list[CapacityOffer | None]:
        rows = await info.context.loaders.offer.load_many(list(node_ids))
        return [cls.from_row(row) if row else None for row in rows]


def _contact(info: strawberry.Info, provider: Provider, field: str) -> str | None:
    """Contact details are for signed-in organisations (and for whoever just registered the provider);
    anonymous clients see the directory without them."""
    shown = provider.contact_visible or info.context.viewer.authenticated
    return provider.row.get(field) if shown else None


@strawberry.interface(description="A service provider (服务商) or a manufacturer with capacity to share.")
class Provider(relay.Node):
    key: relay.NodeID[str]
    name: str
    kind: ProviderKind
    credit_code: str | None = strawberry.field(description="统一社会信用代码.")
    description: str | None
    website: str | None
    rating: float | None
    created_at: datetime | None
    row: strawberry.Private[Row]
    contact_visible: strawberry.Private[bool]

    @strawberry.field(description="Null for anonymous clients.")
    def contact_name(self, info: strawberry.Info) -> str | None:
        return _contact(info, self, "contact_name")

    @strawberry.field(description="Null for anonymous clients.")
    def contact_phone(self, info: strawberry.Info) -> str | None:
        return _contact(info, self, "contact_phone")

    @strawberry.field(description="Null for anonymous clients.")
    def contact_email(self, info: strawberry.Info) -> str | None:
        return _contact(info, self, "contact_email")

    @strawberry.field
    async def region(self, info: strawberry.Info) -> Region | None:
        rows = await _reference(info, "Region", self.row.get("region_codes", [])[:1])
        return Region.from_row(rows[0]) if rows else None

    @strawberry.field
    async def industries(self, info: strawberry.Info) -> list[Industry]:
        return [Industry.from_row(r) for r in await _reference(info, "Industry", self.row.get("industry_codes", []))]

    @strawberry.field
    async def sharing_modes(self, info: strawberry.Info) -> list[SharingMode]:
        codes = self.row.get("sharing_mode_codes", [])
        return [SharingMode.from_row(r) for r in await _reference(info, "SharingMode", codes)]

    @strawberry.field
    async def certifications(self, info: strawberry.Info) -> list[HeldCertification]:
        held = await info.context.loaders.certifications_by_provider.load(self.key)
        return [HeldCertification(certification=Certification.from_row(h["node"]),
                                  status=_enum(CertificationStatus, h.get("status")), valid_until=h.get("valid_until"),
                                  verification=Verification(h.get("verification") or "DECLARED"),
                                  verified_at=h.get("verified_at"), provider_id=self.key,
                                  evidence_text=h.get("evidence"), verified_by_text=h.get("verified_by"))
                for h in held]

    @strawberry.field(description="The provider's types: its primary kind first, then 平台运营商, 产品供应商 … "
                                  "it declared.")
    def tags(self) -> list[ProviderKind]:
        return [ProviderKind(t) for t in (self.row.get("tags") or [self.kind.value])]

    @strawberry.field(description="Its place in the resource pool. Only LISTED providers are public; others are "
                                  "seen by themselves and staff.")
    def listing_status(self) -> ListingStatus:
        return ListingStatus(self.row.get("listing_status") or "APPLIED")

    @strawberry.field(description="Every listing decision, oldest first (who, when, why): the provider itself and "
                                  "staff only (empty for others).")
    async def listing_history(self, info: strawberry.Info) -> list[ListingEvent]:
        viewer = info.context.viewer
        if not (viewer.is_staff or viewer.is_provider(self.key)):
            return []
        return [ListingEvent.from_row(r) for r in await info.context.loaders.listing_history.load(self.key)]

    @strawberry.field(description="The provider's capability statements.")
    async def capabilities(self, info: strawberry.Info) -> list[CapabilityStatement]:
        rows = await info.context.loaders.statements_by_provider.load(self.key)
        return [CapabilityStatement.from_row(row) for row in rows]

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str],
                            required: bool = False) -> list[Provider | None]:
        rows = await info.context.loaders.provider.load_many(list(node_ids))
        viewer = info.context.viewer
        # only the pool is public: an unlisted provider is found by itself and staff
        found = [provider_from_row(row) if row and (row.get("listing_status") == "LISTED" or viewer.is_staff
                                                    or viewer.is_provider(row["id"])) else None for row in rows]
        return [node if node is not None and isinstance(node, cls) else None for node in found]


@strawberry.type(description="A provider of industrial services (MES, 预测性维护, 等保测评, logistics …).")
class ServiceProvider(Provider):
    pass


@strawberry.type(description="A manufacturer that shares production capacity.")
class Manufacturer(Provider):
    @strawberry.field(description="Published offers; withdrawn ones too for the manufacturer itself and staff.")
    async def capacity_offers(self, info: strawberry.Info, include_withdrawn: bool = False) -> list[CapacityOffer]:
        rows = await info.context.loaders.offers_by_provider.load(self.key)
        return [CapacityOffer.from_row(row) for row in rows if include_withdrawn or row.get("status") == "PUBLISHED"]


PROVIDER_TYPES: dict[str, type[Provider]] = {"SERVICE_PROVIDER": ServiceProvider, "MANUFACTURER": Manufacturer}


def provider_from_row(row: Row | None, contact_visible: bool = False) -> Provider | None:
    if row is None:
        return None
    cls = PROVIDER_TYPES.get(row.get("kind") or "")
    if cls is None:
        return None
    return cls(key=row["id"], name=row.get("name") or "", kind=ProviderKind(row["kind"]),
               credit_code=row.get("credit_code"), description=row.get("description"), website=row.get("website"),
               rating=row.get("rating"), created_at=row.get("created_at"), row=row, contact_visible=contact_visible)


# ---------------------------------------------------------------------------------- enterprises


@strawberry.type(description="An enterprise that posts needs. Seen only by itself and staff.")
class Enterprise(relay.Node):
    key: relay.NodeID[str]
    name: str
    credit_code: str | None = strawberry.field(description="统一社会信用代码.")
    description: str | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    created_at: datetime | None
    region_codes: strawberry.Private[list[str]]
    industry_codes: strawberry.Private[list[str]]

    @classmethod
    def from_row(cls, row: Row) -> Enterprise:
        return cls(key=row["id"], name=row.get("name") or "", credit_code=row.get("credit_code"),
                   description=row.get("description"), contact_name=row.get("contact_name"),
                   contact_phone=row.get("contact_phone"), contact_email=row.get("contact_email"),
                   created_at=row.get("created_at"), region_codes=list(row.get("region_codes") or []),
                   industry_codes=list(row.get("industry_codes") or []))

    @strawberry.field
    async def region(self, info: strawberry.Info) -> Region | None:
        rows = await _reference(info, "Region", self.region_codes[:1])
        return Region.from_row(rows[0]) if rows else None

    @strawberry.field
    async def industries(self, info: strawberry.Info) -> list[Industry]:
        return [Industry.from_row(r) for r in await _reference(info, "Industry", self.industry_codes)]

    @strawberry.field(description="The enterprise's needs, newest first (as the viewer may see them).")
    async def needs(self, info: strawberry.Info, first: int | None = 20, after: str | None = None,
                    status: NeedStatus | None = None) -> NeedConnection:
        request = page_request("CREATED", True, first, after)
        filters = {"enterprise": self.key, "status": status.value if status else None}
        return await need_connection(info, filters, request)

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str],
                            required: bool = False) -> list[Enterprise | None]:
        rows = await info.context.loaders.enterprise.load_many(list(node_ids))
        return [cls.from_row(row) if row else None for row in rows]


# ---------------------------------------------------------------------------------------- needs


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
    require_verified: bool = strawberry.field(description="Only VERIFIED certificates satisfy the required ones.")
    status: NeedStatus
    created_at: datetime | None
    updated_at: datetime | None
    row: strawberry.Private[Row]

    @classmethod
    def from_row(cls, row: Row) -> Need:
        return cls(key=row["id"], kind=NeedKind(row.get("kind") or "SERVICE"), title=row.get("title") or "",
                   description=row.get("description"), quantity=row.get("quantity"), unit=_enum(Unit, row.get("unit")),
                   deadline=row.get("deadline"), budget_min=row.get("budget_min"), budget_max=row.get("budget_max"),
                   require_verified=bool(row.get("require_verified")),
                   status=NeedStatus(row.get("status") or "OPEN"), created_at=row.get("created_at"),
                   updated_at=row.get("updated_at"), row=row)

    @strawberry.field(description="The capabilities the need REQUIRES, as linked from its text, most confident "
                                  "first.")
    async def capabilities(self, info: strawberry.Info) -> list[CapabilityLink]:
        return await _links(info, self.row.get("links") or [])

    @strawberry.field
    async def material(self, info: strawberry.Info) -> Material | None:
        code = self.row.get("material_code")
        rows = await _reference(info, "Material", [code] if code else [])
        return Material.from_row(rows[0]) if rows else None

    @strawberry.field
    async def required_certifications(self, info: strawberry.Info) -> list[Certification]:
        codes = self.row.get("certification_codes") or []
        return [Certification.from_row(r) for r in await _reference(info, "Certification", codes)]

    @strawberry.field(description="Providers must be located within one of these regions (empty: anywhere).")
    async def regions(self, info: strawberry.Info) -> list[Region]:
        return [Region.from_row(r) for r in await _reference(info, "Region", self.row.get("region_codes") or [])]

    @strawberry.field
    async def enterprise(self, info: strawberry.Info) -> Enterprise | None:
        row = await info.context.loaders.enterprise.load(self.row["enterprise_id"])
        return Enterprise.from_row(row) if row else None

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str],
                            required: bool = False) -> list[Need | None]:
        rows = await info.context.loaders.need.load_many(list(node_ids))
        return [cls.from_row(row) if row else None for row in rows]


# ---------------------------------------------------------------------------------- connections


@strawberry.type(name="ProviderConnection", description="A page of providers.")
class ProviderConnection(relay.Connection[Provider]):
    counter: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many providers match the filter, over all pages (one more round trip).")
    async def total_count(self) -> int:
        return await self.counter()


@strawberry.type(name="EnterpriseConnection", description="A page of enterprises.")
class EnterpriseConnection(relay.Connection[Enterprise]):
    counter: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many enterprises match the filter, over all pages.")
    async def total_count(self) -> int:
        return await self.counter()


@strawberry.type(name="NeedConnection", description="A page of needs.")
class NeedConnection(relay.Connection[Need]):
    counter: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many needs match the filter, over all pages.")
    async def total_count(self) -> int:
        return await self.counter()


def build_connection(cls: Any, rows: list[Row], request: PageRequest, to_node: Callable[[Row], Any],
                     counter: Callable[[], Awaitable[int]]) -> Any:
    """A connection from ``limit`` rows read for a page of ``limit - 1`` (the extra row says "more")."""
    size = request.limit - 1
    has_next = len(rows) > size
    token = sort_token(request)
    edges = [relay.Edge(cursor=encode_cursor(token, row["sort_key"], row["id"]), node=to_node(row))
             for row in rows[:size]]
    page_info = relay.PageInfo(has_next_page=has_next, has_previous_page=request.after_id is not None,
                               start_cursor=edges[0].cursor if edges else None,
                               end_cursor=edges[-1].cursor if edges else None)
    return cls(edges=edges, page_info=page_info, counter=counter)


async def need_connection(info: strawberry.Info, filters: dict[str, Any], request: PageRequest) -> NeedConnection:
    context = info.context
    rows = await needs_repo.page(context.db, context.viewer, filters, request)
    return build_connection(NeedConnection, rows, request, Need.from_row,
                            lambda: needs_repo.count(context.db, context.viewer, filters))


# ------------------------------------------------------------------------------------ the viewer


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


# ------------------------------------------------------------------------------------- payloads


@strawberry.type(description="Why an input was refused. Nothing was written.")
class UserError:
    code: ErrorCode
    field: str | None = strawberry.field(description="Path of the input field, e.g. `creditCode` or "
                                                     "`certifications.1.certification`; null for the whole input.")
    message: str


@strawberry.type(description="A provider found by free-text search, with its fused relevance score.")
class ProviderSearchHit:
    provider: Provider
    score: float = strawberry.field(description="Reciprocal-rank-fusion score; compare within one search only.")
    sources: list[str] = strawberry.field(description="Which indexes found it: statement_vector, offer_vector, "
                                                      "provider_text, statement_text, offer_text.")
