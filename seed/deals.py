"""Sample deals: a small, fixed plan (``seed/data/sample/deals.jsonl``) driven through the real
commands, so the lifecycle, responses, ratings and the staff reports can be shown after ``make run``.

Each row names a sample need and one provider among its matches and says what happens:
a response (interest and quote), steps (ACCEPTED/REJECTED, CONTRACTED, DELIVERED, COMPLETED,
CANCELLED by a side with a reason, or closing the need), and ratings. Everything goes through
``matching.engine`` / ``matching.feedback`` / ``matching.deals`` / ``matching.intake`` exactly as the
API calls them, with tokens ``seed-sample`` as the actor, so the seeded history is marked as such.
Rows whose match or step is refused (e.g. the offer can no longer deliver) are skipped and counted.
Loading again changes nothing: the plan runs only on a graph without seeded deal history.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from graph.db import Database
from graph.repositories import deals as deals_repo
from graph.viewer import Viewer
from matching import engine, feedback
from matching.deals import lifecycle, ratings, responses
from matching.embedding import Embedder
from matching.engine import MatchingError
from matching.freshness import today
from matching.intake import Intake, needs
from matching.linking import TaxonomyLinker

ACTOR = "seed-sample"
log = logging.getLogger(__name__)


def read_plan(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


async def load_deals(db: Database, embedder: Embedder, directory: Path) -> dict[str, int]:
    """Run the plan; returns ``{"deals": applied rows, "deals_skipped": refused rows}``."""
    path = directory / "deals.jsonl"
    if not path.exists() or await deals_repo.seeded(db, ACTOR):
        return {"deals": 0, "deals_skipped": 0}
    intake = Intake(db, embedder, await TaxonomyLinker.build(db, embedder))
    applied = skipped = 0
    for row in read_plan(path):
        try:
            await _apply(db, embedder, intake, row)
            applied += 1
        except (MatchingError, LookupError) as exc:
            log.warning("sample deal %s/%s skipped: %s", row["need_id"], row["provider_id"], exc)
            skipped += 1
    return {"deals": applied, "deals_skipped": skipped}


async def _apply(db: Database, embedder: Embedder, intake: Intake, row: dict[str, Any]) -> None:
    page = await engine.match_need(db, embedder, row["need_id"], first=engine.MATCHES_KEPT)
    match = next((m for m in page.items if m.provider_id == row["provider_id"]), None)
    if match is None:
        raise LookupError(f"{row['provider_id']} is not among the matches of {row['need_id']}")
    need = await engine.load_need(db, match.need_id)
    enterprise = Viewer("ENTERPRISE", need.enterprise_id, ACTOR)
    provider = Viewer("PROVIDER", match.provider_id, ACTOR)
    if "response" in row:
        data = dict(row["response"])
        valid_days = data.pop("valid_days", None)
        data["valid_until"] = today() + timedelta(days=valid_days) if valid_days else None
        data["offer_id"] = match.offer_id if data["interest"] == "INTERESTED" else None
        await responses.respond(db, provider, match.need_id, data, today=today())
    for step in row.get("steps", []):
        if step.get("close_need"):
            outcome = await needs.close_need(intake, enterprise, match.need_id)
            if outcome.errors:
                raise MatchingError(outcome.errors[0].message)
        elif step["to"] == "ACCEPTED":
            await feedback.accept_match(db, match.id, enterprise_id=need.enterprise_id, actor=ACTOR)
        elif step["to"] == "REJECTED":
            await feedback.reject_match(db, match.id, step["note"], enterprise_id=need.enterprise_id, actor=ACTOR)
        else:
            side = provider if step.get("by", lifecycle.STEPS[step["to"]][1]) == "PROVIDER" else enterprise
            await lifecycle.advance(db, side, match.id, step["to"], step.get("note"))
    for side, stars in row.get("ratings", {}).items():
        await ratings.rate(db, enterprise if side == "ENTERPRISE" else provider, match.id, stars)
