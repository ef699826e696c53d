"""Root fields of the matching engine, as mixins the root ``Query`` / ``Mutation`` inherit.

Who may ask (issue 4's roles):

* ``matches`` — STAFF any need; ENTERPRISE its own needs; PROVIDER only its own *stored* match: it never
  triggers a recomputation, may not ask ``asOf``, and a need without its match is NOT_FOUND exactly
  like a missing need (a provider learns nothing about other enterprises' needs); anonymous none.
* ``consortia`` — STAFF, and ENTERPRISE for its own needs (a consortium names other providers); a
  PROVIDER token is FORBIDDEN before the need is looked up.
* ``opportunities`` — STAFF, and PROVIDER for itself. Enterprise contact details stay hidden
  until the enterprise accepted a match with that provider.
* ``acceptMatch`` / ``rejectMatch`` — the ENTERPRISE that posted the need only; STAFF read and change
  nothing (docs/API.md), so a STAFF token is FORBIDDEN like a PROVIDER's.

``asOf`` (any role that may see the need) computes as of another day without storing anything.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from api.errors import ApiError
from api.inputs import graphql_path, node_key
from api.matching.types import (
    AcceptMatchInput,
    Consortium,
    ConsortiumProposals,
    Match,
    MatchConnection,
    MatchDecisionPayload,
    OpportunityConnection,
    RejectMatchInput,
    match_connection,
    opportunity_connection,
)
from api.pagination import check_first, decode_score_cursor
from api.payloads import UserError
from graph.viewer import Viewer
from matching import engine, feedback
from matching.engine import MatchingError, NeedContext
from matching.validation import ErrorCode

NOT_FOUND = "NOT_FOUND"
FORBIDDEN = "FORBIDDEN"
UNAUTHENTICATED = "UNAUTHENTICATED"


def _authenticated(viewer: Viewer) -> None:
    if not viewer.authenticated:
        raise ApiError("this field needs an API token (Authorization: Bearer …)", code=UNAUTHENTICATED)


def _need_key(need_id: str) -> str:
    key = node_key(need_id, ("Need",), "ned_")
    if key is None:
        raise ApiError("no need with this id", code=NOT_FOUND, field="needId")
    return key


async def _visible_need(info: strawberry.Info, need_id: str) -> NeedContext:
    """The need's matching context if the viewer may see it; NOT_FOUND otherwise (no existence leak)."""
    _authenticated(info.context.viewer)
    try:
        need = await engine.load_need(info.context.db, _need_key(need_id))
    except engine.NotFound:
        raise ApiError("no need with this id", code=NOT_FOUND, field="needId") from None
    return _visible(info.context.viewer, need)


def _visible(viewer: Viewer, need: NeedContext) -> NeedContext:
    if viewer.role == "ENTERPRISE" and need.enterprise_id != viewer.org_id:
        raise ApiError("no need with this id", code=NOT_FOUND, field="needId")
    return need


async def _linker_if_unlinked(info: strawberry.Info, need: NeedContext) -> Any:
    """The process's taxonomy linker, only for a need stored without capability links."""
    return None if need.capabilities else await info.context.services.linker()


