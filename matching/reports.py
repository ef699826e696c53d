"""Staff reports: the rules behind the figures (periods, stages, jurisdiction, limits).

The figures themselves are aggregated in Cypher (``graph/repositories/reports.py``, one statement
per report); this module checks and resolves the filter, applies the viewer's jurisdiction and turns
rows into typed records that the API, the web page and ``gongxu report`` share.

Regions stay strict: an unknown region name is a :class:`ReportFilterError`, never "everywhere".
A STAFF token scoped to a region (``ApiToken.region``) sees only that region: its scope is ANDed
with whatever region the filter asks for.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from graph.db import Database
from graph.repositories import reports as repo

# Match statuses that count as having reached a stage of the deal lifecycle. Statuses unknown here
# (added later) still appear in the funnel's per-status counts.
ACCEPTED = ["ACCEPTED", "CONTRACTED", "DELIVERED", "COMPLETED"]
CONTRACTED = ["CONTRACTED", "DELIVERED", "COMPLETED"]
COMPLETED = ["COMPLETED"]
STAGES = {"accepted": ACCEPTED, "contracted": CONTRACTED, "completed": COMPLETED}

# National SME classification (国家统计局《统计上大中小微型企业划分办法》), read from Enterprise.size.
SIZE_LABELS = {"LARGE": "大型", "MEDIUM": "中型", "SMALL": "小型", "MICRO": "微型", "UNKNOWN": "未填写"}

MAX_PERIOD_DAYS = 366 * 5
MAX_TERMS = 20
MAX_TERM_LENGTH = 50
MAX_LIMIT = 500
BUCKETS = ("week", "month")
CONSTRAINTS = ("no_capability", "kind", "certification", "region_eliminated", "unit", "window", "moq", "volume")
CONSTRAINT_LABELS = {"no_capability": "无此能力", "kind": "服务商类型", "certification": "资质认证",
                     "region_eliminated": "地域", "unit": "计量单位", "window": "交期窗口", "moq": "起订量",
                     "volume": "产能余量"}


class ReportFilterError(ValueError):
    """A filter that cannot be answered (bad period, unknown region, too many terms)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ReportFilter:
    date_from: date
    date_to: date
    regions: list[str] = field(default_factory=list)  # names, aliases or codes as typed
    industries: list[str] = field(default_factory=list)  # industry codes (e.g. C34)
    bucket: str = "month"

    @classmethod
    def default(cls, today: date | None = None) -> ReportFilter:
        today = today or date.today()
        return cls(date_from=today - timedelta(days=365), date_to=today)


@dataclass
class GapRow:
    key: str
    label: str
    category_code: str
    category: str
    open_needs: int
    needs: int
    matched_needs: int
    providers: int
    offers: int


@dataclass
class UnmatchedNeed:
    need_id: str
    title: str
    kind: str
    posted_at: str
    enterprise: str | None
    region: str | None
    capabilities: list[str]
    listed: int
    feasible: int
    eliminated: dict[str, int]

    @property
    def reasons(self) -> str:
        """The constraints that eliminated someone, largest first, in words (for tables)."""
        parts = sorted(((v, k) for k, v in self.eliminated.items() if v), reverse=True)
        return "；".join(f"{CONSTRAINT_LABELS[k]} {v}" for v, k in parts)


@dataclass
class CoverageRow:
    region_code: str
    region: str
    capability_code: str
    capability: str
    providers: int
    open_needs: int


@dataclass
class FunnelBucket:
    bucket: str
    posted: int
    matched: int
    accepted: int
    contracted: int
    completed: int
    cancelled: int
    rejected: int
    match_statuses: dict[str, int]


@dataclass
class ServedRow:
    dimension: str  # TOTAL | REGION | SIZE
    key: str
    label: str
    enterprises: int


@dataclass
class TopProvider:
    provider_id: str
    name: str
    kind: str | None
    rating: float | None
    region: str | None
    completed: int
    accepted: int
    matches: int


@dataclass
class ResolvedFilter:
    """The filter as the statements take it, plus what it was resolved to (for headings)."""

    params: dict[str, Any]
    region_names: list[str]
    scope_names: list[str]


@dataclass
class ReportBundle:
    """Every report for one filter (the web page, the HTML/CSV/XLSX exports)."""

    filter: ReportFilter
    region_names: list[str]
    scope_names: list[str]
    gap_by_region: list[GapRow]
    gap_by_industry: list[GapRow]
    unmatched_total: int
    unmatched: list[UnmatchedNeed]
    coverage: list[CoverageRow]
    funnel: list[FunnelBucket]
    served: list[ServedRow]
    top_providers: list[TopProvider]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _terms(field_name: str, values: list[str] | None) -> list[str]:
    cleaned = [v.strip() for v in values or [] if v and v.strip()]
    if len(cleaned) > MAX_TERMS or any(len(v) > MAX_TERM_LENGTH for v in cleaned):
        raise ReportFilterError(field_name, f"at most {MAX_TERMS} terms of at most {MAX_TERM_LENGTH} characters")
    return cleaned


def check(flt: ReportFilter) -> None:
    if flt.date_to < flt.date_from:
        raise ReportFilterError("to", "`to` is before `from`")
    if (flt.date_to - flt.date_from).days > MAX_PERIOD_DAYS:
        raise ReportFilterError("to", f"a report covers at most {MAX_PERIOD_DAYS} days")
    if flt.bucket not in BUCKETS:
        raise ReportFilterError("bucket", f"bucket is one of {', '.join(BUCKETS)}")
    _terms("region", flt.regions)
    _terms("industry", flt.industries)


