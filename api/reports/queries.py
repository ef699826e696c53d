"""``staffReports``: the staff reports, STAFF only (anonymous and other roles: FORBIDDEN).

A region-scoped STAFF token (``gongxu token create --role STAFF --region 重庆``) gets its region's
figures only, whatever regions the filter names. Each field runs one Cypher statement.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from strawberry.types import Info

from api.errors import ApiError
from api.reports.types import (
    CoverageCell,
    EnterprisesServed,
    FunnelBucket,
    GapCell,
    GapDimension,
    ReportFilterInput,
    TopProvider,
    UnmatchedNeed,
    UnmatchedNeeds,
)
from matching.reports import ReportFilter, ReportFilterError, StaffReports

FORBIDDEN = "FORBIDDEN"
T = TypeVar("T")


async def _answer(work: Callable[[], Awaitable[T]]) -> T:
    try:
        return await work()
    except ReportFilterError as exc:
        raise ApiError(str(exc), field=exc.field) from exc


@strawberry.type(description="Staff reports for one filter; each field is one aggregate query.")
class StaffReportSet:
    filter: strawberry.Private[ReportFilter]
    reports: strawberry.Private[StaffReports]
    scope: str | None = strawberry.field(description="The token's jurisdiction (region code), null: everywhere.")

    @strawberry.field(description="Supply/demand gap per (province or industry) × capability category.")
    async def gap(self, by: GapDimension = GapDimension.REGION) -> list[GapCell]:
        return [GapCell.of(r) for r in await _answer(lambda: self.reports.gap(self.filter, by.value))]

    @strawberry.field(description="Open needs without a (non-rejected) match, newest first, and why.")
    async def unmatched_needs(self, first: int = 50) -> UnmatchedNeeds:
        total, needs = await _answer(lambda: self.reports.unmatched(self.filter, limit=first))
        return UnmatchedNeeds(total=total, needs=[UnmatchedNeed.of(n) for n in needs])

    @strawberry.field(description="Capabilities with fewer than minProviders listed providers in a province.")
    async def coverage(self, min_providers: int = 3, first: int = 100,
                       categories: list[str] | None = None) -> list[CoverageCell]:
        rows = await _answer(lambda: self.reports.coverage(self.filter, min_providers, first, categories))
        return [CoverageCell.of(r) for r in rows]

    @strawberry.field(description="Needs posted per bucket and how far they got.")
    async def funnel(self) -> list[FunnelBucket]:
        return [FunnelBucket.of(r) for r in await _answer(lambda: self.reports.funnel(self.filter))]

    @strawberry.field
    async def enterprises_served(self) -> EnterprisesServed:
        return EnterprisesServed.of(await _answer(lambda: self.reports.served(self.filter)))

    @strawberry.field(description="Providers by completed matches, then accepted ones, then rating.")
    async def top_providers(self, first: int = 20) -> list[TopProvider]:
        return [TopProvider.of(r) for r in await _answer(lambda: self.reports.top_providers(self.filter, first))]


@strawberry.type
class ReportsQuery:
    @strawberry.field(description="Staff reports (STAFF tokens only).")
    async def staff_reports(self, info: Info, filter: ReportFilterInput) -> StaffReportSet:
        viewer = info.context.viewer
        if not viewer.is_staff:
            raise ApiError("reports are for platform staff (a STAFF token)", code=FORBIDDEN)
        flt = filter.to_rules()
        reports = StaffReports(info.context.db, scope=viewer.region)
        await _answer(lambda: reports.resolve(flt))  # a bad filter fails here, once
        return StaffReportSet(filter=flt, reports=reports, scope=viewer.region)


