"""Cypher of the fulfilment records a provider's score is computed from (``matching.deals.fulfilment``).

Apart from ``deals.py`` because matching's pair features embed the same subquery
(``graph.repositories.constraints``), and this module imports nothing of the other repositories.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.db import Database

FULFILMENT_WINDOW_DAYS = 182  # the rolling window: 6 months (or back to the last deals, see matching)
DEAL_CAP = 500  # deals read per provider (a window never needs more)

def fulfilment_records(provider: str) -> str:
    """A ``CALL`` subquery adding ``deals`` and ``opportunity_counts`` for provider variable ``provider``.

    ``deals``: the provider's deals (matches ever accepted, on or before ``$as_of``), newest first,
    at most ``$deal_cap``: ``{status, accepted, delivered, deadline, cancelled_by, rating}`` where
    ``rating`` is the enterprise's mean of its three stars (null: not rated). ``opportunity_counts``:
    ``{offered, answered}`` — matches naming the provider created since ``$window_start`` and how many
    of them the provider answered (a response) or were accepted. ``provider`` is a Cypher variable
    name chosen by the caller's code, never input.
    """
    if not provider.isidentifier():
        raise ValueError(f"not a variable name: {provider!r}")
    return f"""
CALL ({provider}) {{
  OPTIONAL MATCH ({provider})<-[:WITH_PROVIDER]-(dm:Match)<-[:HAS_MATCH]-(dn:Need)
  WHERE dm.accepted_at IS NOT NULL AND date(dm.accepted_at) <= $as_of
  WITH dm, dn ORDER BY dm.accepted_at DESC
  WITH collect(CASE WHEN dm IS NULL THEN null ELSE {{
      status: dm.status, accepted: date(dm.accepted_at), delivered: date(dm.delivered_at),
      deadline: dn.deadline, cancelled_by: dm.cancelled_by_role,
      rating: head([(dm)-[:HAS_RATING]->(dr:Rating {{by_role: 'ENTERPRISE'}}) |
                    (dr.quality + dr.delivery + dr.communication) / 3.0])}} END) AS all_deals
  RETURN all_deals[0..$deal_cap] AS deals
}}
CALL ({provider}) {{
  OPTIONAL MATCH ({provider})<-[:WITH_PROVIDER]-(om:Match)<-[:HAS_MATCH]-(on:Need)
  WHERE om.created_at >= datetime({{date: $window_start}}) AND date(om.created_at) <= $as_of
  RETURN {{offered: count(om),
          answered: count(CASE WHEN om.accepted_at IS NOT NULL
                                 OR EXISTS {{ ({provider})-[:RESPONDED]->(:Response)-[:TO_NEED]->(on) }}
                               THEN 1 END)}} AS opportunity_counts
}}
"""


_FULFILMENT = """
UNWIND $provider_ids AS provider_id
MATCH (p:Provider {id: provider_id})
""" + fulfilment_records("p") + """
RETURN p.id AS provider_id, deals, opportunity_counts
"""


async def fulfilment(db: Database, provider_ids: list[str], *, as_of: date, window_start: date,
                     deal_cap: int) -> list[dict[str, Any]]:
    """The fulfilment records of each provider (see :func:`fulfilment_records`)."""
    return await db.read(_FULFILMENT, provider_ids=list(provider_ids), as_of=as_of, window_start=window_start,
                         deal_cap=deal_cap)
