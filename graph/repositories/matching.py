"""Cypher of the matching engine: retrieval, hard constraints, evidence, stored matches, freshness.

Business rules live in ``matching/``; this module only asks the graph. The hard constraints
(certifications, region, provider kind, capacity window/volume/MOQ/unit) are evaluated *here, in
Cypher*, so a provider that breaks one never leaves the database as a candidate. The capacity
feasibility arithmetic is one fragment (:func:`offer_feasibility`) shared by matching, consortia,
reverse matching and the booking re-check in ``graph/repositories/feedback.py``, so the rule a
match was proposed under is exactly the rule its acceptance is checked against.

Similarities: Neo4j's vector functions return ``(1 + cosine) / 2``; everything returned from here is
converted back to the plain cosine (``2 * s - 1``) so that ``matching/`` sees one scale.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from graph.db import Database, Tx
from graph.repositories.deal_records import DEAL_CAP, FULFILMENT_WINDOW_DAYS, fulfilment_records

# --------------------------------------------------------------------------------- shared fragments

ACTIVE_CERT = ("h.status = 'ACTIVE' AND (h.valid_until IS NULL OR h.valid_until >= $as_of)")

# Hard constraints on a (need n, provider p) pair, apart from capacity. `req_certs` must be in scope.
PAIR_CONSTRAINTS = f"""
  ((n.kind = 'CAPACITY' AND p:Manufacturer)
   OR (n.kind <> 'CAPACITY' AND EXISTS {{ (p)-[:STATES]->(:CapabilityStatement) }}))
  AND all(code IN req_certs WHERE EXISTS {{
        MATCH (p)-[h:HOLDS]->(:Certification {{code: code}}) WHERE {ACTIVE_CERT} }})
  AND (NOT EXISTS {{ (n)-[:WITHIN_REGION]->(:Region) }}
       OR EXISTS {{ (p)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(:Region)<-[:WITHIN_REGION]-(n) }})
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


# ------------------------------------------------------------------------------------ need context

NEED_CONTEXT = """
UNWIND $need_ids AS need_id
MATCH (n:Need {id: need_id})
OPTIONAL MATCH (e:Enterprise)-[:POSTED]->(n)
RETURN n.id AS id, n.kind AS kind, n.title AS title, n.description AS description,
       n.quantity AS quantity, n.unit AS unit, n.deadline AS deadline, n.status AS status,
       n.budget_min AS budget_min, n.budget_max AS budget_max,
       n.embedding AS embedding, toString(n.updated_at) AS updated_at,
       n.matches_fingerprint AS matches_fingerprint, n.matches_computed_at AS matches_computed_at,
       e.id AS enterprise_id, e.name AS enterprise_name,
       head([(e)-[:LOCATED_IN]->(r:Region) | {code: r.code, name: r.name_zh, lat: r.lat, lon: r.lon}])
         AS enterprise_region,
       [(n)-[r:REQUIRES_CAPABILITY]->(c:Capability) |
          {code: c.code, confidence: coalesce(r.confidence, 1.0), method: r.method}] AS capabilities,
       [(n)-[:REQUIRES_CERT]->(c:Certification) | {code: c.code, name: c.name}] AS certifications,
       [(n)-[:WITHIN_REGION]->(r:Region) |
          {code: r.code, name: r.name_zh, level: r.level, lat: r.lat, lon: r.lon}] AS regions,
       [(n)-[:IN_MATERIAL]->(m:Material) |
          {code: m.code, name: m.name_zh, parent: head([(m)-[:CHILD_OF]->(pm:Material) | pm.code])}]
         AS materials
"""


async def need_contexts(db: Database, need_ids: list[str]) -> list[dict[str, Any]]:
    """What matching needs to know about each need (and its enterprise), in one round trip."""
    return await db.read(NEED_CONTEXT, need_ids=need_ids)


async def set_need_embedding(db: Database, need_id: str, embedding: list[float]) -> None:
    """Store an embedding for a need written without one (e.g. by an old client)."""
    await db.write("MATCH (n:Need {id: $id}) WHERE n.embedding IS NULL SET n.embedding = $embedding",
                   id=need_id, embedding=embedding)


# --------------------------------------------------------------------------------------- retrieval

