"""Sample data at scale: the same records as :mod:`seed.sample`, streamed lazily.

``iter_providers(100_000)`` yields providers ``prv_000001`` … ``prv_100000`` built by the very function
that builds the committed sample (:func:`seed.sample.build_provider_bundle`), so provider *i* is identical
in both and ids continue the same scheme (``prv_1000000`` is the millionth).  Every record depends only on
the seed and its own index: nothing is accumulated, memory stays constant, and any slice can be produced on
its own (``start``) — for instance by parallel loaders.

    python -m seed.scale --providers 100000 --out scale-data   # JSON Lines, streamed to disk
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

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

__all__ = [
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
