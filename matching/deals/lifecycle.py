"""The deal lifecycle after a match is proposed, and the capacity that follows it.

States (``Match.status``)::

    PROPOSED ──accept──▶ ACCEPTED ──▶ CONTRACTED ──▶ DELIVERED ──▶ COMPLETED
        │ reject             │              │             │
        ▼                    └──────────────┴─────────────┴──▶ CANCELLED (reason, by whom)
    REJECTED           (PROPOSED may be cancelled too)

Who confirms which step (staff may take any, on behalf of either side):

* the enterprise that posted the need: ACCEPTED and REJECTED (``matching.feedback``), CONTRACTED
  and COMPLETED;
* the provider named by the match: DELIVERED;
* either side: CANCELLED, with a reason, at any point before COMPLETED.

Repeating the step the match is already in returns it unchanged (a retried request is harmless).
Every change is kept as a timestamped ``MatchTransition`` (``graph.repositories.deals``).

Capacity: a capacity deal books the need's quantity on the offer when accepted and keeps it while
ACCEPTED or CONTRACTED; the booking stays once DELIVERED/COMPLETED (the capacity was used). It is
released — in the same transaction — when the deal is cancelled, when its need is closed before
delivery (the deal is cancelled by the enterprise, reason "need closed") and when its offer is
withdrawn (cancelled by the provider, reason "offer withdrawn"). So ``offer.booked_volume`` always
equals the sum of the live bookings of the matches that use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from graph.db import Database, Tx
from graph.repositories import deals as repo
from graph.viewer import Viewer
from matching.engine import MatchingError, NotFound
from matching.validation import ErrorCode

PROPOSED, ACCEPTED, REJECTED = "PROPOSED", "ACCEPTED", "REJECTED"
CONTRACTED, DELIVERED, COMPLETED, CANCELLED = "CONTRACTED", "DELIVERED", "COMPLETED", "CANCELLED"
STATUSES = (PROPOSED, ACCEPTED, CONTRACTED, DELIVERED, COMPLETED, CANCELLED, REJECTED)
# Deals still under way: closing the need or withdrawing the offer cancels these.
OPEN_DEALS = (ACCEPTED, CONTRACTED)
# The steps advanceMatch takes: target -> (the states it may come from, the role that confirms it).
STEPS: dict[str, tuple[tuple[str, ...], str | None]] = {
    CONTRACTED: ((ACCEPTED,), "ENTERPRISE"),
    DELIVERED: ((CONTRACTED,), "PROVIDER"),
    COMPLETED: ((DELIVERED,), "ENTERPRISE"),
    CANCELLED: ((PROPOSED, ACCEPTED, CONTRACTED, DELIVERED), None),  # either side
}
MAX_NOTE_CHARS = 500
NEED_CLOSED = "need closed"
OFFER_WITHDRAWN = "offer withdrawn"


class InvalidStep(MatchingError):
    code = ErrorCode.INVALID_STATE


class Forbidden(MatchingError):
    code = ErrorCode.FORBIDDEN


@dataclass(frozen=True)
class Step:
    match_id: str
    need_id: str
    status: str
    previous: str
    released_volume: float = 0.0


def _side(viewer: Viewer, state: dict[str, Any]) -> str | None:
    """Which side of this deal the viewer is on: ENTERPRISE, PROVIDER, STAFF, or None (a stranger)."""
    if viewer.is_staff:
        return "STAFF"
    if viewer.is_enterprise(state["enterprise_id"]):
        return "ENTERPRISE"
    if viewer.is_provider(state["provider_id"]):
        return "PROVIDER"
    return None


def _note(note: str | None, required: bool) -> str | None:
    note = (note or "").strip() or None
    if required and note is None:
        raise InvalidStep("a reason is required to cancel", "note", code=ErrorCode.REQUIRED)
    if note is not None and len(note) > MAX_NOTE_CHARS:
        raise InvalidStep(f"the note is longer than {MAX_NOTE_CHARS} characters", "note", code=ErrorCode.TOO_LONG)
    return note


def _check_target(to: str) -> None:
    if to not in STEPS:
        raise InvalidStep(f"a deal step is one of {', '.join(STEPS)}; a proposed match is accepted or "
                          "rejected by the enterprise that posted the need", "to")


def check_side(side: str, to: str) -> None:
    """Raise unless ``side`` may take the step ``to`` at all (checked before anything else, so a repeat of
    the current status by the wrong side is refused too)."""
    _check_target(to)
    _sources, role = STEPS[to]
    if side == "STAFF":  # staff change data only through the audited curation mutations (docs/API.md)
        raise Forbidden("staff read deals; the enterprise and the provider take their own steps", "to")
    if role is not None and side != role:
        who = "the enterprise that posted the need" if role == "ENTERPRISE" else "the provider"
        raise Forbidden(f"{to} is confirmed by {who}", "to")


def check_step(state: dict[str, Any], side: str, to: str) -> None:
    """Raise unless ``side`` may move the deal from its status to ``to`` (pure: no I/O)."""
    check_side(side, to)
    sources, _role = STEPS[to]
    if state["status"] not in sources:
        raise InvalidStep(f"match {state['match_id']} is {state['status']}: it cannot become {to}", "to")


async def advance(db: Database, viewer: Viewer, match_id: str, to: str, note: str | None = None) -> Step:
    """Take one step of the deal (``to``: CONTRACTED, DELIVERED, COMPLETED or CANCELLED).

    A match the viewer is no party to is NOT_FOUND (its existence is not theirs to know). A refused
    step changes nothing; a cancellation releases the deal's booked capacity in the same transaction.
    """
    _check_target(to)
    note = _note(note, required=to == CANCELLED)

    async def work(tx: Tx) -> Step:
        if await repo.lock_need_of_match(tx, match_id) is None:
            raise NotFound(f"match {match_id} does not exist", "match_id")
        state = await repo.deal_state(tx, match_id)
        side = None if state is None else _side(viewer, state)
        if state is None or side is None:
            raise NotFound(f"match {match_id} does not exist", "match_id")
        check_side(side, to)
        if state["status"] == to:  # a retried step by its own side is harmless
            return Step(match_id, state["need_id"], to, to)
        check_step(state, side, to)
        released = 0.0
        if to == CANCELLED and state["offer_id"] and state["booked_volume"]:
            await repo.lock_offers(tx, [state["offer_id"]])
            released = await repo.release(tx, [match_id])
        await repo.transition(tx, match_id, to, by_role=side, by_org=viewer.org_id, actor=viewer.token_id,
                              note=note)
        return Step(match_id, state["need_id"], to, state["status"], released)

    return await db.write_tx(work)


# ------------------------------------------------------------------ capacity follows the deal


async def cancel_for_closed_need(tx: Tx, viewer: Viewer, need_id: str) -> list[str]:
    """In closeNeed's transaction (after the need's lock): cancel the need's deals under way and
    release their capacity. Delivered and completed deals stay (the capacity was used)."""
    deals = await repo.live_deals_of_need(tx, need_id, list(OPEN_DEALS))
    return await _cancel_all(tx, viewer, deals, "STAFF" if viewer.is_staff else "ENTERPRISE", NEED_CLOSED)


async def cancel_for_withdrawn_offer(tx: Tx, viewer: Viewer, offer_id: str) -> list[str]:
    """In withdrawCapacityOffer's transaction: cancel the deals under way on the offer and release them.

    Lock order need → offer: the needs of those deals are locked first, then the offer, and the
    deals are read again under the locks (one may have been cancelled meanwhile)."""
    first = await repo.live_deals_of_offer(tx, offer_id, list(OPEN_DEALS))
    if not first:
        return []
    locked = {row["need_id"] for row in first}
    await repo.lock_needs(tx, sorted(locked))
    await repo.lock_offers(tx, [offer_id])
    deals = await repo.live_deals_of_offer(tx, offer_id, list(OPEN_DEALS))  # stable now: accepts need the offer
    extra = {row["need_id"] for row in deals} - locked
    if extra:  # accepted between the first read and the offer's lock (rare; a deadlock here is retried)
        await repo.lock_needs(tx, sorted(extra))
        deals = await repo.live_deals_of_offer(tx, offer_id, list(OPEN_DEALS))
    return await _cancel_all(tx, viewer, deals, "STAFF" if viewer.is_staff else "PROVIDER", OFFER_WITHDRAWN)


async def _cancel_all(tx: Tx, viewer: Viewer, deals: list[dict[str, Any]], by_role: str, reason: str) -> list[str]:
    offers = [row["offer_id"] for row in deals if row.get("offer_id")]
    if offers:
        await repo.lock_offers(tx, offers)
    ids = [row["match_id"] for row in deals]
    await repo.release(tx, ids)
    for match_id in ids:
        await repo.transition(tx, match_id, CANCELLED, by_role=by_role, by_org=viewer.org_id,
                              actor=viewer.token_id, note=reason)
    return ids


async def check_need_change(tx: Tx, need_id: str, changes: dict[str, Any], stored: dict[str, Any]) -> None:
    """Refuse changing the quantity, unit or deadline of a need whose capacity is booked.

    The booking was checked against the quantity and deadline (offer_feasibility); changing them
    under it could leave the offer overbooked or the deal undeliverable. Cancel the deal first.
    """
    touched = [key for key in ("quantity", "unit", "deadline")
               if key in changes and changes[key] != stored.get(key)]
    if not touched:
        return
    bookings = await repo.need_bookings(tx, need_id)
    if bookings:
        raise MatchingError(
            f"need {need_id} has booked capacity (match {bookings[0]['match_id']}, "
            f"{bookings[0]['status']}): its {', '.join(touched)} cannot change; cancel the deal first",
            touched[0], code=ErrorCode.CAPACITY_BOOKED)


def capacity_between(monthly_volume: float | None, start: date, end: date | None) -> float | None:
    """What an offer can make from ``start`` to ``end`` (both included); None: unbounded."""
    if end is None:
        return None
    days = (end - start).days + 1
    return max(0, days) * float(monthly_volume or 0) / 30.0


async def check_offer_cut(tx: Tx, offer_id: str, stored: dict[str, Any], merged: dict[str, Any],
                          today: date) -> None:
    """Refuse an offer change that cuts its capacity below what is booked on it.

    ``stored``/``merged``: the offer before/with the requested changes. Bookings are taken earliest
    deadline first; at each one's last production day (``min(available_to, deadline − lead time)``)
    the capacity from today must cover the bookings due by then. A change is refused where it fails
    that and gives less than the stored offer did (time passing alone never blocks an edit).
    """
    await repo.lock_offers(tx, [offer_id])  # bookings change under it
    state = await repo.offer_booking(tx, offer_id)
    if state is None or not state["bookings"]:
        return
    if merged.get("unit") != stored.get("unit"):
        raise MatchingError(f"offer {offer_id} has booked capacity in {stored.get('unit')}: its unit cannot "
                            "change", "unit", code=ErrorCode.CAPACITY_BOOKED)
    due = 0.0
    for booking in sorted(state["bookings"], key=lambda b: (_day(b["deadline"]) or date.max, b["match_id"])):
        due += float(booking["quantity"])
        deadline = _day(booking["deadline"])
        new, last = _capacity_by(merged, deadline, today)
        old, _ = _capacity_by(stored, deadline, today)
        if new is not None and new + 1e-9 < due and (old is None or new < old):
            raise MatchingError(
                f"offer {offer_id} has {due:g} booked by {last.isoformat() if last else 'its end'}; the change "
                f"would leave capacity for {new:g}: cancel deals first", "monthly_volume",
                code=ErrorCode.CAPACITY_BOOKED)


def _capacity_by(offer: dict[str, Any], deadline: date | None, today: date) -> tuple[float | None, date | None]:
    start = max(_day(offer.get("available_from")) or today, today)
    lead = timedelta(days=int(offer.get("lead_time_days") or 0))
    ends = [d for d in (_day(offer.get("available_to")), deadline - lead if deadline else None) if d is not None]
    last = min(ends, default=None)
    return capacity_between(offer.get("monthly_volume"), start, last), last


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    if hasattr(value, "to_native"):
        return value.to_native()
    return date.fromisoformat(str(value)[:10])
