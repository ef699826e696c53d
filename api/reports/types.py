"""GraphQL types of the staff reports (figures from ``matching.reports``)."""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry

from matching import reports as rules


@strawberry.enum(description="Time buckets of the funnel.")
class ReportBucket(Enum):
    WEEK = "week"
    MONTH = "month"


@strawberry.enum(description="What the supply/demand gap is grouped by besides the capability category.")
class GapDimension(Enum):
    REGION = "REGION"
    INDUSTRY = "INDUSTRY"


@strawberry.input(description="The period (both days included; a need counts in the period it was posted in), "
                              "regions (names, aliases or codes; a group such as 成渝地区 covers its members) and "
                              "industries (codes such as C34) of a report.")
class ReportFilterInput:
    from_: date = strawberry.field(name="from")
    to: date
    regions: list[str] | None = None
    industries: list[str] | None = None
    bucket: ReportBucket = ReportBucket.MONTH

    def to_rules(self) -> rules.ReportFilter:
        return rules.ReportFilter(date_from=self.from_, date_to=self.to, regions=list(self.regions or []),
                                  industries=list(self.industries or []), bucket=self.bucket.value)


@strawberry.type(description="Demand against supply in one (region or industry) × top-level capability category.")
class GapCell:
    key: str = strawberry.field(description="Province code or industry code.")
    label: str
    category_code: str
    category: str
    needs: int = strawberry.field(description="Needs posted in the period.")
    open_needs: int
    matched_needs: int = strawberry.field(description="Needs with at least one feasible (stored) match.")
    providers: int = strawberry.field(description="Listed providers able to serve the category.")
    offers: int = strawberry.field(description="Published capacity offers in the category.")

    @classmethod
    def of(cls, row: rules.GapRow) -> GapCell:
        return cls(**vars(row))


@strawberry.type(description="How many listed providers each hard constraint eliminated for one need. "
                             "noCapability counts all listed providers without the capability; the others are "
                             "counted among the capable ones, each constraint on its own.")
class Eliminations:
    no_capability: int
    kind: int
    certification: int
    region: int
    unit: int
    window: int
    moq: int
    volume: int


@strawberry.type
class UnmatchedNeed:
    need_id: str
    title: str
    kind: str
    posted_at: str
    enterprise: str | None
    region: str | None
    capabilities: list[str]
    listed_providers: int
    feasible_providers: int = strawberry.field(description="Capable providers passing every hard constraint.")
    eliminated: Eliminations
    reasons: str = strawberry.field(description="The eliminating constraints in words, largest first.")

    @classmethod
    def of(cls, need: rules.UnmatchedNeed) -> UnmatchedNeed:
        e = dict(need.eliminated)
        e["region"] = e.pop("region_eliminated")
        return cls(need_id=need.need_id, title=need.title, kind=need.kind, posted_at=need.posted_at,
                   enterprise=need.enterprise, region=need.region, capabilities=need.capabilities,
                   listed_providers=need.listed, feasible_providers=need.feasible, eliminated=Eliminations(**e),
                   reasons=need.reasons)


@strawberry.type
class UnmatchedNeeds:
    total: int
    needs: list[UnmatchedNeed]


@strawberry.type
class CoverageCell:
    region_code: str
    region: str
    capability_code: str
    capability: str
    providers: int
    open_needs: int

    @classmethod
    def of(cls, row: rules.CoverageRow) -> CoverageCell:
        return cls(**vars(row))


@strawberry.type
class StatusCount:
    status: str
    count: int


@strawberry.type(description="Needs posted in one bucket and how far they got (a need counts once per stage).")
class FunnelBucket:
    bucket: date
    posted: int
    matched: int
    accepted: int
    contracted: int
    completed: int
    cancelled: int
    rejected: int = strawberry.field(description="Needs whose every match was rejected.")
    match_statuses: list[StatusCount]

    @classmethod
    def of(cls, row: rules.FunnelBucket) -> FunnelBucket:
        fields = {k: v for k, v in vars(row).items() if k not in ("bucket", "match_statuses")}
        return cls(bucket=date.fromisoformat(row.bucket), **fields,
                   match_statuses=[StatusCount(status=k, count=v) for k, v in sorted(row.match_statuses.items())])


@strawberry.type
class ServedGroup:
    key: str
    label: str
    enterprises: int


@strawberry.type(description="Distinct enterprises with an accepted (or later-stage) match on a need of the period.")
class EnterprisesServed:
    total: int
    by_region: list[ServedGroup]
    by_size: list[ServedGroup]

    @classmethod
    def of(cls, rows: list[rules.ServedRow]) -> EnterprisesServed:
        def group(dimension: str) -> list[ServedGroup]:
            return [ServedGroup(key=r.key, label=r.label, enterprises=r.enterprises)
                    for r in rows if r.dimension == dimension]

        return cls(total=sum(r.enterprises for r in rows if r.dimension == "TOTAL"), by_region=group("REGION"),
                   by_size=group("SIZE"))


@strawberry.type
class TopProvider:
    provider_id: str
    name: str
    kind: str | None
    rating: float | None
    region: str | None
    completed: int
    accepted: int
    matches: int

    @classmethod
    def of(cls, row: rules.TopProvider) -> TopProvider:
        return cls(**vars(row))
