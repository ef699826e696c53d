"""Cypher of Match nodes: storing a need's proposed matches, reading them, and deciding on them.

Writers take write locks in a fixed order — the need first, then the offer — before reading anything
they decide on. Neo4j reads at read-committed, so without the lock two accepts could both read "3,000
left" and both book 3,000; with it the second waits, then re-reads the booked volume the first
committed. Storing recomputed matches takes the need's lock too, so a match being accepted is never
deleted as stale under the accept's feet. Lock order need → offer is the same everywhere, so there is
no deadlock cycle.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.db import Database, Tx
from graph.repositories import deals
from graph.repositories.constraints import offer_feasibility
from graph.repositories.freshness import SIGNATURE
from graph.repositories.parties import NEED_CONTEXT

# ------------------------------------------------------------------------------------- stored matches

# Storing a need's recomputed matches, in one statement: the need's write lock first, then the stale
# PROPOSED matches go, the new rows are upserted (a match already decided on — any status but PROPOSED —
# is left as it is), and the fingerprint is stamped. A row whose offer is unchanged keeps its USES_OFFER
# relationship instead of having it deleted and re-created. The lock is taken by a SET of a constant,
# before anything is read (a SET that reads the node, like `n.x = n.x`, would read the old value before
# waiting for the lock and could write it back over a concurrent commit); each CALL runs whole for the
# one need row, after it. Kept plan (`replan=skip`): 140 ms to plan, lookups by id only (see
# ``constraints._PAIR_FEATURES``).
_STORE = """CYPHER replan=skip
MATCH (n:Need {id: $need_id})
SET n._lock = true
WITH n
CALL (n) {
  MATCH (n)-[:HAS_MATCH]->(stale:Match {status: 'PROPOSED'})
  WHERE NOT stale.id IN $ids
  DETACH DELETE stale
}
CALL (n) {
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
  OPTIONAL MATCH (m)-[old:USES_OFFER]->(used:CapacityOffer)
  WHERE row.offer_id IS NULL OR used.id <> row.offer_id
  DELETE old
  WITH DISTINCT m, row WHERE row.offer_id IS NOT NULL
  MATCH (o:CapacityOffer {id: row.offer_id})
  MERGE (m)-[:USES_OFFER]->(o)
}
SET n.matches_fingerprint = $fingerprint, n.matches_computed_at = datetime()
"""


async def store_matches(db: Database, need_id: str, rows: list[dict[str, Any]], fingerprint: str,
                        as_of: date) -> None:
    """Replace the need's PROPOSED matches by ``rows``; ACCEPTED and REJECTED matches stay as they are.

    One transaction and one statement, which first takes the need's write lock: a concurrent
    accept/reject of one of these matches (which takes the same lock) is serialised with it, so a
    match being accepted is never deleted as stale under the accept's feet. The fingerprint is stored
    in the same transaction. Nothing happens for an unknown need. Rows: ``{id, provider_id, offer_id,
    score, explanation (JSON text)}``.
    """
    await db.write(_STORE, need_id=need_id, rows=rows, ids=[row["id"] for row in rows], as_of=as_of,
                   fingerprint=fingerprint)


# One stored-match row, as both readers return it (``m``, ``p``, optional ``o`` in scope).
_MATCH_ROW = """
       m {.id, .score, .status, .reason, .explanation, .booked_volume,
          computed_at: toString(m.computed_at), decided_at: toString(m.decided_at), as_of: m.as_of} AS match,
       p {.id, .name, .kind, .rating} AS provider,
       o {.id, .process_text, .monthly_volume, .unit, .booked_volume} AS offer
"""
_STORED = """
MATCH (n:Need {id: $need_id})-[:HAS_MATCH]->(m:Match)-[:WITH_PROVIDER]->(p:Provider)
WHERE m.score >= $min_score
  AND ($provider_id IS NULL OR p.id = $provider_id)
WITH n, m, p ORDER BY m.score DESC, m.id ASC
WITH n, collect({m: m, p: p}) AS all_rows
WITH n, all_rows, size(all_rows) AS total,
     [row IN all_rows WHERE $after_score IS NULL OR row.m.score < $after_score
                             OR (row.m.score = $after_score AND row.m.id > $after_id)] AS rest
