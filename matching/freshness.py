"""When stored matches are stale: a fingerprint of the data they were computed from.

A need's stored matches carry ``matches_fingerprint`` and ``matches_computed_at``. The fingerprint
hashes

* the engine version (a change of scoring code invalidates everything),
* the ``as_of`` date (feasibility windows move every day),
* the need's ``updated_at`` and status,
* the versions the need depends on (its regions' provinces, or every province for a need without a
  region restriction, and the global version) and the need's dirty counter — marked in the same
  transaction as any write that can change its matches (``graph.repositories.freshness.mark_stale``;
  docs/MATCHING.md §8 says which write marks what).

``matches`` recomputes when the fingerprint differs or the stored result is older than
:data:`MAX_AGE` (a backstop, not the mechanism). ACCEPTED and REJECTED matches are never replaced.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from matching.candidates import NeedContext

ENGINE_VERSION = "1"
MAX_AGE = timedelta(minutes=30)
TIMEZONE = ZoneInfo("Asia/Shanghai")  # feasibility is judged in China's calendar


def today() -> date:
    """Today in China, the default ``asOf`` of feasibility.

    Outside production ``GONGXU_TODAY`` (YYYY-MM-DD) pins it, so an evaluation anchored at a date
    stays reproducible as the calendar moves on.
    """
    pinned = os.environ.get("GONGXU_TODAY")
    if pinned and os.environ.get("GONGXU_ENV", "development") != "production":
        return date.fromisoformat(pinned)
    return datetime.now(TIMEZONE).date()


def fingerprint(need: NeedContext, signature: dict[str, Any], as_of: date) -> str:
    payload = json.dumps([ENGINE_VERSION, as_of.isoformat(), need.updated_at, need.status,
                          sorted(signature.items())], default=str, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def _as_datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def is_stale(need: NeedContext, current: str, now: datetime | None = None) -> bool:
    if need.matches_fingerprint != current:
        return True
    computed = _as_datetime(need.matches_computed_at)
    now = now or datetime.now(UTC)
    return computed is None or now - computed > MAX_AGE
