"""What every subject does with what people typed: terms to codes, free text to taxonomy links.

What named nothing is listed in the step's ``unresolved``. A certification, industry or material that
names nothing known is *accepted*: it is kept as an unverified term (:class:`Unverified`, written with
:func:`write_unverified` beside the object) until the taxonomy learns it. A region, sharing mode or unit
that names nothing cannot be applied, so it is refused: such refusals are collected into ``errors`` (so one
reply names every bad field), a region's with the nearest known names, and raised with :func:`refuse_if`.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from graph.db import Tx
from graph.repositories import unverified_terms
from graph.repositories.rows import LinkRow
from matching.aliases import normalise
from matching.intake.runner import Step
from matching.linking import Link
from matching.materials import link_materials
from matching.terms import LABEL_WORDS, Term, resolve_terms, unknown_capability_codes
from matching.validation import ErrorCode, UserError
from matching.vocabulary import UNITS

# labels whose unknown terms are kept (as unverified terms of this kind) instead of refused
UNVERIFIED_KINDS = {"Certification": "CERTIFICATION", "Industry": "INDUSTRY", "Material": "MATERIAL"}


@dataclass(frozen=True)
class Unverified:
    """A typed term that names nothing known yet, to be stored as an unverified term of its object."""

    kind: str  # CERTIFICATION | INDUSTRY | MATERIAL
    field: str  # the input path it came from, e.g. certifications.1.certification
    text: str
    props: dict[str, Any] = dataclass_field(default_factory=dict)  # e.g. a held certificate's status, valid_until


async def resolve(step: Step, terms: list[Term], errors: list[UserError],
                  unverified: list[Unverified] | None = None) -> dict[str, str]:
    """field -> code for each term. A term naming nothing is listed in ``unresolved``; it is kept in
    ``unverified`` when its label allows (and a list is given), else refused with an UNRESOLVED error."""
    found, unknown = await resolve_terms(step.db, step.linker, terms)
    for term in unknown:
        step.unresolved.append(term.text)
        if unverified is not None and term.label in UNVERIFIED_KINDS:
            unverified.append(Unverified(UNVERIFIED_KINDS[term.label], term.field, term.text.strip()))
            continue
        message = f"{term.text!r} names no known {LABEL_WORDS[term.label]}"
        if term.label == "Region":
            near = step.linker.nearest("Region", term.text)
            message += f"; did you mean {', '.join(near)}?" if near else "; see the regions query"
        errors.append(UserError(ErrorCode.UNRESOLVED, term.field, message))
    return found


async def write_unverified(tx: Tx, label: str, object_id: str, items: list[Unverified],
                           replace: tuple[str, ...] = ()) -> None:
    """Store ``items`` as unverified terms the object mentions; first drop its mentions of the
    ``replace`` kinds (a list input given again replaces what was stored)."""
    for kind in replace:
        await unverified_terms.forget(tx, label, object_id, kind)
    for item in items:
        await unverified_terms.mention(tx, label, object_id, item.kind, item.text, normalise(item.text) or item.text,
                                       item.field, item.props)


async def materials(step: Step, data: dict[str, Any], unverified: list[Unverified]) -> list[dict[str, Any]]:
    """Material links ``[{code, confidence, method, text}]`` of ``material`` (one string, may list several)
    and ``materials`` (a list); the parts naming nothing known are kept as unverified terms."""
    texts = ([data["material"]] if data.get("material") else []) + list(data.get("materials") or [])
    found = await link_materials(step.linker, [t for t in texts if t and t.strip()])
    for part in found.unknown:
        step.unresolved.append(part)
        unverified.append(Unverified("MATERIAL", "materials", part))
    return [{"code": link.code, "confidence": float(link.confidence), "method": link.method, "text": text}
            for link, text in found.links]


def unit_from_text(step: Step, data: dict[str, Any], errors: list[UserError]) -> dict[str, Any]:
    """``data`` with ``unit`` set from ``unit_text`` (a unit word: 箱, 个, pcs, 吨 …). A word naming no
    unit is refused (a quantity in an unknown unit cannot be compared), naming the known units."""
    text = data.get("unit_text")
    if text is None or not str(text).strip():
        return {key: value for key, value in data.items() if key != "unit_text"}
    rest = {key: value for key, value in data.items() if key != "unit_text"}
    code = step.linker.resolve_unit(text).code
    if code is None or code not in UNITS:
        known = ", ".join(f"{unit} ({step.linker.indexes['Unit'].primary(unit)})" for unit in UNITS)
        errors.append(UserError(ErrorCode.UNRESOLVED, "unit_text", f"{text!r} names no known unit; known: {known}"))
        return data  # still with unit_text: the missing unit is this error, not a second one
    if rest.get("unit") not in (None, code):
        errors.append(UserError(ErrorCode.INVALID, "unit_text",
                                f"{text!r} is {code}, but unit says {rest['unit']}; give one of them"))
        return data
    return {**rest, "unit": code}


async def check_capability_codes(step: Step, fields_codes: list[tuple[str, list[str]]],
                                 errors: list[UserError]) -> None:
    """An UNKNOWN_CODE error for every given capability code that is not in the taxonomy."""
    for field, code in await unknown_capability_codes(step.db, fields_codes):
        errors.append(UserError(ErrorCode.UNKNOWN_CODE, field, f"{code!r} is not a capability code"))


def link(step: Step, vectors: Any, texts: list[str], kind: str | None,
         declared: list[list[str]]) -> list[list[LinkRow]]:
    """Taxonomy links per text from its passage embedding (``vectors``, the ones stored: no second model
    call); text that links to nothing is still stored and listed in ``unresolved``."""
    found = step.linker.link_passages(vectors, texts, kind=kind, declared=declared)
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
