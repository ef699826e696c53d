"""协同型共享制造: consortia of 2–4 manufacturers that together deliver a capacity need.

Proposed only when no single manufacturer can (see docs/MATCHING.md). Members are manufacturers
that pass every hard constraint except volume (certification, region, unit, production window) and
still have deliverable volume before the deadline.

Composition — fewest members first, then score: every combination of 2, 3, then 4 members from the
best-scored pool is tried; the smallest size that can cover the quantity wins, and within it the
combinations with the highest share-weighted score. Shares — greedy by score: each member first
gets its MOQ (a share below an offer's MOQ would not be accepted), then the rest of the quantity is
given to members in score order, each up to what its offer can deliver in the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from matching.explanation import number

MIN_MEMBERS = 2
MAX_MEMBERS = 4
POOL_SIZE = 12
MAX_PROPOSALS = 3
# A member must be about as relevant as the best candidate: consortia are for capacity, not for
# filling a gap with an unrelated factory.
MEMBER_RELEVANCE_SHARE = 0.6


@dataclass(frozen=True)
class Member:
    provider_id: str
    provider_name: str
    offer_id: str
    score: float
    deliverable: float
    moq: float
    unit: str | None


@dataclass(frozen=True)
class Share:
    member: Member
    share: float


@dataclass(frozen=True)
class Proposal:
    shares: list[Share]
    quantity: float
    score: float
    explanation: str

    @property
    def total_deliverable(self) -> float:
        return sum(s.member.deliverable for s in self.shares)


def allocate(members: list[Member], quantity: float) -> list[Share] | None:
    """Shares for ``members`` (any order) or None when they cannot cover ``quantity``.

    Each share is ≥ the member's MOQ and ≤ what it can deliver; every member gets a share > 0.
    """
    ordered = sorted(members, key=lambda m: (-m.score, m.provider_id))
    if any(m.moq > m.deliverable for m in ordered):
        return None
    shares = {m.provider_id: float(m.moq) for m in ordered}
    remaining = quantity - sum(shares.values())
    if remaining < 0:
        return None
    for member in ordered:
        extra = min(member.deliverable - shares[member.provider_id], remaining)
        shares[member.provider_id] += extra
        remaining -= extra
    if remaining > 1e-9 or any(v <= 0 for v in shares.values()):
        return None
    return [Share(m, shares[m.provider_id]) for m in ordered]


def _weighted_score(shares: list[Share], quantity: float) -> float:
    return round(sum(s.member.score * s.share for s in shares) / quantity, 4)


def _explain(shares: list[Share], quantity: float, unit: str | None) -> str:
    parts = [f"{s.member.provider_name} {number(s.share)} (of {number(s.member.deliverable)} deliverable)"
             for s in shares]
    total = sum(s.member.deliverable for s in shares)
    return (f"{len(shares)} manufacturers cover {number(quantity)} {unit or ''}: " + "; ".join(parts)
            + f". Together {number(total)} deliverable before the deadline; shares given by score, "
            "each at least its MOQ.")


def propose(members: list[Member], quantity: float, unit: str | None) -> list[Proposal]:
    """Up to :data:`MAX_PROPOSALS` consortia, fewest members first, best score first."""
    if quantity is None or quantity <= 0:
        return []
    pool = sorted(members, key=lambda m: (-m.score, m.provider_id))[:POOL_SIZE]
    for size in range(MIN_MEMBERS, MAX_MEMBERS + 1):
        found: list[Proposal] = []
        for group in combinations(pool, size):
            if sum(m.deliverable for m in group) < quantity:
                continue
            shares = allocate(list(group), quantity)
            if shares is None:
                continue
            found.append(Proposal(shares, quantity, _weighted_score(shares, quantity),
                                  _explain(shares, quantity, unit)))
        if found:
            found.sort(key=lambda p: (-p.score, [s.member.provider_id for s in p.shares]))
            return found[:MAX_PROPOSALS]
    return []