# Each branch yields (source, p, score); see retrieve_providers.
_VECTOR_STATEMENTS = """
CALL db.index.vector.queryNodes('capability_statement_embedding', $k, $vector) YIELD node, score
MATCH (p:Provider)-[:STATES]->(node)
RETURN 'VECTOR' AS source, p, max(2 * score - 1) AS score
"""
_VECTOR_OFFERS = """
CALL db.index.vector.queryNodes('capacity_offer_embedding', $k, $vector) YIELD node, score
WITH node, score WHERE node.status = 'PUBLISHED'
MATCH (p:Manufacturer)-[:OFFERS]->(node)
RETURN 'VECTOR' AS source, p, max(2 * score - 1) AS score
"""
_TEXT_STATEMENTS = """
CALL db.index.fulltext.queryNodes('capability_statement_text', $text, {limit: $k}) YIELD node, score
MATCH (p:Provider)-[:STATES]->(node)
RETURN 'TEXT_STATEMENT' AS source, p, max(score) AS score
"""
_TEXT_OFFERS = """
CALL db.index.fulltext.queryNodes('capacity_offer_text', $text, {limit: $k}) YIELD node, score
WITH node, score WHERE node.status = 'PUBLISHED'
MATCH (p:Manufacturer)-[:OFFERS]->(node)
RETURN 'TEXT_OFFER' AS source, p, max(score) AS score
"""
_TEXT_PROVIDERS = """
CALL db.index.fulltext.queryNodes('provider_text', $text, {limit: $k}) YIELD node, score
RETURN 'TEXT_PROVIDER' AS source, node AS p, max(score) AS score
"""
# Providers linked to the taxonomy nodes in scope ($codes: the need's nodes, their descendants and
# their direct parents — computed from the in-memory taxonomy, so this is an index seek).
_TAXONOMY_STATEMENTS = """
MATCH (c:Capability) WHERE c.code IN $codes
MATCH (p:Provider)-[:STATES]->(:CapabilityStatement)-[a:ABOUT]->(c)
WITH p, max(coalesce(a.confidence, 1.0)) AS score ORDER BY score DESC LIMIT $k_taxonomy
RETURN 'TAXONOMY' AS source, p, score
"""
_TAXONOMY_OFFERS = """
MATCH (c:Capability) WHERE c.code IN $codes
MATCH (p:Manufacturer)-[:OFFERS]->(o:CapacityOffer {status: 'PUBLISHED'})-[a:OF_PROCESS]->(c)
WITH p, max(coalesce(a.confidence, 1.0)) AS score ORDER BY score DESC LIMIT $k_taxonomy
RETURN 'TAXONOMY' AS source, p, score
"""
# Constraint-first retrieval: when the need restricts region or certification, the approximate
# vector index over everyone may return few providers that pass, so the providers that pass are
# also ranked by exact cosine (a scan of a subset the constraint already made small).
_SCAN_TAIL = """
WITH DISTINCT p
MATCH (p)-[:STATES|OFFERS]->(s) WHERE s.embedding IS NOT NULL AND coalesce(s.status, 'PUBLISHED') = 'PUBLISHED'
WITH p, max(2 * vector.similarity.cosine(s.embedding, $vector) - 1) AS score
ORDER BY score DESC LIMIT $k
RETURN 'SCAN' AS source, p, score
"""
_SCAN_REGION = """
MATCH (r:Region) WHERE r.code IN $regions
MATCH (p:Provider)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(r)
""" + _SCAN_TAIL
_SCAN_CERT = f"""
MATCH (:Certification {{code: $certs[0]}})<-[h:HOLDS]-(p:Provider) WHERE {ACTIVE_CERT}
""" + _SCAN_TAIL

_RETRIEVAL_TAIL = f"""
}}
WITH n, req_certs, p, collect({{source: source, score: score}}) AS hits
WHERE {PAIR_CONSTRAINTS}
  AND (n.kind <> 'CAPACITY' OR EXISTS {{ (p)-[:OFFERS]->(:CapacityOffer {{status: 'PUBLISHED'}}) }})
UNWIND hits AS hit
RETURN hit.source AS source, p.id AS provider_id, max(hit.score) AS score
"""


