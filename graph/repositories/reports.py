"""Cypher of the staff reports: one aggregate statement per report, nothing loaded node by node.

Every statement takes the same filter parameters (see :func:`filter_params`):

* ``$from`` / ``$to`` — ISO dates, both included; a need belongs to the period it was *posted* in
  (``Need.created_at``), and every figure about matches is about the matches of those needs;
* ``$regions`` — region codes or null; a need is in the region of its enterprise, a provider in its
  own, and a region contains every region ``PART_OF`` it (so a group such as 成渝地区 works);
* ``$scope`` — the staff token's jurisdiction (region codes or null), applied like ``$regions``;
* ``$industries`` — industry codes or null, on the posting enterprise (demand side only).

Properties written by later features are read with defaults so the statements work before and after
them: a provider without ``listing_status`` counts as LISTED, an enterprise without ``size`` as
UNKNOWN, and match statuses are counted by name (a new lifecycle status appears on its own).

The hard constraints used in the unmatched-needs report are the matcher's own: the provider-kind,
certification and region predicates ``KIND_OK``, ``CERTS_OK`` and ``REGION_OK`` that
``graph.repositories.constraints.PAIR_CONSTRAINTS`` is joined from, and ``offer_feasibility`` itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.db import Database
from graph.repositories.constraints import CERTS_OK, KIND_OK, REGION_OK, offer_feasibility

# ------------------------------------------------------------------------------------- fragments


def in_area(var: str, param: str) -> str:
    """``var`` (an Enterprise or Provider) is located in one of the regions ``$param`` (null: anywhere)."""
    return (f"(${param} IS NULL OR EXISTS {{ MATCH ({var})-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(ar:Region) "
            f"WHERE ar.code IN ${param} }})")


POSTED_IN_PERIOD = "n.created_at >= datetime($from) AND n.created_at < datetime($to) + duration({days: 1})"
DEMAND_FILTER = (f"{POSTED_IN_PERIOD} AND {in_area('e', 'regions')} AND {in_area('e', 'scope')} "
                 "AND ($industries IS NULL OR EXISTS { MATCH (e)-[:IN_INDUSTRY]->(fi:Industry) "
                 "WHERE fi.code IN $industries })")
LISTED = "coalesce(p.listing_status, 'LISTED') = 'LISTED'"  # no listing status yet: listed
SUPPLY_FILTER = f"{LISTED} AND {in_area('p', 'regions')} AND {in_area('p', 'scope')}"
# the province a located node belongs to (cities are PART_OF their province)
PROVINCE = "(:Region)-[:PART_OF*0..2]->(pr:Region {level: 'PROVINCE'})"
# top-level capability categories (no parent)
CATEGORY = "(:Capability)-[:CHILD_OF*0..3]->(cat:Capability) WHERE NOT EXISTS { (cat)-[:CHILD_OF]->() }"
PUBLISHED = "coalesce(x.status, 'PUBLISHED') = 'PUBLISHED'"

# ------------------------------------------------------------------------------------------- gap

_GAP_DEMAND_KEY = {
    "REGION": f"MATCH (e)-[:LOCATED_IN]->{PROVINCE} WITH n, cat, pr.code AS key, pr.name_zh AS label",
    "INDUSTRY": "MATCH (e)-[:IN_INDUSTRY]->(ind:Industry) WITH n, cat, ind.code AS key, ind.name_zh AS label",
}
_GAP_SUPPLY = {
    # supply of a region: the providers located there
    "REGION": f"""MATCH (p)-[:LOCATED_IN]->{PROVINCE}
  RETURN pr.code AS key, pr.name_zh AS label, cat, 0 AS open_needs, 0 AS needs, 0 AS matched_needs,
         count(DISTINCT p) AS providers, count(DISTINCT CASE WHEN x:CapacityOffer THEN x END) AS offers""",
    # supply for an industry: every listed provider in the area (providers have no industry), counted
    # once per category and then repeated for each industry with enterprises
    "INDUSTRY": """WITH cat, count(DISTINCT p) AS providers,
       count(DISTINCT CASE WHEN x:CapacityOffer THEN x END) AS offers
  MATCH (ind:Industry) WHERE EXISTS { (:Enterprise)-[:IN_INDUSTRY]->(ind) }
  RETURN ind.code AS key, ind.name_zh AS label, cat, 0 AS open_needs, 0 AS needs, 0 AS matched_needs,
         providers, offers""",
}


def _gap_query(by: str) -> str:
    return f"""
