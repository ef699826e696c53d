"""The matching engine's GraphQL: ``MatchingQuery`` / ``MatchingMutation`` mixins and the ``Match`` type."""

from api.matching.schema import MatchingMutation, MatchingQuery
from api.matching.types import Match

__all__ = ["Match", "MatchingMutation", "MatchingQuery"]
