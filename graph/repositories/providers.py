"""Providers: ``(:Provider:ServiceProvider | :Provider:Manufacturer)`` with region, industries, sharing
modes and held certifications.

The provider directory is public: reads take no viewer. Who may *change* a provider is a query
filter too (:func:`access`): a PROVIDER token whose organisation is the provider.
"""

from __future__ import annotations

from typing import Any, Literal, cast

from graph.db import Database, Tx
from graph.repositories import lookups
from graph.repositories.paging import PageRequest, keyset_clauses
from graph.repositories.rows import HeldCertificationRow, ProviderRow, native, native_rows
from graph.viewer import Viewer

KIND_LABELS = {"MANUFACTURER": "Manufacturer", "SERVICE_PROVIDER": "ServiceProvider"}

# Properties a provider's own profile may set (never id, kind, rating or created_at).
PROFILE_PROPS = ("name", "credit_code", "description", "website", "contact_name", "contact_phone",
                 "contact_email")

SORTS = {
    "NAME": "coalesce(p.name, '')",
    "CREATED": "coalesce(p.created_at.epochMillis, 0)",
    "RATING": "coalesce(toFloat(p.rating), -1.0)",
}

_PROJECTION = """
p {.id, .name, .kind, .credit_code, .description, .website, .contact_name, .contact_phone, .contact_email,
   .rating, .created_at} AS node,
[(p)-[:LOCATED_IN]->(r:Region) | r.code] AS region_codes,
[(p)-[:IN_INDUSTRY]->(i:Industry) | i.code] AS industry_codes,
[(p)-[:SUPPORTS_MODE]->(m:SharingMode) | m.code] AS sharing_mode_codes
"""

# Each filter is off when its parameter is null. Capability and region filters include descendants:
# a statement ABOUT a sub-capability matches its category; a provider in 成都 matches 四川 and 成渝地区.
_FILTERS = """
WHERE ($kind IS NULL OR p.kind = $kind)
  AND ($capability IS NULL
       OR EXISTS { MATCH (p)-[:STATES]->(:CapabilityStatement)-[:ABOUT]->(:Capability)
                         -[:CHILD_OF*0..3]->(:Capability {code: $capability}) }
       OR EXISTS { MATCH (p)-[:OFFERS]->(o:CapacityOffer)-[:OF_PROCESS]->(:Capability)
                         -[:CHILD_OF*0..3]->(:Capability {code: $capability}) WHERE o.status = 'PUBLISHED' })
  AND ($region IS NULL
       OR EXISTS { MATCH (p)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region {code: $region}) })
  AND ($certification IS NULL
       OR EXISTS { MATCH (p)-[h:HOLDS]->(:Certification {code: $certification}) WHERE h.status = 'ACTIVE' })
  AND ($industry IS NULL OR EXISTS { MATCH (p)-[:IN_INDUSTRY]->(:Industry {code: $industry}) })
  AND ($text IS NULL
       OR toLower(coalesce(p.name, '')) CONTAINS $text
       OR toLower(coalesce(p.description, '')) CONTAINS $text
       OR EXISTS { MATCH (p)-[:STATES]->(s:CapabilityStatement) WHERE toLower(s.text) CONTAINS $text })
"""

FILTER_KEYS = ("kind", "capability", "region", "certification", "industry", "text")


def _filter_params(filters: dict[str, Any]) -> dict[str, Any]:
    params = {key: filters.get(key) for key in FILTER_KEYS}
    if params["text"]:
        params["text"] = params["text"].lower()
    return params


def _flatten(row: dict[str, Any]) -> ProviderRow:
    flat = {**row["node"], "region_codes": row["region_codes"], "industry_codes": row["industry_codes"],
            "sharing_mode_codes": row["sharing_mode_codes"]}
    if "sort_key" in row:
        flat["sort_key"] = row["sort_key"]
    return cast(ProviderRow, native(flat))


# --------------------------------------------------------------------------------------------- reads


async def page(db: Database, filters: dict[str, Any], request: PageRequest) -> list[ProviderRow]:
    """One page of providers matching ``filters`` (see FILTER_KEYS), in the requested order."""
    after, order = keyset_clauses("p", SORTS[request.sort], request)
    rows = await db.read(
        f"MATCH (p:Provider) {_FILTERS} {after} WITH p, sort_key {order} RETURN {_PROJECTION}, sort_key",
        **_filter_params(filters), **request.params())
    return [_flatten(row) for row in rows]


