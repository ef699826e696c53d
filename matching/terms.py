"""Reference-data terms as people type them → codes: a code as it is, else a name or an alias.

Used by the writes (``matching.intake``: an unknown term is refused and listed in ``unresolved``)
and by the list filters (``api``: an unknown term is a BAD_USER_INPUT error). Reads only.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.db import Database
from graph.repositories import lookups
from matching.linking import TaxonomyLinker

# label -> the linker's resolver for names and aliases of that label
_RESOLVERS = {
    "Region": "resolve_region",
    "Certification": "resolve_certification",
    "Material": "resolve_material",
    "Industry": "resolve_industry",
}

LABEL_WORDS = {"Capability": "capability", "Region": "region", "Certification": "certification",
               "Material": "material", "Industry": "industry", "SharingMode": "sharing mode"}


@dataclass(frozen=True)
class Term:
    """A reference-data term as typed, and the input field it came from."""

    label: str  # Region, Certification, Material, Industry, SharingMode
    field: str
    text: str


async def resolve_terms(db: Database, linker: TaxonomyLinker, terms: list[Term]) -> tuple[dict[str, str], list[Term]]:
    """``field -> code`` for the terms that name something, and the terms that name nothing.

    Two round trips at most, whatever the number of terms: one for codes, one for sharing-mode names.
    """
    if not terms:
        return {}, []
    known = await lookups.known_codes(db, [(t.label, t.text.strip()) for t in terms])
    sharing_names = [t.text for t in terms if t.label == "SharingMode"]
    sharing = await lookups.codes_by_name(db, "SharingMode", sharing_names) if sharing_names else {}
    found: dict[str, str] = {}
    unknown: list[Term] = []
    for term in terms:
        text = term.text.strip()
        code: str | None = text if (term.label, text) in known else None
        if code is None and term.label == "SharingMode":
            code = sharing.get(term.text)
        if code is None and term.label in _RESOLVERS:
            code = getattr(linker, _RESOLVERS[term.label])(text).code
        if code is None:
            unknown.append(term)
        else:
            found[term.field] = code
    return found, unknown


async def resolve_term(db: Database, linker: TaxonomyLinker, label: str, text: str) -> str | None:
    """One code for a term as typed (a code, a name or an alias), or None; for filters."""
    text = text.strip()
    if not text:
        return None
    if await lookups.known_codes(db, [(label, text)]):
        return text
    if label == "Capability":
        return linker.capability_aliases.resolve(text)
    if label == "SharingMode":
        return (await lookups.codes_by_name(db, label, [text])).get(text)
    return getattr(linker, _RESOLVERS[label])(text).code


async def unknown_capability_codes(db: Database, fields_codes: list[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    """``(field.index, code)`` of every given capability code that is not in the taxonomy."""
    wanted = [("Capability", code) for _field, codes in fields_codes for code in codes]
    if not wanted:
        return []
    known = await lookups.known_codes(db, wanted)
    return [(f"{field}.{index}", code) for field, codes in fields_codes for index, code in enumerate(codes)
            if ("Capability", code) not in known]
