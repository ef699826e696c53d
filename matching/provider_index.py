"""The in-process provider index: exact vector retrieval under a need's hard constraints, in numpy.

Why it exists (docs/SCALING.md §2, BENCHMARKS.md): Neo4j's vector index is approximate and knows no
constraints, so a need restricted to a region or a certificate either loses the providers that pass
(post-filtering the index's top k) or scans them in Cypher, which costs hundreds of milliseconds per
need once a constraint admits 10⁴ providers. This index keeps every provider's statement and
published-offer vectors (unit length, float32) beside the attributes of the hard constraints it can
decide in memory — listed, kind, region chain, active certificates and their validity — and answers
"the ``k`` providers nearest to this need among those that pass" with one masked matrix–vector
product: exact, so its recall against an exact scan is 1.

It only *narrows*: every candidate it returns still goes through the Cypher constraints and features
(``graph.repositories.constraints.pair_features``), so a momentarily stale entry can cost a
candidate, never admit one that breaks a constraint.

Freshness: the index is loaded once per process and database (keyset pages) and, before each search,
brought up to date with the providers whose ``matching_changed_at`` moved (stamped in the same
transaction as every write to a provider's matching inputs). A provider count that disagrees with
the index (deletions, a wiped test database) triggers a full reload.
"""

from __future__ import annotations

import asyncio
import gc
import time
import weakref
from datetime import date, timedelta
from typing import Any

import numpy as np

from graph.db import Database
from graph.repositories import provider_index as repo
from matching.lexical_index import (
    OFFER_DESCRIPTION,
    OFFER_PROCESS,
    PROVIDER_DESCRIPTION,
    PROVIDER_NAME,
    STATEMENT_TEXT,
    LexicalIndex,
)
from matching.provider_search import (
    OFFER_TERMS,
    CapacityTerms,
    Retrieved,
    View,
    admitted,
    text_hits,
    vector_hits,
)

LOAD_PAGE = 1_000  # providers per keyset page of a full load
RELOAD_BATCH = 500  # changed providers fetched per statement of an incremental sync
# Stamps are the writing transaction's clock: one that commits late may carry a stamp older than a
# change already seen, so every sync looks this far back and skips the stamps it already holds.
LOOKBACK = timedelta(seconds=60)
NOT_HELD = -1
NO_EXPIRY = date.max.toordinal() + 1


