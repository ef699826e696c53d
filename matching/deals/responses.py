"""A provider's response to a need it matches: interested (with a quote) or declined.

Rules:

* only a provider answers, for itself; the need must be OPEN and one the provider matches — it
  passes the need's hard constraints (kind, certifications, region, capacity), or a stored match
  names the provider. Any other need is NOT_FOUND: a need is private to its enterprise, and a
  provider learns of it only through its matches and opportunities;
* one response per (provider, need); answering again revises it (``revision`` counts) until the
  enterprise has decided on the provider's match — then it is INVALID_STATE;
* a quote may name one of the provider's published offers (``offerId``);
* a decline is evidence like a rejection (matching lowers the provider for that enterprise).

The response carries nothing of the enterprise: contact details stay hidden until acceptance.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.db import Database, Tx
from graph.repositories import constraints as constraints_repo
from graph.repositories import deals as repo
from graph.viewer import Viewer
from matching.engine import MatchingError, NotFound
from matching.validation import ErrorCode

INTERESTS = ("INTERESTED", "DECLINED")
MAX_MESSAGE_CHARS = 2000
MAX_PRICE = 1e12
MAX_LEAD_TIME_DAYS = 3650
CURRENCY = re.compile(r"^[A-Z]{3}$")
DEFAULT_CURRENCY = "CNY"


@dataclass(frozen=True)
class ResponseResult:
    id: str
    need_id: str
    provider_id: str
    interest: str
    revision: int
    match_id: str | None


def check_response(data: dict[str, Any], today: date) -> dict[str, Any]:
    """The response's fields, cleaned; raises on the first bad one (pure: no I/O)."""
    interest = data.get("interest")
    if interest not in INTERESTS:
        raise MatchingError(f"interest is one of {', '.join(INTERESTS)}", "interest", code=ErrorCode.INVALID)
    price = data.get("price")
    if price is not None:
        price = float(price)
        if price < 0:
            raise MatchingError("the price cannot be negative", "price", code=ErrorCode.NEGATIVE)
        if price > MAX_PRICE:
            raise MatchingError("the price is not plausible", "price", code=ErrorCode.INVALID)
    currency = (data.get("currency") or "").strip().upper() or (DEFAULT_CURRENCY if price is not None else None)
    if currency is not None and not CURRENCY.match(currency):
        raise MatchingError("currency is a three-letter ISO 4217 code, e.g. CNY", "currency", code=ErrorCode.INVALID)
    lead = data.get("lead_time_days")
    if lead is not None and not 0 <= int(lead) <= MAX_LEAD_TIME_DAYS:
        raise MatchingError(f"the lead time is between 0 and {MAX_LEAD_TIME_DAYS}", "lead_time_days",
                            code=ErrorCode.NEGATIVE if int(lead) < 0 else "INVALID")
    valid_until = data.get("valid_until")
    if valid_until is not None and valid_until < today:
        raise MatchingError("the quote's validity ends in the past", "valid_until", code=ErrorCode.DEADLINE_IN_PAST)
    message = (data.get("message") or "").strip() or None
    if message is not None and len(message) > MAX_MESSAGE_CHARS:
        raise MatchingError(f"the message is longer than {MAX_MESSAGE_CHARS} characters", "message",
                            code=ErrorCode.TOO_LONG)
    return {"interest": interest, "price": price, "currency": currency,
            "lead_time_days": None if lead is None else int(lead), "valid_until": valid_until, "message": message}


async def respond(db: Database, viewer: Viewer, need_id: str, data: dict[str, Any], *, today: date) -> ResponseResult:
    """Record (or revise) the viewer's response to a need. ``data``: interest, price, currency,
    lead_time_days, valid_until, message, offer_id."""
    if not viewer.is_provider():
        raise MatchingError("responses are given by a provider, for itself", None, code=ErrorCode.FORBIDDEN)
    provider_id = viewer.org_id or ""
    props = check_response(data, today)
    offer_id = data.get("offer_id")
    # the hard constraints are read before the transaction (one read; the need is re-checked under its lock)
    passes = await constraints_repo.pair_features(db, [{"need_id": need_id, "provider_id": provider_id}], today)

    async def work(tx: Tx) -> ResponseResult:
        await repo.lock_need(tx, need_id)
        context = await repo.response_context(tx, need_id, provider_id, offer_id)
        if context is None or not (passes or context["match_id"]):
            raise NotFound(f"need {need_id} does not exist", "need_id")
        if context["need_status"] != "OPEN":
            raise MatchingError(f"need {need_id} is {context['need_status']}", "need_id", code=ErrorCode.INVALID_STATE)
        if context["match_status"] not in (None, "PROPOSED"):
            raise MatchingError(f"the enterprise has already decided on this match ({context['match_status']})",
                                "need_id", code=ErrorCode.INVALID_STATE)
        if offer_id is not None and (context["offer_id"] is None or context["offer_status"] != "PUBLISHED"):
            raise NotFound(f"no published offer {offer_id} of this provider", "offer_id")
        row = await repo.upsert_response(tx, f"rsp_{uuid.uuid4().hex[:20]}", provider_id, need_id, props, offer_id)
        return ResponseResult(row["id"], need_id, provider_id, props["interest"], row["revision"],
                              context["match_id"])

    return await db.write_tx(work)
