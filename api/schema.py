"""The GraphQL schema: the root types composed from the domains' mixins, with protection.

Each domain package (``api/providers``, ``api/offers``, ``api/enterprises``, ``api/needs``,
``api/reference``, ``api/matching``, ``api/curation``) holds its types, inputs, queries and mutations; the order of
the mixins below is the order of the root fields in ``schema.graphql``.

``build_schema(production)`` adds the limits every deployment has (depth 10, 15 aliases, 2,000
tokens, a complexity budget, masked unexpected errors), a cache of valid documents by query text
(``DocumentCache``) and, outside production, the Cypher round-trip report; in production
introspection is off. ``schema`` (development) is what
``gongxu schema export`` prints to ``schema.graphql``: the SDL is the same in both modes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from api.curation.schema import CurationMutation, CurationQuery
from api.deals.schema import DealsMutation, DealsQuery
from api.enterprises.mutations import EnterpriseMutation
from api.enterprises.queries import EnterpriseQuery
from api.errors import deliberate
from api.extensions import (
    COMPLEXITY_BUDGET,
    ComplexityLimiter,
    CypherRoundTrips,
    DocumentCache,
    MaskUnexpectedErrors,
    cached_documents,
)
from api.matching import Match, MatchingMutation, MatchingQuery
from api.needs.mutations import NeedMutation
from api.needs.queries import NeedQuery
from api.offers.mutations import OfferMutation
from api.providers.mutations import ProviderMutation
from api.providers.queries import ProviderQuery, ProviderSearchQuery
from api.providers.types import Manufacturer, ServiceProvider
from api.reference.queries import ReferenceQuery
from api.reports import ReportsQuery
from api.system import SystemQuery

MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_TOKENS = 2000

SDL_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"


@strawberry.type(name="Query")
class RootQuery(SystemQuery, ProviderQuery, EnterpriseQuery, NeedQuery, ProviderSearchQuery, ReferenceQuery,
                MatchingQuery, DealsQuery, ReportsQuery, CurationQuery):
    """The directory and reference queries, the matching engine's (api/matching), deals' (api/deals), staff
    reports (api/reports) and staff curation (api/curation)."""


@strawberry.type(name="Mutation")
class RootMutation(EnterpriseMutation, ProviderMutation, OfferMutation, NeedMutation, MatchingMutation,
                   DealsMutation, CurationMutation):
    """The intake mutations plus match decisions (api/matching), deal steps (api/deals) and staff curation
    (api/curation)."""


class GongxuSchema(strawberry.Schema):
    """Logs only unexpected errors: a refused cursor or a too-deep query is the client's business."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        unexpected = [error for error in errors if not deliberate(error)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def build_schema(production: bool = False, complexity_budget: int = COMPLEXITY_BUDGET) -> strawberry.Schema:
    extensions: list[Any] = [
        MaskUnexpectedErrors,
        cached_documents(DocumentCache()),  # per schema: its validation rules are part of what is cached
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: ComplexityLimiter(budget=complexity_budget),
    ]
    if production:
        extensions.append(DisableIntrospection)
    else:
        extensions.append(CypherRoundTrips)
    # batching_config stays None: HTTP batching is off (a JSON array is refused with 400)
    return GongxuSchema(query=RootQuery, mutation=RootMutation, types=[ServiceProvider, Manufacturer, Match],
                             extensions=extensions, config=StrawberryConfig(batching_config=None))


schema = build_schema()


def sdl() -> str:
    """The schema in SDL, as committed in ``schema.graphql``."""
    return schema.as_str() + "\n"


def export_sdl(path: Path = SDL_PATH) -> bool:
    """Write the SDL; returns whether the file changed."""
    text = sdl()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
