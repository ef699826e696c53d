"""The provider directory's types: providers (service providers, manufacturers), their capability
statements, held certifications and capacity offers. Thin: each wraps a typed repository row and
resolves its links through the request's DataLoaders (one round trip per kind of link, not per row).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime
from typing import Any

import strawberry
from strawberry import relay

from api.curation.enums import ListingEvent, ListingStatus, Verification
from api.deals.records import Fulfilment, RatingSummary
from api.enums import CertificationStatus, OfferStatus, ProviderKind, Unit
from api.reference.types import (
    CapabilityLink,
    Certification,
    Industry,
    Material,
    MaterialLink,
    Region,
    SharingMode,
    capability_links,
    material_links,
)
from graph.repositories.rows import MaterialLinkRow, OfferRow, ProviderRow, StatementRow, StoredLinkRow


def _enum(cls: Any, value: str | None) -> Any:
    return cls(value) if value is not None else None


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
    link_rows: strawberry.Private[list[StoredLinkRow]]

    @classmethod
    def from_row(cls, row: StatementRow) -> CapabilityStatement:
        return cls(key=row["id"], text=row["text"], created_at=row.get("created_at"),
                   provider_id=row["provider_id"], link_rows=list(row.get("links") or []))

    @strawberry.field(description="The taxonomy nodes the text is ABOUT, most confident first.")
    async def capabilities(self, info: strawberry.Info) -> list[CapabilityLink]:
        return await capability_links(info, self.link_rows)

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
    link_rows: strawberry.Private[list[StoredLinkRow]]
    material_code: strawberry.Private[str | None]
    material_link_rows: strawberry.Private[list[MaterialLinkRow]]

    @classmethod
    def from_row(cls, row: OfferRow) -> CapacityOffer:
        return cls(key=row["id"], process_text=row.get("process_text") or "", description=row.get("description"),
                   monthly_volume=row.get("monthly_volume"), unit=_enum(Unit, row.get("unit")),
                   available_from=row.get("available_from"), available_to=row.get("available_to"),
                   lead_time_days=row.get("lead_time_days"), moq=row.get("moq"),
                   booked_volume=row.get("booked_volume"), status=OfferStatus(row.get("status") or "PUBLISHED"),
                   created_at=row.get("created_at"), provider_id=row["provider_id"],
                   link_rows=list(row.get("links") or []), material_code=row.get("material_code"),
                   material_link_rows=list(row.get("material_links") or []))

    @strawberry.field(description="The processes (taxonomy nodes) the offer is OF_PROCESS, most confident first.")
    async def processes(self, info: strawberry.Info) -> list[CapabilityLink]:
        return await capability_links(info, self.link_rows)

    @strawberry.field(description="The most confident of `materials`.")
    async def material(self, info: strawberry.Info) -> Material | None:
        return await Material.one(info, self.material_code)

    @strawberry.field(description="The materials the offer is IN_MATERIAL, as linked from what was typed, most "
                                  "confident first.")
    async def materials(self, info: strawberry.Info) -> list[MaterialLink]:
        return await material_links(info, self.material_link_rows)

    @strawberry.field
    async def provider(self, info: strawberry.Info) -> Provider | None:
        return provider_from_row(await info.context.loaders.provider.load(self.provider_id))

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str],
                            required: bool = False) -> list[CapacityOffer | None]:
        rows = await info.context.loaders.offer.load_many(list(node_ids))
        return [cls.from_row(row) if row else None for row in rows]


def _contact(info: strawberry.Info, provider: Provider, value: str | None) -> str | None:
    """Contact details are for signed-in organisations (and for whoever just registered the provider);
    anonymous clients see the directory without them."""
    shown = provider.contact_visible or info.context.viewer.authenticated
    return value if shown else None


@strawberry.interface(description="A service provider (服务商) or a manufacturer with capacity to share.")
class Provider(relay.Node):
    key: relay.NodeID[str]
    name: str
    kind: ProviderKind
    credit_code: str | None = strawberry.field(description="统一社会信用代码.")
    description: str | None
    website: str | None
    rating: float | None = strawberry.field(description="Prior rating (0–5) from the sample data, not from deals on "
                                                        "gongxu: see `ratingSummary` and `fulfilment`.")
    created_at: datetime | None
    row: strawberry.Private[ProviderRow]
    contact_visible: strawberry.Private[bool]

    @strawberry.field(description="Null for anonymous clients.")
    def contact_name(self, info: strawberry.Info) -> str | None:
        return _contact(info, self, self.row.get("contact_name"))

    @strawberry.field(description="Null for anonymous clients.")
    def contact_phone(self, info: strawberry.Info) -> str | None:
        return _contact(info, self, self.row.get("contact_phone"))

    @strawberry.field(description="Null for anonymous clients.")
    def contact_email(self, info: strawberry.Info) -> str | None:
        return _contact(info, self, self.row.get("contact_email"))

    @strawberry.field
    async def region(self, info: strawberry.Info) -> Region | None:
        codes = self.row.get("region_codes") or []
        return await Region.one(info, codes[0] if codes else None)

    @strawberry.field
    async def industries(self, info: strawberry.Info) -> list[Industry]:
        return await Industry.many(info, self.row.get("industry_codes") or [])

    @strawberry.field
    async def sharing_modes(self, info: strawberry.Info) -> list[SharingMode]:
        return await SharingMode.many(info, self.row.get("sharing_mode_codes") or [])

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

    @strawberry.field(description="The enterprises' ratings of its deals (mean and count) beside `rating`, the "
                                  "prior rating of the sample data.")
    async def rating_summary(self, info: strawberry.Info) -> RatingSummary:
        row = await info.context.loaders.deals.provider_ratings.load(self.key)
        return RatingSummary.from_row(row or {"prior": self.rating, "count": 0})

    @strawberry.field(description="Its fulfilment score over a rolling window, with its parts; NEW (no score) "
                                  "until a deal has an outcome. See docs/DEALS.md.")
    async def fulfilment(self, info: strawberry.Info) -> Fulfilment | None:
        result = await info.context.loaders.deals.fulfilment.load(self.key)
        return Fulfilment.from_result(result) if result else None

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


def provider_from_row(row: ProviderRow | None, contact_visible: bool = False) -> Provider | None:
    if row is None:
        return None
    cls = PROVIDER_TYPES.get(row.get("kind") or "")
    if cls is None:
        return None
    return cls(key=row["id"], name=row.get("name") or "", kind=ProviderKind(row["kind"]),
               credit_code=row.get("credit_code"), description=row.get("description"), website=row.get("website"),
               rating=row.get("rating"), created_at=row.get("created_at"), row=row, contact_visible=contact_visible)


@strawberry.type(name="ProviderConnection", description="A page of providers.")
class ProviderConnection(relay.Connection[Provider]):
    counter: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many providers match the filter, over all pages (one more round trip).")
    async def total_count(self) -> int:
        return await self.counter()


@strawberry.type(description="A provider found by free-text search, with its fused relevance score.")
class ProviderSearchHit:
    provider: Provider
    score: float = strawberry.field(description="Reciprocal-rank-fusion score; compare within one search only.")
    sources: list[str] = strawberry.field(description="Which indexes found it: statement_vector, offer_vector, "
                                                      "provider_text, statement_text, offer_text.")
