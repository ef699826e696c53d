"""Idempotency records: ``(:ClientMutation {key, result_id, created_at})`` (``key`` is unique).

A mutation that carries a client mutation id writes its record in the same transaction as its
effect, so either both exist or neither; a re-send finds the record and returns the first result.
"""

from __future__ import annotations

from graph.db import Database, Tx


async def find(db: Database, key: str) -> str | None:
    """The id the first mutation with this key produced, or None."""
    rows = await db.read("MATCH (c:ClientMutation {key: $key}) RETURN c.result_id AS result_id", key=key)
    return rows[0]["result_id"] if rows else None


async def record(tx: Tx, key: str, result_id: str) -> None:
    """Write the record in the caller's transaction; a concurrent duplicate fails on the unique key."""
    await tx.rows("CREATE (:ClientMutation {key: $key, result_id: $result_id, created_at: datetime()})",
                  key=key, result_id=result_id)
