"""The development evaluation set, its judgments and the harness's pure parts (no Neo4j).

The judgments file is generated (``python -m seed.evaluation.judge``); these tests re-grade every judged
pair with the rules, so a change to the sample, the needs or the rules that was not followed by a
regeneration fails here with the pair that differs.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from matching.aliases import AliasIndex
from seed.evaluation import metrics
from seed.evaluation.client import stored_id
from seed.evaluation.constraints import Regions, certification_problems, check_offer, production_days
from seed.evaluation.eval_set import AS_OF, CONSTRAINT_TAGS, TAGS, qrels, read_judgments, read_needs, read_overrides
from seed.evaluation.judge import Judge
from seed.evaluation.relevance import Taxonomy
from seed.evaluation.report import HEADING, write_section
from seed.reference import SeedFileError, load_reference
from seed.sample import CapacityOffer, HeldCertification, read_sample


@pytest.fixture(scope="module")
def reference():
    return load_reference()


@pytest.fixture(scope="module")
def sample():
    return read_sample()


@pytest.fixture(scope="module")
def needs(reference):
    return read_needs(reference=reference)


@pytest.fixture(scope="module")
def judgments():
    return read_judgments()


@pytest.fixture(scope="module")
def judge(reference, sample):
    return Judge(reference, sample)


# ------------------------------------------------------------------------------------------ the set


def test_at_least_80_needs_of_both_kinds_and_every_style(needs):
    assert len(needs) >= 80
    kinds = Counter(n.kind for n in needs)
    assert kinds["SERVICE"] >= 30 and kinds["CAPACITY"] >= 30
    assert {n.style for n in needs} == {"formal", "informal", "english", "mixed", "terse"}
    assert [n.id for n in needs] == [f"eval_{i:03d}" for i in range(1, len(needs) + 1)]


def test_every_tag_has_several_needs(needs):
    counts = Counter(tag for n in needs for tag in n.tags)
    for tag in TAGS:
        assert counts[tag] >= 3, f"only {counts[tag]} needs tagged {tag}"


def test_most_needs_send_no_capability_codes(needs):
    declared = [n for n in needs if n.capability_codes]
    assert 0 < len(declared) <= len(needs) // 10


def test_typed_terms_resolve_to_the_truth(reference, needs):
    """What the client types is what the judge assumed it means (the service resolves the same aliases)."""
    certs = AliasIndex.from_records(reference.certifications)
    regions = AliasIndex.from_records(reference.regions)
    materials = AliasIndex.from_records(reference.materials)
    for n in needs:
        assert [certs.resolve(t) for t in n.required_certifications] == list(n.truth.certifications), n.id
        assert (regions.resolve(n.region) if n.region else None) == n.truth.region, n.id
        assert (materials.resolve(n.material) if n.material else None) == n.truth.material, n.id


def test_api_input_is_what_a_client_sends(needs):
    need = next(n for n in needs if n.region and n.required_certifications and n.quantity)
    values = need.api_input()
    assert values["regions"] == [need.region]
    assert values["requiredCertifications"] == list(need.required_certifications)
    assert "truth" not in values and "capabilityCodes" not in values  # ground truth never leaves
    assert {"kind", "title", "description", "quantity", "unit", "deadline"} <= set(values)


def test_a_malformed_need_fails_with_file_and_line(tmp_path: Path, reference):
    path = tmp_path / "needs.jsonl"
    good = (Path(__file__).resolve().parents[2] / "seed/data/eval/needs.jsonl").read_text(encoding="utf-8")
    first = good.splitlines()[0]
    path.write_text(first + "\n" + first.replace('"kind": "SERVICE"', '"kind": "GOODS"') + "\n", encoding="utf-8")
    with pytest.raises(SeedFileError) as exc:
        read_needs(path, reference)
    assert exc.value.line == 2 and "kind" in exc.value.reason


# ------------------------------------------------------------------------------------- judgments


def test_judgments_cover_every_need_with_known_providers(needs, sample, judgments):
    providers = {p.id for p in sample.providers}
    need_ids = {n.id for n in needs}
    assert {j.need_id for j in judgments} == need_ids
    for j in judgments:
        assert j.provider_id in providers, j
        assert j.grade in (0, 1, 2, 3)
        assert j.reason


def test_every_need_has_an_exact_fit(needs, judgments):
    best = qrels(judgments)
    for n in needs:
        assert max(best[n.id].values()) == 3, f"{n.id} has no grade-3 provider"


def test_judgments_are_what_the_rules_give(needs, judge, judgments):
    """Regenerate with `python -m seed.evaluation.judge` when this fails."""
    overridden = {(o.need_id, o.provider_id) for o in read_overrides()}
    by_id = {n.id: n for n in needs}
    for j in judgments:
        if (j.need_id, j.provider_id) in overridden:
            continue
        verdict = judge.grade(by_id[j.need_id], j.provider_id)
        assert (j.grade, j.reason) == (verdict.grade, verdict.reason), (j.need_id, j.provider_id)


def test_the_ground_truth_pool_is_complete(needs, judge, judgments):
    """Every provider in the need's category or closer is judged, so unjudged providers really are grade 0."""
    judged: dict[str, set[str]] = {}
    for j in judgments:
        judged.setdefault(j.need_id, set()).add(j.provider_id)
    for n in needs:
        missing = set(judge.related_providers(n)) - judged[n.id]
        assert not missing, (n.id, sorted(missing)[:5])


