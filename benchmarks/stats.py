"""Percentiles and rates shared by the benchmark modules."""

from __future__ import annotations

from typing import Any


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (``share`` in 0..1); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, Any]:
    """n, p50, p95, p99 and max of a list of milliseconds."""
    return {"n": len(values), "p50": percentile(values, 0.50), "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99), "max": max(values) if values else None}


def ratio(subject: float | None, reference: float | None) -> float | None:
    """subject / reference, None when either is missing or the reference is zero."""
    if subject is None or reference is None or reference == 0:
        return None
    return subject / reference
