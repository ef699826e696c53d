"""Cypher of deals: what happens to a Match after it is proposed.

Graph shape (docs/DEALS.md has the whole story):

* ``(:Match {status, accepted_at, delivered_at, completed_at, cancelled_at, cancelled_by_role,
  cancel_reason, booked_volume, released_volume})`` — ``status`` is the current state;
* ``(:Match)-[:HAD_TRANSITION]->(:MatchTransition {from, to, at, by_role, by_org, actor, note})`` —
  one node per status change, never edited; the funnel reports bucket these with one aggregate;
* ``(:Provider)-[:RESPONDED]->(:Response {id, interest, price, currency, lead_time_days, valid_until,
  message, created_at, updated_at})-[:TO_NEED]->(:Need)``, optionally ``-[:QUOTES_OFFER]->(:CapacityOffer)``
  — one per (provider, need), a revised quote replaces the fields; keyed by the pair (not the Match),
  so a recomputed match list never loses it;
* ``(:Match)-[:HAS_RATING]->(:Rating {by_role, quality, delivery, communication, clarity, payment,
  comment, at})`` — at most one per side.

Bookings: a match's ``booked_volume`` is its live booking on the offer it ``USES_OFFER``; releasing
moves it to ``released_volume`` and subtracts it from the offer's ``booked_volume`` in the same
statement, so ``offer.booked_volume = offer.external_booked_volume + Σ match.booked_volume`` over the
matches that use it (checked by :func:`booking_drift`); ``external_booked_volume`` is capacity booked
outside gongxu (the sample loader's ``booked_volume``). Every write here runs in the caller's write
transaction after the need's write lock (and, for bookings, the offer's): the order need → offer is
the one ``matches.py`` uses for accepting.
"""

from __future__ import annotations

from typing import Any

from graph.db import Database, Tx
from graph.repositories.freshness import mark_decision_stale, mark_decisions_stale, mark_response_stale

# ------------------------------------------------------------------------------------ locks, state

_LOCK_NEED_OF_MATCH = """
MATCH (n:Need)-[:HAS_MATCH]->(:Match {id: $match_id})
SET n._lock = true
RETURN n.id AS need_id
"""

_DEAL_STATE = """
MATCH (e:Enterprise)-[:POSTED]->(n:Need)-[:HAS_MATCH]->(m:Match {id: $match_id})-[:WITH_PROVIDER]->(p:Provider)
OPTIONAL MATCH (m)-[:USES_OFFER]->(o:CapacityOffer)
RETURN m.id AS match_id, m.status AS status, coalesce(m.booked_volume, 0) AS booked_volume,
       e.id AS enterprise_id, n.id AS need_id, n.kind AS kind, n.status AS need_status, n.deadline AS deadline,
       p.id AS provider_id, o.id AS offer_id,
       [(m)-[:HAS_RATING]->(r:Rating) | r.by_role] AS rated_by
"""


async def lock_need_of_match(tx: Tx, match_id: str) -> str | None:
    """Take the write lock of the match's need (first in the lock order); None: no such match."""
    row = await tx.one(_LOCK_NEED_OF_MATCH, match_id=match_id)
    return row["need_id"] if row else None


async def deal_state(tx: Tx, match_id: str) -> dict[str, Any] | None:
    """The match with its parties, need and offer as committed now (call after the need's lock)."""
    return await tx.one(_DEAL_STATE, match_id=match_id)


# ------------------------------------------------------------------------------------- transitions

_TRANSITION = """
MATCH (m:Match {id: $match_id})
WITH m, m.status AS from
SET m.status = $to, m.status_changed_at = datetime()
FOREACH (_ IN CASE WHEN $to = 'ACCEPTED' THEN [1] ELSE [] END | SET m.accepted_at = datetime())
FOREACH (_ IN CASE WHEN $to = 'CONTRACTED' THEN [1] ELSE [] END | SET m.contracted_at = datetime())
FOREACH (_ IN CASE WHEN $to = 'DELIVERED' THEN [1] ELSE [] END | SET m.delivered_at = datetime())
FOREACH (_ IN CASE WHEN $to = 'COMPLETED' THEN [1] ELSE [] END | SET m.completed_at = datetime())
FOREACH (_ IN CASE WHEN $to = 'CANCELLED' THEN [1] ELSE [] END |
  SET m.cancelled_at = datetime(), m.cancelled_by_role = $by_role, m.cancel_reason = $note)
CREATE (m)-[:HAD_TRANSITION]->(t:MatchTransition {from: from, to: $to, at: datetime(), by_role: $by_role,
                                                  by_org: $by_org, actor: $actor, note: $note})
RETURN from
"""


