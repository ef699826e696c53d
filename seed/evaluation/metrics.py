"""Ranking metrics over graded judgments (grades 0..3; unjudged providers count as 0).

* **nDCG@k** — gains ``2^g − 1``, discount ``log2(rank + 1)``; the ideal ranking is every judged provider of
  the need sorted by grade, so a system is only perfect if it finds all the best providers.
* **Recall@k** — the share of the need's relevant providers (grade ≥ 2) that are in the top k.
* **MRR** — ``1 / rank`` of the first relevant provider (grade ≥ 2) within the top k, 0 if none.
* **Violation share** — of all top-k slots filled, the share holding a provider that breaks a hard constraint.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "RELEVANT",
    "K",
    "NeedScores",
    "Summary",
    "dcg",
    "ndcg_at_k",
    "recall_at_k",
    "reciprocal_rank",
    "summarise",
]

K = 10
RELEVANT = 2  # grade at or above which a provider counts as relevant for recall and MRR


def dcg(grades: Sequence[int], k: int = K) -> float:
    return sum((2 ** g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades[:k]))


def ndcg_at_k(ranked: Sequence[str], qrel: Mapping[str, int], k: int = K) -> float:
    ideal = dcg(sorted(qrel.values(), reverse=True), k)
    if ideal == 0:
        return 0.0
    return dcg([qrel.get(pid, 0) for pid in ranked], k) / ideal


def recall_at_k(ranked: Sequence[str], qrel: Mapping[str, int], k: int = K, min_grade: int = RELEVANT) -> float:
    relevant = {pid for pid, g in qrel.items() if g >= min_grade}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def reciprocal_rank(ranked: Sequence[str], qrel: Mapping[str, int], k: int = K, min_grade: int = RELEVANT) -> float:
    for rank, pid in enumerate(ranked[:k], start=1):
        if qrel.get(pid, 0) >= min_grade:
            return 1.0 / rank
    return 0.0


@dataclass(frozen=True, slots=True)
class NeedScores:
    """One system's result for one need."""

    need_id: str
    ndcg: float
    recall: float
    rr: float
    slots: int  # providers returned (≤ k)
    violations: int  # of those, how many break a hard constraint

    @classmethod
    def of(cls, need_id: str, ranked: Sequence[str], qrel: Mapping[str, int], violations: int,
           k: int = K) -> NeedScores:
        return cls(need_id, ndcg_at_k(ranked, qrel, k), recall_at_k(ranked, qrel, k),
                   reciprocal_rank(ranked, qrel, k), min(len(ranked), k), violations)


@dataclass(frozen=True, slots=True)
class Summary:
    needs: int
    ndcg: float
    recall: float
    mrr: float
    violation_share: float  # violations / slots over all needs
    violations: int
    slots: int


def summarise(scores: Iterable[NeedScores]) -> Summary:
    rows = list(scores)
    n = len(rows)
    slots = sum(r.slots for r in rows)
    violations = sum(r.violations for r in rows)
    return Summary(
        needs=n,
        ndcg=sum(r.ndcg for r in rows) / n if n else 0.0,
        recall=sum(r.recall for r in rows) / n if n else 0.0,
        mrr=sum(r.rr for r in rows) / n if n else 0.0,
        violation_share=violations / slots if slots else 0.0,
        violations=violations,
        slots=slots,
    )