CALL () {{
  MATCH (e:Enterprise)-[:POSTED]->(n:Need) WHERE {DEMAND_FILTER}
  MATCH (n)-[:REQUIRES_CAPABILITY]->{CATEGORY}
  WITH DISTINCT e, n, cat
  {_GAP_DEMAND_KEY[by]}
  WITH DISTINCT key, label, cat, n
  RETURN key, label, cat, count(CASE WHEN n.status = 'OPEN' THEN 1 END) AS open_needs, count(n) AS needs,
         count(CASE WHEN EXISTS {{ (n)-[:HAS_MATCH]->(:Match) }} THEN 1 END) AS matched_needs,
         0 AS providers, 0 AS offers
  UNION ALL
  MATCH (p:Provider) WHERE {SUPPLY_FILTER}
  MATCH (p)-[:STATES|OFFERS]->(x)-[:ABOUT|OF_PROCESS]->{CATEGORY} AND {PUBLISHED}
  WITH DISTINCT p, x, cat
  {_GAP_SUPPLY[by]}
}}
WITH key, label, cat, sum(open_needs) AS open_needs, sum(needs) AS needs, sum(matched_needs) AS matched_needs,
     sum(providers) AS providers, sum(offers) AS offers
WHERE needs > 0 OR $with_supply_only
RETURN key, label, cat.code AS category_code, cat.name_zh AS category, open_needs, needs, matched_needs,
       providers, offers
ORDER BY open_needs DESC, needs DESC, key, category_code
"""


async def gap(db: Database, params: dict[str, Any], by: str = "REGION") -> list[dict[str, Any]]:
    """Demand (needs, open needs, needs with ≥ 1 stored match) against supply (listed providers,
    published capacity offers) per (region or industry) × top-level capability category.

    A stored match is a feasible one: the matcher stores only pairs that pass every hard constraint.
    """
    if by not in _GAP_DEMAND_KEY:
        raise ValueError(f"not a gap dimension: {by!r}")
    return await db.read(_gap_query(by), **params, with_supply_only=False)


# ------------------------------------------------------------------------------- unmatched needs

_UNMATCHED = f"""
MATCH (e:Enterprise)-[:POSTED]->(n:Need {{status: 'OPEN'}})
WHERE {DEMAND_FILTER} AND NOT EXISTS {{ (n)-[:HAS_MATCH]->(m:Match) WHERE m.status <> 'REJECTED' }}
WITH e, n ORDER BY n.created_at DESC, n.id
WITH collect({{e: e, n: n}}) AS found
WITH size(found) AS total, found[0..$limit] AS page,
     COUNT {{ MATCH (p:Provider) WHERE {LISTED} }} AS listed
