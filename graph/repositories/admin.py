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
