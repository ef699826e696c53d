"""Need mutations of the token's enterprise (ENTERPRISE): post, update, close."""

from __future__ import annotations

import strawberry

from api.inputs import input_data, node_key
from api.needs.inputs import CloseNeedInput, PostNeedInput, UpdateNeedInput
from api.needs.types import Need
from api.payloads import MutationPayload, common, fresh, not_found
from matching.intake import Outcome, needs


@strawberry.type
class NeedPayload(MutationPayload):
    need: Need | None


async def _need(info: strawberry.Info, outcome: Outcome) -> Need | None:
    if not outcome.ok or not outcome.id:
        return None
    row = await fresh(info).need.load(outcome.id)
    return Need.from_row(row) if row else None


@strawberry.type
class NeedMutation:
    @strawberry.mutation(description="Post a need of the token's enterprise (ENTERPRISE).")
    async def post_need(self, info: strawberry.Info, input: PostNeedInput) -> NeedPayload:
        context = info.context
        outcome = await needs.post_need(await context.intake(), context.viewer, input_data(input),
                                        input.client_mutation_id)
        return NeedPayload(need=await _need(info, outcome), **common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Change one of the token's enterprise's open needs (ENTERPRISE).")
    async def update_need(self, info: strawberry.Info, input: UpdateNeedInput) -> NeedPayload:
        context = info.context
        key = node_key(input.id, ("Need",), "ned_")
        outcome = (not_found("need") if key is None else
                   await needs.update_need(await context.intake(), context.viewer, key, input_data(input),
                                           input.client_mutation_id))
        return NeedPayload(need=await _need(info, outcome), **common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Close one of the token's enterprise's needs (ENTERPRISE).")
    async def close_need(self, info: strawberry.Info, input: CloseNeedInput) -> NeedPayload:
        context = info.context
        key = node_key(input.id, ("Need",), "ned_")
        outcome = (not_found("need") if key is None else
                   await needs.close_need(await context.intake(), context.viewer, key, input.client_mutation_id))
        return NeedPayload(need=await _need(info, outcome), **common(outcome, input.client_mutation_id))