async def count(db: Database, filters: dict[str, Any]) -> int:
    rows = await db.read(f"MATCH (p:Provider) {_FILTERS} RETURN count(p) AS n", **_filter_params(filters))
    return rows[0]["n"]


async def by_ids(db: Database, ids: list[str]) -> list[ProviderRow]:
    rows = await db.read(f"MATCH (p:Provider) WHERE p.id IN $ids RETURN {_PROJECTION}", ids=list(ids))
    return [_flatten(row) for row in rows]


async def certifications(db: Database, provider_ids: list[str]) -> list[HeldCertificationRow]:
    """Held certifications: rows ``{provider_id, code, status, valid_until, node}`` (node: the certification)."""
    rows = await db.read(
        "MATCH (p:Provider)-[h:HOLDS]->(c:Certification) WHERE p.id IN $ids "
        "RETURN p.id AS provider_id, c.code AS code, h.status AS status, h.valid_until AS valid_until, "
        f"{lookups.node_map('Certification', 'c')} AS node ORDER BY c.code",
        ids=list(provider_ids))
    return cast(list[HeldCertificationRow], native_rows(rows))


async def kind_of(tx: Tx, provider_id: str) -> str | None:
    row = await tx.one("MATCH (p:Provider {id: $id}) RETURN p.kind AS kind", id=provider_id)
    return row["kind"] if row else None


Access = Literal["OWN", "READ"]


async def access(tx: Tx, provider_id: str, viewer: Viewer) -> Access | None:
    """OWN: the viewer may change the provider; READ: it exists (the directory is public); None: no such."""
    row = await tx.one(
        "MATCH (p:Provider {id: $id}) "
        "RETURN $viewer_role = 'PROVIDER' AND p.id = $viewer_org AS own",
        id=provider_id, **viewer.params())
    if row is None:
        return None
    return "OWN" if row["own"] else "READ"


async def id_by_credit_code(tx: Tx, credit_code: str) -> str | None:
    row = await tx.one("MATCH (p:Provider {credit_code: $credit_code}) RETURN p.id AS id LIMIT 1",
                       credit_code=credit_code)
    return row["id"] if row else None


# -------------------------------------------------------------------------------------------- writes


async def create(tx: Tx, row: dict[str, Any]) -> None:
    """Create a provider (``row``: id, kind, PROFILE_PROPS) with ``created_at`` now; links separately."""
    label = KIND_LABELS[row["kind"]]
    await tx.rows(
        f"CREATE (p:Provider:{label} {{id: $id, kind: $kind, created_at: datetime()}}) SET p += $props",
        id=row["id"], kind=row["kind"], props={key: row.get(key) for key in PROFILE_PROPS})


async def update(tx: Tx, provider_id: str, props: dict[str, Any]) -> bool:
    """Set profile properties (only PROFILE_PROPS; None removes one). False when there is no such provider."""
    props = {key: value for key, value in props.items() if key in PROFILE_PROPS}
    row = await tx.one("MATCH (p:Provider {id: $id}) SET p += $props, p.updated_at = datetime() "
                       "RETURN p.id AS id", id=provider_id, props=props)
    return row is not None


_LINKS = {
    # name -> (relationship type, target label)
    "region_codes": ("LOCATED_IN", "Region"),
    "industry_codes": ("IN_INDUSTRY", "Industry"),
    "sharing_mode_codes": ("SUPPORTS_MODE", "SharingMode"),
}


async def replace_links(tx: Tx, provider_id: str, name: str, codes: list[str]) -> None:
    """Replace the provider's region / industry / sharing-mode links with ``codes``."""
    rel, target = _LINKS[name]
    await tx.rows(
        f"MATCH (p:Provider {{id: $id}}) "
        f"CALL (p) {{ MATCH (p)-[old:{rel}]->(:{target}) DELETE old }} "
        f"WITH p UNWIND $codes AS code MATCH (t:{target} {{code: code}}) MERGE (p)-[:{rel}]->(t)",
        id=provider_id, codes=list(codes))


async def replace_certifications(tx: Tx, provider_id: str, held: list[dict[str, Any]]) -> None:
    """Replace HOLDS links; each item ``{code, status, valid_until (date|None)}``."""
    await tx.rows(
        "MATCH (p:Provider {id: $id}) "
        "CALL (p) { MATCH (p)-[old:HOLDS]->(:Certification) DELETE old } "
        "WITH p UNWIND $held AS h MATCH (c:Certification {code: h.code}) "
        "MERGE (p)-[r:HOLDS]->(c) SET r.status = h.status, r.valid_until = h.valid_until",
        id=provider_id, held=list(held))
