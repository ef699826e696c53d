"""Root query fields of needs: staff see all, an enterprise its own, others none."""

from __future__ import annotations

import strawberry

from api.enums import SortDirection
from api.filters import filter_term, filter_text
from api.needs.inputs import NeedFilter, NeedSort
from api.needs.types import NeedConnection, need_connection
from api.pagination import page_request


@strawberry.type
class NeedQuery:
    @strawberry.field(description="Needs: staff see all, an enterprise its own, others none.")
    async def needs(self, info: strawberry.Info, first: int | None = 20, after: str | None = None,
                    filter: NeedFilter | None = None, sort: NeedSort | None = None) -> NeedConnection:
        sort = sort or NeedSort()
        request = page_request(sort.field.value, sort.direction == SortDirection.DESC, first, after)
        filter = filter or NeedFilter()
        filters = {
            "kind": filter.kind.value if filter.kind else None,
            "status": filter.status.value if filter.status else None,
            "capability": await filter_term(info, "Capability", filter.capability, "filter.capability"),
            "region": await filter_term(info, "Region", filter.region, "filter.region"),
            "certification": await filter_term(info, "Certification", filter.certification, "filter.certification"),
            "text": filter_text(filter.text),
        }
        return await need_connection(info, filters, request)
