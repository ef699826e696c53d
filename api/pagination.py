"""Relay cursor pagination: page size limits, the one cursor codec, and building connections.

A cursor is base64url of ``[sort, key, id]`` — the sort it belongs to and the position of the row
in it (the directory lists: ``NAME:ASC`` …; match lists: ``match`` with the score as key). Clients
must treat it as opaque; a cursor from another sort order, or a tampered one, is refused with
BAD_USER_INPUT rather than silently restarting the list.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from typing import Any

from strawberry import relay

from api.errors import ApiError
from graph.repositories.paging import PageRequest

MATCH_SORT = "match"  # the sort of score-ranked lists (matches, opportunities): key = score
MAX_PAGE = 100
DEFAULT_PAGE = 20


def check_first(first: int | None, maximum: int = MAX_PAGE) -> int:
    if first is None:
        return DEFAULT_PAGE
    if first < 0 or first > maximum:
        raise ApiError(f"first must be between 0 and {maximum}, got {first}", field="first")
    return first


def _encode_key(key: Any) -> Any:
    return {"date": key.isoformat()} if isinstance(key, date) else key


def _decode_key(key: Any) -> Any:
    return date.fromisoformat(key["date"]) if isinstance(key, dict) and "date" in key else key


def _plain_key(key: Any) -> bool:
    """A sort key Neo4j can compare: text, a finite number within ±2^53, a boolean, null or a date."""
    if key is None or isinstance(key, bool | str):
        return True
    if isinstance(key, int):
        return abs(key) <= 2**53
    if isinstance(key, float):
        return key == key and abs(key) != float("inf")
    return isinstance(key, dict) and set(key) == {"date"} and isinstance(key["date"], str)


def encode_cursor(sort: str, key: Any, row_id: str) -> str:
    raw = json.dumps([sort, _encode_key(key), row_id], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        cursor_sort, key, row_id = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(row_id, str) or not _plain_key(key):
            raise ValueError(row_id)
        key = _decode_key(key)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, KeyError) as exc:
        raise ApiError("after is not a cursor of this list", field="after") from exc
    if cursor_sort != sort:
        if sort == MATCH_SORT or cursor_sort == MATCH_SORT:
            raise ApiError("after is not a cursor of this list", field="after")
        raise ApiError("after is a cursor of another sort order; start again without it", field="after")
    return key, row_id


def page_request(sort_field: str, descending: bool, first: int | None, after: str | None) -> PageRequest:
    """Validated page arguments; one row more than asked is read to know whether a next page exists."""
    size = check_first(first)
    sort = f"{sort_field}:{'DESC' if descending else 'ASC'}"
    after_key, after_id = decode_cursor(after, sort) if after else (None, None)
    return PageRequest(sort=sort_field, descending=descending, limit=size + 1, after_key=after_key,
                       after_id=after_id)


def sort_token(request: PageRequest) -> str:
    return f"{request.sort}:{'DESC' if request.descending else 'ASC'}"


def page_info(cursors: list[str], after: str | None, has_next: bool) -> relay.PageInfo:
    return relay.PageInfo(has_next_page=has_next, has_previous_page=after is not None,
                          start_cursor=cursors[0] if cursors else None, end_cursor=cursors[-1] if cursors else None)


def build_connection(cls: Any, rows: list[Any], request: PageRequest, to_node: Callable[[Any], Any],
                     counter: Callable[[], Awaitable[int]]) -> Any:
    """A connection from ``limit`` rows read for a page of ``limit - 1`` (the extra row says "more").

    ``rows`` are repository rows (mappings with ``id`` and ``sort_key``).
    """
    size = request.limit - 1
    has_next = len(rows) > size
    token = sort_token(request)
    page: list[Mapping[str, Any]] = rows[:size]
    edges = [relay.Edge(cursor=encode_cursor(token, row["sort_key"], row["id"]), node=to_node(row)) for row in page]
    info = relay.PageInfo(has_next_page=has_next, has_previous_page=request.after_id is not None,
                          start_cursor=edges[0].cursor if edges else None,
                          end_cursor=edges[-1].cursor if edges else None)
    return cls(edges=edges, page_info=info, counter=counter)


def score_cursor(score: float, ident: str) -> str:
    """The cursor of a score-ranked list (matches, opportunities)."""
    return encode_cursor(MATCH_SORT, score, ident)


def decode_score_cursor(cursor: str | None) -> tuple[float, str] | None:
    if not cursor:
        return None
    key, ident = decode_cursor(cursor, MATCH_SORT)
    try:
        return float(key), ident
    except (TypeError, ValueError) as exc:
        raise ApiError("after is not a cursor of this list", field="after") from exc
