"""GraphQL types of the matching engine: matches with typed explanations, consortia, opportunities.

Thin wrappers over ``matching.engine`` results; the explanation is stored on the Match node as JSON
(see docs/MATCHING.md, "Explanations") and exposed here field by field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry import relay

from api.deals.types import MatchTransition, Rating, Response
from api.enums import MatchStatus, NeedKind, Unit
from api.needs.types import Need
from api.pagination import page_info, score_cursor
from api.payloads import UserError
from api.providers.types import CapacityOffer, Provider, provider_from_row
from matching import engine
from matching.consortia import Proposal

Row = dict[str, Any]


# ------------------------------------------------------------------------------------ explanations


@strawberry.type(description="One hard constraint and the data it was decided on.")
class ConstraintCheck:
    name: str = strawberry.field(description="kind, process, certification, region, unit, moq, window or volume.")
    passed: bool
    detail: str = strawberry.field(description='e.g. "IATF 16949 汽车质量管理体系: held, ACTIVE until 2027-05-01".')


@strawberry.type(description="One part of the score: value 0..1 times weight (weights of applicable parts sum to 1).")
class ScorePart:
    name: str = strawberry.field(description="semantic, taxonomy, lexical, material, fulfilment, rating, "
                                             "collaboration or distance.")
    weight: float
    value: float
    contribution: float
    detail: str


@strawberry.type(description="The taxonomy nodes that matched and how they relate.")
class CapabilityMatch:
    need_code: str
    need_name: str
    need_path: str = strawberry.field(description='From the category down, e.g. "铸造 › 压铸 › 铝合金压铸".')
    provider_code: str
    provider_name: str
    provider_path: str
    relation: str = strawberry.field(description="How the provider's node stands to the need's: SAME, DESCENDANT "
                                                 "(more specific), PARENT, ANCESTOR, SIBLING, CATEGORY.")
    method: str | None = strawberry.field(description="How the provider's text was linked: CODE, ALIAS, EMBEDDING.")
    confidence: float
    source: str = strawberry.field(description="STATEMENT or OFFER: what of the provider's linked there.")
    source_id: str
    source_text: str


@strawberry.type(description="The provider text most similar to the need.")
class Similarity:
    source: str = strawberry.field(description="STATEMENT or OFFER.")
    id: str
    text: str
    cosine: float | None


@strawberry.type(description="The capacity arithmetic of the offer a capacity match uses.")
class OfferFeasibility:
    offer_id: str
    monthly_volume: float | None
    unit: str | None
    moq: float | None
    lead_time_days: int | None
    booked_volume: float | None
    available_from: date | None
    available_to: date | None
    production_start: date | None
    production_end: date | None = strawberry.field(description="min(availableTo, deadline − leadTimeDays).")
    production_days: int | None = strawberry.field(description="Both ends included; null = open-ended.")
    deliverable: float | None = strawberry.field(description="monthlyVolume × productionDays / 30 − bookedVolume.")


@strawberry.type(description="Why a provider matched, in words and in parts.")
class MatchExplanation:
    summary: str
    capability: CapabilityMatch | None
    similarity: Similarity | None
    constraints: list[ConstraintCheck]
    score_parts: list[ScorePart]
    penalty: float = strawberry.field(description="Subtracted for earlier rejections by the same enterprise.")
    offer: OfferFeasibility | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MatchExplanation:
        capability = data.get("capability")
        similarity = data.get("similarity")
        offer = data.get("offer")
        return cls(
            summary=data.get("summary") or "",
            capability=CapabilityMatch(**capability) if capability else None,
            similarity=Similarity(**similarity) if similarity else None,
            constraints=[ConstraintCheck(**c) for c in data.get("constraints") or []],
            score_parts=[ScorePart(**p) for p in data.get("score_parts") or []],
            penalty=float(data.get("penalty") or 0.0),
            offer=_offer_feasibility(offer) if offer else None,
        )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _offer_feasibility(offer: dict[str, Any]) -> OfferFeasibility:
    return OfferFeasibility(
        offer_id=offer["id"], monthly_volume=offer.get("monthly_volume"), unit=offer.get("unit"),
        moq=offer.get("moq"), lead_time_days=offer.get("lead_time_days"), booked_volume=offer.get("booked_volume"),
        available_from=_day(offer.get("available_from")), available_to=_day(offer.get("available_to")),
        production_start=_day(offer.get("production_start")), production_end=_day(offer.get("production_end")),
        production_days=offer.get("production_days"), deliverable=offer.get("deliverable"))


# ------------------------------------------------------------------------------------------ matches


def _datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


@strawberry.type(description="A proposed pairing of a need with a provider (and, for capacity, one of its offers).")
class Match:
    id: strawberry.ID
    score: float = strawberry.field(description="0..1; see `explanation.scoreParts`.")
    status: MatchStatus
    reason: str | None = strawberry.field(description="Why the enterprise rejected it.")
    computed_at: datetime | None
    decided_at: datetime | None
    booked_volume: float | None = strawberry.field(description="Volume booked on the offer when accepted.")
    as_of: date | None = strawberry.field(description="The date feasibility was judged for.")
    explanation: MatchExplanation
    provider_id: strawberry.Private[str]
    need_id: strawberry.Private[str]
    offer_id: strawberry.Private[str | None]

    @classmethod
    def from_result(cls, result: engine.MatchResult) -> Match:
        return cls(id=strawberry.ID(result.id), score=result.score, status=MatchStatus(result.status),
                   reason=result.reason, computed_at=_datetime(result.computed_at),
                   decided_at=_datetime(result.decided_at), booked_volume=result.booked_volume,
                   as_of=result.as_of, explanation=MatchExplanation.from_json(result.explanation),
                   provider_id=result.provider_id, need_id=result.need_id, offer_id=result.offer_id)

    @strawberry.field
    async def provider(self, info: strawberry.Info) -> Provider | None:
        return provider_from_row(await info.context.loaders.provider.load(self.provider_id))

    @strawberry.field(description="The need (null for a provider's token: it sees needs through `opportunities`).")
    async def need(self, info: strawberry.Info) -> Need | None:
        row = await info.context.loaders.need.load(self.need_id)
        return Need.from_row(row) if row else None

    @strawberry.field(description="The capacity offer a capacity match books.")
    async def offer(self, info: strawberry.Info) -> CapacityOffer | None:
        if not self.offer_id:
            return None
        row = await info.context.loaders.offer.load(self.offer_id)
        return CapacityOffer.from_row(row) if row else None

    @strawberry.field(description="The provider's response to the need (interest and quote), if it answered.")
    async def response(self, info: strawberry.Info) -> Response | None:
        row = await info.context.loaders.deals.response.load((self.need_id, self.provider_id))
        return Response.from_row(row) if row else None

    @strawberry.field(description="Every status change, oldest first (accepted, contracted, … cancelled).")
    async def history(self, info: strawberry.Info) -> list[MatchTransition]:
        return [MatchTransition.from_row(row) for row in await info.context.loaders.deals.history.load(self.id)]

    @strawberry.field(description="Who cancelled and why (the CANCELLED transition), if cancelled.")
    async def cancellation(self, info: strawberry.Info) -> MatchTransition | None:
        rows = [row for row in await info.context.loaders.deals.history.load(self.id) if row["to"] == "CANCELLED"]
        return MatchTransition.from_row(rows[-1]) if rows else None

    @strawberry.field(description="The two sides' ratings once the deal is COMPLETED.")
    async def ratings(self, info: strawberry.Info) -> list[Rating]:
        return [Rating.from_row(row) for row in await info.context.loaders.deals.ratings.load(self.id)]


@strawberry.type
class MatchEdge:
    cursor: str
    node: Match


@strawberry.type(description="A page of a need's matches, best first.")
class MatchConnection:
    edges: list[MatchEdge]
    page_info: relay.PageInfo
    total_count: int = strawberry.field(description="Matches at or above `minScore`, over all pages.")
    as_of: date
    recomputed: bool = strawberry.field(description="Whether this request recomputed the matches (they were "
                                                    "stale, or `asOf` is not today).")
    computed_at: datetime | None


# ------------------------------------------------------------------------------------------- cursors


def match_connection(page: engine.MatchPage, after: str | None) -> MatchConnection:
    edges = [MatchEdge(cursor=score_cursor(m.score, m.id), node=Match.from_result(m)) for m in page.items]
    return MatchConnection(edges=edges, page_info=page_info([e.cursor for e in edges], after, page.has_next),
                           total_count=page.total, as_of=page.as_of, recomputed=page.recomputed,
                           computed_at=_datetime(page.computed_at))


# ------------------------------------------------------------------------------------------ consortia


@strawberry.type(description="One manufacturer of a consortium and its share of the quantity.")
class ConsortiumMember:
    share: float = strawberry.field(description="Quantity this member makes, in the need's unit (≥ its MOQ).")
    deliverable: float | None = strawberry.field(description="What its offer could deliver before the deadline "
                                                             "(null: open-ended).")
    score: float
    provider_id: strawberry.Private[str]
    offer_id: strawberry.Private[str]

    @strawberry.field
    async def provider(self, info: strawberry.Info) -> Provider | None:
        return provider_from_row(await info.context.loaders.provider.load(self.provider_id))

    @strawberry.field
    async def offer(self, info: strawberry.Info) -> CapacityOffer | None:
        row = await info.context.loaders.offer.load(self.offer_id)
        return CapacityOffer.from_row(row) if row else None


@strawberry.type(description="协同型共享制造: 2–4 manufacturers that together deliver a capacity need.")
class Consortium:
    members: list[ConsortiumMember]
    quantity: float
    score: float = strawberry.field(description="Share-weighted mean of the members' match scores.")
    explanation: str

    @classmethod
    def from_proposal(cls, proposal: Proposal) -> Consortium:
        members = [ConsortiumMember(share=s.share,
                                    deliverable=None if s.member.deliverable == float("inf") else s.member.deliverable,
                                    score=s.member.score, provider_id=s.member.provider_id,
                                    offer_id=s.member.offer_id) for s in proposal.shares]
        return cls(members=members, quantity=proposal.quantity, score=proposal.score,
                   explanation=proposal.explanation)


@strawberry.type(description="Consortium proposals for a capacity need.")
class ConsortiumProposals:
    need_id: strawberry.ID
    as_of: date
    single_provider_feasible: bool = strawberry.field(description="True when one manufacturer can deliver alone "
                                                                  "(then no consortium is proposed).")
    reason: str
    proposals: list[Consortium]


# -------------------------------------------------------------------------------------- opportunities


@strawberry.type(description="The enterprise behind a need; contact details only once it accepted this provider.")
class OpportunityEnterprise:
    id: strawberry.ID
    name: str | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None


@strawberry.type(description="An open need as a provider sees it.")
class OpportunityNeed:
    id: strawberry.ID
    kind: NeedKind
    title: str
    description: str | None
    quantity: float | None
    unit: Unit | None
    deadline: date | None
    required_certifications: list[str] = strawberry.field(description="Certification names.")
    regions: list[str] = strawberry.field(description="Region names the provider must be within (empty: anywhere).")
    capabilities: list[str] = strawberry.field(description="Taxonomy codes the need is linked to.")


@strawberry.type(description="An open need that fits a provider, scored as the need's own matching would.")
class Opportunity:
    need: OpportunityNeed
    enterprise: OpportunityEnterprise | None
    score: float
    match_id: strawberry.ID = strawberry.field(description="The id the match has (or will have) on the need.")
    match_status: MatchStatus | None = strawberry.field(description="Status of the stored match, if any.")
    explanation: MatchExplanation

    @classmethod
    def from_result(cls, item: engine.Opportunity) -> Opportunity:
        need = item.need
        enterprise = item.enterprise
        return cls(
            need=OpportunityNeed(
                id=strawberry.ID(need.id), kind=NeedKind(need.kind), title=need.title or "",
                description=need.description, quantity=need.quantity,
                unit=Unit(need.unit) if need.unit else None, deadline=need.deadline,
                required_certifications=[c.get("name") or c["code"] for c in need.certifications],
                regions=[r.get("name") or r["code"] for r in need.regions],
                capabilities=[c["code"] for c in need.capabilities]),
            enterprise=OpportunityEnterprise(
                id=strawberry.ID(enterprise["id"]), name=enterprise.get("name"),
                contact_name=enterprise.get("contact_name"), contact_phone=enterprise.get("contact_phone"),
                contact_email=enterprise.get("contact_email")) if enterprise else None,
            score=item.score, match_id=strawberry.ID(item.match_id),
            match_status=MatchStatus(item.match_status) if item.match_status else None,
            explanation=MatchExplanation.from_json(item.explanation))


@strawberry.type
class OpportunityEdge:
    cursor: str
    node: Opportunity


@strawberry.type(description="A page of open needs that fit a provider, best first.")
class OpportunityConnection:
    edges: list[OpportunityEdge]
    page_info: relay.PageInfo
    total_count: int
    as_of: date


def opportunity_connection(page: engine.OpportunityPage, after: str | None) -> OpportunityConnection:
    edges = [OpportunityEdge(cursor=score_cursor(o.score, o.need.id), node=Opportunity.from_result(o))
             for o in page.items]
    return OpportunityConnection(edges=edges, page_info=page_info([e.cursor for e in edges], after, page.has_next),
                                 total_count=page.total, as_of=page.as_of)


# ------------------------------------------------------------------------------------------ feedback


@strawberry.input
class AcceptMatchInput:
    match_id: strawberry.ID
    client_mutation_id: str | None = None


@strawberry.input
class RejectMatchInput:
    match_id: strawberry.ID
    reason: str = strawberry.field(description="Why (1–500 characters); kept as evidence for later matching.")
    client_mutation_id: str | None = None


@strawberry.type(description="The match after the decision; `errors` empty when it worked, else nothing was written.")
class MatchDecisionPayload:
    match: Match | None
    errors: list[UserError]
    client_mutation_id: str | None
