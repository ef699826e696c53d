"""Capacity-offer mutations of the token's manufacturer (PROVIDER): publish, update, withdraw.

The ``CapacityOffer`` type lives with the provider directory (``api/providers/types.py``): an offer
is read as part of its manufacturer.
"""

from __future__ import annotations

import strawberry

from api.inputs import input_data, node_key
from api.offers.inputs import PublishCapacityOfferInput, UpdateCapacityOfferInput, WithdrawCapacityOfferInput
from api.payloads import MutationPayload, common, fresh, not_found
from api.providers.types import CapacityOffer
from matching.intake import Outcome, offers


@strawberry.type
class CapacityOfferPayload(MutationPayload):
    capacity_offer: CapacityOffer | None


async def _offer(info: strawberry.Info, outcome: Outcome) -> CapacityOffer | None:
    if not outcome.ok or not outcome.id:
        return None
    row = await fresh(info).offer.load(outcome.id)
    return CapacityOffer.from_row(row) if row else None


@strawberry.type
class OfferMutation:
    @strawberry.mutation(description="Publish capacity of the token's manufacturer (PROVIDER, manufacturers only).")
    async def publish_capacity_offer(self, info: strawberry.Info,
                                     input: PublishCapacityOfferInput) -> CapacityOfferPayload:
        context = info.context
        outcome = await offers.publish_offer(await context.intake(), context.viewer, input_data(input),
                                             input.client_mutation_id)
        return CapacityOfferPayload(capacity_offer=await _offer(info, outcome),
                                    **common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Change one of the token's manufacturer's published offers (PROVIDER).")
    async def update_capacity_offer(self, info: strawberry.Info,
                                    input: UpdateCapacityOfferInput) -> CapacityOfferPayload:
        context = info.context
        key = node_key(input.id, ("CapacityOffer",), "off_")
        outcome = (not_found("capacity offer") if key is None else
                   await offers.update_offer(await context.intake(), context.viewer, key, input_data(input),
                                             input.client_mutation_id))
        return CapacityOfferPayload(capacity_offer=await _offer(info, outcome),
                                    **common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Withdraw one of the token's manufacturer's offers (PROVIDER).")
    async def withdraw_capacity_offer(self, info: strawberry.Info,
                                      input: WithdrawCapacityOfferInput) -> CapacityOfferPayload:
        context = info.context
        key = node_key(input.id, ("CapacityOffer",), "off_")
        outcome = (not_found("capacity offer") if key is None else
                   await offers.withdraw_offer(await context.intake(), context.viewer, key, input.client_mutation_id))
        return CapacityOfferPayload(capacity_offer=await _offer(info, outcome),
                                    **common(outcome, input.client_mutation_id))
