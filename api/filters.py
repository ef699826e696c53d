"""List filters as typed: a term (code, name or alias) → its code; free text → bounded and trimmed.

An unknown term is an error (BAD_USER_INPUT), not an empty result. Resolution is read-only
(:func:`matching.terms.resolve_term`).
"""

from __future__ import annotations

import strawberry

from api.errors import ApiError
from matching.terms import LABEL_WORDS, resolve_term
from matching.validation import MAX_TERM


async def filter_term(info: strawberry.Info, label: str, text: str | None, field: str) -> str | None:
    if text is None:
        return None
    if len(text) > MAX_TERM:
        raise ApiError(f"{field} is longer than {MAX_TERM} characters", field=field)
    code = await lookup_term(info, label, text)
    if code is None:
        raise ApiError(f"{text!r} names no known {LABEL_WORDS[label]}", field=field)
    return code


async def lookup_term(info: strawberry.Info, label: str, text: str) -> str | None:
    """The code a term names, or None."""
    services = info.context.services
    return await resolve_term(info.context.db, await services.linker(), label, text)


def filter_text(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    if len(text) > MAX_TERM:
        raise ApiError(f"filter.text is longer than {MAX_TERM} characters", field="filter.text")
    return text.strip()
