"""Root fields of deals, as mixins the root ``Query`` / ``Mutation`` inherit (rules: matching/deals).

Who may do what:

* ``responses`` — a PROVIDER its own responses (optionally to one need); the ENTERPRISE that posted
  a need, and STAFF, every response to that need (``needId`` required), cheapest, fastest or newest
  first;
* ``respondToNeed`` — a PROVIDER, for itself, on an open need it matches;
* ``advanceMatch`` — the need's ENTERPRISE confirms CONTRACTED and COMPLETED, the match's PROVIDER
  DELIVERED; either may cancel (with a reason); STAFF read deals but take no step (FORBIDDEN);
* ``rateMatch`` — after COMPLETED, each side once (the enterprise: quality, delivery, communication;
  the provider: clarity, payment).

A refused mutation returns typed ``errors`` and changes nothing.
"""

from __future__ import annotations

import strawberry

from api.deals.types import (
    AdvanceMatchInput,
    RateMatchInput,
    RespondToNeedInput,
    RespondToNeedPayload,
    Response,
    ResponseOrder,
)
from api.errors import ApiError
from api.inputs import node_key
from api.matching.schema import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, _decided, _error, _visible_need
from api.matching.types import MatchDecisionPayload
from api.payloads import UserError
from graph.repositories import deals as deals_repo
from graph.viewer import Viewer
from matching import freshness
from matching.deals import lifecycle, ratings, responses
from matching.engine import MatchingError
from matching.validation import ErrorCode

MAX_RESPONSES = 200


def _order(rows: list[Response], order: ResponseOrder) -> list[Response]:
    if order is ResponseOrder.PRICE:
        return sorted(rows, key=lambda r: (r.price is None, r.price or 0.0, str(r.id)))
    if order is ResponseOrder.LEAD_TIME:
        return sorted(rows, key=lambda r: (r.lead_time_days is None, r.lead_time_days or 0, str(r.id)))
    return rows  # newest first, as read


def _unauthenticated(what: str) -> UserError:
    return UserError(code=ErrorCode.UNAUTHENTICATED, field=None,
                     message=f"{what} needs an API token (Authorization: Bearer …)")


@strawberry.type
class DealsQuery:
    @strawberry.field(description="Responses (quotes) to needs: a provider's own, or every response to one need "
                                  "for its enterprise and staff.")
    async def responses(self, info: strawberry.Info, need_id: strawberry.ID | None = None,
                        order_by: ResponseOrder = ResponseOrder.UPDATED,
                        first: int = 50) -> list[Response]:
        viewer: Viewer = info.context.viewer
        if not viewer.authenticated:
            raise ApiError("this field needs an API token (Authorization: Bearer …)", code=UNAUTHENTICATED)
        if not 1 <= first <= MAX_RESPONSES:
            raise ApiError(f"first must be between 1 and {MAX_RESPONSES}", field="first")
        key = None
        if need_id is not None:
            key = node_key(str(need_id), ("Need",), "ned_")
            if key is None:
                raise ApiError("no need with this id", code=NOT_FOUND, field="needId")
        if viewer.role == "PROVIDER":
            rows = await deals_repo.responses_of_provider(info.context.db, viewer.org_id or "", need_id=key,
                                                          limit=first)
        else:
            if key is None:
                raise ApiError("needId is required: an enterprise sees the responses to its own needs",
                               code=FORBIDDEN, field="needId")
            need = await _visible_need(info, key)
            rows = await deals_repo.responses_of_need(info.context.db, need.id, limit=first)
        return _order([Response.from_row(row) for row in rows], order_by)


@strawberry.type
class DealsMutation:
    @strawberry.mutation(description="A provider answers a need it matches: INTERESTED with a quote, or DECLINED. "
                                     "Answering again revises the response until the enterprise decides.")
    async def respond_to_need(self, info: strawberry.Info, input: RespondToNeedInput) -> RespondToNeedPayload:
        viewer: Viewer = info.context.viewer

        def refused(error: UserError) -> RespondToNeedPayload:
            return RespondToNeedPayload(response=None, errors=[error], client_mutation_id=input.client_mutation_id)

        if not viewer.authenticated:
            return refused(_unauthenticated("responding to a need"))
        need_key = node_key(str(input.need_id), ("Need",), "ned_")
        offer_key = None if input.offer_id is None else node_key(str(input.offer_id), ("CapacityOffer",), "off_")
        if need_key is None:
            return refused(UserError(code=ErrorCode.NOT_FOUND, field="needId", message="no need with this id"))
        if input.offer_id is not None and offer_key is None:
            return refused(UserError(code=ErrorCode.NOT_FOUND, field="offerId", message="no offer with this id"))
        data = {"interest": input.interest.value, "price": input.price, "currency": input.currency,
                "lead_time_days": input.lead_time_days, "valid_until": input.valid_until,
                "message": input.message, "offer_id": offer_key}
        try:
            await responses.respond(info.context.db, viewer, need_key, data, today=freshness.today())
        except MatchingError as exc:
            return refused(_error(exc))
        rows = await deals_repo.responses_of_provider(info.context.db, viewer.org_id or "", need_id=need_key,
                                                      limit=1)
        return RespondToNeedPayload(response=Response.from_row(rows[0]), errors=[],
                                    client_mutation_id=input.client_mutation_id)

    @strawberry.mutation(description="Take one step of a deal: the enterprise confirms CONTRACTED and COMPLETED, "
                                     "the provider DELIVERED; either may CANCEL with a reason (which releases "
                                     "booked capacity).")
    async def advance_match(self, info: strawberry.Info, input: AdvanceMatchInput) -> MatchDecisionPayload:
        viewer: Viewer = info.context.viewer
        if not viewer.authenticated:
            return MatchDecisionPayload(match=None, errors=[_unauthenticated("advancing a deal")],
                                        client_mutation_id=input.client_mutation_id)
        try:
            await lifecycle.advance(info.context.db, viewer, str(input.match_id), input.to.value, input.note)
            return await _decided(info, str(input.match_id), input.client_mutation_id)
        except MatchingError as exc:
            return MatchDecisionPayload(match=None, errors=[_error(exc)], client_mutation_id=input.client_mutation_id)

    @strawberry.mutation(description="Rate the other side of a COMPLETED deal, once: the enterprise rates quality, "
                                     "delivery and communication; the provider clarity and payment (1–5 each).")
    async def rate_match(self, info: strawberry.Info, input: RateMatchInput) -> MatchDecisionPayload:
        viewer: Viewer = info.context.viewer
        if not viewer.authenticated:
            return MatchDecisionPayload(match=None, errors=[_unauthenticated("rating a deal")],
                                        client_mutation_id=input.client_mutation_id)
        data = {"quality": input.quality, "delivery": input.delivery, "communication": input.communication,
                "clarity": input.clarity, "payment": input.payment, "comment": input.comment}
        try:
            await ratings.rate(info.context.db, viewer, str(input.match_id), data)
            return await _decided(info, str(input.match_id), input.client_mutation_id)
        except MatchingError as exc:
            return MatchDecisionPayload(match=None, errors=[_error(exc)], client_mutation_id=input.client_mutation_id)
