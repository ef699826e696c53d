"""``gongxu eval``: the evaluation needs through the real service, side by side with two baselines.

1. Check the graph holds the sample the judgments were made on (``gongxu seed load``, which ``make eval``
   runs first).
2. **Service:** the caller serves the app (``gongxu eval`` starts :class:`api.live.LiveServer` in-process on a
   free loopback port and passes it in as ``server_factory``; ``seed/`` never imports ``api/``), register an
   evaluation enterprise, post every need with ``postNeed`` exactly as a client would, and ask
   ``matches(needId, first: 10, asOf: AS_OF)``. The enterprise (found by its fixed credit code) and all it
   posted are deleted before and after the run, so re-runs start from the same graph.
3. **Baselines** on the same graph: BM25 (jieba) over each provider's text and the embedding cosine of the
   need against each provider's best stored statement/offer vector.
4. Score every top 10 against the judgments (nDCG@10, Recall@10, MRR) and the independent constraint
   checker (share of slots that break a hard constraint); print the table and write it to BENCHMARKS.md.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tqdm import tqdm

from matching.credit_code import generate as generate_credit_code
from seed.evaluation.eval_set import AS_OF, EvalNeed, qrels, read_judgments, read_needs
from seed.evaluation.judge import Judge
from seed.evaluation.metrics import RELEVANT, K, NeedScores
from seed.evaluation.report import SystemResult, render, write_section
from seed.reference import Reference, load_reference
from seed.sample import SampleData, read_sample

__all__ = ["EVAL_ENTERPRISE", "EvalError", "EvalSet", "evaluate", "load_eval_set", "run_baselines", "score"]

BENCHMARKS = Path(__file__).resolve().parents[2] / "BENCHMARKS.md"
SERVICE = "gongxu service"
EVAL_ENTERPRISE: dict[str, Any] = {
    "name": "供需评测企业（make eval）",
    "creditCode": generate_credit_code(random.Random("gongxu/eval/enterprise"), "510100"),
    "region": "成都市",
    "description": "The development evaluation's client: its needs are deleted after every `make eval`.",
}


class EvalError(Exception):
    """The evaluation cannot run; the message names the fix."""


@dataclass
class EvalSet:
    reference: Reference
    sample: SampleData  # every provider the judgments grade (for the hard set: the sample + its own providers)
    needs: list[EvalNeed]
    judge: Judge
    qrels: dict[str, dict[str, int]]
    name: str = "development set (seed/data/eval)"
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # need id → PostNeedInput, when not api_input()
    extra: SampleData | None = None  # providers registered before the run (the hard set's hand-written ones)

    def api_input(self, need: EvalNeed) -> dict[str, Any]:
        return self.inputs.get(need.id) or need.api_input()

    def fitting(self, need: EvalNeed) -> bool:
        """A provider of the pool is relevant (grade ≥ 2) and breaks no hard constraint: an empty list is wrong."""
        return any(grade >= RELEVANT and pid in self.judge and not self.judge.violations(need, pid)
                   for pid, grade in self.qrels.get(need.id, {}).items())


def load_eval_set(sample_dir: Path | None = None, need_ids: Sequence[str] | None = None) -> EvalSet:
    reference = load_reference()
    sample = read_sample(sample_dir)
    needs = read_needs(reference=reference)
    if need_ids:
        unknown = sorted(set(need_ids) - {n.id for n in needs})
        if unknown:
            raise EvalError(f"no evaluation need {', '.join(unknown)}")
        needs = [n for n in needs if n.id in set(need_ids)]
    return EvalSet(reference, sample, needs, Judge(reference, sample), qrels(read_judgments()))


def load_hard_set(sample_dir: Path | None = None, need_ids: Sequence[str] | None = None) -> EvalSet:
    """The hand-written set (``seed/data/eval_hard``): its needs with the units as typed, judged over the sample
    plus its 40 hand-written providers."""
    from seed.evaluation.hard_set import merged_sample, read_hard_judgments, read_hard_needs, read_hard_providers

    reference = load_reference()
    extra = read_hard_providers()
    sample = merged_sample(read_sample(sample_dir), extra)
    hard = read_hard_needs(reference=reference)
    if need_ids:
        hard = [h for h in hard if h.id in set(need_ids)]
    needs = [h.need for h in hard]
    return EvalSet(reference, sample, needs, Judge(reference, sample), qrels(read_hard_judgments()),
                   name="hard set (seed/data/eval_hard)", inputs={h.id: h.api_input() for h in hard}, extra=extra)


def score(eval_set: EvalSet, system: SystemResult, need: EvalNeed, ranked: Sequence[str]) -> None:
    """Add one need's top k to ``system``: metrics from the judgments, violations from the checker."""
    top = list(dict.fromkeys(ranked))[:K]
    system.rankings[need.id] = top
    violations = 0
    for pid in top:
        if pid not in eval_set.judge:
            system.broken["(not in the sample)"] = system.broken.get("(not in the sample)", 0) + 1
            continue
        kinds = {kind for kind, _ in eval_set.judge.violations(need, pid)}
        violations += bool(kinds)
        for kind in kinds:
            system.broken[kind] = system.broken.get(kind, 0) + 1
    system.scores.append(NeedScores.of(need.id, top, eval_set.qrels.get(need.id, {}), violations))


