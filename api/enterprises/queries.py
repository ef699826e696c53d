"""Root query fields of enterprises: staff see all, an enterprise itself, others none."""

from __future__ import annotations

import strawberry

from api.enterprises.inputs import EnterpriseFilter, EnterpriseSort
from api.enterprises.types import Enterprise, EnterpriseConnection
from api.enums import SortDirection
from api.filters import filter_term, filter_text
from api.pagination import build_connection, page_request
from graph.repositories import enterprises


@strawberry.type
class EnterpriseQuery:
    @strawberry.field(description="Enterprises: staff see all, an enterprise itself, others none.")
    async def enterprises(self, info: strawberry.Info, first: int | None = 20, after: str | None = None,
                          filter: EnterpriseFilter | None = None,
                          sort: EnterpriseSort | None = None) -> EnterpriseConnection:
        sort = sort or EnterpriseSort()
        request = page_request(sort.field.value, sort.direction == SortDirection.DESC, first, after)
        filter = filter or EnterpriseFilter()
        filters = {
            "region": await filter_term(info, "Region", filter.region, "filter.region"),
            "industry": await filter_term(info, "Industry", filter.industry, "filter.industry"),
            "text": filter_text(filter.text),
        }
        context = info.context
        rows = await enterprises.page(context.db, context.viewer, filters, request)
        return build_connection(EnterpriseConnection, rows, request, Enterprise.from_row,
                                lambda: enterprises.count(context.db, context.viewer, filters))