def _retrieval_query(capacity: bool, text: bool, taxonomy: bool, scan: str | None) -> str:
    branches = [_VECTOR_STATEMENTS]
    if capacity:
        branches.append(_VECTOR_OFFERS)
    if text:
        branches += [_TEXT_STATEMENTS, _TEXT_PROVIDERS] + ([_TEXT_OFFERS] if capacity else [])
    if taxonomy:
        branches.append(_TAXONOMY_STATEMENTS)
        if capacity:
            branches.append(_TAXONOMY_OFFERS)
    if scan == "REGION":
        branches.append(_SCAN_REGION)
    elif scan == "CERT":
        branches.append(_SCAN_CERT)
    head = ("MATCH (n:Need {id: $need_id})\n"
            "WITH n, [(n)-[:REQUIRES_CERT]->(c:Certification) | c.code] AS req_certs\n"
            "CALL () {\n")
    return head + "\nUNION ALL\n".join(branches) + _RETRIEVAL_TAIL


async def retrieve_providers(db: Database, *, need_id: str, vector: list[float], kind: str, text: str | None,
                             codes: list[str], regions: list[str], certs: list[str], as_of: date,
                             k: int, k_taxonomy: int) -> list[dict[str, Any]]:
    """Candidate providers for one need that pass its kind, certification and region constraints.

    Rows ``{source, provider_id, score}``: ``source`` is VECTOR (cosine), TEXT_STATEMENT /
    TEXT_OFFER / TEXT_PROVIDER (Lucene score of that index), TAXONOMY (link confidence) or SCAN
    (exact cosine among the providers that pass the region or certification constraint). The
    branches are fixed fragments chosen by flags, never text built from input. Filtering here,
    before fusion, keeps the scoring budget for providers that can actually serve the need.
    """
    scan = "REGION" if regions else "CERT" if certs else None
    query = _retrieval_query(kind == "CAPACITY", bool(text), bool(codes), scan)
    return await db.read(query, need_id=need_id, vector=vector, text=text or "", codes=codes, regions=regions,
                         certs=certs, as_of=as_of, k=k, k_taxonomy=k_taxonomy)


_OPPORTUNITY_RETRIEVAL = """
MATCH (p:Provider {id: $provider_id})-[:STATES|OFFERS]->(x)
WHERE x.embedding IS NOT NULL AND coalesce(x.status, 'PUBLISHED') = 'PUBLISHED'
CALL db.index.vector.queryNodes('need_embedding', $k, x.embedding) YIELD node, score
WITH node, score WHERE node.status = 'OPEN'
RETURN 'VECTOR' AS source, node.id AS need_id, max(2 * score - 1) AS score
UNION ALL
MATCH (p:Provider {id: $provider_id})-[:STATES|OFFERS]->(x)-[a:ABOUT|OF_PROCESS]->(c:Capability)
WHERE coalesce(x.status, 'PUBLISHED') = 'PUBLISHED'
MATCH (need:Need {status: 'OPEN'})-[:REQUIRES_CAPABILITY]->(nc:Capability)
WHERE nc = c OR (c)-[:CHILD_OF*1..3]->(nc) OR (nc)-[:CHILD_OF]->(c)
RETURN 'TAXONOMY' AS source, need.id AS need_id, max(coalesce(a.confidence, 1.0)) AS score
"""


async def retrieve_needs(db: Database, provider_id: str, k: int) -> list[dict[str, Any]]:
    """Candidate open needs for one provider (reverse matching): rows ``{source, need_id, score}``."""
    return await db.read(_OPPORTUNITY_RETRIEVAL, provider_id=provider_id, k=k)


# ------------------------------------------------------------------ constraints and evidence per pair

