"""The eval's empty-list count and the hard set's loading (no graph needed)."""

from __future__ import annotations

from seed.evaluation.metrics import NeedScores
from seed.evaluation.report import SystemResult, empty_lists, render
from seed.evaluation.run import load_hard_set


def test_an_empty_list_counts_only_when_a_fitting_provider_exists():
    hard = load_hard_set(need_ids=["eval_201", "eval_202", "eval_203"])
    assert [n.id for n in hard.needs] == ["eval_201", "eval_202", "eval_203"]
    assert hard.extra is not None and len(hard.extra.providers) == 40
    assert hard.inputs["eval_201"]["unitText"] == "件"  # posted as typed (the API resolves the word)
    assert all(hard.fitting(n) for n in hard.needs)  # each has a relevant provider breaking no constraint
    system = SystemResult("gongxu service")
    best = next(pid for pid, grade in hard.qrels["eval_201"].items() if grade >= 2)
    system.scores = [NeedScores.of("eval_201", [best], hard.qrels["eval_201"], 0),
                     NeedScores.of("eval_202", [], hard.qrels["eval_202"], 0)]  # eval_203: not even asked
    assert empty_lists(system, hard.needs, hard.fitting) == ["eval_202", "eval_203"]
    assert empty_lists(system, hard.needs, lambda need: False) == []
    table = render([system], hard.needs, {}, fitting=hard.fitting)
    assert "empty list although a fitting provider exists — eval_202, eval_203" in table