UNWIND (CASE WHEN size(page) = 0 THEN [null] ELSE page END) AS row
WITH total, listed, row.e AS e, row.n AS n
CALL (n) {{
  WITH n WHERE n IS NOT NULL
  WITH n, [(n)-[:REQUIRES_CERT]->(c:Certification) | c.code] AS req_certs,
       [(n)-[:REQUIRES_CAPABILITY]->(c:Capability) | c] AS caps
  // the capable providers: linked to a need's capability, a narrower one or its direct parent
  // (everyone when the need has no capability link)
  CALL (caps) {{
    WITH caps WHERE size(caps) = 0
    MATCH (p:Provider) WHERE {LISTED}
    RETURN p
    UNION
    UNWIND caps AS nc
    MATCH (p:Provider)-[:STATES|OFFERS]->(x)-[:ABOUT|OF_PROCESS]->(:Capability)-[:CHILD_OF*0..3]->(nc)
    WHERE {PUBLISHED} AND {LISTED}
    RETURN p
    UNION
    UNWIND caps AS nc
    MATCH (p:Provider)-[:STATES|OFFERS]->(x)-[:ABOUT|OF_PROCESS]->(:Capability)<-[:CHILD_OF]-(nc)
    WHERE {PUBLISHED} AND {LISTED}
    RETURN p
  }}
  WITH n, req_certs, p
  WITH n, p, {KIND_OK} AS kind_ok, {CERTS_OK} AS cert_ok, {REGION_OK} AS region_ok
  CALL (n, p) {{
    MATCH (p)-[:OFFERS]->(o:CapacityOffer {{status: 'PUBLISHED'}}) WHERE n.kind = 'CAPACITY'
    {offer_feasibility("")}
    RETURN any(ok IN collect(unit_ok) WHERE ok) AS unit_any,
           any(ok IN collect(window_ok) WHERE ok) AS window_any,
           any(ok IN collect(moq_ok) WHERE ok) AS moq_any,
           any(ok IN collect(volume_ok) WHERE ok) AS volume_any,
           any(ok IN collect(unit_ok AND window_ok AND moq_ok AND volume_ok) WHERE ok) AS offer_ok
  }}
  WITH n, p, kind_ok, cert_ok, region_ok,
       n.kind <> 'CAPACITY' OR unit_any AS unit_ok, n.kind <> 'CAPACITY' OR window_any AS window_ok,
       n.kind <> 'CAPACITY' OR moq_any AS moq_ok, n.kind <> 'CAPACITY' OR volume_any AS volume_ok,
       n.kind <> 'CAPACITY' OR offer_ok AS capacity_ok
  RETURN count(p) AS capable,
         count(CASE WHEN NOT kind_ok THEN 1 END) AS kind,
         count(CASE WHEN NOT cert_ok THEN 1 END) AS certification,
         count(CASE WHEN NOT region_ok THEN 1 END) AS region_eliminated,
         count(CASE WHEN NOT unit_ok THEN 1 END) AS unit,
         count(CASE WHEN NOT window_ok THEN 1 END) AS window,
         count(CASE WHEN NOT moq_ok THEN 1 END) AS moq,
         count(CASE WHEN NOT volume_ok THEN 1 END) AS volume,
         count(CASE WHEN kind_ok AND cert_ok AND region_ok AND capacity_ok THEN 1 END) AS feasible
}}
RETURN total, n.id AS need_id, n.title AS title, n.kind AS need_kind, toString(n.created_at) AS posted_at,
       e.name AS enterprise, head([(e)-[:LOCATED_IN]->(r:Region) | r.name_zh]) AS region,
       [(n)-[:REQUIRES_CAPABILITY]->(c:Capability) | c.name_zh] AS capabilities,
       listed, listed - capable AS no_capability, kind, certification, region_eliminated, unit, window, moq,
       volume, feasible
"""


async def unmatched_needs(db: Database, params: dict[str, Any], as_of: date, limit: int) -> list[dict[str, Any]]:
    """Open needs of the period with no match other than rejected ones, newest first, with how many
    listed providers each hard constraint eliminates.

    ``no_capability`` counts listed providers with no published statement or offer linked to one of
    the need's capabilities (the same taxonomy neighbourhood retrieval uses: the node, its
    descendants, its direct parent); every other count is taken among the *capable* providers, each
    constraint on its own (a provider failing two constraints is counted under both). The capacity
    checks (unit, window, MOQ, volume) count a provider as passing when one of its published offers
    passes. Every row carries ``total``; no unmatched need gives one row whose ``need_id`` is null.
    """
    return await db.read(_UNMATCHED, **params, as_of=as_of, limit=limit)


# -------------------------------------------------------------------------------------- coverage

_PROVINCE_IN = """(${param} IS NULL OR EXISTS {{ MATCH (pr)-[:PART_OF*0..3]->(ar:Region) WHERE ar.code IN ${param} }}
       OR EXISTS {{ MATCH (ar:Region)-[:PART_OF*1..2]->(pr) WHERE ar.code IN ${param} }})"""

# The grid (every province × capability in scope, zeros) plus supply and demand counts aggregated
# once each, summed per cell: no per-cell subquery.
_COVERAGE = f"""
CALL () {{
  MATCH (pr:Region {{level: 'PROVINCE'}})
  WHERE {_PROVINCE_IN.format(param="regions")} AND {_PROVINCE_IN.format(param="scope")}
    AND (EXISTS {{ (pr)<-[:PART_OF*0..2]-(:Region)<-[:LOCATED_IN]-(:Provider) }}
         OR EXISTS {{ (pr)<-[:PART_OF*0..2]-(:Region)<-[:LOCATED_IN]-(:Enterprise) }})
  MATCH (c:Capability) WHERE $categories IS NULL OR EXISTS {{
    MATCH (c)-[:CHILD_OF*0..3]->(top:Capability) WHERE top.code IN $categories }}
  RETURN pr, c, 1 AS in_grid, 0 AS providers, 0 AS open_needs
  UNION ALL
  MATCH (p:Provider) WHERE {SUPPLY_FILTER}
  MATCH (p)-[:LOCATED_IN]->{PROVINCE}
  MATCH (p)-[:STATES|OFFERS]->(x)-[:ABOUT|OF_PROCESS]->(:Capability)-[:CHILD_OF*0..3]->(c:Capability)
  WHERE {PUBLISHED}
  WITH pr, c, count(DISTINCT p) AS providers
  RETURN pr, c, 0 AS in_grid, providers, 0 AS open_needs
  UNION ALL
  MATCH (e:Enterprise)-[:POSTED]->(n:Need {{status: 'OPEN'}}) WHERE {DEMAND_FILTER}
  MATCH (e)-[:LOCATED_IN]->{PROVINCE}
  MATCH (n)-[:REQUIRES_CAPABILITY]->(c:Capability)
  WITH pr, c, count(DISTINCT n) AS open_needs
  RETURN pr, c, 0 AS in_grid, 0 AS providers, open_needs
}}
WITH pr, c, sum(in_grid) AS in_grid, sum(providers) AS providers, sum(open_needs) AS open_needs
WHERE in_grid > 0 AND providers < $min_providers
RETURN pr.code AS region_code, pr.name_zh AS region, c.code AS capability_code, c.name_zh AS capability,
       providers, open_needs