_PAIR_FEATURES = f"""
UNWIND $pairs AS pair
MATCH (n:Need {{id: pair.need_id}})
MATCH (p:Provider {{id: pair.provider_id}})
WITH n, p, [(n)-[:REQUIRES_CERT]->(c:Certification) | c.code] AS req_certs
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
    moq_ok: moq_ok, volume_ok: volume_ok}}) AS offers
}}
WITH n, p, req_certs, offers WHERE n.kind <> 'CAPACITY' OR size(offers) > 0
{fulfilment_records("p")}
RETURN n.id AS need_id, p.id AS provider_id, p.name AS name, p.kind AS kind, p.rating AS rating,
  [(p)-[:STATES]->(s:CapabilityStatement) | {{
     id: s.id, text: s.text,
     similarity: CASE WHEN s.embedding IS NULL OR n.embedding IS NULL THEN null
                      ELSE 2 * vector.similarity.cosine(s.embedding, n.embedding) - 1 END,
     links: [(s)-[a:ABOUT]->(c:Capability) |
             {{code: c.code, confidence: coalesce(a.confidence, 1.0), method: a.method}}]}}] AS statements,
  offers,
  [(p)-[h:HOLDS]->(c:Certification) WHERE c.code IN req_certs |
     {{code: c.code, name: c.name, status: h.status, valid_until: h.valid_until}}] AS certifications,
  head([(p)-[:LOCATED_IN]->(r:Region) | {{code: r.code, name: r.name_zh, lat: r.lat, lon: r.lon}}]) AS region,
  [(p)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(r:Region)<-[:WITHIN_REGION]-(n) | r.name_zh] AS region_matches,
  COUNT {{
    MATCH (p)<-[:WITH_PROVIDER]-(m:Match)<-[:HAS_MATCH]-(other:Need)<-[:POSTED]-(:Enterprise)-[:POSTED]->(n)
    WHERE other <> n AND m.status IN ['ACCEPTED', 'CONTRACTED', 'DELIVERED', 'COMPLETED'] }} AS collaborations,
  COUNT {{
    MATCH (p)<-[:WITH_PROVIDER]-(:Match {{status: 'REJECTED'}})<-[:HAS_MATCH]-(other:Need)
          <-[:POSTED]-(:Enterprise)-[:POSTED]->(n)
    WHERE other <> n }} AS rejections,
  COUNT {{
    MATCH (p)-[:RESPONDED]->(:Response {{interest: 'DECLINED'}})-[:TO_NEED]->(other:Need)
          <-[:POSTED]-(:Enterprise)-[:POSTED]->(n)
    WHERE other <> n }} AS declines,
  deals, opportunity_counts, $as_of AS as_of,
  head([(n)-[:HAS_MATCH]->(m:Match)-[:WITH_PROVIDER]->(p) | m.status]) AS existing_status
"""


async def pair_features(db: Database, pairs: list[dict[str, str]], as_of: date,
                        partial: bool = False) -> list[dict[str, Any]]:
    """Constraint-checked features for (need, provider) pairs; pairs that break a hard constraint are absent.

    ``pairs``: ``[{need_id, provider_id}]``. For CAPACITY needs each row carries the provider's
    offers that pass the unit and window constraints and — unless ``partial`` (consortia) — MOQ and
    volume too; with ``partial`` an offer only needs some deliverable volume left.
    """
    if not pairs:
        return []
    return await db.read(_PAIR_FEATURES, pairs=pairs, as_of=as_of, partial=partial,
                         window_start=as_of - timedelta(days=FULFILMENT_WINDOW_DAYS), deal_cap=DEAL_CAP)


# -------------------------------------------------------------------------------------- freshness

DATA_VERSION_BUMP = ("MERGE (state:MatchingState {key: 'global'}) "
                     "SET state.data_version = coalesce(state.data_version, 0) + 1")

_SIGNATURE = """
OPTIONAL MATCH (state:MatchingState)
WITH max(state.data_version) AS data_version
CALL () { OPTIONAL MATCH (o:CapacityOffer) WHERE o.updated_at IS NOT NULL
          WITH o ORDER BY o.updated_at DESC LIMIT 1 RETURN toString(o.updated_at) AS offers_updated }
CALL () { OPTIONAL MATCH (p:Provider) WHERE p.updated_at IS NOT NULL
          WITH p ORDER BY p.updated_at DESC LIMIT 1 RETURN toString(p.updated_at) AS providers_updated }
RETURN data_version, offers_updated, providers_updated,
       COUNT { MATCH (:Provider) } AS providers,
       COUNT { MATCH (:CapabilityStatement) } AS statements,
       COUNT { MATCH (:CapacityOffer) } AS offers,
       COUNT { MATCH ()-[:HOLDS]->() } AS holds,
       COUNT { MATCH ()-[:ABOUT]->() } AS about,
       COUNT { MATCH ()-[:OF_PROCESS]->() } AS of_process,
       COUNT { MATCH ()-[:LOCATED_IN]->() } AS located_in
"""


async def bump_data_version(tx: Tx) -> None:
    """Mark every stored match list stale. Call in the transaction of any write to matching inputs.

    Matching inputs: needs, providers (and their certifications, region), capability statements,
    capacity offers (incl. booked volume), match decisions.
    """
    await tx.rows(DATA_VERSION_BUMP)


