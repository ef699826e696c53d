"""What every subject does with what people typed: terms to codes, free text to taxonomy links.

Refusals are collected into ``errors`` (so one reply names every bad field) and what named nothing
is listed in the step's ``unresolved``; the subject raises them with :func:`refuse_if`.
"""

from __future__ import annotations

from typing import Any

from graph.repositories.rows import LinkRow
from matching.intake.runner import Step
from matching.linking import Link
from matching.terms import LABEL_WORDS, Term, resolve_terms, unknown_capability_codes
from matching.validation import ErrorCode, UserError


async def resolve(step: Step, terms: list[Term], errors: list[UserError]) -> dict[str, str]:
    """field -> code for each term; an UNRESOLVED error and an ``unresolved`` entry for those naming nothing."""
    found, unknown = await resolve_terms(step.db, step.linker, terms)
    for term in unknown:
        step.unresolved.append(term.text)
        errors.append(UserError(ErrorCode.UNRESOLVED, term.field,
                                f"{term.text!r} names no known {LABEL_WORDS[term.label]}"))
    return found


async def check_capability_codes(step: Step, fields_codes: list[tuple[str, list[str]]],
                                 errors: list[UserError]) -> None:
    """An UNKNOWN_CODE error for every given capability code that is not in the taxonomy."""
    for field, code in await unknown_capability_codes(step.db, fields_codes):
        errors.append(UserError(ErrorCode.UNKNOWN_CODE, field, f"{code!r} is not a capability code"))


async def link(step: Step, texts: list[str], kind: str | None, declared: list[list[str]]) -> list[list[LinkRow]]:
    """Taxonomy links per text; text that links to nothing is still stored and listed in ``unresolved``."""
    found = await step.linker.link_capabilities(texts, kind=kind, declared=declared)
    result = []
    for text, links in zip(texts, found, strict=True):
        if not links:
            step.unresolved.append(text)
        result.append([link_row(one) for one in links])
    return result


def link_row(link: Link) -> LinkRow:
    return {"code": link.code, "confidence": float(link.confidence), "method": link.method}


def vector(values: Any) -> list[float]:
    return [float(x) for x in values]


def touched(changed: set[str] | None, *keys: str) -> bool:
    """True when one of ``keys`` is being written: all fields on create (``changed`` None), else the changed ones."""
    return changed is None or any(key in changed for key in keys)


def blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def distinct(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def indexed(codes: dict[str, str], field_name: str, values: list[Any] | None) -> list[str]:
    """The resolved codes of a list input, in input order (fields ``name.0``, ``name.1`` …)."""
    return [codes[f"{field_name}.{i}"] for i in range(len(values or [])) if f"{field_name}.{i}" in codes]