def _min_score(value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise ApiError(f"minScore must be between 0 and 1, got {value}", field="minScore")
    return value


@strawberry.type
class MatchingQuery:
    @strawberry.field(description="The providers that can serve a need, best first, each with an explanation. "
                                  "Recomputed when the need, a provider's capabilities or an offer changed.")
    async def matches(self, info: strawberry.Info, need_id: strawberry.ID, first: int | None = 20,
                      after: str | None = None, min_score: float = 0.0,
                      as_of: date | None = None) -> MatchConnection:
        viewer: Viewer = info.context.viewer
        provider = viewer.role == "PROVIDER"
        if provider and as_of is not None:  # said before the need is looked up: no existence leak
            raise ApiError("a provider reads its stored match; asOf is for the need's enterprise and staff",
                           code=FORBIDDEN, field="asOf")
        _authenticated(viewer)
        key = _need_key(need_id)
        size, cursor, floor = check_first(first), decode_score_cursor(after), _min_score(min_score)
        only = viewer.org_id if provider else None
        try:  # the need, its freshness and the stored page in one round trip: all a current result costs
            stored = await engine.read_stored(info.context.db, key, first=size, after=cursor, min_score=floor,
                                              provider_id=only)
        except engine.NotFound:
            raise ApiError("no need with this id", code=NOT_FOUND, field="needId") from None
        need = _visible(viewer, stored.need)
        page = await engine.match_need(
            info.context.db, info.context.services.embedder, need.id, as_of=as_of, first=size, after=cursor,
            min_score=floor, provider_id=only, recompute=not provider,
            linker=None if provider else await _linker_if_unlinked(info, need), stored=stored)
        if provider and page.total == 0:
            # a need this provider has no match on is, to it, the same as a missing one
            raise ApiError("no need with this id", code=NOT_FOUND, field="needId")
        return match_connection(page, after)

    @strawberry.field(description="协同型共享制造: consortia of 2–4 manufacturers for a capacity need that no "
                                  "single manufacturer can deliver.")
    async def consortia(self, info: strawberry.Info, need_id: strawberry.ID,
                        as_of: date | None = None) -> ConsortiumProposals:
        if info.context.viewer.role == "PROVIDER":  # before the lookup: the same answer for any need id
            raise ApiError("consortia are shown to the need's enterprise and to staff", code=FORBIDDEN,
                           field="needId")
        need = await _visible_need(info, need_id)
        services = info.context.services
        result = await engine.consortia(info.context.db, services.embedder, need.id, as_of=as_of,
                                        linker=await _linker_if_unlinked(info, need))
        return ConsortiumProposals(need_id=strawberry.ID(result.need_id), as_of=result.as_of,
                                   single_provider_feasible=result.single_provider_feasible, reason=result.reason,
                                   proposals=[Consortium.from_proposal(p) for p in result.proposals])

    @strawberry.field(description="Open needs that fit a provider (reverse matching), best first.")
    async def opportunities(self, info: strawberry.Info, provider_id: strawberry.ID, first: int | None = 20,
                            after: str | None = None, as_of: date | None = None) -> OpportunityConnection:
        viewer: Viewer = info.context.viewer
        _authenticated(viewer)
        key = node_key(provider_id, ("ServiceProvider", "Manufacturer"), "prv_")
        if key is None:
            raise ApiError("no provider with this id", code=NOT_FOUND, field="providerId")
        if not (viewer.is_staff or viewer.is_provider(key)):
            raise ApiError("a provider sees its own opportunities only", code=FORBIDDEN, field="providerId")
        try:
            page = await engine.opportunities(info.context.db, key, as_of=as_of, first=check_first(first),
                                              after=decode_score_cursor(after))
        except engine.NotFound:
            raise ApiError("no provider with this id", code=NOT_FOUND, field="providerId") from None
        return opportunity_connection(page, after)


def _error(exc: MatchingError) -> UserError:
    """A refusal of the matching engine as a payload error: its ``ErrorCode``, and its field as the
    argument name clients sent (the engine names fields in snake_case)."""
    return UserError(code=exc.code, field=graphql_path(exc.field), message=exc.message)


def _deny(viewer: Viewer) -> UserError | None:
    if not viewer.authenticated:
        return UserError(code=ErrorCode.UNAUTHENTICATED, field=None,
                         message="deciding on a match needs an API token (Authorization: Bearer …)")
    if viewer.role != "ENTERPRISE":  # staff read, organisations decide (docs/API.md)
        return UserError(code=ErrorCode.FORBIDDEN, field=None,
                         message="matches are accepted or rejected by the enterprise that posted the need")
    return None


async def _decided(info: strawberry.Info, match_id: str, client_mutation_id: str | None) -> MatchDecisionPayload:
    result = await engine.get_match(info.context.db, match_id)
    return MatchDecisionPayload(match=Match.from_result(result), errors=[], client_mutation_id=client_mutation_id)


@strawberry.type
class MatchingMutation:
    @strawberry.mutation(description="Accept a match (the need's ENTERPRISE only). For a capacity need the "
                                     "quantity is booked on the offer; refused if the offer can no longer "
                                     "deliver it.")
    async def accept_match(self, info: strawberry.Info, input: AcceptMatchInput) -> MatchDecisionPayload:
        viewer: Viewer = info.context.viewer
        denied = _deny(viewer)
        if denied:
            return MatchDecisionPayload(match=None, errors=[denied], client_mutation_id=input.client_mutation_id)
        try:
            await feedback.accept_match(info.context.db, str(input.match_id),
                                        enterprise_id=viewer.org_id,
                                        actor=viewer.token_id)
            return await _decided(info, str(input.match_id), input.client_mutation_id)
        except MatchingError as exc:
            return MatchDecisionPayload(match=None, errors=[_error(exc)], client_mutation_id=input.client_mutation_id)

    @strawberry.mutation(description="Reject a match with a reason (the need's ENTERPRISE only). The "
                                     "rejection is kept and lowers this provider for the enterprise's later needs.")
    async def reject_match(self, info: strawberry.Info, input: RejectMatchInput) -> MatchDecisionPayload:
        viewer: Viewer = info.context.viewer
        denied = _deny(viewer)
        if denied:
            return MatchDecisionPayload(match=None, errors=[denied], client_mutation_id=input.client_mutation_id)
        try:
            await feedback.reject_match(info.context.db, str(input.match_id), input.reason,
                                        enterprise_id=viewer.org_id,
                                        actor=viewer.token_id)
            return await _decided(info, str(input.match_id), input.client_mutation_id)
        except MatchingError as exc:
            return MatchDecisionPayload(match=None, errors=[_error(exc)], client_mutation_id=input.client_mutation_id)
