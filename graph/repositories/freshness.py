"""Cypher of match freshness: scoped data versions, per-need dirty marks, and a need's signature.

``matching/freshness.py`` hashes :func:`data_signature` into a need's matches fingerprint. A write
to a matching input marks stale only the stored match lists it can change (docs/MATCHING.md §8,
docs/SCALING.md "Freshness"):

* **region versions** — ``(:MatchingState {key: 'region:<province code>'})``, bumped by a write to a
  provider (its row, certifications, statements, offers) located in that province. Region is a
  hard constraint, so a provider outside every region of a need can never enter its matches: a
  need restricted to regions depends only on their provinces' versions; a need without a region
  restriction depends on all of them. Writes in different provinces touch different nodes, so
  they no longer serialise on one.
* **dirty marks** — ``Need.matches_dirty``, a counter incremented on every need whose stored
  matches include a provider that was written (it may have dropped out or changed score, even
  if it moved to another province) or whose own row or enterprise was written. A counter, not a
  cleared fingerprint, so a recompute that read the old value and stores afterwards is stale again.
* **the global version** ``(:MatchingState {key: 'all'})`` — every need depends on it; bumped by
  writes whose scope is unknown (reference data, test fixtures, a fresh bulk load).

A write that is only about a need (posting, updating, closing one) touches no version: another
need's matches cannot depend on it.
"""

from __future__ import annotations

from typing import Any

from graph.db import Database, Tx

GLOBAL_KEY = "all"
DATA_VERSION_BUMP = ("MERGE (state:MatchingState {key: 'all'}) "
                     "SET state.data_version = coalesce(state.data_version, 0) + 1")

# The province of a region (itself for a province; a city's province; else the region itself).
_PROVINCE_OF = ("CASE WHEN {r}.level = 'PROVINCE' THEN {r}.code "
                "ELSE coalesce(head([({r})-[:PART_OF]->(pp:Region {{level: 'PROVINCE'}}) | pp.code]), {r}.code) END")

# Providers a write is about, found from the ids of what it wrote (each lookup an index seek).
_MARK_STALE = """
UNWIND $ids AS id
CALL (id) {
  MATCH (p:Provider {id: id}) RETURN p
  UNION
  MATCH (p:Provider)-[:STATES]->(:CapabilityStatement {id: id}) RETURN p
  UNION
  MATCH (p:Provider)-[:OFFERS]->(:CapacityOffer {id: id}) RETURN p
}
WITH collect(DISTINCT p) AS providers
CALL (providers) {
  UNWIND providers AS p
  SET p.matching_changed_at = datetime()
  RETURN count(*) AS stamped
}
CALL (providers) {
  UNWIND providers AS p
  OPTIONAL MATCH (p)-[:LOCATED_IN]->(r:Region)
  WITH DISTINCT CASE WHEN r IS NULL THEN 'region:none'
                     ELSE 'region:' + """ + _PROVINCE_OF.format(r="r") + """ END AS key
  ORDER BY key
  MERGE (state:MatchingState {key: key})
  SET state.data_version = coalesce(state.data_version, 0) + 1
  RETURN count(*) AS versions
}
CALL (providers) {
  UNWIND providers AS p
  MATCH (n:Need)-[:HAS_MATCH]->(:Match)-[:WITH_PROVIDER]->(p)
  WITH DISTINCT n
  SET n.matches_dirty = coalesce(n.matches_dirty, 0) + 1
  RETURN count(*) AS via_matches
}
CALL () {
  UNWIND $ids AS id
  CALL (id) {
    MATCH (n:Need {id: id}) RETURN n
    UNION
    MATCH (:Enterprise {id: id})-[:POSTED]->(n:Need) RETURN n
  }
  WITH DISTINCT n
  SET n.matches_dirty = coalesce(n.matches_dirty, 0) + 1
  RETURN count(*) AS needs
}
RETURN size(providers) AS providers, versions, via_matches, needs,
       COUNT { MATCH (e:Enterprise) WHERE e.id IN $ids } AS enterprises
"""

# The needs whose stored matches include the matches' providers (their own needs among them), marked
# in id order so that concurrent decisions on one provider take these locks in the same order.
_DECISION_STALE = """
UNWIND $match_ids AS match_id
MATCH (:Match {id: match_id})-[:WITH_PROVIDER]->(p:Provider)
MATCH (n:Need)-[:HAS_MATCH]->(:Match)-[:WITH_PROVIDER]->(p)
WITH DISTINCT n ORDER BY n.id
SET n.matches_dirty = coalesce(n.matches_dirty, 0) + 1
RETURN count(*) AS needs
"""
_PAIR_STALE = """
MATCH (:Need {id: $need_id})<-[:POSTED]-(:Enterprise)-[:POSTED]->(n:Need)
      -[:HAS_MATCH]->(:Match)-[:WITH_PROVIDER]->(:Provider {id: $provider_id})
WITH DISTINCT n ORDER BY n.id
SET n.matches_dirty = coalesce(n.matches_dirty, 0) + 1
RETURN count(*) AS needs
"""

