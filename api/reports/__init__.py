"""Staff reports in GraphQL: ``ReportsQuery`` (mixed into the root Query) and its types."""

from api.reports.queries import ReportsQuery

__all__ = ["ReportsQuery"]
