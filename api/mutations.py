"""Root mutation fields. Each is: input → dict → one ``matching.intake`` command → payload.

Every payload carries ``errors`` (empty when it worked; when not, nothing was written),
``unresolved`` (what was typed but named nothing known) and the ``clientMutationId`` it was sent.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay

from api.inputs import (
    AddCapabilityInput,
    CloseNeedInput,
    PostNeedInput,
    PublishCapacityOfferInput,
    RegisterEnterpriseInput,
    RegisterProviderInput,
    RemoveCapabilityInput,
    UpdateCapacityOfferInput,
    UpdateNeedInput,
    UpdateProviderInput,
    WithdrawCapacityOfferInput,
    graphql_path,
    input_data,
    node_key,
)
from api.loaders import Loaders
from api.types import (
    CapabilityStatement,
    CapacityOffer,
    Enterprise,
    Need,
    Provider,
    UserError,
    provider_from_row,
)
from graph.viewer import Viewer
from matching.intake import Outcome
from matching.validation import ErrorCode
from matching.validation import UserError as Problem


def _errors(outcome: Outcome) -> list[UserError]:
    return [UserError(code=error.code, field=graphql_path(error.field), message=error.message)
            for error in outcome.errors]


def _not_found(what: str) -> Outcome:
    return Outcome(errors=[Problem(ErrorCode.NOT_FOUND, "id", f"no {what} with this id")])


def _fresh(info: strawberry.Info, viewer: Viewer | None = None) -> Loaders:
    """Loaders that see the write just made (the request's own may have cached the old state)."""
    context = info.context
    context.loaders = Loaders(context.db, context.viewer)
    return context.loaders if viewer is None else Loaders(context.db, viewer)


async def _provider(info: strawberry.Info, provider_id: str | None, loaders: Loaders | None = None,
                    contact_visible: bool = False) -> Provider | None:
    if not provider_id:
        return None
    return provider_from_row(await (loaders or info.context.loaders).provider.load(provider_id), contact_visible)


@strawberry.type
class MutationPayload:
    errors: list[UserError] = strawberry.field(description="Empty when the mutation worked; otherwise nothing "
                                                           "was written.")
    unresolved: list[str] = strawberry.field(description="Inputs as typed that named nothing known (a region, "
                                                         "certification …) or text that linked to no capability.")
    client_mutation_id: str | None


@strawberry.type
class RegisterEnterprisePayload(MutationPayload):
    enterprise: Enterprise | None
    token: str | None = strawberry.field(description="The new enterprise's API token — shown this once only "
                                                     "(null when a re-send replays the registration).")


@strawberry.type
class RegisterProviderPayload(MutationPayload):
    provider: Provider | None
    token: str | None = strawberry.field(description="The new provider's API token — shown this once only "
                                                     "(null when a re-send replays the registration).")


@strawberry.type
class UpdateProviderPayload(MutationPayload):
    provider: Provider | None


@strawberry.type
class AddCapabilityPayload(MutationPayload):
    capability_statement: CapabilityStatement | None
    provider: Provider | None


@strawberry.type
class RemoveCapabilityPayload(MutationPayload):
    removed_id: strawberry.ID | None
    provider: Provider | None


@strawberry.type
class CapacityOfferPayload(MutationPayload):
    capacity_offer: CapacityOffer | None


@strawberry.type
class NeedPayload(MutationPayload):
    need: Need | None


def _common(outcome: Outcome, client_mutation_id: str | None) -> dict[str, Any]:
    return {"errors": _errors(outcome), "unresolved": outcome.unresolved, "client_mutation_id": client_mutation_id}


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Register an enterprise (no token needed). Returns its first API token once.")
    async def register_enterprise(self, info: strawberry.Info,
                                  input: RegisterEnterpriseInput) -> RegisterEnterprisePayload:
        context = info.context
        outcome = await (await context.intake()).register_enterprise(context.viewer, input_data(input),
                                                                     input.client_mutation_id)
        enterprise = None
        if outcome.ok and outcome.id:
            owner = _fresh(info, Viewer("ENTERPRISE", outcome.id))
            row = await owner.enterprise.load(outcome.id)
            enterprise = Enterprise.from_row(row) if row else None
        return RegisterEnterprisePayload(enterprise=enterprise, token=outcome.token,
                                         **_common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Register a service provider or manufacturer (no token needed). Returns its "
                                     "first API token once.")
    async def register_provider(self, info: strawberry.Info, input: RegisterProviderInput) -> RegisterProviderPayload:
        context = info.context
        outcome = await (await context.intake()).register_provider(context.viewer, input_data(input),
                                                                   input.client_mutation_id)
        provider = await _provider(info, outcome.id, _fresh(info), contact_visible=True) if outcome.ok else None
        return RegisterProviderPayload(provider=provider, token=outcome.token,
                                       **_common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Change the token's own provider profile (PROVIDER).")
    async def update_provider(self, info: strawberry.Info, input: UpdateProviderInput) -> UpdateProviderPayload:
        context = info.context
        key = node_key(input.id, ("ServiceProvider", "Manufacturer"), "prv_")
        outcome = (_not_found("provider") if key is None else
                   await (await context.intake()).update_provider(context.viewer, key, input_data(input),
                                                                  input.client_mutation_id))
        provider = await _provider(info, outcome.id, _fresh(info)) if outcome.ok else None
        return UpdateProviderPayload(provider=provider, **_common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Add a capability statement to the token's provider (PROVIDER).")
    async def add_capability(self, info: strawberry.Info, input: AddCapabilityInput) -> AddCapabilityPayload:
        context = info.context
        outcome = await (await context.intake()).add_capability(context.viewer, input_data(input),
                                                                input.client_mutation_id)
        statement, provider = None, None
        if outcome.ok and outcome.id:
            loaders = _fresh(info)
            row = await loaders.statement.load(outcome.id)
            statement = CapabilityStatement.from_row(row) if row else None
            provider = await _provider(info, row["provider_id"] if row else context.viewer.org_id, loaders)
        return AddCapabilityPayload(capability_statement=statement, provider=provider,
                                    **_common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Remove one of the token's provider's capability statements (PROVIDER).")
    async def remove_capability(self, info: strawberry.Info, input: RemoveCapabilityInput) -> RemoveCapabilityPayload:
        context = info.context
        key = node_key(input.id, ("CapabilityStatement",), "cst_")
        outcome = (_not_found("capability statement") if key is None else
                   await (await context.intake()).remove_capability(context.viewer, key, input.client_mutation_id))
        removed, provider = None, None
        if outcome.ok and outcome.id:
            removed = strawberry.ID(str(relay.GlobalID("CapabilityStatement", outcome.id)))
            provider = await _provider(info, outcome.owner_id or context.viewer.org_id, _fresh(info))
        return RemoveCapabilityPayload(removed_id=removed, provider=provider,
                                       **_common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Publish capacity of the token's manufacturer (PROVIDER, manufacturers only).")
    async def publish_capacity_offer(self, info: strawberry.Info,
                                     input: PublishCapacityOfferInput) -> CapacityOfferPayload:
        context = info.context
        outcome = await (await context.intake()).publish_offer(context.viewer, input_data(input),
                                                               input.client_mutation_id)
        return CapacityOfferPayload(capacity_offer=await _offer(info, outcome),
                                    **_common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Change one of the token's manufacturer's published offers (PROVIDER).")
    async def update_capacity_offer(self, info: strawberry.Info,
                                    input: UpdateCapacityOfferInput) -> CapacityOfferPayload:
        context = info.context
        key = node_key(input.id, ("CapacityOffer",), "off_")
        outcome = (_not_found("capacity offer") if key is None else
                   await (await context.intake()).update_offer(context.viewer, key, input_data(input),
                                                               input.client_mutation_id))
        return CapacityOfferPayload(capacity_offer=await _offer(info, outcome),
                                    **_common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Withdraw one of the token's manufacturer's offers (PROVIDER).")
    async def withdraw_capacity_offer(self, info: strawberry.Info,
                                      input: WithdrawCapacityOfferInput) -> CapacityOfferPayload:
        context = info.context
        key = node_key(input.id, ("CapacityOffer",), "off_")
        outcome = (_not_found("capacity offer") if key is None else
                   await (await context.intake()).withdraw_offer(context.viewer, key, input.client_mutation_id))
        return CapacityOfferPayload(capacity_offer=await _offer(info, outcome),
                                    **_common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Post a need of the token's enterprise (ENTERPRISE).")
    async def post_need(self, info: strawberry.Info, input: PostNeedInput) -> NeedPayload:
        context = info.context
        outcome = await (await context.intake()).post_need(context.viewer, input_data(input),
                                                           input.client_mutation_id)
        return NeedPayload(need=await _need(info, outcome), **_common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Change one of the token's enterprise's open needs (ENTERPRISE).")
    async def update_need(self, info: strawberry.Info, input: UpdateNeedInput) -> NeedPayload:
        context = info.context
        key = node_key(input.id, ("Need",), "ned_")
        outcome = (_not_found("need") if key is None else
                   await (await context.intake()).update_need(context.viewer, key, input_data(input),
                                                              input.client_mutation_id))
        return NeedPayload(need=await _need(info, outcome), **_common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Close one of the token's enterprise's needs (ENTERPRISE).")
    async def close_need(self, info: strawberry.Info, input: CloseNeedInput) -> NeedPayload:
        context = info.context
        key = node_key(input.id, ("Need",), "ned_")
        outcome = (_not_found("need") if key is None else
                   await (await context.intake()).close_need(context.viewer, key, input.client_mutation_id))
        return NeedPayload(need=await _need(info, outcome), **_common(outcome, input.client_mutation_id))


async def _offer(info: strawberry.Info, outcome: Outcome) -> CapacityOffer | None:
    if not outcome.ok or not outcome.id:
        return None
    row = await _fresh(info).offer.load(outcome.id)
    return CapacityOffer.from_row(row) if row else None


async def _need(info: strawberry.Info, outcome: Outcome) -> Need | None:
    if not outcome.ok or not outcome.id:
        return None
    row = await _fresh(info).need.load(outcome.id)
    return Need.from_row(row) if row else None
