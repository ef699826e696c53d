"""Two-sided ratings of a completed deal.

After ``COMPLETED`` the enterprise rates the provider (1–5 for quality, delivery and communication,
with a comment) and the provider rates the enterprise (1–5 for clarity and payment, with a comment).
Each side rates once; a second rating is INVALID_STATE (ratings are records, not opinions to edit).
Staff do not rate. The sample's seeded ``Provider.rating`` is kept apart as prior data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.db import Database, Tx
from graph.repositories import deals as repo
from graph.viewer import Viewer
from matching.deals.lifecycle import COMPLETED
from matching.engine import MatchingError, NotFound
from matching.validation import ErrorCode

PARTS = {"ENTERPRISE": ("quality", "delivery", "communication"), "PROVIDER": ("clarity", "payment")}
MAX_COMMENT_CHARS = 2000


@dataclass(frozen=True)
class RatingResult:
    match_id: str
    by_role: str


def check_rating(side: str, data: dict[str, Any]) -> dict[str, Any]:
    """The side's stars (each 1–5, all required) and comment; raises on the first bad one."""
    clean: dict[str, Any] = {}
    for part in PARTS[side]:
        value = data.get(part)
        if value is None:
            raise MatchingError(f"{part} is required (1–5) when the {side.lower()} rates", part,
                                code=ErrorCode.REQUIRED)
        if int(value) != value or not 1 <= int(value) <= 5:
            raise MatchingError(f"{part} is a whole number from 1 to 5", part, code=ErrorCode.INVALID)
        clean[part] = int(value)
    others = [part for other, parts in PARTS.items() if other != side for part in parts if data.get(part) is not None]
    if others:
        raise MatchingError(f"the {side.lower()} rates {', '.join(PARTS[side])}, not {others[0]}", others[0],
                            code=ErrorCode.INVALID)
    comment = (data.get("comment") or "").strip() or None
    if comment is not None and len(comment) > MAX_COMMENT_CHARS:
        raise MatchingError(f"the comment is longer than {MAX_COMMENT_CHARS} characters", "comment",
                            code=ErrorCode.TOO_LONG)
    clean["comment"] = comment
    return clean


async def rate(db: Database, viewer: Viewer, match_id: str, data: dict[str, Any]) -> RatingResult:
    """Rate the other side of a completed deal the viewer is party to."""
    if viewer.role not in PARTS:
        raise MatchingError("a deal is rated by its enterprise or its provider", None, code=ErrorCode.FORBIDDEN)
    side = viewer.role
    props = check_rating(side, data)

    async def work(tx: Tx) -> RatingResult:
        if await repo.lock_need_of_match(tx, match_id) is None:
            raise NotFound(f"match {match_id} does not exist", "match_id")
        state = await repo.deal_state(tx, match_id)
        party = state is not None and (viewer.is_enterprise(state["enterprise_id"])
                                       or viewer.is_provider(state["provider_id"]))
        if state is None or not party:
            raise NotFound(f"match {match_id} does not exist", "match_id")
        if state["status"] != COMPLETED:
            raise MatchingError(f"match {match_id} is {state['status']}: a deal is rated once COMPLETED",
                                "match_id", code=ErrorCode.INVALID_STATE)
        if side in state["rated_by"] or not await repo.rate(tx, match_id, side, viewer.org_id, props):
            raise MatchingError(f"the {side.lower()} has already rated match {match_id}", "match_id",
                                code=ErrorCode.INVALID_STATE)
        return RatingResult(match_id, side)

    return await db.write_tx(work)