def test_constraint_tags_have_capable_providers_that_break_them(needs, judge):
    """A need tagged constraint_region has a provider that fits the capability (grade ≥ 2 without
    constraints) and is outside the region — otherwise the tag tests nothing."""
    for n in needs:
        wanted = {CONSTRAINT_TAGS[t] for t in n.tags if t in CONSTRAINT_TAGS}
        broken: set[str] = set()
        for pid in judge.related_providers(n):
            verdict = judge.grade(n, pid)
            if verdict.relation.grade >= 2:
                broken.update(verdict.broken)
        assert wanted <= broken, (n.id, wanted - broken)


def test_cross_lingual_needs_are_cross_lingual(needs, judge, judgments):
    english_items = {s.provider_id for s in judge_sample_statements(judge) if s.language == "en"}
    exact = {}
    for j in judgments:
        if j.grade == 3:
            exact.setdefault(j.need_id, set()).add(j.provider_id)
    for n in needs:
        if "cross_lingual_en" in n.tags:
            assert n.style == "english", n.id
        if "cross_lingual_zh" in n.tags:
            assert n.style not in ("english",), n.id
            assert exact[n.id] & english_items, f"{n.id}: no exact fit writes English"


def judge_sample_statements(judge: Judge):
    return [s for b in judge.bundles.values() for s in (*b.statements, *b.offers)]


def test_grades_are_spread(judgments):
    grades = Counter(j.grade for j in judgments)
    assert all(grades[g] > 100 for g in (0, 1, 2, 3)), grades


# ------------------------------------------------------------------------------ relevance rules


@pytest.mark.parametrize(("code", "target", "grade", "kind"), [
    ("P.CAST.DIE.AL", "P.CAST.DIE.AL", 3, "same"),
    ("P.CAST.DIE.AL", "P.CAST.DIE", 3, "descendant"),
    ("P.CAST.DIE", "P.CAST.DIE.AL", 2, "parent"),
    ("P.CAST.DIE.ZN", "P.CAST.DIE.AL", 2, "sibling"),
    ("P.MACH.CNC.3AX", "P.MACH.CNC.5AX", 2, "sibling"),
    ("P.MACH.GRIND", "P.MACH.CNC.5AX", 2, "family"),
    ("P.PROTO.CNC", "P.MACH.CNC.TM", 2, "related"),
    ("S.EQP.REMOTE.DIAG", "S.EQP.PDM", 2, "related"),
    ("P.CAST.SAND", "P.CAST.DIE.AL", 1, "category"),
    ("P.CAST", "P.CAST.DIE.AL", 1, "category"),
    ("S.SEC.MON.SA", "S.SEC.ASSESS.MLPS", 1, "category"),
    ("P.FOOD.LIQUOR", "P.FOOD.COND", 1, "category"),
    ("P.FORGE.EXTR", "P.CAST.DIE.AL", 0, "none"),
    ("P.AM.POLY.SLA", "S.RND.PD.ID", 0, "none"),
])
def test_relevance_rules(reference, code, target, grade, kind):
    rel = Taxonomy(reference.capabilities).relation(code, target)
    assert (rel.grade, rel.kind) == (grade, kind)


# ---------------------------------------------------------------------------- constraint checker


def _offer(**changes) -> CapacityOffer:
    base = CapacityOffer(id="off_t_1", provider_id="prv_t", capability_code="P.CAST.DIE.AL", process_text="压铸",
                         description="", language="zh", material_code=None, monthly_volume=3000, unit="PIECE",
                         available_from="2026-12-01", available_to="2026-12-30", lead_time_days=5, moq=100,
                         booked_volume=0, status="PUBLISHED")
    return replace(base, **changes)


D = date.fromisoformat


