"""Decisions on matches by the enterprise that posted the need: accept (books capacity) or reject.

Rules:

* only the need's enterprise (or staff, ``enterprise_id=None``) decides; the need must be OPEN;
* a PROPOSED match can be accepted or rejected; deciding again the same way returns the match
  unchanged (a retried request is harmless), deciding the other way is an error;
* accepting a CAPACITY match books the need's quantity on the offer, after re-checking — under the
  offer's write lock — that the offer is still published and can still deliver it by the deadline
  (same formula as matching); one accepted match per CAPACITY need;
* every decision bumps the global data version, so later matching sees it as evidence (accepted
  matches in the same capability, prior collaboration, rejections) and the freed/booked capacity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from graph.db import Database, Tx
from graph.repositories import matches as repo
from matching import freshness
from matching.engine import MatchingError, NotFound
from matching.explanation import number
from matching.validation import ErrorCode

MAX_REASON_CHARS = 500


class InvalidDecision(MatchingError):
    code = ErrorCode.INVALID_STATE


class CapacityExhausted(MatchingError):
    code = ErrorCode.CAPACITY_EXHAUSTED


@dataclass(frozen=True)
class Decision:
    match_id: str
    need_id: str
    status: str
    reason: str | None
    booked_volume: float | None = None


async def _decide(db: Database, match_id: str, status: str, reason: str | None, enterprise_id: str | None,
                  actor: str | None, as_of: date) -> Decision:
    async def work(tx: Tx) -> Decision:
        if await repo.lock_need_of_match(tx, match_id) is None:
            raise NotFound(f"match {match_id} does not exist", "match_id")
        state = await repo.decision_state(tx, match_id)
        if state is None:
            raise NotFound(f"match {match_id} does not exist", "match_id")
        if enterprise_id is not None and state["enterprise_id"] != enterprise_id:
            # another enterprise's match: as if it did not exist (its existence is not theirs to know)
            raise NotFound(f"match {match_id} does not exist", "match_id")
        if state["status"] == status:
            return Decision(match_id, state["need_id"], status, state["reason"])
        if state["status"] != "PROPOSED":
            raise InvalidDecision(f"match {match_id} is already {state['status']}", "match_id")
        if state["need_status"] != "OPEN":
            raise InvalidDecision(f"need {state['need_id']} is {state['need_status']}", "match_id")
        booked = None
        if status == "ACCEPTED" and state["kind"] == "CAPACITY":
            booked = await _book(tx, state, match_id, as_of)
        await repo.decide(tx, match_id, status, reason, actor,
                          by_role="STAFF" if enterprise_id is None else "ENTERPRISE", by_org=enterprise_id)
        return Decision(match_id, state["need_id"], status, reason, booked)

    return await db.write_tx(work)


async def _book(tx: Tx, state: dict, match_id: str, as_of: date) -> float | None:
    if state["other_accepted"]:
        raise InvalidDecision(f"need {state['need_id']} already has an accepted capacity match", "match_id")
    if state["offer_id"] is None or state["quantity"] is None:
        return None
    await repo.lock_offer(tx, state["offer_id"])
    check = await repo.recheck_offer(tx, state["need_id"], state["offer_id"], as_of)
    if check is None or check["status"] != "PUBLISHED":
        raise CapacityExhausted(f"offer {state['offer_id']} is no longer published", "match_id")
    if not (check["unit_ok"] and check["moq_ok"] and check["window_ok"] and check["volume_ok"]):
        raise CapacityExhausted(
            f"offer {state['offer_id']} can no longer deliver {number(state['quantity'])} by the deadline: "
            f"{number(check['deliverable'])} deliverable ({number(check['monthly_volume'])}/month × "
            f"{check['days']} days − {number(check['booked'])} booked)", "match_id")
    await repo.book(tx, state["need_id"], match_id)
    return float(state["quantity"])


async def accept_match(db: Database, match_id: str, *, enterprise_id: str | None, actor: str | None = None,
                       as_of: date | None = None) -> Decision:
    """Accept; for a capacity match book the quantity on the offer (never beyond its capacity)."""
    return await _decide(db, match_id, "ACCEPTED", None, enterprise_id, actor, as_of or freshness.today())


async def reject_match(db: Database, match_id: str, reason: str, *, enterprise_id: str | None,
                       actor: str | None = None) -> Decision:
    """Reject with a reason (1–500 characters), kept on the match and used as evidence."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidDecision("a reason is required", "reason", code="REQUIRED")
    if len(reason) > MAX_REASON_CHARS:
        raise InvalidDecision(f"the reason is longer than {MAX_REASON_CHARS} characters", "reason",
                              code="TOO_LONG")
    return await _decide(db, match_id, "REJECTED", reason, enterprise_id, actor, freshness.today())
