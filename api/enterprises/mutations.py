"""Enterprise mutations: registration (no token needed; the first API token is returned once)."""

from __future__ import annotations

import strawberry

from api.enterprises.inputs import RegisterEnterpriseInput
from api.enterprises.types import Enterprise
from api.inputs import input_data
from api.payloads import MutationPayload, common, fresh
from graph.viewer import Viewer
from matching.intake import organisations


@strawberry.type
class RegisterEnterprisePayload(MutationPayload):
    enterprise: Enterprise | None
    token: str | None = strawberry.field(description="The new enterprise's API token — shown this once only "
                                                     "(null when a re-send replays the registration).")


@strawberry.type
class EnterpriseMutation:
    @strawberry.mutation(description="Register an enterprise (no token needed). Returns its first API token once.")
    async def register_enterprise(self, info: strawberry.Info,
                                  input: RegisterEnterpriseInput) -> RegisterEnterprisePayload:
        context = info.context
        outcome = await organisations.register_enterprise(await context.intake(), context.viewer, input_data(input),
                                                          input.client_mutation_id)
        enterprise = None
        if outcome.ok and outcome.id:
            owner = fresh(info, Viewer("ENTERPRISE", outcome.id))
            row = await owner.enterprise.load(outcome.id)
            enterprise = Enterprise.from_row(row) if row else None
        return RegisterEnterprisePayload(enterprise=enterprise, token=outcome.token,
                                         **common(outcome, input.client_mutation_id))
