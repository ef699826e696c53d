"""Whole-database maintenance."""

from __future__ import annotations

from graph.db import Database

# Schema bookkeeping survives a data reset; everything else goes.
DELETE_BATCH = """
MATCH (n) WHERE NOT n:SchemaMigration
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
"""


async def delete_all_data(db: Database) -> None:
    """Delete every node but the migration records (auto-commit: batched transactions)."""
    await db.schema(DELETE_BATCH)


# Community Neo4j does not warm its page cache after a restart (Enterprise does): until a page is read
# once, every query touching it waits for the disk, and a recompute at 10⁵ providers took seconds
# instead of tens of milliseconds. One pass over every node and relationship with a property read loads
# the node, relationship and property stores (the provider index's load already read the vectors).
WARM_PAGE_CACHE = """
MATCH (n)
OPTIONAL MATCH (n)-[r]->()
RETURN count(n.id) + count(r.confidence) AS touched
"""


async def warm_page_cache(db: Database) -> None:
    """Read every node and relationship once (auto-commit, no transaction timeout: minutes at 10⁶ nodes)."""
    await db.schema(WARM_PAGE_CACHE)
