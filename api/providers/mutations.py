"""Provider mutations: registration (no token needed), the provider's own profile and statements."""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.inputs import input_data, node_key
from api.loaders import Loaders
from api.payloads import MutationPayload, common, fresh, not_found
from api.providers.inputs import (
    AddCapabilityInput,
    RegisterProviderInput,
    RemoveCapabilityInput,
    UpdateProviderInput,
)
from api.providers.types import CapabilityStatement, Provider, provider_from_row
from matching.intake import capabilities, organisations


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


async def _provider(loaders: Loaders, provider_id: str | None, contact_visible: bool = False) -> Provider | None:
    if not provider_id:
        return None
    return provider_from_row(await loaders.provider.load(provider_id), contact_visible)


@strawberry.type
class ProviderMutation:
    @strawberry.mutation(description="Register a service provider or manufacturer (no token needed). Returns its "
                                     "first API token once.")
    async def register_provider(self, info: strawberry.Info, input: RegisterProviderInput) -> RegisterProviderPayload:
        context = info.context
        outcome = await organisations.register_provider(await context.intake(), context.viewer, input_data(input),
                                                        input.client_mutation_id)
        provider = await _provider(fresh(info), outcome.id, contact_visible=True) if outcome.ok else None
        return RegisterProviderPayload(provider=provider, token=outcome.token,
                                       **common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Change the token's own provider profile (PROVIDER).")
    async def update_provider(self, info: strawberry.Info, input: UpdateProviderInput) -> UpdateProviderPayload:
        context = info.context
        key = node_key(input.id, ("ServiceProvider", "Manufacturer"), "prv_")
        outcome = (not_found("provider") if key is None else
                   await organisations.update_provider(await context.intake(), context.viewer, key, input_data(input),
                                                       input.client_mutation_id))
        provider = await _provider(fresh(info), outcome.id) if outcome.ok else None
        return UpdateProviderPayload(provider=provider, **common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Add a capability statement to the token's provider (PROVIDER).")
    async def add_capability(self, info: strawberry.Info, input: AddCapabilityInput) -> AddCapabilityPayload:
        context = info.context
        outcome = await capabilities.add_capability(await context.intake(), context.viewer, input_data(input),
                                                    input.client_mutation_id)
        statement, provider = None, None
        if outcome.ok and outcome.id:
            loaders = fresh(info)
            row = await loaders.statement.load(outcome.id)
            statement = CapabilityStatement.from_row(row) if row else None
            provider = await _provider(loaders, row["provider_id"] if row else context.viewer.org_id)
        return AddCapabilityPayload(capability_statement=statement, provider=provider,
                                    **common(outcome, input.client_mutation_id))

    @strawberry.mutation(description="Remove one of the token's provider's capability statements (PROVIDER).")
    async def remove_capability(self, info: strawberry.Info, input: RemoveCapabilityInput) -> RemoveCapabilityPayload:
        context = info.context
        key = node_key(input.id, ("CapabilityStatement",), "cst_")
        outcome = (not_found("capability statement") if key is None else
                   await capabilities.remove_capability(await context.intake(), context.viewer, key,
                                                        input.client_mutation_id))
        removed, provider = None, None
        if outcome.ok and outcome.id:
            removed = strawberry.ID(str(relay.GlobalID("CapabilityStatement", outcome.id)))
            provider = await _provider(fresh(info), outcome.owner_id or context.viewer.org_id)
        return RemoveCapabilityPayload(removed_id=removed, provider=provider,
                                       **common(outcome, input.client_mutation_id))