async def data_signature(db: Database) -> dict[str, Any]:
    """The global data version, the latest ``updated_at`` of offers and providers, and label and
    relationship counts (O(1) each in Neo4j's count store).

    Besides the version (the contract), the timestamps catch edits by writers that stamp
    ``updated_at`` and the counts catch additions and deletions, even from a writer that forgot to
    bump. The two "latest ``updated_at``" lookups are written as ORDER BY … LIMIT 1 so that a range
    index on ``updated_at`` (see docs/MATCHING.md) turns them into index lookups; without one they
    scan offers and providers (milliseconds at 10⁴ nodes).
    """
    rows = await db.read(_SIGNATURE)
    return rows[0]


# ----------------------------------------------------------------------------------- stored matches

# Taking a node's write lock: SET of a constant (a SET that reads the node, like `n.x = n.x`, would
# read the old value before waiting for the lock and could write it back over a concurrent commit).
LOCK_NEED = "MATCH (n:Need {id: $need_id}) SET n._lock = true RETURN n.status AS status"

_DELETE_STALE = """
MATCH (n:Need {id: $need_id})-[:HAS_MATCH]->(m:Match {status: 'PROPOSED'})
WHERE NOT m.id IN $ids
DETACH DELETE m
"""
_UPSERT = """
MATCH (n:Need {id: $need_id})
UNWIND $rows AS row
MATCH (p:Provider {id: row.provider_id})
MERGE (m:Match {id: row.id})
  ON CREATE SET m.status = 'PROPOSED', m.created_at = datetime()
WITH n, p, m, row WHERE m.status = 'PROPOSED'
SET m.score = row.score, m.explanation = row.explanation, m.computed_at = datetime(),
    m.as_of = $as_of, m.offer_id = row.offer_id
MERGE (n)-[:HAS_MATCH]->(m)
MERGE (m)-[:WITH_PROVIDER]->(p)
WITH m, row
OPTIONAL MATCH (m)-[old:USES_OFFER]->(:CapacityOffer)
DELETE old
WITH DISTINCT m, row
OPTIONAL MATCH (o:CapacityOffer {id: row.offer_id})
FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | MERGE (m)-[:USES_OFFER]->(o))
"""
_STAMP = """
MATCH (n:Need {id: $need_id})
SET n.matches_fingerprint = $fingerprint, n.matches_computed_at = datetime()
"""


async def store_matches(db: Database, need_id: str, rows: list[dict[str, Any]], fingerprint: str,
                        as_of: date) -> None:
    """Replace the need's PROPOSED matches by ``rows``; ACCEPTED and REJECTED matches stay as they are.

    One transaction, which first takes the need's write lock: a concurrent accept/reject of one of
    these matches (which takes the same lock) is serialised with it, so a match being accepted is
    never deleted as stale under the accept's feet. Rows: ``{id, provider_id, offer_id, score,
    explanation (JSON text)}``.
    """

    async def work(tx: Tx) -> None:
        if await tx.one(LOCK_NEED, need_id=need_id) is None:
            return
        await tx.rows(_DELETE_STALE, need_id=need_id, ids=[row["id"] for row in rows])
        if rows:
            await tx.rows(_UPSERT, need_id=need_id, rows=rows, as_of=as_of)
        await tx.rows(_STAMP, need_id=need_id, fingerprint=fingerprint)

    await db.write_tx(work)


_STORED = """
MATCH (n:Need {id: $need_id})-[:HAS_MATCH]->(m:Match)-[:WITH_PROVIDER]->(p:Provider)
WHERE m.score >= $min_score
  AND ($provider_id IS NULL OR p.id = $provider_id)
  AND ($statuses IS NULL OR m.status IN $statuses)
WITH n, m, p ORDER BY m.score DESC, m.id ASC
WITH n, collect({m: m, p: p}) AS all_rows
WITH n, all_rows, size(all_rows) AS total,
     [row IN all_rows WHERE $after_score IS NULL OR row.m.score < $after_score
                             OR (row.m.score = $after_score AND row.m.id > $after_id)] AS rest
UNWIND (CASE WHEN size(rest) = 0 THEN [null] ELSE rest[0..$limit] END) AS row
WITH n, total, size(rest) > $limit AS has_next, row.m AS m, row.p AS p
OPTIONAL MATCH (m)-[:USES_OFFER]->(o:CapacityOffer)
RETURN total, has_next, n.id AS need_id,
       m {.id, .score, .status, .reason, .explanation, .booked_volume,
          computed_at: toString(m.computed_at), decided_at: toString(m.decided_at), as_of: m.as_of} AS match,
       p {.id, .name, .kind, .rating} AS provider,
       o {.id, .process_text, .monthly_volume, .unit, .booked_volume} AS offer
"""


