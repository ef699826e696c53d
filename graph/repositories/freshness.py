"""Cypher of match freshness: the global data version and the signature stored matches are checked against.

``matching/freshness.py`` hashes :func:`data_signature` into a need's matches fingerprint; every write
to a matching input calls :func:`bump_data_version` in its own transaction.
"""

from __future__ import annotations

from typing import Any

from graph.db import Database, Tx

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

