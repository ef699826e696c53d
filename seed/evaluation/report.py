"""The `make eval` table: per system, per tag and per broken constraint; printed and kept in BENCHMARKS.md.

``write_section`` replaces the section under the heading "Matching quality (make eval)" and keeps the
rest of BENCHMARKS.md as it is, so every run leaves exactly one, dated, copy of the numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from seed.evaluation.eval_set import EvalNeed
from seed.evaluation.hard_set import HARD_TAGS
from seed.evaluation.metrics import K, NeedScores, Summary, summarise

__all__ = ["HEADING", "SystemResult", "render", "write_section"]

HEADING = "Matching quality (make eval)"


@dataclass
class SystemResult:
    """One system's top-k for every need, and what the independent checker found wrong in them."""

    name: str
    scores: list[NeedScores] = field(default_factory=list)
    broken: dict[str, int] = field(default_factory=dict)  # constraint → top-k slots breaking it
    unavailable: str | None = None  # why the system could not run (the service before its API exists)
    failures: dict[str, str] = field(default_factory=dict)  # need id → error (posting or matching failed)
    refused: dict[str, str] = field(default_factory=dict)  # need id → why its input as typed was refused (retried)
    latencies: list[float] = field(default_factory=list)  # seconds per request (the service only)
    rankings: dict[str, list[str]] = field(default_factory=dict)  # need id → top-k provider ids

    def summary(self, needs: Sequence[str] | None = None) -> Summary:
        keep = set(needs) if needs is not None else None
        return summarise(s for s in self.scores if keep is None or s.need_id in keep)


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def _latency(values: Sequence[float]) -> str:
    if not values:
        return ""
    ordered = sorted(values)
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{1000 * p50:.0f} / {1000 * p95:.0f} ms"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in
                                                           range(len(header))) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def empty_lists(system: SystemResult, needs: Sequence[EvalNeed], fitting: Callable[[EvalNeed], bool]) -> list[str]:
    """Needs for which ``system`` returned nothing although a relevant provider passing every hard constraint
    is in the pool (the target is none)."""
    returned = {s.need_id: s.slots for s in system.scores}
    return [n.id for n in needs if returned.get(n.id, 0) == 0 and fitting(n)]


def render(systems: Sequence[SystemResult], needs: Sequence[EvalNeed], context: dict[str, str],
           fitting: Callable[[EvalNeed], bool] | None = None) -> str:
    """Markdown: the context line, the overall table, nDCG@10 per tag, broken constraints per system, and
    (``fitting`` given) the needs left with an empty list although the pool can serve them."""
    lines = [f"{context.get('date', '')} · {len(needs)} needs · asOf {context.get('as_of', '')} · "
             f"{context.get('data', '')} · {context.get('duration', '')}", ""]
    header = ["system", f"nDCG@{K}", f"Recall@{K}", "MRR", f"top-{K} slots breaking a hard constraint",
              "empty lists (a fitting provider exists)", "matches p50 / p95"]
    rows = []
    for system in systems:
        if system.unavailable:
            rows.append([system.name, "—", "—", "—", f"not available ({system.unavailable})", "", ""])
            continue
        s = system.summary()
        rows.append([system.name, f"{s.ndcg:.3f}", f"{s.recall:.3f}", f"{s.mrr:.3f}",
                     f"{_pct(s.violation_share)} ({s.violations}/{s.slots})",
                     "—" if fitting is None else str(len(empty_lists(system, needs, fitting))),
                     _latency(system.latencies)])
    lines += _table(header, rows)
    running = [s for s in systems if not s.unavailable]
    lines += ["", f"nDCG@{K} by tag (a need has one or more tags):", ""]
    tag_rows = []
    for tag in HARD_TAGS:
        ids = [n.id for n in needs if tag in n.tags]
        if ids:
            tag_rows.append([tag, str(len(ids)), *(f"{s.summary(ids).ndcg:.3f}" for s in running)])
    lines += _table(["tag", "needs", *(s.name for s in running)], tag_rows)
    constraints = sorted({c for s in running for c in s.broken})
    if constraints:
        lines += ["", f"Top-{K} slots by the hard constraint broken (one slot may break several):", ""]
        lines += _table(["constraint", *(s.name for s in running)],
                        [[c, *(str(s.broken.get(c, 0)) for s in running)] for c in constraints])
    for system in systems:
        if system.unavailable:
            lines += ["", f"{system.name}: not available ({system.unavailable})"]
        empty = empty_lists(system, needs, fitting) if fitting is not None and not system.unavailable else []
        if empty:
            lines += ["", f"{system.name}: empty list although a fitting provider exists — {', '.join(empty[:12])}"]
        if system.refused:
            lines += ["", f"{system.name}: {len(system.refused)} needs refused as typed, posted again with the unit "
                      "code and/or without the unresolved material/certifications — " + "; ".join(
                          f"{nid}: {err}" for nid, err in sorted(system.refused.items())[:3])]
        if system.failures:
            lines += ["", f"{system.name}: {len(system.failures)} needs failed — " + "; ".join(
                f"{nid}: {err}" for nid, err in sorted(system.failures.items())[:5])]
    return "\n".join(lines) + "\n"


def write_section(path: Path, body: str) -> None:
    """Replace (or append) the "## Matching quality (make eval)" section of ``path``; keep everything else."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    section = f"## {HEADING}\n\n{body.rstrip()}\n"
    pattern = re.compile(rf"^## {re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text, encoding="utf-8")