ORDER BY open_needs DESC, providers ASC, region_code, capability_code
LIMIT $limit
"""


async def coverage(db: Database, params: dict[str, Any], min_providers: int, limit: int,
                   categories: list[str] | None = None) -> list[dict[str, Any]]:
    """(province, capability) cells with fewer than ``min_providers`` listed providers able to do the
    capability (or a narrower one), with the open needs asking for it, most-demanded first.

    Provinces: those in the filter and jurisdiction (a province counts when it lies in or contains a
    filter region) that have at least one provider or enterprise.
    """
    return await db.read(_COVERAGE, **params, min_providers=min_providers, limit=limit, categories=categories)


# ---------------------------------------------------------------------------------------- funnel

_FUNNEL = f"""
MATCH (e:Enterprise)-[:POSTED]->(n:Need) WHERE {DEMAND_FILTER}
WITH n, date.truncate($unit, n.created_at) AS bucket,
     [(n)-[:HAS_MATCH]->(m:Match) | m.status] AS statuses
WITH bucket, count(n) AS posted,
     count(CASE WHEN size(statuses) > 0 THEN 1 END) AS matched,
     count(CASE WHEN any(s IN statuses WHERE s IN $accepted) THEN 1 END) AS accepted,
     count(CASE WHEN any(s IN statuses WHERE s IN $contracted) THEN 1 END) AS contracted,
     count(CASE WHEN any(s IN statuses WHERE s IN $completed) THEN 1 END) AS completed,
     count(CASE WHEN any(s IN statuses WHERE s = 'CANCELLED') THEN 1 END) AS cancelled,
     count(CASE WHEN size(statuses) > 0 AND all(s IN statuses WHERE s = 'REJECTED') THEN 1 END) AS rejected,
     apoc_free_flatten(collect(statuses)) AS all_statuses
UNWIND (CASE WHEN size(all_statuses) = 0 THEN [null] ELSE all_statuses END) AS status
WITH bucket, posted, matched, accepted, contracted, completed, cancelled, rejected, status, count(status) AS n
WITH bucket, posted, matched, accepted, contracted, completed, cancelled, rejected,
     [x IN collect({{status: status, count: n}}) WHERE x.status IS NOT NULL] AS match_statuses
RETURN toString(bucket) AS bucket, posted, matched, accepted, contracted, completed, cancelled, rejected,
       match_statuses