async def resolve_regions(db: Database, terms: list[str], field_name: str = "region") -> list[tuple[str, str]]:
    """(code, name) per term; an unknown term is an error (regions stay strict)."""
    terms = _terms(field_name, terms)
    if not terms:
        return []
    rows = await repo.region_codes(db, terms)
    unknown = [row["term"] for row in rows if row["code"] is None]
    if unknown:
        raise ReportFilterError(field_name, f"unknown region: {', '.join(unknown)}")
    return [(row["code"], row["name"]) for row in rows]


class StaffReports:
    """The reports for one viewer's jurisdiction (``scope``: region code or None for everywhere)."""

    def __init__(self, db: Database, scope: str | None = None):
        self.db = db
        self.scope = scope
        self._resolved: dict[str, ResolvedFilter] = {}

    async def resolve(self, flt: ReportFilter) -> ResolvedFilter:
        """The statements' parameters for ``flt`` (region names looked up once per filter)."""
        key = repr(flt)
        if key not in self._resolved:
            self._resolved[key] = await self._resolve(flt)
        return self._resolved[key]

    async def _resolve(self, flt: ReportFilter) -> ResolvedFilter:
        check(flt)
        regions = await resolve_regions(self.db, flt.regions)
        scope = await resolve_regions(self.db, [self.scope], "scope") if self.scope else []
        params = repo.filter_params(flt.date_from, flt.date_to, [c for c, _ in regions] or None,
                                    [c for c, _ in scope] or None, _terms("industry", flt.industries) or None)
        return ResolvedFilter(params, [n for _, n in regions], [n for _, n in scope])

    async def gap(self, flt: ReportFilter, by: str = "REGION") -> list[GapRow]:
        resolved = await self.resolve(flt)
        return [GapRow(**row) for row in await repo.gap(self.db, resolved.params, by)]

    async def unmatched(self, flt: ReportFilter, limit: int = 50, as_of: date | None = None
                        ) -> tuple[int, list[UnmatchedNeed]]:
        resolved = await self.resolve(flt)
        rows = await repo.unmatched_needs(self.db, resolved.params, as_of or date.today(), _limit(limit))
        total = rows[0]["total"] if rows else 0
        needs = [UnmatchedNeed(need_id=r["need_id"], title=r["title"], kind=r["need_kind"] or "SERVICE",
                               posted_at=r["posted_at"], enterprise=r["enterprise"], region=r["region"],
                               capabilities=r["capabilities"], listed=r["listed"], feasible=r["feasible"],
                               eliminated={k: r[k] for k in CONSTRAINTS})
                 for r in rows if r["need_id"] is not None]
        return total, needs

    async def coverage(self, flt: ReportFilter, min_providers: int = 3, limit: int = 100,
                       categories: list[str] | None = None) -> list[CoverageRow]:
        resolved = await self.resolve(flt)
        if not 1 <= min_providers <= 1000:
            raise ReportFilterError("minProviders", "minProviders is between 1 and 1000")
        rows = await repo.coverage(self.db, resolved.params, min_providers, _limit(limit),
                                   _terms("categories", categories) or None)
        return [CoverageRow(**row) for row in rows]

    async def funnel(self, flt: ReportFilter) -> list[FunnelBucket]:
        resolved = await self.resolve(flt)
        rows = await repo.funnel(self.db, resolved.params, flt.bucket, STAGES)
        return [FunnelBucket(**{**row, "match_statuses": {x["status"]: x["count"] for x in row["match_statuses"]}})
                for row in rows]

    async def served(self, flt: ReportFilter) -> list[ServedRow]:
        resolved = await self.resolve(flt)
        rows = [ServedRow(**row) for row in await repo.enterprises_served(self.db, resolved.params, ACCEPTED)]
        for row in rows:
            if row.dimension == "SIZE":
                row.label = SIZE_LABELS.get(row.key, row.key)
        return rows

    async def top_providers(self, flt: ReportFilter, limit: int = 20) -> list[TopProvider]:
        resolved = await self.resolve(flt)
        rows = await repo.top_providers(self.db, resolved.params, _limit(limit), ACCEPTED, COMPLETED)
        return [TopProvider(**row) for row in rows]

    async def bundle(self, flt: ReportFilter, progress: Any = None) -> ReportBundle:
        """Every report for the filter, one statement each (``progress(step_name)`` after each)."""
        resolved = await self.resolve(flt)
        tick = progress or (lambda _name: None)
        gap_region = await self.gap(flt, "REGION")
        tick("gap by region")
        gap_industry = await self.gap(flt, "INDUSTRY")
        tick("gap by industry")
        total, unmatched = await self.unmatched(flt)
        tick("unmatched needs")
        coverage = await self.coverage(flt)
        tick("coverage")
        funnel = await self.funnel(flt)
        tick("funnel")
        served = await self.served(flt)
        tick("enterprises served")
        top = await self.top_providers(flt)
        tick("top providers")
        return ReportBundle(flt, resolved.region_names, resolved.scope_names, gap_region, gap_industry, total,
                            unmatched, coverage, funnel, served, top)


BUNDLE_STEPS = 7


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ReportFilterError("limit", f"limit is between 1 and {MAX_LIMIT}")
    return limit