def test_production_days_are_inclusive_and_start_no_earlier_than_as_of():
    # from max(2026-12-01, as_of) to min(2026-12-30, 2027-01-10 − 5 d): 30 days, both ends included
    assert production_days(D("2026-12-01"), D("2026-12-30"), D("2027-01-10"), 5, AS_OF) == (
        D("2026-12-01"), D("2026-12-30"), 30)
    # the deadline minus lead time cuts the window: last day 2026-12-10
    assert production_days(D("2026-12-01"), D("2026-12-30"), D("2026-12-15"), 5, AS_OF)[2] == 10
    # a window that opened before as_of starts on as_of
    assert production_days(D("2026-10-01"), D("2026-11-30"), None, 0, AS_OF) == (AS_OF, D("2026-11-30"), 8)
    # last day before the first: shut
    assert production_days(D("2026-12-20"), D("2026-12-30"), D("2026-12-24"), 5, AS_OF)[2] == 0
    # one single day
    assert production_days(D("2026-12-19"), D("2026-12-30"), D("2026-12-24"), 5, AS_OF)[2] == 1


def test_volume_boundary_is_exact():
    # 3000/month × 30 days / 30 = 3000 deliverable
    assert check_offer(_offer(), 3000, "PIECE", D("2027-01-10"), AS_OF).ok
    failed = check_offer(_offer(), 3001, "PIECE", D("2027-01-10"), AS_OF)
    assert not failed.ok and failed.constraint == "volume"
    # booked volume is subtracted
    assert check_offer(_offer(booked_volume=1000), 2000, "PIECE", D("2027-01-10"), AS_OF).ok
    assert check_offer(_offer(booked_volume=1000), 2001, "PIECE", D("2027-01-10"), AS_OF).constraint == "volume"


def test_moq_boundary():
    assert check_offer(_offer(), 100, "PIECE", D("2027-01-10"), AS_OF).ok
    failed = check_offer(_offer(), 99, "PIECE", D("2027-01-10"), AS_OF)
    assert failed.constraint == "moq"


def test_lead_time_and_window_boundaries():
    # deadline − lead time = available_from: exactly one production day, 100 pieces deliverable
    assert check_offer(_offer(), 100, "PIECE", D("2026-12-06"), AS_OF).ok
    assert check_offer(_offer(), 100, "PIECE", D("2026-12-05"), AS_OF).constraint == "window"
    # a window that closed before as_of
    closed = _offer(available_from="2026-09-01", available_to="2026-11-22")
    assert check_offer(closed, 100, "PIECE", D("2027-01-10"), AS_OF).constraint == "window"


def test_unit_and_status():
    assert check_offer(_offer(), 100, "KG", D("2027-01-10"), AS_OF).constraint == "unit"
    assert check_offer(_offer(status="WITHDRAWN"), 100, "PIECE", D("2027-01-10"), AS_OF).constraint == "status"


def test_certification_must_be_active_and_valid_on_as_of():
    held = [HeldCertification("CERT.IATF16949", "ACTIVE", AS_OF.isoformat()),
            HeldCertification("CERT.ISO9001", "ACTIVE", "2026-11-22"),
            HeldCertification("CERT.AS9100", "IN_PROGRESS", None),
            HeldCertification("CERT.ISO13485", "EXPIRED", "2025-01-01"),
            HeldCertification("CERT.SC", "ACTIVE", None)]
    assert certification_problems(held, ["CERT.IATF16949", "CERT.SC"], AS_OF) == []
    assert certification_problems(held, ["CERT.ISO9001"], AS_OF) == ["CERT.ISO9001 expired 2026-11-22"]
    assert certification_problems(held, ["CERT.AS9100"], AS_OF) == ["CERT.AS9100 IN_PROGRESS"]
    assert certification_problems(held, ["CERT.ISO13485"], AS_OF) == ["CERT.ISO13485 EXPIRED"]
    assert certification_problems(held, ["CERT.CNAS"], AS_OF) == ["CERT.CNAS not held"]


def test_region_containment(reference):
    regions = Regions(reference.regions)
    assert regions.contains("510100", "510100")  # 成都市 in 成都市
    assert regions.contains("510000", "510100")  # in 四川省
    assert regions.contains("GRP.CHENGYU", "510100")  # in 成渝地区
    assert regions.contains("GRP.CHENGYU", "500112")  # 渝北区 in 成渝地区
    assert regions.contains("500000", "500112")  # 渝北区 in 重庆市
    assert not regions.contains("GRP.CHENGYU", "510400")  # 攀枝花 is in 四川 but not in 成渝
    assert not regions.contains("510000", "500112")
    assert not regions.contains("510100", "510700")


# ----------------------------------------------------------------------------------------- metrics


def test_ndcg_on_a_hand_computed_example():
    qrel = {"a": 3, "b": 2, "c": 1}
    # ranked b, x, a: DCG = 3/log2(2) + 0 + 7/log2(4) = 3 + 3.5 = 6.5
    # ideal a, b, c: 7/1 + 3/log2(3) + 1/log2(4) = 7 + 1.892789 + 0.5 = 9.392789
    assert metrics.ndcg_at_k(["b", "x", "a"], qrel) == pytest.approx(6.5 / (7 + 3 / math.log2(3) + 0.5))
    assert metrics.ndcg_at_k(["a", "b", "c"], qrel) == pytest.approx(1.0)
    assert metrics.ndcg_at_k([], qrel) == 0.0
    assert metrics.ndcg_at_k(["a"], {}) == 0.0