# ------------------------------------------------------------------------------------------ baselines


def run_baselines(eval_set: EvalSet, corpus: Any, query_vectors: Any, progress: bool = True) -> list[SystemResult]:
    from seed.evaluation.baselines import BM25Baseline, EmbeddingBaseline

    bm25, emb = BM25Baseline(corpus), EmbeddingBaseline(corpus)
    results = [SystemResult(bm25.name), SystemResult(emb.name)]
    for need, vector in tqdm(list(zip(eval_set.needs, query_vectors, strict=True)), desc="baselines",
                             unit="need", disable=not progress):
        score(eval_set, results[0], need, [pid for pid, _ in bm25.rank(need.query_text, K)])
        score(eval_set, results[1], need, [pid for pid, _ in emb.rank(vector, K)])
    return results


# -------------------------------------------------------------------------------------------- service


ServerFactory = Callable[[], AbstractContextManager[Any]]
"""Starts the service on entry and stops it on exit; the entered value has ``url`` (e.g. ``api.live.LiveServer``)."""


def _post_like_a_careful_client(client: Any, token: str, eval_set: EvalSet, need: EvalNeed,
                                result: SystemResult) -> str | None:
    """``postNeed`` as typed; when refused, what the team's client did (issue 9): the unit code instead of the
    unit word, then without the fields the API could not resolve (material, required certifications). Every
    refusal is listed under the table (``refused``); a need posted without a field it states is judged as
    stated, so what the lost field costs shows in the metrics."""
    from seed.evaluation.client import ServiceError

    errors: list[str] = []

    def attempt(values: dict[str, Any]) -> str | None:
        try:
            return client.post_need(token, {**values, "clientMutationId": need.id})
        except ServiceError as exc:
            errors.append(str(exc))
            return None

    attempts = [eval_set.api_input(need)]
    if need.api_input() != attempts[0]:
        attempts.append(need.api_input())
    for values in attempts:
        posted = attempt(values)
        if posted is None and "UNRESOLVED" in errors[-1]:
            posted = attempt({k: v for k, v in values.items()
                              if not (k in ("material", "requiredCertifications") and k in errors[-1])})
        if posted is not None:
            if errors:
                result.refused[need.id] = " → ".join(errors)
            return posted
    result.failures[need.id] = "postNeed: " + " → ".join(errors)
    return None


def run_service(eval_set: EvalSet, server_factory: ServerFactory, progress: bool = True) -> SystemResult:
    """Post every need through the GraphQL API of the server ``server_factory`` starts and read its top 10
    (blocking)."""
    from seed.evaluation.client import GraphQLClient, ServiceError, ServiceUnavailable

    result = SystemResult(SERVICE)
    saved_today = os.environ.get("GONGXU_TODAY")
    os.environ["GONGXU_TODAY"] = AS_OF.isoformat()  # the day the set is anchored at (see docs/EVALUATION.md)
    try:
        with server_factory() as live, GraphQLClient(live.url) as client:
            _, token = client.register_enterprise(EVAL_ENTERPRISE)
            posted: dict[str, str] = {}
            for need in tqdm(eval_set.needs, desc="posting needs", unit="need", disable=not progress):
                posted_id = _post_like_a_careful_client(client, token, eval_set, need, result)
                if posted_id is not None:
                    posted[need.id] = posted_id
            for need in tqdm(eval_set.needs, desc="matches", unit="need", disable=not progress):
                ranked: list[str] = []
                if need.id in posted:
                    try:
                        matches, seconds = client.matches(token, posted[need.id], K, AS_OF.isoformat())
                        ranked = [m.provider_id for m in matches]
                        result.latencies.append(seconds)
                    except ServiceError as exc:
                        result.failures[need.id] = f"matches: {exc}"
                score(eval_set, result, need, ranked)
    except ServiceUnavailable as exc:
        return SystemResult(SERVICE, unavailable=str(exc))
    except ServiceError as exc:
        return SystemResult(SERVICE, unavailable=f"registerEnterprise failed: {exc}")
    except RuntimeError as exc:  # the app did not start
        return SystemResult(SERVICE, unavailable=str(exc))
    finally:
        if saved_today is None:
            os.environ.pop("GONGXU_TODAY", None)
        else:
            os.environ["GONGXU_TODAY"] = saved_today
    return result


# -------------------------------------------------------------------------------------------- the run


async def _check_sample_loaded(db: Any, sample: SampleData) -> None:
    from graph.repositories import evaluation as repo

    ids = [p.id for p in sample.providers]
    present = await repo.providers_present(db, ids)
    if present != len(ids):
        raise EvalError(f"the graph holds {present} of the {len(ids)} sample providers the judgments were made on: "
                        "run `gongxu seed load` first (make eval does)")


