"""Cypher of matching's hard constraints, and the evidence gathered per (need, provider) pair.

The hard constraints (certifications, region, provider kind, capacity window/volume/MOQ/unit) are
evaluated *here, in Cypher*, so a provider that breaks one never leaves the database as a candidate,
and ``matching/`` only phrases the verdicts (``unit_ok``, ``moq_ok``, ``window_ok``, ``volume_ok``)
it is handed. The capacity feasibility arithmetic is one fragment (:func:`offer_feasibility`) shared by
matching, consortia, reverse matching and the booking re-check in ``graph/repositories/matches.py``,
so the rule a match was proposed under is exactly the rule its acceptance is checked against.

Similarities: Neo4j's vector functions return ``(1 + cosine) / 2``; everything returned from here is
converted back to the plain cosine (``2 * s - 1``) so that ``matching/`` sees one scale.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from graph.db import Database
from graph.repositories.deal_records import DEAL_CAP, FULFILMENT_WINDOW_DAYS, fulfilment_records

ACTIVE_CERT = ("h.status = 'ACTIVE' AND (h.valid_until IS NULL OR h.valid_until >= $as_of)")
# A certificate staff rejected never counts; a need with require_verified counts only VERIFIED ones.
TRUSTED_CERT = ("coalesce(h.verification, 'DECLARED') <> 'REJECTED' "
                "AND (NOT coalesce(n.require_verified, false) OR h.verification = 'VERIFIED')")

# Hard constraints on a (need n, provider p) pair, apart from capacity — one named predicate each, so the
# staff reports (graph/repositories/reports.py) count eliminations with exactly the matcher's rules.
# `req_certs` must be in scope. Only providers LISTED in the resource pool are matched (docs/CURATION.md).
# Certifications: every required one is held ACTIVE — itself or one that `satisfies` it (等保三级 covers
# 等保二级) — and trusted (not REJECTED by staff; VERIFIED when the need requires verified certificates).
# A required certification nobody has defined yet is an unverified term the need MENTIONS; it still
# constrains: only a provider that MENTIONS the same term (same kind and normalised text, so the same
# node) as held ACTIVE passes — such a declaration can never be VERIFIED, so a verified-only need refuses it.
LISTED_OK = "p.listing_status = 'LISTED'"
KIND_OK = """((n.kind = 'CAPACITY' AND p:Manufacturer)
   OR (n.kind <> 'CAPACITY' AND EXISTS { (p)-[:STATES]->(:CapabilityStatement) }))"""
CERTS_OK = f"""(all(code IN req_certs WHERE EXISTS {{
        MATCH (p)-[h:HOLDS]->(c:Certification)
        WHERE (c.code = code OR code IN coalesce(c.satisfies, [])) AND {ACTIVE_CERT} AND {TRUSTED_CERT} }})
   AND all(t IN [(n)-[:MENTIONS]->(u:UnverifiedTerm {{kind: 'CERTIFICATION'}}) | u] WHERE EXISTS {{
        MATCH (p)-[h:MENTIONS]->(t) WHERE {ACTIVE_CERT} AND {TRUSTED_CERT} }}))"""
REGION_OK = """(NOT EXISTS { (n)-[:WITHIN_REGION]->(:Region) }
       OR EXISTS { (p)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region)<-[:WITHIN_REGION]-(n) })"""
PAIR_CONSTRAINTS = f"""
  {LISTED_OK}
  AND {KIND_OK}
  AND {CERTS_OK}
  AND {REGION_OK}
