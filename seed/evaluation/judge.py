"""Graded relevance judgments for the evaluation needs, from the sample's ground truth.

For each need the judge **pools** candidates from three independent sources — every provider whose
ground-truth capability codes (statements and offers) are in the need's category or closer
(:mod:`seed.evaluation.relevance`), the BM25 top 30 and the embedding top 30
(:mod:`seed.evaluation.baselines`) — and **grades** each pooled provider:

* the capability grade (3 exact, 2 closely related, 1 same category, 0 unrelated) of its closest
  statement or offer; for a CAPACITY need only its offers that pass the capacity check count, since
  capacity is what is asked for;
* **0 whenever a hard constraint is broken** (:mod:`seed.evaluation.constraints`), with the constraint
  and the numbers in ``reason``: a required certification not ACTIVE on ``AS_OF``, a location outside
  the region, a service provider for a capacity need, or — for a CAPACITY need — no offer of a relevant
  process (same category or closer) that can deliver the quantity in the window.

Hand overrides (``overrides.jsonl``) are applied last. Run ``python -m seed.evaluation.judge`` after the
needs or the sample change; ``--check`` verifies the committed file is what the rules give.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from seed.evaluation.constraints import OfferCheck, Regions, certification_problems, check_offer
from seed.evaluation.eval_set import (
    AS_OF,
    EVAL_DIR,
    EvalNeed,
    Judgment,
    read_judgments,
    read_needs,
    read_overrides,
    write_judgments,
)
from seed.evaluation.relevance import Relation, Taxonomy
from seed.reference import Reference, load_reference
from seed.sample import CapabilityStatement, CapacityOffer, Provider, SampleData, read_sample

__all__ = ["POOL_DEPTH", "Judge", "Verdict", "generate_judgments"]

POOL_DEPTH = 30


@dataclass(frozen=True, slots=True)
class Verdict:
    grade: int
    relation: Relation  # the capability relation the grade rests on (before constraints)
    broken: tuple[str, ...]  # hard constraints broken: cert | region | kind | no_offer | status | unit | window …
    reason: str


@dataclass(frozen=True, slots=True)
class _Bundle:
    provider: Provider
    statements: tuple[CapabilityStatement, ...]
    offers: tuple[CapacityOffer, ...]


class Judge:
    """Grades (need, provider) pairs of the sample; knows nothing of the matching engine."""

    def __init__(self, reference: Reference, sample: SampleData, as_of: date = AS_OF):
        self.as_of = as_of
        self.taxonomy = Taxonomy(reference.capabilities)
        self.regions = Regions(reference.regions)
        statements: dict[str, list[CapabilityStatement]] = {}
        for s in sample.capability_statements:
            statements.setdefault(s.provider_id, []).append(s)
        offers: dict[str, list[CapacityOffer]] = {}
        for o in sample.capacity_offers:
            offers.setdefault(o.provider_id, []).append(o)
        self.bundles = {p.id: _Bundle(p, tuple(statements.get(p.id, ())), tuple(offers.get(p.id, ())))
                        for p in sample.providers}

    def __contains__(self, provider_id: str) -> bool:
        return provider_id in self.bundles

    # --------------------------------------------------------------------------------- capability

    def _item_codes(self, bundle: _Bundle) -> list[tuple[str, str]]:
        """(code, statement/offer id) of everything the provider says it does (withdrawn offers excluded)."""
        items = [(code, s.id) for s in bundle.statements for code in s.capability_codes]
        return items + [(o.capability_code, o.id) for o in bundle.offers if o.status == "PUBLISHED"]

    def _best(self, items: Sequence[tuple[str, str]], targets: Sequence[str]) -> tuple[Relation, str | None]:
        best, where = Relation(0, "none", "", targets[0]), None
        for code, item_id in sorted(items, key=lambda x: (x[1], x[0])):
            rel = self.taxonomy.best([code], targets)
            if rel.grade > best.grade:
                best, where = rel, item_id
        return best, where

    def capability(self, need: EvalNeed, provider_id: str) -> Relation:
        """How close the provider's capabilities are to the need's, ignoring every constraint."""
        return self._best(self._item_codes(self.bundles[provider_id]), need.truth.capabilities)[0]

    # -------------------------------------------------------------------------------- constraints

    def _capacity(self, need: EvalNeed, bundle: _Bundle, related: bool) -> tuple[list[OfferCheck], list[OfferCheck]]:
        """(checks of the offers considered, the feasible ones): relevant offers when the provider is related."""
        targets = need.truth.capabilities
        considered = [o for o in bundle.offers
                      if not related or self.taxonomy.best([o.capability_code], targets).grade >= 1]
        checks = [check_offer(o, need.quantity, need.unit, need.deadline_date, self.as_of) for o in considered]
        return checks, [c for c in checks if c.ok]

    def violations(self, need: EvalNeed, provider_id: str) -> list[tuple[str, str]]:
        """Every hard constraint the provider breaks for the need: ``[(constraint, detail)]``."""
        return self._judge(need, provider_id)[1]

    def _judge(self, need: EvalNeed, provider_id: str) -> tuple[Relation, list[tuple[str, str]], str | None]:
        bundle = self.bundles[provider_id]
        p = bundle.provider
        relation, where = self._best(self._item_codes(bundle), need.truth.capabilities)
        broken: list[tuple[str, str]] = []
        problems = certification_problems(p.certifications, need.truth.certifications, self.as_of)
        if problems:
            broken.append(("cert", "; ".join(problems)))
        region = need.truth.region
        if region is not None and not self.regions.contains(region, p.region_code):
            broken.append(("region", f"{self.regions.name(p.region_code)} ({p.region_code}) is not in "
                                     f"{self.regions.name(region)}"))
        if need.kind == "CAPACITY":
            if p.kind != "MANUFACTURER":
                broken.append(("kind", "a service provider offers no manufacturing capacity"))
            else:
                checks, feasible = self._capacity(need, bundle, relation.grade >= 1)
                if not checks:
                    broken.append(("no_offer", "no published capacity offer for a related process"
                                   if relation.grade >= 1 else "no capacity offer"))
                elif not feasible:
                    for c in checks:
                        broken.append((c.constraint or "capacity", c.reason))
                elif relation.grade >= 1:
                    offers = {o.id: o for o in bundle.offers}
                    relation, where = self._best([(offers[c.offer_id].capability_code, c.offer_id)
                                                  for c in feasible], need.truth.capabilities)
                    where = f"{where}: " + next(c.reason for c in feasible if c.offer_id == where)
        return relation, broken, where

    # ------------------------------------------------------------------------------------- grading

    def grade(self, need: EvalNeed, provider_id: str) -> Verdict:
        relation, broken, where = self._judge(need, provider_id)
        if broken:
            kinds = tuple(dict.fromkeys(kind for kind, _ in broken))
            details = "; ".join(detail for _, detail in broken[:3]) + (" …" if len(broken) > 3 else "")
            capability = (f"capability {relation.kind} {relation.code} (grade {relation.grade} otherwise)"
                          if relation.grade else "capability unrelated")
            return Verdict(0, relation, kinds, f"breaks {'/'.join(kinds)}: {details}; {capability}")
        if relation.grade == 0:
            codes = sorted({code for code, _ in self._item_codes(self.bundles[provider_id])})
            return Verdict(0, relation, (), f"unrelated: provider does {', '.join(codes[:4]) or 'nothing stated'}")
        return Verdict(relation.grade, relation, (),
                       f"{relation.kind} {relation.code} ~ {relation.target} via {where}; constraints pass")

    def related_providers(self, need: EvalNeed) -> list[str]:
        """The ground-truth pool: providers with anything in the need's category or closer."""
        return sorted(pid for pid in self.bundles if self.capability(need, pid).grade >= 1)