async def transition(tx: Tx, match_id: str, to: str, *, by_role: str, by_org: str | None, actor: str | None,
                     note: str | None) -> None:
    """Set the match's status and keep the change as a ``MatchTransition`` (timestamped history).

    The caller has checked that the step is allowed; this also stamps ``<step>_at`` on the match
    and, for a cancellation, who cancelled and why. Deals are evidence: the needs whose stored matches
    include the provider are marked stale (``freshness.mark_decision_stale``), not every need.
    """
    await tx.one(_TRANSITION, match_id=match_id, to=to, by_role=by_role, by_org=by_org, actor=actor, note=note)
    await mark_decision_stale(tx, match_id)


_HISTORY = """
UNWIND $match_ids AS match_id
MATCH (m:Match {id: match_id})-[:HAD_TRANSITION]->(t:MatchTransition)
WITH match_id, t ORDER BY t.at
RETURN match_id, collect(t {.from, .to, .by_role, .by_org, .note, at: toString(t.at)}) AS transitions
"""


async def history(db: Database, match_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each match's transitions, oldest first (the actor token id is not returned)."""
    rows = await db.read(_HISTORY, match_ids=list(match_ids))
    return {row["match_id"]: row["transitions"] for row in rows}


# ----------------------------------------------------------------------------------------- booking

_LIVE_DEALS_OF_NEED = """
MATCH (n:Need {id: $need_id})
SET n._lock = true
WITH n
MATCH (n)-[:HAS_MATCH]->(m:Match) WHERE m.status IN $statuses
OPTIONAL MATCH (m)-[:USES_OFFER]->(o:CapacityOffer)
RETURN m.id AS match_id, m.status AS status, o.id AS offer_id, coalesce(m.booked_volume, 0) AS booked_volume
ORDER BY m.id
"""
_LIVE_DEALS_OF_OFFER = """
MATCH (n:Need)-[:HAS_MATCH]->(m:Match)-[:USES_OFFER]->(o:CapacityOffer {id: $offer_id})
WHERE m.status IN $statuses
RETURN m.id AS match_id, m.status AS status, n.id AS need_id, coalesce(m.booked_volume, 0) AS booked_volume
ORDER BY n.id, m.id
"""
_LOCK_NEEDS = "UNWIND $need_ids AS need_id MATCH (n:Need {id: need_id}) SET n._lock = true RETURN count(n) AS n"
_LOCK_OFFERS = ("UNWIND $offer_ids AS offer_id MATCH (o:CapacityOffer {id: offer_id}) SET o._lock = true "
                "RETURN count(o) AS n")
_RELEASE = """
UNWIND $match_ids AS match_id
MATCH (m:Match {id: match_id})-[:USES_OFFER]->(o:CapacityOffer)
WHERE coalesce(m.booked_volume, 0) > 0
WITH o, collect(m) AS ms, sum(m.booked_volume) AS freed
SET o.booked_volume = coalesce(o.booked_volume, 0) - freed, o.updated_at = datetime()
FOREACH (m IN ms | SET m.released_volume = m.booked_volume, m.booked_volume = 0)
RETURN o.id AS offer_id, freed
"""


async def live_deals_of_need(tx: Tx, need_id: str, statuses: list[str]) -> list[dict[str, Any]]:
    """The need's deals in ``statuses``, read after taking the need's write lock."""
    return await tx.rows(_LIVE_DEALS_OF_NEED, need_id=need_id, statuses=list(statuses))


async def live_deals_of_offer(tx: Tx, offer_id: str, statuses: list[str]) -> list[dict[str, Any]]:
    return await tx.rows(_LIVE_DEALS_OF_OFFER, offer_id=offer_id, statuses=list(statuses))


async def lock_needs(tx: Tx, need_ids: list[str]) -> None:
    """Write locks on needs, in id order (call before locking any offer: the order is need → offer)."""
    await tx.one(_LOCK_NEEDS, need_ids=sorted(set(need_ids)))


async def lock_offers(tx: Tx, offer_ids: list[str]) -> None:
    await tx.one(_LOCK_OFFERS, offer_ids=sorted(set(offer_ids)))


async def release(tx: Tx, match_ids: list[str]) -> float:
    """Give the matches' booked volume back to their offers (offers must be locked); returns the total."""
    if not match_ids:
        return 0.0
    rows = await tx.rows(_RELEASE, match_ids=list(match_ids))
    if rows:
        await mark_decisions_stale(tx, list(match_ids))
    return float(sum(row["freed"] for row in rows))


_OFFER_BOOKING = """
MATCH (o:CapacityOffer {id: $offer_id})
RETURN o.id AS offer_id, coalesce(o.booked_volume, 0) AS booked_volume, o.monthly_volume AS monthly_volume,
       o.available_from AS available_from, o.available_to AS available_to, o.unit AS unit,
       [(n:Need)-[:HAS_MATCH]->(m:Match)-[:USES_OFFER]->(o) WHERE coalesce(m.booked_volume, 0) > 0 |
          {match_id: m.id, need_id: n.id, quantity: m.booked_volume, deadline: n.deadline}] AS bookings
"""


async def offer_booking(tx: Tx, offer_id: str) -> dict[str, Any] | None:
    """The offer's capacity and its live bookings (each with its need's deadline)."""
    return await tx.one(_OFFER_BOOKING, offer_id=offer_id)


_NEED_BOOKINGS = """
MATCH (n:Need {id: $need_id})
SET n._lock = true
WITH n
MATCH (n)-[:HAS_MATCH]->(m:Match) WHERE coalesce(m.booked_volume, 0) > 0
RETURN m.id AS match_id, m.status AS status, m.booked_volume AS booked_volume
"""


async def need_bookings(tx: Tx, need_id: str) -> list[dict[str, Any]]:
    """The need's matches that hold booked capacity, read after taking the need's write lock (which
    an accept takes too, so no booking can appear until this transaction ends)."""
    return await tx.rows(_NEED_BOOKINGS, need_id=need_id)


_BOOKING_DRIFT = """
MATCH (o:CapacityOffer)
OPTIONAL MATCH (m:Match)-[:USES_OFFER]->(o)
WITH o, coalesce(o.booked_volume, 0) AS booked,
     coalesce(o.external_booked_volume, 0) + sum(coalesce(m.booked_volume, 0)) AS live
WHERE booked <> live OR booked < 0
RETURN o.id AS offer_id, booked, live
ORDER BY o.id
"""


async def booking_drift(db: Database) -> list[dict[str, Any]]:
    """Offers whose ``booked_volume`` differs from what is booked outside gongxu plus the live bookings
    of their deals (should be none)."""
    return await db.read(_BOOKING_DRIFT)


# --------------------------------------------------------------------------------------- responses

RESPONSE_PROPS = ("interest", "price", "currency", "lead_time_days", "valid_until", "message")

_RESPONSE_CONTEXT = """
MATCH (e:Enterprise)-[:POSTED]->(n:Need {id: $need_id})
OPTIONAL MATCH (n)-[:HAS_MATCH]->(m:Match)-[:WITH_PROVIDER]->(:Provider {id: $provider_id})
OPTIONAL MATCH (:Provider {id: $provider_id})-[:OFFERS]->(o:CapacityOffer {id: $offer_id})
RETURN n.id AS need_id, n.status AS need_status, n.kind AS kind, e.id AS enterprise_id,
       m.id AS match_id, m.status AS match_status, o.id AS offer_id, o.status AS offer_status
"""
_UPSERT_RESPONSE = """
MATCH (p:Provider {id: $provider_id}), (n:Need {id: $need_id})
MERGE (p)-[:RESPONDED]->(r:Response)-[:TO_NEED]->(n)
  ON CREATE SET r.id = $id, r.created_at = datetime(), r.revision = 0
SET r += $props, r.updated_at = datetime(), r.revision = r.revision + 1
WITH r
OPTIONAL MATCH (r)-[old:QUOTES_OFFER]->(:CapacityOffer)
DELETE old
WITH DISTINCT r
OPTIONAL MATCH (o:CapacityOffer {id: $offer_id})
FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | MERGE (r)-[:QUOTES_OFFER]->(o))
RETURN r.id AS id, r.revision AS revision
"""
_RESPONSE_FIELDS = """
r {.id, .interest, .price, .currency, .lead_time_days, .valid_until, .message, .revision,
   created_at: toString(r.created_at), updated_at: toString(r.updated_at),
   offer_id: head([(r)-[:QUOTES_OFFER]->(qo:CapacityOffer) | qo.id])}
"""
_RESPONSES_FOR_PAIRS = f"""
UNWIND $pairs AS pair
MATCH (:Provider {{id: pair.provider_id}})-[:RESPONDED]->(r:Response)-[:TO_NEED]->(:Need {{id: pair.need_id}})
RETURN pair.need_id AS need_id, pair.provider_id AS provider_id, {_RESPONSE_FIELDS} AS response
"""
_RESPONSES_OF_PROVIDER = f"""
MATCH (p:Provider {{id: $provider_id}})-[:RESPONDED]->(r:Response)-[:TO_NEED]->(n:Need)
WHERE $need_id IS NULL OR n.id = $need_id
OPTIONAL MATCH (n)-[:HAS_MATCH]->(m:Match)-[:WITH_PROVIDER]->(p)
WITH p, r, n, m ORDER BY r.updated_at DESC, r.id LIMIT $limit
RETURN n.id AS need_id, p.id AS provider_id, n.title AS need_title, n.status AS need_status,
       m.id AS match_id, m.status AS match_status, {_RESPONSE_FIELDS} AS response
"""
_RESPONSES_OF_NEED = f"""
MATCH (p:Provider)-[:RESPONDED]->(r:Response)-[:TO_NEED]->(n:Need {{id: $need_id}})
OPTIONAL MATCH (n)-[:HAS_MATCH]->(m:Match)-[:WITH_PROVIDER]->(p)
RETURN n.id AS need_id, p.id AS provider_id, p.name AS provider_name, m.id AS match_id,
       m.status AS match_status, {_RESPONSE_FIELDS} AS response
ORDER BY r.updated_at DESC, r.id
LIMIT $limit
"""


async def response_context(tx: Tx, need_id: str, provider_id: str, offer_id: str | None) -> dict[str, Any] | None:
    """The need (its status and enterprise), the provider's stored match on it, and the named offer if
    it is the provider's (None: no such need)."""
    return await tx.one(_RESPONSE_CONTEXT, need_id=need_id, provider_id=provider_id, offer_id=offer_id)


async def lock_need(tx: Tx, need_id: str) -> None:
    await tx.one(_LOCK_NEEDS, need_ids=[need_id])


async def upsert_response(tx: Tx, response_id: str, provider_id: str, need_id: str, props: dict[str, Any],
                          offer_id: str | None) -> dict[str, Any]:
    """Create the provider's response to the need, or revise it (one per pair; ``response_id`` is used
    only when it is new). Call under the need's lock so two first answers cannot both create one."""
    row = await tx.one(_UPSERT_RESPONSE, id=response_id, provider_id=provider_id, need_id=need_id,
                       props={key: props.get(key) for key in RESPONSE_PROPS}, offer_id=offer_id)
    await mark_response_stale(tx, provider_id, need_id)  # a decline is evidence
    assert row is not None
    return row


async def responses_for_pairs(db: Database, pairs: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Responses of (need, provider) pairs: rows ``{need_id, provider_id, response}``."""
    if not pairs:
        return []
    return await db.read(_RESPONSES_FOR_PAIRS, pairs=pairs)


async def responses_of_provider(db: Database, provider_id: str, *, need_id: str | None = None,
                                limit: int = 100) -> list[dict[str, Any]]:
    """A provider's own responses, newest first, with the need's and the match's state."""
    return await db.read(_RESPONSES_OF_PROVIDER, provider_id=provider_id, need_id=need_id, limit=limit)


async def responses_of_need(db: Database, need_id: str, *, limit: int = 200) -> list[dict[str, Any]]:
    """Every response to one need (for its enterprise to compare)."""
    return await db.read(_RESPONSES_OF_NEED, need_id=need_id, limit=limit)


# ----------------------------------------------------------------------------------------- ratings

RATING_PROPS = ("quality", "delivery", "communication", "clarity", "payment", "comment")

_RATE = """
MATCH (m:Match {id: $match_id})
WHERE NOT EXISTS { (m)-[:HAS_RATING]->(:Rating {by_role: $by_role}) }
CREATE (m)-[:HAS_RATING]->(r:Rating {by_role: $by_role, by_org: $by_org, at: datetime(), source: 'DEAL'})
SET r += $props
RETURN m.id AS match_id
"""
_RATINGS_OF_MATCHES = """
UNWIND $match_ids AS match_id
MATCH (m:Match {id: match_id})-[:HAS_RATING]->(r:Rating)
RETURN match_id, collect(r {.by_role, .quality, .delivery, .communication, .clarity, .payment, .comment,
                           at: toString(r.at)}) AS ratings
"""
_PROVIDER_RATINGS = """
UNWIND $provider_ids AS provider_id
MATCH (p:Provider {id: provider_id})
OPTIONAL MATCH (p)<-[:WITH_PROVIDER]-(:Match)-[:HAS_RATING]->(r:Rating {by_role: 'ENTERPRISE'})
RETURN p.id AS provider_id, p.rating AS prior, count(r) AS count,
       avg((r.quality + r.delivery + r.communication) / 3.0) AS mean,
       avg(r.quality) AS quality, avg(r.delivery) AS delivery, avg(r.communication) AS communication
"""
_ENTERPRISE_RATINGS = """
UNWIND $enterprise_ids AS enterprise_id
MATCH (e:Enterprise {id: enterprise_id})
OPTIONAL MATCH (e)-[:POSTED]->(:Need)-[:HAS_MATCH]->(:Match)-[:HAS_RATING]->(r:Rating {by_role: 'PROVIDER'})
RETURN e.id AS enterprise_id, count(r) AS count, avg((r.clarity + r.payment) / 2.0) AS mean,
       avg(r.clarity) AS clarity, avg(r.payment) AS payment
"""


async def rate(tx: Tx, match_id: str, by_role: str, by_org: str | None, props: dict[str, Any]) -> bool:
    """Add one side's rating of a deal; False when that side has already rated it (nothing written)."""
    row = await tx.one(_RATE, match_id=match_id, by_role=by_role, by_org=by_org,
                       props={key: props[key] for key in RATING_PROPS if props.get(key) is not None})
    if row is not None:
        await mark_decision_stale(tx, match_id)
    return row is not None


async def ratings_of_matches(db: Database, match_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    rows = await db.read(_RATINGS_OF_MATCHES, match_ids=list(match_ids))
    return {row["match_id"]: row["ratings"] for row in rows}


async def provider_ratings(db: Database, provider_ids: list[str]) -> list[dict[str, Any]]:
    """Per provider: the enterprises' deal ratings (mean, count, part means) and the prior ``rating``
    the sample loader set (prior data, kept apart)."""
    return await db.read(_PROVIDER_RATINGS, provider_ids=list(provider_ids))


async def enterprise_ratings(db: Database, enterprise_ids: list[str]) -> list[dict[str, Any]]:
    return await db.read(_ENTERPRISE_RATINGS, enterprise_ids=list(enterprise_ids))


async def seeded(db: Database, actor: str) -> bool:
    """Whether deal history written by ``actor`` (e.g. the sample loader) exists."""
    rows = await db.read("RETURN EXISTS { MATCH (:MatchTransition {actor: $actor}) } AS seeded", actor=actor)
    return bool(rows[0]["seeded"])