"""


def offer_feasibility(carry: str) -> str:
    """WITH clauses computing an offer's production window and volume for a need.

    Expects ``n`` (Need), ``o`` (CapacityOffer) and ``$as_of`` (date) in scope and carries ``carry``
    (comma-separated variables, may be empty) through. Adds ``start``, ``last_day``, ``days``,
    ``booked``, ``deliverable``, ``unit_ok``, ``moq_ok``, ``window_ok``, ``volume_ok``. The formula is
    written down in docs/MATCHING.md ("Capacity feasibility"):

    * production runs from ``start = max(available_from, as_of)`` to
      ``last_day = min(available_to, deadline − lead_time_days)``, both days included, so
      ``days = last_day − start + 1`` (0 when ``last_day < start``; unbounded (null) when the offer
      has no end and the need no deadline);
    * ``deliverable = monthly_volume × days / 30 − booked_volume``; feasible iff
      ``monthly_volume × days ≥ 30 × (quantity + booked_volume)`` (the same inequality without the
      division, so integer volumes compare exactly) and ``quantity ≥ moq`` and the units are equal.
    """
    keep = f"{carry}, " if carry else ""
    return f"""
WITH {keep}n, o,
     CASE WHEN o.available_from IS NULL OR o.available_from < $as_of THEN $as_of
          ELSE o.available_from END AS start,
     CASE WHEN n.deadline IS NULL THEN null
          ELSE n.deadline - duration({{days: coalesce(o.lead_time_days, 0)}}) END AS by_deadline,
     coalesce(o.booked_volume, 0) AS booked
WITH {keep}n, o, start, booked,
     CASE WHEN o.available_to IS NULL THEN by_deadline
          WHEN by_deadline IS NULL OR o.available_to < by_deadline THEN o.available_to
          ELSE by_deadline END AS last_day
WITH {keep}n, o, start, booked, last_day,
     CASE WHEN last_day IS NULL THEN null
          WHEN last_day < start THEN 0
          ELSE duration.inDays(start, last_day).days + 1 END AS days
WITH {keep}n, o, start, booked, last_day, days,
     CASE WHEN days IS NULL THEN null ELSE coalesce(o.monthly_volume, 0) * days / 30.0 - booked END
       AS deliverable,
     (n.quantity IS NULL OR n.unit IS NULL OR o.unit = n.unit) AS unit_ok,
     (n.quantity IS NULL OR o.moq IS NULL OR n.quantity >= o.moq) AS moq_ok,
     (days IS NULL OR days >= 1) AS window_ok
WITH {keep}n, o, start, booked, last_day, days, deliverable, unit_ok, moq_ok, window_ok,
     CASE WHEN days IS NULL THEN true
          WHEN n.quantity IS NULL THEN coalesce(o.monthly_volume, 0) * days > 30 * booked
          ELSE coalesce(o.monthly_volume, 0) * days >= 30 * (n.quantity + booked) END AS volume_ok
"""


# Pairs are grouped by need, so what depends on the need alone (its certifications, its enterprise's
# other needs) is read once per need, and each pair's evidence comes from one walk over the provider's
# matches and responses (``fulfilment_records`` with the need: deals, opportunities, collaborations,
# rejections, declines and the pair's own match status together). One row per pair, duplicates
# included; row order is not defined.
#
# `CYPHER replan=skip`: planning this statement takes 1.1–1.6 s (EXPLAIN with replan=force at 10⁴ providers),
# and Neo4j re-plans a cached statement once the store's counts drift (every recompute deletes and
# creates Match nodes), which makes the recompute that triggers it pay that second. Every lookup here is
# by id through the uniqueness constraints, so the plan does not depend on those counts; it is made once
# per server start and kept.
_PAIR_FEATURES = f"""CYPHER replan=skip
UNWIND $pairs AS pair
WITH pair.need_id AS need_id, collect(pair.provider_id) AS provider_ids
MATCH (n:Need {{id: need_id}})
WITH n, provider_ids, [(n)-[:REQUIRES_CERT]->(c:Certification) | c.code] AS req_certs,
     [(n)<-[:POSTED]-(:Enterprise)-[:POSTED]->(other:Need) WHERE other <> n | other] AS siblings
