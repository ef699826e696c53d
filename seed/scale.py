"""Sample data at scale: the same records as :mod:`seed.sample`, streamed lazily.

``iter_providers(100_000)`` yields providers ``prv_000001`` … ``prv_100000`` built by the very function
that builds the committed sample (:func:`seed.sample.build_provider_bundle`), so provider *i* is identical
in both and ids continue the same scheme (``prv_1000000`` is the millionth).  Every record depends only on
the seed and its own index: nothing is accumulated, memory stays constant, and any slice can be produced on
its own (``start``) — for instance by parallel loaders.

    python -m seed.scale --providers 100000 --out scale-data   # JSON Lines, streamed to disk

:func:`generate` writes such a pool straight into Neo4j, fast: rows for the next batch are built in a
worker thread while the current one is written, writes skip the link deletion a fresh node does not
need, and on an empty graph the vector and full-text indexes are dropped during the load and
populated once at the end (one HNSW insert per node, interleaved with the writes, is what made the
old generator slow down from ≈130 to ≈20 providers/s near 10⁵).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seed.sample import (
    SEED,
    CapabilityStatement,
    CapacityOffer,
    Catalog,
    Enterprise,
    Need,
    Provider,
    ProviderBundle,
    build_enterprise,
    build_need,
    build_provider_bundle,
    catalog,
    to_json_line,
)

if TYPE_CHECKING:
    from graph.db import Database
    from matching.embedding import Embedder

__all__ = [
    "GenerateReport",
    "generate",
    "iter_capability_statements",
    "iter_capacity_offers",
    "iter_enterprises",
    "iter_needs",
    "iter_provider_bundles",
    "iter_providers",
]


def _range(n: int, start: int) -> range:
    if n < 0 or start < 1:
        raise ValueError(f"need n >= 0 and start >= 1, got n={n}, start={start}")
    return range(start, start + n)


def iter_provider_bundles(
    n: int, seed: int = SEED, start: int = 1, cat: Catalog | None = None
) -> Iterator[ProviderBundle]:
    """Providers ``start`` … ``start + n - 1`` with their statements and offers, one at a time."""
    cat = cat or catalog()
    for index in _range(n, start):
        yield build_provider_bundle(cat, seed, index)


def iter_providers(
    n: int, seed: int = SEED, start: int = 1, cat: Catalog | None = None
) -> Iterator[Provider]:
    for bundle in iter_provider_bundles(n, seed, start, cat):
        yield bundle.provider


def iter_capability_statements(
    n: int, seed: int = SEED, start: int = 1, cat: Catalog | None = None
) -> Iterator[CapabilityStatement]:
    """The capability statements of providers ``start`` … ``start + n - 1``."""
    for bundle in iter_provider_bundles(n, seed, start, cat):
        yield from bundle.statements


def iter_capacity_offers(
    n: int, seed: int = SEED, start: int = 1, cat: Catalog | None = None
) -> Iterator[CapacityOffer]:
    """The capacity offers of providers ``start`` … ``start + n - 1`` (manufacturers have 1–3 each)."""
    for bundle in iter_provider_bundles(n, seed, start, cat):
        yield from bundle.offers


def iter_enterprises(
    n: int, seed: int = SEED, start: int = 1, cat: Catalog | None = None
) -> Iterator[Enterprise]:
    cat = cat or catalog()
    for index in _range(n, start):
        yield build_enterprise(cat, seed, index)


def iter_needs(
    n: int, n_enterprises: int, seed: int = SEED, start: int = 1, cat: Catalog | None = None
) -> Iterator[Need]:
    """Needs ``start`` … ``start + n - 1``, posted by enterprises ``ent_000001`` … ``n_enterprises``."""
    if n_enterprises < 1:
        raise ValueError("needs are posted by enterprises: n_enterprises must be at least 1")
    cat = cat or catalog()
    for index in _range(n, start):
        yield build_need(cat, seed, index, n_enterprises)


# ------------------------------------------------------------------------------- into Neo4j, fast

ENTERPRISES_PER_PROVIDER = 0.32  # the sample's proportions: 320 enterprises, 240 needs per 1,000 providers
NEEDS_PER_PROVIDER = 0.24


@dataclass
class GenerateReport:
    """What :func:`generate` wrote and where the time went (seconds)."""

    providers: int = 0
    statements: int = 0
    offers: int = 0
    enterprises: int = 0
    needs: int = 0
    deferred_indexes: bool = False
    build_seconds: float = 0.0  # building rows and vectors (overlaps the writes)
    write_seconds: float = 0.0  # waiting for Neo4j writes
    index_seconds: float = 0.0  # populating the search indexes after the load
    total_seconds: float = 0.0
    timeline: list[tuple[int, float]] = field(default_factory=list)  # (providers written, seconds)

    @property
    def providers_per_second(self) -> float:
        return self.providers / self.total_seconds if self.total_seconds else 0.0


def _code_links(codes: list[str]) -> list[dict[str, Any]]:
    return [{"code": c, "confidence": 1.0, "method": "CODE"} for c in codes]


async def generate(db: Database, embedder: Embedder, providers: int, *, batch: int = 5_000, seed: int = SEED,
                   embeddings: str = "derived", defer_indexes: bool | None = None,
                   progress: Callable[[int], None] | None = None) -> GenerateReport:
    """Write providers 1 … ``providers`` (statements, offers) and enterprises and needs in the sample's
    proportions, with the same records and derived vectors as the sample generator.

    ``embeddings``: ``derived`` (capability vector + deterministic jitter; index and scale benchmarks) or
    ``model`` (every distinct text encoded once, through the shared embedding cache). ``defer_indexes``
    (default: when the graph holds no provider yet) drops the search indexes for the load and rebuilds
    them at the end. Links use the generator's own codes (method CODE).
    """
    from graph.repositories import bulk
    from graph.repositories import reference as reference_repo
    from matching.embedding_cache import EmbeddingCache
    from matching.texts import need_text, offer_text, statement_text
    from seed.loader import _DerivedVectors, _enterprise_row, _need_row, _offer_row, _provider_row, _statement_row

    started = time.perf_counter()
    report = GenerateReport()
    existing = (await bulk.pool_counts(db))["providers"]
    fresh = existing == 0
    report.deferred_indexes = fresh if defer_indexes is None else defer_indexes
    cat = catalog()
    derived = _DerivedVectors({c["code"]: c["embedding"] for c in await reference_repo.capabilities(db)
                               if c["embedding"]}, embedder.dimension)
    if not derived.capability_vectors:
        raise RuntimeError("no capability embeddings in the graph: load the reference data first")
    cache = EmbeddingCache(embedder) if embeddings == "model" else None

    def vectors(texts: list[str], codes: list[str | None], keys: list[str], query: bool = False) -> list[Any]:
        if cache is not None:
            return [v.tolist() for v in (cache.queries(texts) if query else cache.passages(texts))]
        return [derived(code, key).tolist() for code, key in zip(codes, keys, strict=True)]

    def provider_batch(start: int, n: int) -> tuple[list[dict], list[dict], list[dict], float]:
        t0 = time.perf_counter()
        bundles = list(iter_provider_bundles(n, seed, start, cat))
        statements = [s for b in bundles for s in b.statements]
        offers = [o for b in bundles for o in b.offers if b.provider.kind == "MANUFACTURER"]
        s_vectors = vectors([statement_text(s.text) for s in statements],
                            [s.capability_codes[0] if s.capability_codes else None for s in statements],
                            [s.id for s in statements])
        o_vectors = vectors([offer_text(o.process_text, o.description) for o in offers],
                            [o.capability_code for o in offers], [o.id for o in offers])
        return ([_provider_row(b.provider) for b in bundles],
                [_statement_row(s, _AsIs(v), _code_links(list(s.capability_codes)))
                 for s, v in zip(statements, s_vectors, strict=True)],
                [_offer_row(o, _AsIs(v), _code_links([o.capability_code] if o.capability_code else []))
                 for o, v in zip(offers, o_vectors, strict=True)],
                time.perf_counter() - t0)

    n_enterprises = max(1, round(providers * ENTERPRISES_PER_PROVIDER))
    n_needs = max(1, round(providers * NEEDS_PER_PROVIDER))

    def other_batch(start: int, n: int) -> tuple[list[dict], list[dict], float]:
        t0 = time.perf_counter()
        enterprises = [_enterprise_row(e) for e in iter_enterprises(
            max(0, min(n, n_enterprises - start + 1)), seed, start, cat)] if start <= n_enterprises else []
        needs = list(iter_needs(max(0, min(n, n_needs - start + 1)), n_enterprises, seed, start, cat)) \
            if start <= n_needs else []
        n_vectors = vectors([need_text(x.title, x.description) for x in needs],
                            [x.capability_codes[0] if x.capability_codes else None for x in needs],
                            [x.id for x in needs], query=True)
        rows = [_need_row(x, _AsIs(v), _code_links(list(x.capability_codes)))
                for x, v in zip(needs, n_vectors, strict=True)]
        return enterprises, rows, time.perf_counter() - t0

    if report.deferred_indexes:
        await bulk.drop_search_indexes(db)
    try:
        starts = list(range(1, providers + 1, batch))
        pending = asyncio.create_task(asyncio.to_thread(provider_batch, 1, min(batch, providers))) if starts else None
        for i in range(len(starts)):
            assert pending is not None
            rows, statements, offers, built = await pending
            report.build_seconds += built
            if i + 1 < len(starts):  # build the next batch while this one is written
                nxt = starts[i + 1]
                pending = asyncio.create_task(asyncio.to_thread(provider_batch, nxt, min(batch, providers - nxt + 1)))
            t0 = time.perf_counter()
            await bulk.upsert_providers(db, rows, fresh=fresh)
            await bulk.upsert_capability_statements(db, statements, fresh=fresh)
            await bulk.upsert_capacity_offers(db, offers, fresh=fresh)
            report.write_seconds += time.perf_counter() - t0
            report.providers += len(rows)
            report.statements += len(statements)
            report.offers += len(offers)
            report.timeline.append((report.providers, round(time.perf_counter() - started, 2)))
            if progress:
                progress(len(rows))
        for start in range(1, max(n_enterprises, n_needs) + 1, batch):
            enterprises, needs, built = await asyncio.to_thread(other_batch, start, batch)
            report.build_seconds += built
            t0 = time.perf_counter()
            if enterprises:
                await bulk.upsert_enterprises(db, enterprises, fresh=fresh)
            if needs:
                await bulk.upsert_needs(db, needs, fresh=fresh)
            report.write_seconds += time.perf_counter() - t0
            report.enterprises += len(enterprises)
            report.needs += len(needs)
    finally:
        if report.deferred_indexes:
            t0 = time.perf_counter()
            await bulk.create_search_indexes(db, embedder.dimension)
            await bulk.await_indexes(db)
            report.index_seconds = time.perf_counter() - t0
    report.total_seconds = time.perf_counter() - started
    return report


class _AsIs(list):
    """A vector already converted to a list (``seed.loader`` row builders call ``.tolist()``)."""

    def tolist(self) -> list[float]:
        return self


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed.scale", description="Stream sample data at scale.")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--providers", type=int, default=100_000)
    parser.add_argument("--enterprises", type=int, default=30_000)
    parser.add_argument("--needs", type=int, default=20_000)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    files = {
        name: (args.out / f"{name}.jsonl").open("w", encoding="utf-8", newline="\n")
        for name in ("providers", "capability_statements", "capacity_offers", "enterprises", "needs")
    }
    try:
        for bundle in iter_provider_bundles(args.providers, args.seed):
            files["providers"].write(to_json_line(bundle.provider) + "\n")
            for statement in bundle.statements:
                files["capability_statements"].write(to_json_line(statement) + "\n")
            for offer in bundle.offers:
                files["capacity_offers"].write(to_json_line(offer) + "\n")
        for enterprise in iter_enterprises(args.enterprises, args.seed):
            files["enterprises"].write(to_json_line(enterprise) + "\n")
        for need in iter_needs(args.needs, args.enterprises, args.seed):
            files["needs"].write(to_json_line(need) + "\n")
    finally:
        for handle in files.values():
            handle.close()
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