ORDER BY bucket
"""
# Cypher has no flatten without APOC: reduce over the collected lists instead
_FUNNEL = _FUNNEL.replace("apoc_free_flatten(collect(statuses))",
                          "reduce(acc = [], s IN collect(statuses) | acc + s)")


async def funnel(db: Database, params: dict[str, Any], unit: str, stages: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Needs posted per week or month and how far they got: matched (≥ 1 stored match), then the
    number of needs with a match in one of the statuses of each later stage (``stages``: accepted,
    contracted, completed → status names), cancelled, rejected (every match rejected), plus the
    matches of the bucket counted by status name."""
    if unit not in ("week", "month"):
        raise ValueError(f"not a bucket unit: {unit!r}")
    return await db.read(_FUNNEL, **params, unit=unit, **stages)


# ---------------------------------------------------------------------------- enterprises served

_SERVED = f"""
MATCH (e:Enterprise)-[:POSTED]->(n:Need)-[:HAS_MATCH]->(m:Match)
WHERE {DEMAND_FILTER} AND m.status IN $accepted
WITH DISTINCT e
CALL (e) {{
  RETURN 'TOTAL' AS dimension, '' AS key, '' AS label
  UNION ALL
  OPTIONAL MATCH (e)-[:LOCATED_IN]->{PROVINCE}
  RETURN 'REGION' AS dimension, coalesce(pr.code, 'UNKNOWN') AS key, coalesce(pr.name_zh, '未知') AS label
  UNION ALL
  RETURN 'SIZE' AS dimension, coalesce(e.size, 'UNKNOWN') AS key, coalesce(e.size, 'UNKNOWN') AS label
}}
RETURN dimension, key, label, count(DISTINCT e) AS enterprises
ORDER BY dimension, enterprises DESC, key
"""


async def enterprises_served(db: Database, params: dict[str, Any], accepted: list[str]) -> list[dict[str, Any]]:
    """Distinct enterprises with an accepted (or later-stage) match on a need of the period: the
    total, by province and by ``Enterprise.size`` (UNKNOWN where not recorded)."""
    return await db.read(_SERVED, **params, accepted=accepted)


# -------------------------------------------------------------------------------- top providers

_TOP = f"""
MATCH (p:Provider) WHERE {SUPPLY_FILTER}
CALL (p) {{
  OPTIONAL MATCH (p)<-[:WITH_PROVIDER]-(m:Match)<-[:HAS_MATCH]-(n:Need)<-[:POSTED]-(e:Enterprise)
  WHERE {DEMAND_FILTER}
  RETURN count(CASE WHEN m.status IN $completed THEN 1 END) AS completed,
         count(CASE WHEN m.status IN $accepted THEN 1 END) AS accepted,
         count(m) AS matches
}}
WITH p, completed, accepted, matches WHERE matches > 0
RETURN p.id AS provider_id, p.name AS name, p.kind AS kind, p.rating AS rating,
       head([(p)-[:LOCATED_IN]->(r:Region) | r.name_zh]) AS region, completed, accepted, matches
ORDER BY completed DESC, accepted DESC, coalesce(p.rating, 0) DESC, matches DESC, provider_id
LIMIT $limit
"""


async def top_providers(db: Database, params: dict[str, Any], limit: int, accepted: list[str],
                        completed: list[str]) -> list[dict[str, Any]]:
    """Providers with matches on needs of the period, by completed matches, accepted ones and rating."""
    return await db.read(_TOP, **params, limit=limit, accepted=accepted, completed=completed)


# ----------------------------------------------------------------------------------------- regions

_REGION_CODES = """
UNWIND $terms AS term
OPTIONAL MATCH (r:Region)
WHERE r.code = term OR r.name_zh = term OR toLower(r.name_en) = toLower(term) OR term IN coalesce(r.aliases, [])
RETURN term, min(r.code) AS code, min(r.name_zh) AS name
"""


async def region_codes(db: Database, terms: list[str]) -> list[dict[str, Any]]:
    """term → region code (by code, name or alias; null when unknown): rows ``{term, code, name}``."""
    return await db.read(_REGION_CODES, terms=terms)


def filter_params(date_from: date, date_to: date, regions: list[str] | None, scope: list[str] | None,
                  industries: list[str] | None) -> dict[str, Any]:
    """The shared filter parameters of every report statement."""
    return {"from": date_from.isoformat(), "to": date_to.isoformat(), "regions": regions, "scope": scope,
            "industries": industries}