def generate_judgments(needs: Sequence[EvalNeed], judge: Judge, pools: dict[str, dict[str, list[str]]],
                       overrides: Sequence[Judgment] = ()) -> list[Judgment]:
    """Grade every pooled provider of every need; ``pools``: need id → source → provider ids."""
    by_pair = {(o.need_id, o.provider_id): o for o in overrides}
    out: list[Judgment] = []
    for need in needs:
        sources: dict[str, list[str]] = {}
        for source, ids in pools.get(need.id, {}).items():
            for pid in ids:
                sources.setdefault(pid, []).append(source)
        for pid in sorted(sources):
            verdict = judge.grade(need, pid)
            override = by_pair.pop((need.id, pid), None)
            if override is not None:
                out.append(Judgment(need.id, pid, override.grade, f"override: {override.reason} (rule: "
                                    f"{verdict.grade}: {verdict.reason})", (*sources[pid], "override")))
            else:
                out.append(Judgment(need.id, pid, verdict.grade, verdict.reason, tuple(sources[pid])))
    for (need_id, pid), override in sorted(by_pair.items()):
        out.append(Judgment(need_id, pid, override.grade, f"override: {override.reason}", ("override",)))
    return out


def build_pools(needs: Sequence[EvalNeed], judge: Judge, sample: SampleData,
                depth: int = POOL_DEPTH) -> dict[str, dict[str, list[str]]]:
    """need id → {truth, bm25, embedding} → provider ids (the model is loaded for the embedding pool)."""
    from matching.embedding import get_embedder
    from matching.embedding_cache import EmbeddingCache
    from seed.evaluation.baselines import BM25Baseline, EmbeddingBaseline, corpus_from_sample

    cache = EmbeddingCache(get_embedder())
    corpus = corpus_from_sample(sample, cache.passages)
    bm25, emb = BM25Baseline(corpus), EmbeddingBaseline(corpus)
    vectors = cache.queries([n.query_text for n in needs])
    return {need.id: {"truth": judge.related_providers(need),
                      "bm25": [pid for pid, _ in bm25.rank(need.query_text, depth)],
                      "embedding": [pid for pid, _ in emb.rank(vector, depth)]}
            for need, vector in zip(needs, vectors, strict=True)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed.evaluation.judge", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample-dir", type=Path, default=None, help="default: seed/data/sample")
    parser.add_argument("--out", type=Path, default=EVAL_DIR / "judgments.jsonl")
    parser.add_argument("--check", action="store_true", help="fail if the committed judgments differ")
    args = parser.parse_args(argv)
    reference = load_reference()
    sample = read_sample(args.sample_dir)
    needs = read_needs(reference=reference)
    judge = Judge(reference, sample)
    judgments = generate_judgments(needs, judge, build_pools(needs, judge, sample), read_overrides())
    if args.check:
        current = read_judgments(args.out)
        if current != judgments:
            print(f"{args.out} is out of date: run python -m seed.evaluation.judge", file=sys.stderr)
            return 1
        print(f"{args.out}: up to date ({len(judgments)} judgments)", file=sys.stderr)
        return 0
    count = write_judgments(judgments, args.out)
    print(f"{args.out}: {count} judgments for {len(needs)} needs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