async def stored_matches(db: Database, need_id: str, *, limit: int, min_score: float = 0.0,
                         after: tuple[float, str] | None = None, provider_id: str | None = None,
                         statuses: list[str] | None = None) -> list[dict[str, Any]]:
    """A page of stored matches, best first (keyset pagination on ``(score desc, id asc)``).

    Every row carries ``total`` and ``has_next``; an empty page is one row whose ``match`` is null.
    """
    return await db.read(_STORED, need_id=need_id, limit=limit, min_score=min_score,
                         after_score=after[0] if after else None, after_id=after[1] if after else None,
                         provider_id=provider_id, statuses=statuses)


_BY_ID = """
MATCH (n:Need)-[:HAS_MATCH]->(m:Match {id: $match_id})-[:WITH_PROVIDER]->(p:Provider)
OPTIONAL MATCH (m)-[:USES_OFFER]->(o:CapacityOffer)
RETURN 1 AS total, false AS has_next, n.id AS need_id,
       m {.id, .score, .status, .reason, .explanation, .booked_volume,
          computed_at: toString(m.computed_at), decided_at: toString(m.decided_at), as_of: m.as_of} AS match,
       p {.id, .name, .kind, .rating} AS provider,
       o {.id, .process_text, .monthly_volume, .unit, .booked_volume} AS offer
"""


async def match_by_id(db: Database, match_id: str) -> dict[str, Any] | None:
    """One stored match, shaped like a :func:`stored_matches` row."""
    rows = await db.read(_BY_ID, match_id=match_id)
    return rows[0] if rows else None


_MATCH_STATUS_FOR_PAIRS = """
UNWIND $pairs AS pair
MATCH (n:Need {id: pair.need_id})-[:HAS_MATCH]->(m:Match)-[:WITH_PROVIDER]->(:Provider {id: pair.provider_id})
RETURN n.id AS need_id, m.id AS match_id, m.status AS status
"""


async def match_status_for_pairs(db: Database, pairs: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Stored matches for (need, provider) pairs: rows ``{need_id, match_id, status}``."""
    if not pairs:
        return []
    return await db.read(_MATCH_STATUS_FOR_PAIRS, pairs=pairs)


_ACCEPTED_FOR_PROVIDER = """
MATCH (n:Need {status: 'OPEN'})-[:HAS_MATCH]->(m:Match)-[:WITH_PROVIDER]->(:Provider {id: $provider_id})
WHERE m.status IN ['ACCEPTED', 'CONTRACTED', 'DELIVERED', 'COMPLETED']
RETURN n.id AS need_id, m.id AS match_id, m.score AS score, m.explanation AS explanation
"""


async def accepted_for_provider(db: Database, provider_id: str) -> list[dict[str, Any]]:
    """The provider's deals (accepted, under way or done) on open needs: shown whatever capacity is left."""
    return await db.read(_ACCEPTED_FOR_PROVIDER, provider_id=provider_id)


_ENTERPRISE_CONTACTS = """
UNWIND $need_ids AS need_id
MATCH (e:Enterprise)-[:POSTED]->(n:Need {id: need_id})
RETURN n.id AS need_id, e.id AS id, e.name AS name, e.contact_name AS contact_name,
       e.contact_phone AS contact_phone, e.contact_email AS contact_email
"""


async def enterprise_contacts(db: Database, need_ids: list[str]) -> list[dict[str, Any]]:
    """The enterprise behind each need, with contact details (the caller decides who may see them)."""
    return await db.read(_ENTERPRISE_CONTACTS, need_ids=need_ids)


_PROVIDER_EXISTS = "MATCH (p:Provider {id: $id}) RETURN p.id AS id, p.kind AS kind, p.name AS name"


async def provider_summary(db: Database, provider_id: str) -> dict[str, Any] | None:
    rows = await db.read(_PROVIDER_EXISTS, id=provider_id)
    return rows[0] if rows else None