def test_ndcg_cuts_at_k():
    qrel = {"a": 3}
    assert metrics.ndcg_at_k([*"bcdefghijk", "a"], qrel, k=10) == 0.0
    assert metrics.ndcg_at_k([*"bcdefghij", "a"], qrel, k=10) == pytest.approx(1 / math.log2(11))


def test_recall_and_mrr_count_grade_2_and_up():
    qrel = {"a": 3, "b": 2, "c": 1, "d": 2}
    assert metrics.recall_at_k(["c", "b", "x"], qrel) == pytest.approx(1 / 3)
    assert metrics.recall_at_k(["a", "b", "d"], qrel) == 1.0
    assert metrics.reciprocal_rank(["c", "x", "d"], qrel) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank(["c", "x"], qrel) == 0.0


def test_summary_averages_needs_and_pools_slots():
    rows = [metrics.NeedScores("n1", 1.0, 1.0, 1.0, 10, 0), metrics.NeedScores("n2", 0.5, 0.0, 0.5, 5, 5)]
    s = metrics.summarise(rows)
    assert (s.ndcg, s.recall, s.mrr) == (0.75, 0.5, 0.75)
    assert s.violation_share == pytest.approx(5 / 15)


# ------------------------------------------------------------------------------------ the harness


def test_provider_ids_are_decoded_from_global_ids():
    import base64

    assert stored_id(base64.b64encode(b"Manufacturer:prv_000123").decode()) == "prv_000123"
    assert stored_id("prv_000123") == "prv_000123"


def test_benchmarks_section_is_replaced_and_the_rest_kept(tmp_path: Path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(f"# Benchmarks\n\n## Neo4j\n\nstart 3 s\n\n## {HEADING}\n\nold\n\n## Latency\n\np50\n")
    write_section(path, "new table\n")
    text = path.read_text()
    assert "old" not in text and "new table" in text
    assert text.index("## Neo4j") < text.index(HEADING) < text.index("## Latency") and "p50" in text
    write_section(path, "newer\n")
    assert path.read_text().count(HEADING) == 1
    fresh = tmp_path / "NEW.md"
    write_section(fresh, "t\n")
    assert fresh.read_text().startswith("# Benchmarks") and HEADING in fresh.read_text()


def test_an_unreachable_service_is_reported_not_fatal(needs, sample, judge, judgments, reference):
    from api.live import free_port
    from seed.evaluation.report import render
    from seed.evaluation.run import EvalSet, run_service

    class Gone:
        url = f"http://127.0.0.1:{free_port()}"

        def __enter__(self) -> Gone:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

    eval_set = EvalSet(reference, sample, needs[:2], judge, qrels(judgments))
    result = run_service(eval_set, Gone, progress=False)
    assert result.unavailable and "did not answer" in result.unavailable
    assert "gongxu service: not available (" in render([result], needs[:2], {})


@pytest.mark.slow
def test_baselines_end_to_end_on_a_handful_of_needs(embedder, needs, sample, judgments):
    """BM25 and embedding cosine rank the judged providers of five needs; both find exact fits, and
    neither knows constraints (a constraint need's top 10 holds providers that break it)."""
    from matching.embedding_cache import EmbeddingCache
    from seed.evaluation.baselines import corpus_from_sample
    from seed.evaluation.run import EvalSet, run_baselines
    from seed.reference import load_reference

    chosen = [n for n in needs if n.id in ("eval_001", "eval_003", "eval_007", "eval_052", "eval_055")]
    pool = {j.provider_id for j in judgments if j.need_id in {n.id for n in chosen}}
    small = replace(sample, providers=[p for p in sample.providers if p.id in pool],
                    capability_statements=[s for s in sample.capability_statements if s.provider_id in pool],
                    capacity_offers=[o for o in sample.capacity_offers if o.provider_id in pool])
    reference = load_reference()
    cache = EmbeddingCache(embedder)
    corpus = corpus_from_sample(small, cache.passages)
    eval_set = EvalSet(reference, sample, chosen, Judge(reference, sample), qrels(judgments))
    bm25, emb = run_baselines(eval_set, corpus, cache.queries([n.query_text for n in chosen]), progress=False)
    for system in (bm25, emb):
        assert len(system.scores) == len(chosen)
        summary = system.summary()
        assert summary.slots == 10 * len(chosen)
        assert summary.ndcg > 0.2 and summary.mrr > 0.3, (system.name, summary)
        assert summary.violations > 0  # text similarity alone ignores hard constraints