# The versions a need depends on: the provinces its regions cover (every province when it has
# none) and the global key, plus its own dirty counter. ``n`` (a Need, or null) must be in scope;
# adds ``versions`` and ``dirty``.
SIGNATURE_OF_NEED = """
CALL (n) {
  WITH n, [(n)-[:WITHIN_REGION]->(r:Region) | r] AS regions
  CALL (regions) {
    UNWIND regions AS r
    MATCH (member:Region)-[:PART_OF*0..3]->(r)
    RETURN collect(DISTINCT 'region:' + """ + _PROVINCE_OF.format(r="member") + """) AS keys
  }
  OPTIONAL MATCH (state:MatchingState) WHERE size(regions) = 0 OR state.key IN keys + ['all']
  RETURN collect([state.key, state.data_version]) AS versions, coalesce(n.matches_dirty, 0) AS dirty
}
"""
# The same as a statement of its own. Parameter: $need_id.
SIGNATURE = "OPTIONAL MATCH (n:Need {id: $need_id})" + SIGNATURE_OF_NEED + "RETURN versions, dirty"
_GLOBAL_VERSION = "OPTIONAL MATCH (state:MatchingState {key: 'all'}) RETURN coalesce(state.data_version, 0) AS version"


async def mark_stale(tx: Tx, ids: list[str | None]) -> dict[str, int]:
    """Mark stale what a write to these objects can change. Call in the write's transaction.

    ``ids`` are the written objects (providers, statements, offers, needs, enterprises; ``None``
    ignored). When none of them is found (a write of something else), the global version is bumped;
    an enterprise without needs (just registered) marks nothing.
    """
    wanted = [i for i in ids if i]
    rows = await tx.rows(_MARK_STALE, ids=wanted) if wanted else []
    touched = rows[0] if rows else {"providers": 0, "versions": 0, "via_matches": 0, "needs": 0, "enterprises": 0}
    if not (touched["providers"] or touched["needs"] or touched["enterprises"]):
        await tx.rows(DATA_VERSION_BUMP)
    return dict(touched)


async def mark_decision_stale(tx: Tx, match_id: str) -> None:
    """A decision or a deal step on a match: its need, and every need whose stored matches include the
    same provider (an acceptance books the offer's volume; deals and ratings are evidence), are stale."""
    await mark_decisions_stale(tx, [match_id])


async def mark_decisions_stale(tx: Tx, match_ids: list[str]) -> None:
    """:func:`mark_decision_stale` for several matches at once (released bookings)."""
    if match_ids:
        await tx.rows(_DECISION_STALE, match_ids=list(match_ids))


async def mark_response_stale(tx: Tx, provider_id: str, need_id: str) -> None:
    """A provider's response to a need is evidence on the same enterprise's needs whose stored matches
    include that provider (a decline lowers it there)."""
    await tx.rows(_PAIR_STALE, provider_id=provider_id, need_id=need_id)


async def bump_data_version(tx: Tx) -> None:
    """Mark every stored match list stale (the global version): for writes of unknown scope."""
    await tx.rows(DATA_VERSION_BUMP)


def signature_of(row: dict[str, Any] | None) -> dict[str, Any]:
    """The signature from a row holding ``versions`` and ``dirty`` (see :data:`SIGNATURE_OF_NEED`)."""
    row = row or {"versions": [], "dirty": 0}
    versions = sorted((key, version) for key, version in row["versions"] if key is not None)
    return {"versions": versions, "dirty": row["dirty"]}


async def data_signature(db: Database, need_id: str | None = None) -> dict[str, Any]:
    """What a need's stored matches are checked against: the versions it depends on and its dirty counter.

    Without ``need_id`` (or for an unknown need), every version: the conservative signature.
    """
    rows = await db.read(SIGNATURE, need_id=need_id or "")
    return signature_of(rows[0] if rows else None)


def global_version(signature: dict[str, Any]) -> int:
    """The global version within a signature (0 before the first global bump)."""
    return next((version or 0 for key, version in signature["versions"] if key == GLOBAL_KEY), 0)


async def read_global_version(db: Database) -> int:
    """The global version (``MatchingState 'all'``), 0 before the first bump: what a per-process copy of
    reference data (the taxonomy) is checked against."""
    rows = await db.read(_GLOBAL_VERSION)
    return int(rows[0]["version"]) if rows else 0