UNWIND provider_ids AS provider_id
MATCH (p:Provider {{id: provider_id}})
WITH n, p, req_certs, siblings
WHERE {PAIR_CONSTRAINTS}
CALL (n, p) {{
  MATCH (p)-[:OFFERS]->(o:CapacityOffer {{status: 'PUBLISHED'}})
  WHERE n.kind = 'CAPACITY'
  {offer_feasibility("")}
  WITH n, o, start, booked, last_day, days, deliverable, unit_ok, moq_ok, window_ok, volume_ok
  WHERE unit_ok AND window_ok
    AND (($partial AND (deliverable IS NULL OR deliverable > 0)) OR (moq_ok AND volume_ok))
  RETURN collect({{
    id: o.id, process_text: o.process_text, description: o.description,
    similarity: CASE WHEN o.embedding IS NULL OR n.embedding IS NULL THEN null
                     ELSE 2 * vector.similarity.cosine(o.embedding, n.embedding) - 1 END,
    links: [(o)-[a:OF_PROCESS]->(c:Capability) |
            {{code: c.code, confidence: coalesce(a.confidence, 1.0), method: a.method}}],
    material: head([(o)-[:IN_MATERIAL]->(m:Material) |
                    {{code: m.code, name: m.name_zh, parent: head([(m)-[:CHILD_OF]->(pm:Material) | pm.code])}}]),
    monthly_volume: o.monthly_volume, unit: o.unit, available_from: o.available_from,
    available_to: o.available_to, lead_time_days: o.lead_time_days, moq: o.moq, booked_volume: booked,
    start: start, last_day: last_day, days: days, deliverable: deliverable,
    unit_ok: unit_ok, moq_ok: moq_ok, window_ok: window_ok, volume_ok: volume_ok}}) AS offers
}}
WITH n, p, req_certs, siblings, offers WHERE n.kind <> 'CAPACITY' OR size(offers) > 0
{fulfilment_records("p", "n", "siblings")}
RETURN n.id AS need_id, p.id AS provider_id, p.name AS name, p.kind AS kind, p.rating AS rating,
  [(p)-[:STATES]->(s:CapabilityStatement) | {{
     id: s.id, text: s.text,
     similarity: CASE WHEN s.embedding IS NULL OR n.embedding IS NULL THEN null
                      ELSE 2 * vector.similarity.cosine(s.embedding, n.embedding) - 1 END,
     links: [(s)-[a:ABOUT]->(c:Capability) |
             {{code: c.code, confidence: coalesce(a.confidence, 1.0), method: a.method}}]}}] AS statements,
  offers,
  [(p)-[h:HOLDS]->(c:Certification)
     WHERE c.code IN req_certs OR any(x IN coalesce(c.satisfies, []) WHERE x IN req_certs) |
     {{code: CASE WHEN c.code IN req_certs THEN c.code ELSE head([x IN c.satisfies WHERE x IN req_certs]) END,
       name: c.name, status: h.status, valid_until: h.valid_until,
       verification: coalesce(h.verification, 'DECLARED')}}] AS certifications,
  head([(p)-[:LOCATED_IN]->(r:Region) | {{code: r.code, name: r.name_zh, lat: r.lat, lon: r.lon}}]) AS region,
  [(p)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(r:Region)<-[:WITHIN_REGION]-(n) | r.name_zh] AS region_matches,
  collaborations, rejections, declines, deals, opportunity_counts, $as_of AS as_of, existing_status
"""


async def pair_features(db: Database, pairs: list[dict[str, str]], as_of: date,
                        partial: bool = False) -> list[dict[str, Any]]:
    """Constraint-checked features for (need, provider) pairs; pairs that break a hard constraint are absent.

    ``pairs``: ``[{need_id, provider_id}]``. For CAPACITY needs each row carries the provider's
    offers that pass the unit and window constraints and — unless ``partial`` (consortia) — MOQ and
    volume too; with ``partial`` an offer only needs some deliverable volume left. Evidence: the
    provider's fulfilment records (``deals``, ``opportunity_counts``; see ``deal_records``), deals
    with this enterprise (``collaborations``), its ``rejections`` by and ``declines`` of this
    enterprise's other needs.
    """
    if not pairs:
        return []
    return await db.read(_PAIR_FEATURES, pairs=pairs, as_of=as_of, partial=partial,
                         window_start=as_of - timedelta(days=FULFILMENT_WINDOW_DAYS), deal_cap=DEAL_CAP)