class ProviderIndex:
    """One database's providers, in memory. Build with :func:`index_for`; search with :meth:`search`."""

    def __init__(self) -> None:
        self._sync_lock = asyncio.Lock()
        self.loaded = False
        self.loaded_in_s: float | None = None
        self._since: Any = None
        self._stamps: dict[str, Any] = {}
        self._reset(dimension=0)

    # ------------------------------------------------------------------------------ storage

    def _reset(self, dimension: int) -> None:
        self._slot: dict[str, int] = {}
        self._ids: list[str] = []
        self._provider_rows: dict[int, list[int]] = {}
        self._listed = np.zeros(0, bool)
        self._capacity_ok = np.zeros(0, bool)
        self._service_ok = np.zeros(0, bool)
        self._regions = np.full((0, 4), -1, np.int32)
        self._region_ids: dict[str, int] = {}
        self._certs: dict[str, np.ndarray] = {}
        self._provider_certs: dict[int, list[str]] = {}
        self._link_lists: dict[str, tuple[list[int], list[float]]] = {}
        self._links: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._touched_codes: set[str] = set()
        self._dimension = dimension
        self._vectors = np.zeros((0, dimension), np.float32)
        self._row_provider = np.zeros(0, np.int32)
        self._row_offer = np.zeros(0, bool)
        self._alive = np.zeros(0, bool)
        self._offer_terms = {name: np.full(0, np.nan) for name in OFFER_TERMS}
        self._unit_ids: dict[str, int] = {}
        self._rows = 0
        self._dead = 0
        self._lexical = LexicalIndex()
        self._publish()

    def _publish(self) -> None:
        if self._touched_codes:
            links = dict(self._links)
            for code in self._touched_codes:
                rows, confidences = self._link_lists[code]
                links[code] = (np.asarray(rows, np.int64), np.asarray(confidences, np.float32))
            self._links = links
            self._touched_codes = set()
        self._view = View(self._ids, len(self._ids), self._listed, self._capacity_ok, self._service_ok,
                           self._regions, self._region_ids, self._certs, self._links, self._vectors,
                           self._row_provider, self._row_offer, self._alive, self._rows, self._offer_terms,
                           self._unit_ids, self._lexical.publish())

    @property
    def providers(self) -> int:
        return len(self._slot)

    @property
    def vectors(self) -> int:
        return self._rows - self._dead

    def _grow_providers(self, needed: int) -> None:
        capacity = len(self._listed)
        if needed <= capacity:
            return
        size = max(needed, capacity * 3 // 2, 1_024)

        def grown(a: np.ndarray, fill: Any) -> np.ndarray:
            out = np.full((size, *a.shape[1:]), fill, a.dtype)
            out[:capacity] = a
            return out

        self._listed = grown(self._listed, False)
        self._capacity_ok = grown(self._capacity_ok, False)
        self._service_ok = grown(self._service_ok, False)
        self._regions = grown(self._regions, -1)
        self._certs = {code: grown(valid, NOT_HELD) for code, valid in self._certs.items()}

    def _grow_rows(self, needed: int, dimension: int) -> None:
        if self._dimension == 0:
            self._dimension = dimension
            self._vectors = np.zeros((0, dimension), np.float32)
        capacity = len(self._alive)
        if needed <= capacity:
            return
        size = max(needed, capacity * 3 // 2, 4_096)
        vectors = np.zeros((size, self._dimension), np.float32)
        vectors[:capacity] = self._vectors
        self._vectors = vectors
        for name in ("_row_provider", "_row_offer", "_alive"):
            old = getattr(self, name)
            new = np.zeros(size, old.dtype)
            new[:capacity] = old
            setattr(self, name, new)
        for name, old in list(self._offer_terms.items()):
            new = np.full(size, np.nan)
            new[:capacity] = old
            self._offer_terms[name] = new

    def _region_id(self, code: str) -> int:
        if code not in self._region_ids:
            self._region_ids[code] = len(self._region_ids)
        return self._region_ids[code]

    def _put(self, entry: dict[str, Any]) -> None:
        """Insert or replace one provider (its old rows die; its new rows are appended)."""
        pid = entry["id"]
        slot = self._slot.get(pid)
        if slot is None:
            slot = len(self._ids)
            self._grow_providers(slot + 1)
            self._slot[pid] = slot
            self._ids.append(pid)
        self._drop_rows(slot)
        statements = _unit_rows(entry.get("statements"))
        offers = _unit_rows(entry.get("offers"))
        self._listed[slot] = entry.get("listing_status") == "LISTED"
        self._capacity_ok[slot] = bool(entry.get("manufacturer")) and len(offers) > 0
        self._service_ok[slot] = bool(entry.get("states"))
        regions = [self._region_id(code) for code in dict.fromkeys(entry.get("regions") or [])]
        if len(regions) > self._regions.shape[1]:
            wider = np.full((len(self._regions), len(regions)), -1, np.int32)
            wider[:, :self._regions.shape[1]] = self._regions
            self._regions = wider
        self._regions[slot] = -1
        self._regions[slot, :len(regions)] = regions
        for code in self._provider_certs.pop(slot, []):
            self._certs[code][slot] = NOT_HELD
        held_codes: list[str] = []
        for held in entry.get("certifications") or []:
            ordinal = _ordinal(held.get("valid_until"))
            for code in held.get("codes") or []:
                if code not in self._certs:
                    self._certs[code] = np.full(len(self._listed), NOT_HELD, np.int32)
                self._certs[code][slot] = max(int(self._certs[code][slot]), ordinal)
                held_codes.append(code)
        if held_codes:
            self._provider_certs[slot] = held_codes
        block = [(v, links, None) for v, links, _ in statements] + offers
        first_offer = self._rows + len(statements)  # rows of this block: its statements, then its offers
        documents = [(STATEMENT_TEXT, self._rows + i, item.get("text")) for i, (*_, item) in enumerate(statements)]
        for i, (*_, item) in enumerate(offers):
            documents += [(OFFER_PROCESS, first_offer + i, item.get("process_text")),
                          (OFFER_DESCRIPTION, first_offer + i, item.get("description"))]
        documents += [(PROVIDER_NAME, slot, entry.get("name")), (PROVIDER_DESCRIPTION, slot, entry.get("description"))]
        self._lexical.put(slot, documents)
        if block:
            start = self._rows
            self._grow_rows(start + len(block), len(block[0][0]))
            for i, (vector, links, offer) in enumerate(block):
                self._vectors[start + i] = vector
                self._row_offer[start + i] = offer is not None
                if offer is not None:
                    self._set_offer_terms(start + i, offer)
                for code, confidence in links:
                    rows, confidences = self._link_lists.setdefault(code, ([], []))
                    rows.append(start + i)
                    confidences.append(float(confidence))
                    self._touched_codes.add(code)
            self._row_provider[start:start + len(block)] = slot
            self._alive[start:start + len(block)] = True
            self._provider_rows[slot] = list(range(start, start + len(block)))
            self._rows = start + len(block)
        self._stamps[pid] = entry.get("changed_at")

    def _set_offer_terms(self, row: int, offer: dict[str, Any]) -> None:
        unit = offer.get("unit")
        if unit is not None and unit not in self._unit_ids:
            self._unit_ids[unit] = len(self._unit_ids)
        terms = self._offer_terms
        terms["unit"][row] = np.nan if unit is None else self._unit_ids[unit]
        terms["moq"][row] = _number(offer.get("moq"))
        terms["start"][row] = _day(offer.get("available_from"))
        terms["end"][row] = _day(offer.get("available_to"))
        terms["lead"][row] = _number(offer.get("lead_time_days"))
        terms["volume"][row] = _number(offer.get("monthly_volume"))

    def _put_many(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            self._put(entry)

    def _drop_rows(self, slot: int) -> None:
        old = self._provider_rows.pop(slot, [])
        if old:
            self._alive[old] = False
            self._dead += len(old)

    def _compact(self) -> None:
        """Drop dead rows once they are a third of the store (a rebuild of the row arrays)."""
        if self._dead * 3 < self._rows or self._rows < 4_096:
            return
        alive_before = self._alive[:self._rows]
        keep = np.flatnonzero(alive_before)
        self._vectors = np.ascontiguousarray(self._vectors[keep])
        self._row_provider = self._row_provider[keep].copy()
        self._row_offer = self._row_offer[keep].copy()
        self._offer_terms = {name: values[keep].copy() for name, values in self._offer_terms.items()}
        self._alive = np.ones(len(keep), bool)
        self._rows, self._dead = len(keep), 0
        self._provider_rows = {}
        for row, slot in enumerate(self._row_provider.tolist()):
            self._provider_rows.setdefault(slot, []).append(row)
        new_of_old = np.full(len(alive_before), -1, np.int64)
        new_of_old[keep] = np.arange(len(keep))
        self._lexical.move_rows(new_of_old)
        for code, (rows, confidences) in list(self._link_lists.items()):
            moved = new_of_old[np.asarray(rows, np.int64)]
            kept = moved >= 0
            self._link_lists[code] = (moved[kept].tolist(), np.asarray(confidences)[kept].tolist())
            self._touched_codes.add(code)

    # --------------------------------------------------------------------------------- sync

    async def ensure_current(self, db: Database) -> None:
        """Load everything the first time; afterwards apply the providers changed since the last sync."""
        async with self._sync_lock:
            state = await repo.changes(db, self._since if self.loaded else None)
            if not self.loaded:
                await self._load_all(db, state["now"])
                return
            stale = [pid for pid, stamp in state["changed"] if self._stamps.get(pid) != stamp]
            for start in range(0, len(stale), RELOAD_BATCH):
                entries = await repo.providers_by_id(db, stale[start:start + RELOAD_BATCH])
                found = {e["id"] for e in entries}
                # only this sync mutates (the lock); searches read the published view
                await asyncio.to_thread(self._put_many, entries)
                for pid in stale[start:start + RELOAD_BATCH]:
                    if pid not in found and pid in self._slot:  # deleted since: it can match nothing
                        self._listed[self._slot[pid]] = False
                        self._drop_rows(self._slot[pid])
                        self._lexical.drop(self._slot[pid])
            self._since = _native(state["now"]) - LOOKBACK
            if stale:
                self._compact()
                self._publish()
            if state["providers"] != self.providers:  # deletions, or a database wiped and refilled
                await self._load_all(db, state["now"])

    async def _load_all(self, db: Database, now: Any) -> None:
        started = time.perf_counter()
        self._reset(self._dimension)
        self._stamps = {}
        after = ""
        while True:
            page = await repo.provider_page(db, after, LOAD_PAGE)
            if not page:
                break
            await asyncio.to_thread(self._put_many, page)
            after = page[-1]["id"]
        self._since = _native(now) - LOOKBACK
        self.loaded = True
        self.loaded_in_s = time.perf_counter() - started
        self._publish()
        # The index's few hundred thousand long-lived containers (per-provider lists, the stamps) made every
        # full collection of the cyclic garbage collector walk them: 250 ms at 10⁵ providers, paid by
        # whichever request triggered it. Frozen, they are left out of collections (refcounting still
        # frees them when a reload drops them).
        gc.freeze()

    # ------------------------------------------------------------------------------- search

    async def search(self, db: Database, vector: list[float] | None, *, capacity: bool, regions: list[str],
                     certifications: list[str], as_of: date, k: int, codes: list[str] | None = None,
                     k_taxonomy: int = 0, terms: CapacityTerms | None = None, text: str | None = None) -> Retrieved:
        """Candidates among the providers that are listed, of the need's kind, in one of ``regions`` (any
        when empty) and hold every one of ``certifications`` valid on ``as_of``:

        * ``nearest`` — the ``k`` with the highest cosine (best statement or, for capacity, published
          offer), ``(provider id, cosine)``, best first (ties by id);
        * ``linked`` — the ``k_taxonomy`` with the most confident link to one of ``codes``;
        * ``text_hits`` — per full-text source (statements; offers for capacity; the provider's own name and
          description) the ``k`` providers whose best document scores highest by BM25 against ``text``.

        With ``terms`` (a CAPACITY need) only offers that can deliver count, as
        ``graph.repositories.constraints.offer_feasibility`` decides, except for volume already booked
        (left to Cypher), and a manufacturer passes only with such an offer.
        """
        await self.ensure_current(db)
        query = None
        if vector is not None:
            query = np.asarray(vector, np.float32)
            norm = float(np.linalg.norm(query))
            query = query / norm if norm > 0.0 else None
        view = self._view
        allowed = await asyncio.to_thread(admitted, view, capacity, regions, certifications, as_of.toordinal(), terms)
        # two worker threads: numpy releases the GIL, so the product and the text search overlap
        (nearest, linked), hits = await asyncio.gather(
            asyncio.to_thread(vector_hits, view, allowed, query, k, codes or [], k_taxonomy),
            asyncio.to_thread(text_hits, view, allowed, text, capacity, k))
        return Retrieved(nearest, linked, hits)


def _unit_rows(items: list[dict[str, Any]] | None) -> list[tuple[np.ndarray, list[tuple[str, float]], dict[str, Any]]]:
    """``(unit vector, [(capability code, confidence)], the item)`` per statement or offer with a non-zero vector."""
    out = []
    for item in items or []:
        array = np.asarray(item["vector"], np.float32)
        norm = float(np.linalg.norm(array))
        if norm > 0.0:
            out.append((array / norm, [(code, confidence) for code, confidence in item.get("links") or []], item))
    return out


def _number(value: Any) -> float:
    return np.nan if value is None else float(value)


def _day(value: Any) -> float:
    value = _native(value)
    return float(value.toordinal()) if isinstance(value, date) else np.nan


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _ordinal(value: Any) -> int:
    """A certificate's last valid day; no date means it does not expire."""
    day = _day(value)
    return NO_EXPIRY if np.isnan(day) else int(day)


_INDEXES: weakref.WeakKeyDictionary[Database, ProviderIndex] = weakref.WeakKeyDictionary()


def index_for(db: Database) -> ProviderIndex:
    """The process's index of this database (created empty; loaded by its first search)."""
    index = _INDEXES.get(db)
    if index is None:
        index = _INDEXES[db] = ProviderIndex()
    return index
