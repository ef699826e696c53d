"""The reference for ``matches``: an exact numpy scan over the same vectors plus the same hard
constraints, evaluated in Python on arrays exported once from the graph.

For one need it computes, over *every* provider of the pool, the best cosine of its statements and
(capacity) feasible published offers, drops the providers that break a hard constraint (kind,
certifications valid on ``as_of``, region incl. PART_OF ancestors up to 3 levels, and for capacity
needs the offer's unit, MOQ, window and volume — the rules of ``graph.repositories.constraints``), and
returns the top k by cosine. Its time per need is what "the exact scan + filter" costs; its top 10
is what the service's retrieval is measured against (recall@10).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from graph.db import Database
from graph.repositories import bulk

REGION_DEPTH = 3  # PART_OF*0..3, as in PAIR_CONSTRAINTS


def _day(value: Any) -> int | None:
    if value is None:
        return None
    native = value.to_native() if hasattr(value, "to_native") else value
    return native.toordinal()


@dataclass
class ExactIndex:
    provider_ids: list[str]
    manufacturer: np.ndarray  # bool per provider
    states: np.ndarray  # bool per provider: has a capability statement
    statement_vectors: np.ndarray  # (S, d), rows sorted by provider
    statement_owner: np.ndarray  # (S,) provider index
    offer_vectors: np.ndarray  # (O, d)
    offer_owner: np.ndarray  # (O,)
    offer_fields: dict[str, np.ndarray]  # unit (object), moq, volume, booked, lead, start, end (float, nan = none)
    region_pairs: dict[str, np.ndarray]  # region code -> provider indexes located in it or below (depth ≤ 3)
    certs: dict[str, list[tuple[int, str, int | None]]]  # code -> (provider index, status, valid_until day)
    load_seconds: float = 0.0

    @property
    def size(self) -> int:
        return len(self.provider_ids)


async def build_index(db: Database) -> ExactIndex:
    """Export the pool once (seconds at 10⁴, about a minute at 10⁵) into numpy arrays."""
    started = time.perf_counter()
    providers = await bulk.export_providers(db)
    position = {row["id"]: i for i, row in enumerate(providers)}
    parents = {row["code"]: row["parents"] for row in await bulk.export_region_parents(db)}

    def ancestors(code: str) -> set[str]:
        found, frontier = {code}, {code}
        for _ in range(REGION_DEPTH):
            frontier = {p for c in frontier for p in parents.get(c, [])}
            found |= frontier
        return found

    region_members: dict[str, list[int]] = defaultdict(list)
    certs: dict[str, list[tuple[int, str, int | None]]] = defaultdict(list)
    for i, row in enumerate(providers):
        for code in {a for r in row["regions"] for a in ancestors(r)}:
            region_members[code].append(i)
        for held in row["certs"]:
            certs[held["code"]].append((i, held["status"], _day(held["valid_until"])))
    statements = await bulk.export_statement_vectors(db)
    statements.sort(key=lambda r: position[r["provider_id"]])
    offers = await bulk.export_offers(db)
    offers.sort(key=lambda r: position[r["provider_id"]])

    def nums(key: str, rows: list[dict[str, Any]], day: bool = False) -> np.ndarray:
        values = [(_day(r[key]) if day else r[key]) for r in rows]
        return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)

    dim = len(statements[0]["embedding"]) if statements else 384
    return ExactIndex(
        provider_ids=[row["id"] for row in providers],
        manufacturer=np.array([row["kind"] == "MANUFACTURER" for row in providers], dtype=bool),
        states=np.array([bool(row["states"]) for row in providers], dtype=bool),
        statement_vectors=np.array([r["embedding"] for r in statements], dtype=np.float32).reshape(-1, dim),
        statement_owner=np.array([position[r["provider_id"]] for r in statements], dtype=np.int64),
        offer_vectors=np.array([r["embedding"] for r in offers if r["embedding"]], dtype=np.float32).reshape(-1, dim),
        offer_owner=np.array([position[r["provider_id"]] for r in offers if r["embedding"]], dtype=np.int64),
        offer_fields={
            "unit": np.array([r["unit"] for r in offers if r["embedding"]], dtype=object),
            **{key: nums(key, [r for r in offers if r["embedding"]])
               for key in ("moq", "monthly_volume", "booked_volume", "lead_time_days")},
            "start": nums("available_from", [r for r in offers if r["embedding"]], day=True),
            "end": nums("available_to", [r for r in offers if r["embedding"]], day=True),
        },
        region_pairs={code: np.array(members, dtype=np.int64) for code, members in region_members.items()},
        certs=dict(certs),
        load_seconds=time.perf_counter() - started,
    )


def _unit_vector(vector: list[float]) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float32)
    return v / (np.linalg.norm(v) or 1.0)


def _normalised(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def feasible_offers(index: ExactIndex, need: Any, as_of: date) -> np.ndarray:
    """Mask over offers: unit, window, MOQ and volume (``offer_feasibility``, not partial)."""
    f = index.offer_fields
    today = as_of.toordinal()
    start = np.where(np.isnan(f["start"]) | (f["start"] < today), today, f["start"])
    if need.deadline is not None:
        by_deadline = need.deadline.toordinal() - np.nan_to_num(f["lead_time_days"], nan=0.0)
        last = np.where(np.isnan(f["end"]), by_deadline, np.minimum(f["end"], by_deadline))
    else:
        last = f["end"]
    days = np.where(np.isnan(last), np.nan, np.where(last < start, 0.0, last - start + 1))
    booked = np.nan_to_num(f["booked_volume"], nan=0.0)
    volume = np.nan_to_num(f["monthly_volume"], nan=0.0)
    quantity = need.quantity
    unit_ok = np.ones(len(start), dtype=bool) if quantity is None or need.unit is None else f["unit"] == need.unit
    moq_ok = np.ones(len(start), dtype=bool) if quantity is None else (np.isnan(f["moq"]) | (quantity >= f["moq"]))
    window_ok = np.isnan(days) | (days >= 1)
    with np.errstate(invalid="ignore"):
        if quantity is None:
            volume_ok = np.isnan(days) | (volume * days > 30 * booked)
        else:
            volume_ok = np.isnan(days) | (volume * days >= 30 * (quantity + booked))
    return unit_ok & moq_ok & window_ok & volume_ok


def provider_mask(index: ExactIndex, need: Any, as_of: date) -> np.ndarray:
    """Providers passing kind, certification and region (PAIR_CONSTRAINTS)."""
    mask = index.manufacturer.copy() if need.kind == "CAPACITY" else index.states.copy()
    today = as_of.toordinal()
    for cert in need.certifications:
        holders = np.zeros(index.size, dtype=bool)
        for i, status, until in index.certs.get(cert["code"], []):
            if status == "ACTIVE" and (until is None or until >= today):
                holders[i] = True
        mask &= holders
    if need.regions:
        inside = np.zeros(index.size, dtype=bool)
        for region in need.regions:
            members = index.region_pairs.get(region["code"])
            if members is not None:
                inside[members] = True
        mask &= inside
    return mask


def exact_top(index: ExactIndex, need: Any, as_of: date, k: int = 10) -> list[tuple[str, float]]:
    """The k constraint-passing providers with the highest exact cosine, best first."""
    query = _unit_vector(need.embedding)
    best = np.full(index.size, -np.inf, dtype=np.float32)
    mask = provider_mask(index, need, as_of)
    if need.kind == "CAPACITY":
        ok = feasible_offers(index, need, as_of)
        if ok.any():
            sims = index.offer_vectors[ok] @ query
            np.maximum.at(best, index.offer_owner[ok], sims)
        mask &= np.isfinite(best)  # a capacity need needs a feasible offer
    if len(index.statement_vectors):
        np.maximum.at(best, index.statement_owner, index.statement_vectors @ query)
    best[~mask] = -np.inf
    count = int(np.isfinite(best).sum())
    if count == 0:
        return []
    k = min(k, count)
    top = np.argpartition(-best, k - 1)[:k]
    top = top[np.argsort(-best[top], kind="stable")]
    return [(index.provider_ids[i], float(best[i])) for i in top]


def prepare(index: ExactIndex) -> ExactIndex:
    """Normalise the vectors once (stored vectors already are; derived ones nearly)."""
    index.statement_vectors = _normalised(index.statement_vectors)
    index.offer_vectors = _normalised(index.offer_vectors)
    return index
