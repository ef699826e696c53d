"""The enterprise type: seen only by itself and staff; its needs are a page of ``api.needs``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from api.enums import NeedStatus
from api.pagination import page_request
from api.reference.types import Industry, Region
from graph.repositories.rows import EnterpriseRow

if TYPE_CHECKING:
    from api.needs.types import NeedConnection


@strawberry.type(description="An enterprise that posts needs. Seen only by itself and staff.")
class Enterprise(relay.Node):
    key: relay.NodeID[str]
    name: str
    credit_code: str | None = strawberry.field(description="统一社会信用代码.")
    description: str | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    created_at: datetime | None
    region_codes: strawberry.Private[list[str]]
    industry_codes: strawberry.Private[list[str]]

    @classmethod
    def from_row(cls, row: EnterpriseRow) -> Enterprise:
        return cls(key=row["id"], name=row.get("name") or "", credit_code=row.get("credit_code"),
                   description=row.get("description"), contact_name=row.get("contact_name"),
                   contact_phone=row.get("contact_phone"), contact_email=row.get("contact_email"),
                   created_at=row.get("created_at"), region_codes=list(row.get("region_codes") or []),
                   industry_codes=list(row.get("industry_codes") or []))

    @strawberry.field
    async def region(self, info: strawberry.Info) -> Region | None:
        return await Region.one(info, self.region_codes[0] if self.region_codes else None)

    @strawberry.field
    async def industries(self, info: strawberry.Info) -> list[Industry]:
        return await Industry.many(info, self.industry_codes)

    @strawberry.field(description="The enterprise's needs, newest first (as the viewer may see them).")
    async def needs(self, info: strawberry.Info, first: int | None = 20, after: str | None = None,
                    status: NeedStatus | None = None
                    ) -> Annotated[NeedConnection, strawberry.lazy("api.needs.types")]:
        from api.needs.types import need_connection  # the needs domain builds its own pages

        request = page_request("CREATED", True, first, after)
        filters = {"enterprise": self.key, "status": status.value if status else None}
        return await need_connection(info, filters, request)

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str],
                            required: bool = False) -> list[Enterprise | None]:
        rows = await info.context.loaders.enterprise.load_many(list(node_ids))
        return [cls.from_row(row) if row else None for row in rows]


@strawberry.type(name="EnterpriseConnection", description="A page of enterprises.")
class EnterpriseConnection(relay.Connection[Enterprise]):
    counter: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many enterprises match the filter, over all pages.")
    async def total_count(self) -> int:
        return await self.counter()
