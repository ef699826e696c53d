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

def fulfilment_records(provider: str, need: str | None = None, siblings: str | None = None) -> str:
    """A ``CALL`` subquery adding ``deals`` and ``opportunity_counts`` for provider variable ``provider``.

    ``deals``: the provider's deals (matches ever accepted, on or before ``$as_of``), newest first,
    at most ``$deal_cap``: ``{status, accepted, delivered, deadline, cancelled_by, rating}`` where
    ``rating`` is the enterprise's mean of its three stars (null: not rated). ``opportunity_counts``:
    ``{offered, answered}`` — matches naming the provider created since ``$window_start`` and how many
    of them the provider answered (a response) or were accepted.

    With ``need`` (a Need variable) and ``siblings`` (a list variable: the other needs of the need's
    enterprise, one entry per ``(need)<-[:POSTED]-(:Enterprise)-[:POSTED]->(other)`` path), the same
    walk also adds the evidence matching reads about the pair: ``collaborations`` (the provider's
    accepted-or-later matches on the siblings), ``rejections`` (its REJECTED matches on them),
    ``declines`` (its DECLINED responses to them) and ``existing_status`` (the status of the need's own
    match with the provider, null if none). Each count is the number of paths
    ``(provider)<-[:WITH_PROVIDER]-(:Match)<-[:HAS_MATCH]-(other)<-[:POSTED]-(:Enterprise)-[:POSTED]->(need)``
    (``-[:RESPONDED]->(:Response)-[:TO_NEED]->`` for declines), as a ``COUNT {}`` over that pattern counts
    them — but the provider's matches and responses are expanded once per pair for all of these.
    Variable names are chosen by the caller's code, never input.
    """
    names = [provider] + ([need, siblings] if need or siblings else [])
    if not all(name and name.isidentifier() for name in names) or (need is None) != (siblings is None):
        raise ValueError(f"not variable names: {names!r}")
    imports = ", ".join(names)
    declines = carry = counts = returned = ""
    if need:
        declines = f""",
       reduce(total = 0, x IN responses | total + CASE WHEN x[1] = 'DECLINED'
                                            THEN size([y IN {siblings} WHERE y = x[0]]) ELSE 0 END) AS declines"""
        carry = ", declines"
        counts = f""",
       sum(CASE WHEN dm.status IN ['ACCEPTED', 'CONTRACTED', 'DELIVERED', 'COMPLETED']
                THEN size([x IN {siblings} WHERE x = dn]) ELSE 0 END) AS collaborations,
       sum(CASE WHEN dm.status = 'REJECTED' THEN size([x IN {siblings} WHERE x = dn]) ELSE 0 END) AS rejections,
       head(collect(CASE WHEN dn = {need} THEN dm.status END)) AS existing_status,
       max(declines) AS declines"""
        returned = ", collaborations, rejections, existing_status, declines"
    return f"""
CALL ({imports}) {{
  WITH {imports},
       [({provider})-[:RESPONDED]->(r:Response)-[:TO_NEED]->(rn:Need) | [rn, r.interest]] AS responses
  WITH {imports}, responses{declines}
  OPTIONAL MATCH ({provider})<-[:WITH_PROVIDER]-(dm:Match)<-[:HAS_MATCH]-(dn:Need)
  WITH {imports}, [x IN responses | x[0]] AS responded, dm, dn{carry},
       dm.accepted_at IS NOT NULL AND date(dm.accepted_at) <= $as_of AS is_deal,
       dm.created_at >= datetime({{date: $window_start}}) AND date(dm.created_at) <= $as_of AS is_opportunity
  ORDER BY dm.accepted_at DESC
  WITH collect(CASE WHEN is_deal THEN {{
      status: dm.status, accepted: date(dm.accepted_at), delivered: date(dm.delivered_at),
      deadline: dn.deadline, cancelled_by: dm.cancelled_by_role,
      rating: head([(dm)-[:HAS_RATING]->(dr:Rating {{by_role: 'ENTERPRISE'}}) |
                    (dr.quality + dr.delivery + dr.communication) / 3.0])}} END) AS all_deals,
       count(CASE WHEN is_opportunity THEN 1 END) AS offered,
       count(CASE WHEN is_opportunity AND (dm.accepted_at IS NOT NULL OR dn IN responded) THEN 1 END)
         AS answered{counts}
  RETURN all_deals[0..$deal_cap] AS deals, {{offered: offered, answered: answered}} AS opportunity_counts{returned}
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
