"""Cypher of match decisions: accept (booking capacity) and reject.

Both run inside one write transaction (``Database.write_tx``) and take write locks in a fixed order
— the need first, then the offer — before reading anything they decide on. Neo4j reads at
read-committed, so without the lock two accepts could both read "3,000 left" and both book 3,000;
with it the second waits, then re-reads the booked volume the first committed. Lock order need →
offer is the same everywhere (recomputing matches locks only the need), so no deadlock cycle.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.db import Tx
from graph.repositories import deals
from graph.repositories.matching import DATA_VERSION_BUMP, offer_feasibility

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
    """Record the decision on the match and as its first transition (deal history, issue 12)."""
    if status not in ("ACCEPTED", "REJECTED"):
        raise ValueError(f"not a decision: {status!r}")
    await deals.transition(tx, match_id, status, by_role=by_role, by_org=by_org, actor=actor, note=reason)
    await tx.one(_DECIDE, match_id=match_id, status=status, reason=reason, actor=actor)
    await tx.rows(DATA_VERSION_BUMP)
