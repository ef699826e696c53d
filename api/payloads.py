"""What every mutation answers: ``errors`` (empty when it worked; when not, nothing was written),
``unresolved`` (what was typed but named nothing known) and the ``clientMutationId`` it was sent.

Business refusals arrive as :class:`matching.intake.Outcome` errors (``ErrorCode`` members, snake_case
fields); here they become ``UserError`` payload entries with the camelCase paths clients sent.
"""

from __future__ import annotations

from typing import Any

import strawberry

from api.enums import ErrorCode
from api.inputs import graphql_path
from api.loaders import Loaders
from graph.viewer import Viewer
from matching.intake import Outcome
from matching.validation import ErrorCode as Code
from matching.validation import UserError as Problem


@strawberry.type(description="Why an input was refused. Nothing was written.")
class UserError:
    code: ErrorCode
    field: str | None = strawberry.field(description="Path of the input field, e.g. `creditCode` or "
                                                     "`certifications.1.certification`; null for the whole input.")
    message: str

    @classmethod
    def of(cls, problem: Problem) -> UserError:
        return cls(code=problem.code, field=graphql_path(problem.field), message=problem.message)


@strawberry.type
class MutationPayload:
    errors: list[UserError] = strawberry.field(description="Empty when the mutation worked; otherwise nothing "
                                                           "was written.")
    unresolved: list[str] = strawberry.field(description="Inputs as typed that named nothing known (a region, "
                                                         "certification …) or text that linked to no capability.")
    client_mutation_id: str | None


def common(outcome: Outcome, client_mutation_id: str | None) -> dict[str, Any]:
    """The ``MutationPayload`` fields of an outcome."""
    return {"errors": [UserError.of(error) for error in outcome.errors], "unresolved": outcome.unresolved,
            "client_mutation_id": client_mutation_id}


def not_found(what: str) -> Outcome:
    """The outcome for an id that is no id of ``what`` (malformed, or of another type)."""
    return Outcome(errors=[Problem(Code.NOT_FOUND, "id", f"no {what} with this id")])


def fresh(info: strawberry.Info, viewer: Viewer | None = None) -> Loaders:
    """Loaders that see the write just made (the request's own may have cached the old state)."""
    context = info.context
    context.loaders = Loaders(context.db, context.viewer)
    return context.loaders if viewer is None else Loaders(context.db, viewer)