UNWIND (CASE WHEN size(rest) = 0 THEN [null] ELSE rest[0..$limit] END) AS row
WITH n, total, size(rest) > $limit AS has_next, row.m AS m, row.p AS p
OPTIONAL MATCH (m)-[:USES_OFFER]->(o:CapacityOffer)
RETURN total, has_next, n.id AS need_id,""" + _MATCH_ROW


async def stored_matches(db: Database, need_id: str, *, limit: int, min_score: float = 0.0,
                         after: tuple[float, str] | None = None,
                         provider_id: str | None = None) -> list[dict[str, Any]]:
    """A page of stored matches, best first (keyset pagination on ``(score desc, id asc)``).

    Every row carries ``total`` and ``has_next``; an empty page is one row whose ``match`` is null.
    """
    return await db.read(_STORED, need_id=need_id, limit=limit, min_score=min_score,
                         after_score=after[0] if after else None, after_id=after[1] if after else None,
                         provider_id=provider_id)


# The stored-read path of `matches` in one round trip: the need's matching context (parties.NEED_CONTEXT), the
# data signature its freshness is checked against (freshness.SIGNATURE) and one page of its stored matches
# (_STORED, collected: [] when it has none), read in one statement, so in one snapshot. Each part is the very
# statement its own reader sends; their variables stay inside their subqueries (the need's columns come last,
# so none of them is in scope while the others run). No row: no such need.
_NEED_WITH_STORED = """
CALL () {""" + SIGNATURE + """}
CALL () {
  CALL () {""" + _STORED + """}
  RETURN collect({total: total, has_next: has_next, need_id: need_id, match: match, provider: provider,
                  offer: offer}) AS stored_page
}
CALL () {""" + NEED_CONTEXT + """}
RETURN *
"""


async def need_with_stored_page(db: Database, need_id: str, *, limit: int, min_score: float = 0.0,
                                after: tuple[float, str] | None = None,
                                provider_id: str | None = None) -> dict[str, Any] | None:
    """One row: the need's context columns (as :func:`graph.repositories.parties.need_contexts`), ``versions``
    and ``dirty`` (:func:`graph.repositories.freshness.signature_of` reads them) and ``stored_page`` (the rows
    :func:`stored_matches` returns for the same arguments); None when the need does not exist."""
    rows = await db.read(_NEED_WITH_STORED, need_id=need_id, need_ids=[need_id], limit=limit, min_score=min_score,
                         after_score=after[0] if after else None, after_id=after[1] if after else None,
                         provider_id=provider_id)
    return rows[0] if rows else None


_BY_ID = """
MATCH (n:Need)-[:HAS_MATCH]->(m:Match {id: $match_id})-[:WITH_PROVIDER]->(p:Provider)
OPTIONAL MATCH (m)-[:USES_OFFER]->(o:CapacityOffer)
RETURN 1 AS total, false AS has_next, n.id AS need_id,""" + _MATCH_ROW


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


# ------------------------------------------------------------------------------------------ decisions

_LOCK_NEED_OF_MATCH = """
MATCH (n:Need)-[:HAS_MATCH]->(:Match {id: $match_id})
SET n._lock = true
RETURN n.id AS need_id
"""
_DECISION_STATE = """
MATCH (e:Enterprise)-[:POSTED]->(n:Need)-[:HAS_MATCH]->(m:Match {id: $match_id})-[:WITH_PROVIDER]->(p:Provider)
OPTIONAL MATCH (m)-[:USES_OFFER]->(o:CapacityOffer)
RETURN e.id AS enterprise_id, n.id AS need_id, n.kind AS kind, n.status AS need_status,
       n.quantity AS quantity, n.unit AS unit, m.status AS status, m.reason AS reason,
       p.id AS provider_id, o.id AS offer_id,
       COUNT { MATCH (n)-[:HAS_MATCH]->(other:Match) WHERE other <> m
               AND other.status IN ['ACCEPTED', 'CONTRACTED', 'DELIVERED', 'COMPLETED'] } AS other_accepted
"""
_LOCK_OFFER = "MATCH (o:CapacityOffer {id: $offer_id}) SET o._lock = true RETURN o.id AS id"
_RECHECK_OFFER = f"""
MATCH (n:Need {{id: $need_id}})
MATCH (o:CapacityOffer {{id: $offer_id}})
{offer_feasibility("")}
RETURN o.status AS status, unit_ok, moq_ok, window_ok, volume_ok, deliverable, booked, days,
       o.monthly_volume AS monthly_volume, o.unit AS unit, o.moq AS moq
"""
_BOOK = """
MATCH (n:Need {id: $need_id})-[:HAS_MATCH]->(m:Match {id: $match_id})-[:USES_OFFER]->(o:CapacityOffer)
SET o.booked_volume = coalesce(o.booked_volume, 0) + n.quantity, m.booked_volume = n.quantity
RETURN o.booked_volume AS offer_booked
"""
_DECIDE = """
MATCH (m:Match {id: $match_id})
SET m.status = $status, m.reason = $reason, m.decided_at = datetime(), m.decided_by = $actor
RETURN m.id AS id
"""


async def lock_need_of_match(tx: Tx, match_id: str) -> str | None:
    row = await tx.one(_LOCK_NEED_OF_MATCH, match_id=match_id)
    return row["need_id"] if row else None


async def decision_state(tx: Tx, match_id: str) -> dict[str, Any] | None:
    """The match, its need, enterprise and offer as committed now (call after taking the locks)."""
    return await tx.one(_DECISION_STATE, match_id=match_id)


async def lock_offer(tx: Tx, offer_id: str) -> None:
    await tx.one(_LOCK_OFFER, offer_id=offer_id)


async def recheck_offer(tx: Tx, need_id: str, offer_id: str, as_of: date) -> dict[str, Any] | None:
    """The offer's feasibility for the need now, with the same formula matching used."""
    return await tx.one(_RECHECK_OFFER, need_id=need_id, offer_id=offer_id, as_of=as_of)


async def book(tx: Tx, need_id: str, match_id: str) -> None:
    await tx.one(_BOOK, need_id=need_id, match_id=match_id)


async def decide(tx: Tx, match_id: str, status: str, reason: str | None, actor: str | None,
                 by_role: str = "ENTERPRISE", by_org: str | None = None) -> None:
    """Record the decision on the match and as its first transition (deal history, docs/DEALS.md)."""
    if status not in ("ACCEPTED", "REJECTED"):
        raise ValueError(f"not a decision: {status!r}")
    # first: the transition reads the status it comes from (and marks the stored match lists it changes)
    await deals.transition(tx, match_id, status, by_role=by_role, by_org=by_org, actor=actor, note=reason)
    await tx.one(_DECIDE, match_id=match_id, status=status, reason=reason, actor=actor)
