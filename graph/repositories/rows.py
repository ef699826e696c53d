"""Turning driver values into plain Python for callers above ``graph/``.

The driver returns ``neo4j.time.Date``/``DateTime``; the layers above work with ``datetime.date`` and
``datetime.datetime``, so repositories pass their rows through :func:`native` before returning them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict

from neo4j.time import Date, DateTime


def native(value: Any) -> Any:
    """``value`` with every Neo4j temporal replaced by its Python equivalent (recursively)."""
    if isinstance(value, DateTime | Date):
        return value.to_native()
    if isinstance(value, dict):
        return {key: native(item) for key, item in value.items()}
    if isinstance(value, list):
        return [native(item) for item in value]
    return value


def native_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [native(row) for row in rows]


# ------------------------------------------------------------------------------ rows that leave graph/
# What the repositories return to the layers above, so a reader of ``api/`` or ``matching/`` sees the
# shape of a row without reading Cypher. ``total=False``: a property never set is simply absent.


class LinkRow(TypedDict):
    """A link from a text (statement, offer, need) to a capability, as written."""

    code: str
    confidence: float
    method: str  # CODE | ALIAS | EMBEDDING


class ReferenceRow(TypedDict, total=False):
    """A reference node (``lookups.by_codes``): code, its label's properties, ``parents`` (codes one level up)."""

    code: str
    name: str
    name_zh: str
    name_en: str | None
    kind: str
    level: Any
    aliases: list[str]
    description: str | None
    pillar: bool
    lat: float | None
    lon: float | None
    family: str | None
    parents: list[str]


class StoredLinkRow(LinkRow, total=False):
    """A link as read back, with the capability node inline (same round trip)."""

    node: ReferenceRow


class ProviderRow(TypedDict, total=False):
    id: str
    name: str
    kind: str  # SERVICE_PROVIDER | MANUFACTURER
    credit_code: str | None
    description: str | None
    website: str | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    rating: float | None
    created_at: datetime | None
    region_codes: list[str]
    industry_codes: list[str]
    sharing_mode_codes: list[str]
    sort_key: Any


class HeldCertificationRow(TypedDict, total=False):
    provider_id: str
    code: str
    status: str | None
    valid_until: date | None
    node: ReferenceRow


class StatementRow(TypedDict, total=False):
    id: str
    provider_id: str
    text: str
    created_at: datetime | None
    links: list[StoredLinkRow]


class MaterialLinkRow(TypedDict):
    """A link of an offer or need to a Material node; ``text``: the part of the input it came from."""

    code: str
    confidence: float
    method: str
    text: str | None


def sorted_material_links(links: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Most confident first (then by code): the first is the object's ``material_code``."""
    return sorted(links or [], key=lambda link: (-float(link["confidence"]), link["code"]))


class OfferRow(TypedDict, total=False):
    id: str
    provider_id: str
    process_text: str
    description: str | None
    monthly_volume: float | None
    unit: str | None
    available_from: date | None
    available_to: date | None
    lead_time_days: int | None
    moq: float | None
    booked_volume: float | None
    status: str
    created_at: datetime | None
    links: list[StoredLinkRow]
    material_links: list[MaterialLinkRow]
    material_code: str | None  # the most confident of material_links


class EnterpriseRow(TypedDict, total=False):
    id: str
    name: str
    credit_code: str | None
    description: str | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    created_at: datetime | None
    region_codes: list[str]
    industry_codes: list[str]
    sort_key: Any


class NeedRow(TypedDict, total=False):
    id: str
    enterprise_id: str
    kind: str  # SERVICE | CAPACITY
    title: str
    description: str | None
    quantity: float | None
    unit: str | None
    deadline: date | None
    budget_min: float | None
    budget_max: float | None
    status: str
    created_at: datetime | None
    updated_at: datetime | None
    links: list[StoredLinkRow]
    certification_codes: list[str]
    region_codes: list[str]
    material_links: list[MaterialLinkRow]
    material_code: str | None  # the most confident of material_links
    sort_key: Any
    own: bool
