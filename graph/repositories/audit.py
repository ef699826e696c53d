"""The audit log: one ``(:AuditEvent {id, actor, action, target, at, before, after})`` per staff action
(and per automatic decision, with actor ``system``), written in the transaction of the action itself
so that an action and its record commit together or not at all. Events are never changed.

``before`` and ``after`` are JSON text (Neo4j properties cannot hold maps); readers get them back
as dicts.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any, TypedDict

from graph.db import Database, Tx
from graph.repositories.rows import native_rows


class AuditEvent(TypedDict):
    id: str
    actor: str
    action: str
    target: str
    at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


async def record(tx: Tx, actor: str, action: str, target: str, before: dict[str, Any] | None,
                 after: dict[str, Any] | None) -> str:
    """Write one event in ``tx``; returns its id."""
    event_id = f"aud_{uuid.uuid4().hex[:20]}"
    await tx.rows("CREATE (:AuditEvent {id: $id, actor: $actor, action: $action, target: $target, "
                  "at: datetime(), before: $before, after: $after})",
                  id=event_id, actor=actor, action=action, target=target, before=_json(before), after=_json(after))
    return event_id


async def page(db: Database, limit: int, actor: str | None = None, action: str | None = None,
               target: str | None = None, after_at: Any = None, after_id: str | None = None) -> list[AuditEvent]:
    """Events newest first, optionally of one actor / action / target; keyset by ``(at, id)`` descending."""
    rows = await db.read(
        "MATCH (e:AuditEvent) "
        "WHERE ($actor IS NULL OR e.actor = $actor) AND ($action IS NULL OR e.action = $action) "
        "  AND ($target IS NULL OR e.target = $target) "
        "  AND ($after_id IS NULL OR e.at < $after_at OR (e.at = $after_at AND e.id < $after_id)) "
        "RETURN e.id AS id, e.actor AS actor, e.action AS action, e.target AS target, e.at AS at, "
        "e.before AS before, e.after AS after ORDER BY e.at DESC, e.id DESC LIMIT $limit",
        actor=actor, action=action, target=target, after_at=after_at, after_id=after_id, limit=limit)
    events = []
    for row in native_rows(rows):
        row["before"] = json.loads(row["before"]) if row["before"] else None
        row["after"] = json.loads(row["after"]) if row["after"] else None
        events.append(AuditEvent(**row))  # type: ignore[typeddict-item]
    return events
