"""Root query fields of the public provider directory: the filtered list and free-text search.

Two mixins because the root ``Query`` lists ``providers`` before and ``searchProviders`` after the
enterprise and need lists (the committed SDL keeps its field order).
"""

from __future__ import annotations

import strawberry

from api.enums import SortDirection
from api.errors import ApiError
from api.filters import filter_term, filter_text
from api.pagination import build_connection, check_first, page_request
from api.providers.inputs import ProviderFilter, ProviderSort
from api.providers.types import ProviderConnection, ProviderSearchHit, provider_from_row
from graph.repositories import providers
from matching.search import search_providers

MAX_SEARCH = 50
MAX_SEARCH_TEXT = 500


@strawberry.type
class ProviderQuery:
    @strawberry.field(description="The public provider directory, filtered and sorted (at most 100 per page).")
    async def providers(self, info: strawberry.Info, first: int | None = 20, after: str | None = None,
                        filter: ProviderFilter | None = None, sort: ProviderSort | None = None) -> ProviderConnection:
        sort = sort or ProviderSort()
        request = page_request(sort.field.value, sort.direction == SortDirection.DESC, first, after)
        filter = filter or ProviderFilter()
        filters = {
            "capability": await filter_term(info, "Capability", filter.capability, "filter.capability"),
            "region": await filter_term(info, "Region", filter.region, "filter.region"),
            "certification": await filter_term(info, "Certification", filter.certification, "filter.certification"),
            "industry": await filter_term(info, "Industry", filter.industry, "filter.industry"),
            "kind": filter.kind.value if filter.kind else None,
            "text": filter_text(filter.text),
        }
        db = info.context.db
        rows = await providers.page(db, filters, request)
        info.context.loaders.prime_providers(rows)
        return build_connection(ProviderConnection, rows, request, provider_from_row,
                                lambda: providers.count(db, filters))


@strawberry.type
class ProviderSearchQuery:
    @strawberry.field(description="Free-text provider search over capability statements, offers, names and "
                                  "descriptions: embeddings and full-text fused by reciprocal rank.")
    async def search_providers(self, info: strawberry.Info, text: str, first: int = 10) -> list[ProviderSearchHit]:
        first = check_first(first, MAX_SEARCH)
        if not text.strip():
            raise ApiError("text must not be blank", field="text")
        if len(text) > MAX_SEARCH_TEXT:
            raise ApiError(f"text is longer than {MAX_SEARCH_TEXT} characters", field="text")
        context = info.context
        hits = await search_providers(context.db, context.services.embedder, text.strip(), first)
        rows = await context.loaders.provider.load_many([hit.provider_id for hit in hits])
        found = []
        for hit, row in zip(hits, rows, strict=True):
            provider = provider_from_row(row)
            if provider is not None:
                found.append(ProviderSearchHit(provider=provider, score=hit.score, sources=list(hit.sources)))
        return found