def write_details(path: Path, eval_set: EvalSet, systems: Sequence[SystemResult]) -> int:
    """One JSON line per (system, need, rank): provider, grade, broken constraints with the checker's reason —
    what to read when a number moves."""
    by_id = {n.id: n for n in eval_set.needs}
    lines = []
    for system in systems:
        for need_id, top in system.rankings.items():
            need = by_id[need_id]
            for rank, pid in enumerate(top, start=1):
                known = pid in eval_set.judge
                verdict = eval_set.judge.grade(need, pid) if known else None
                lines.append(json.dumps({
                    "system": system.name, "need_id": need_id, "rank": rank, "provider_id": pid,
                    "grade": eval_set.qrels.get(need_id, {}).get(pid, 0),
                    "broken": list(verdict.broken) if verdict else None,
                    "reason": verdict.reason if verdict else "not in the sample"}, ensure_ascii=False))
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


async def _run_set(services: Any, eval_set: EvalSet, server_factory: ServerFactory | None,
                   progress: bool) -> list[SystemResult]:
    """The service and both baselines on one set, over the graph as it is now."""
    from graph.repositories import evaluation as repo
    from matching.embedding_cache import EmbeddingCache
    from seed.evaluation.baselines import corpus_from_rows

    db = services.db
    systems: list[SystemResult] = []
    if server_factory is not None:
        await repo.delete_enterprise(db, EVAL_ENTERPRISE["creditCode"])  # leftovers of an interrupted run
        try:
            systems.append(await asyncio.to_thread(run_service, eval_set, server_factory, progress))
        finally:
            await repo.delete_enterprise(db, EVAL_ENTERPRISE["creditCode"])
    else:
        systems.append(SystemResult(SERVICE, unavailable="skipped (--no-service)"))
    cache = EmbeddingCache(services.embedder)
    rows = await repo.provider_corpus(db)
    corpus = await asyncio.to_thread(corpus_from_rows, rows, cache.passages)
    vectors = await asyncio.to_thread(cache.queries, [n.query_text for n in eval_set.needs])
    systems += await asyncio.to_thread(run_baselines, eval_set, corpus, vectors, progress)
    return systems


async def evaluate(services: Any, *, server_factory: ServerFactory | None, need_ids: Sequence[str] | None = None,
                   progress: bool = True, benchmarks: Path | None = BENCHMARKS, details: Path | None = None,
                   sets: Sequence[str] = ("dev", "hard")) -> tuple[list[SystemResult], str]:
    """Run every set against the graph behind ``services``; returns the systems (of all sets) and the table.

    ``server_factory`` serves the app over the same graph (None: baselines only, the service is reported as
    skipped). The development set runs over the sample alone; then the hard set's 40 hand-written providers are
    registered through the seed loader (``seed.loader.load_sample``: the API's texts, linking and embeddings, see
    docs/EVALUATION.md), the hard set runs over sample + those, and they are deleted again, so a re-run — and
    the development set's numbers — always start from the sample.
    """
    from graph.repositories import evaluation as repo
    from graph.repositories import statistics
    from seed.evaluation.hard_set import HARD_DIR
    from seed.loader import load_sample

    started = time.perf_counter()
    db = services.db
    chosen = [s for s in sets if s in ("dev", "hard")]
    dev = load_eval_set(need_ids=need_ids) if "dev" in chosen else None
    hard = load_hard_set(need_ids=need_ids) if "hard" in chosen else None
    base = dev or load_eval_set(need_ids=["eval_001"])
    await _check_sample_loaded(db, base.sample)
    extra_ids = [p.id for p in (hard.extra.providers if hard and hard.extra else [])]
    if extra_ids:
        await repo.delete_providers(db, extra_ids)  # leftovers of an interrupted run
    sections: list[str] = []
    every: list[SystemResult] = []
    for eval_set in [s for s in (dev, hard) if s is not None and s.needs]:
        set_started = time.perf_counter()
        registered = eval_set is hard and bool(extra_ids)
        if registered:
            await load_sample(db, services.embedder, HARD_DIR / "providers", progress=progress)
        try:
            counts = await statistics.counts(db)
            systems = await _run_set(services, eval_set, server_factory, progress)
        finally:
            if registered:
                await repo.delete_providers(db, extra_ids)
        context = {
            "date": date.today().isoformat(), "as_of": AS_OF.isoformat(),
            "data": f"{counts['providers']} providers ({counts['capability_statements']} statements, "
                    f"{counts['capacity_offers']} offers)",
            "duration": f"run {time.perf_counter() - set_started:.0f} s",
        }
        sections.append(f"### {eval_set.name}\n\n" + render(systems, eval_set.needs, context,
                                                            fitting=eval_set.fitting))
        if details is not None:
            write_details(details.with_name(f"{details.stem}.{'hard' if eval_set is hard else 'dev'}{details.suffix}")
                          if dev and hard else details, eval_set, systems)
        every += systems
    table = "\n".join(sections) + f"\nwhole run {time.perf_counter() - started:.0f} s\n"
    if benchmarks is not None:
        write_section(benchmarks, table)
    return every, table
