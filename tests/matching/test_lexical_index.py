"""Full text in process (``matching.lexical_index``): the analysis, BM25 against a formula written out
here, the index current through replacements and folds, and agreement with Neo4j's Lucene indexes on
the sample data (the branch it replaced)."""

from __future__ import annotations

import math
import random
from collections import Counter

import numpy as np
import pytest

from graph.db import Database
from matching.freshness import today
from matching.lexical_index import (
    FIELD_SOURCE,
    OFFER,
    OFFER_DESCRIPTION,
    OFFER_PROCESS,
    PROVIDER,
    PROVIDER_DESCRIPTION,
    PROVIDER_NAME,
    STATEMENT,
    STATEMENT_TEXT,
    LexicalIndex,
    record_scores,
    tokens,
)
from matching.provider_index import ProviderIndex


def test_tokens_follow_the_cjk_analyzer():
    assert tokens("铝合金压铸件") == ["铝合", "合金", "金压", "压铸", "铸件"]
    assert tokens("件") == ["件"]  # a lone ideograph is its own term
    assert tokens("IATF 16949认证") == ["iatf", "16949", "认证"]
    assert tokens("Ｆｕｌｌ-width ＣＮＣ") == ["full", "width", "cnc"]  # width folded, lower case
    assert tokens("the MES of a plant") == ["mes", "plant"]  # English stop words dropped
    assert tokens("10,000 pcs, 3.5mm, don't 5-axis") == ["10,000", "pcs", "3.5mm", "don't", "5", "axis"]
    assert tokens("") == [] and tokens(None) == [] and tokens("，。！") == []


def bm25_oracle(documents: list[tuple[int, int, str]], query: str, source: int) -> dict[int, float]:
    """record owner → BM25 of ``query`` over the records of ``source``, straight from the formula (k1 1.2,
    b 0.75, Lucene's idf): statistics per field over that field's non-empty documents, a record's
    fields added up."""
    scores: dict[int, float] = {}
    for field in [f for f, src in enumerate(FIELD_SOURCE) if src == source]:
        mine = [(owner, Counter(tokens(text))) for f, owner, text in documents if f == field and tokens(text)]
        n = len(mine)
        average = sum(sum(c.values()) for _, c in mine) / max(n, 1)
        for term, repeats in Counter(tokens(query)).items():
            df = sum(1 for _, c in mine if term in c)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            for owner, counted in mine:
                tf = counted.get(term, 0)
                if tf:
                    norm = 1.2 * (0.25 + 0.75 * sum(counted.values()) / average)
                    scores[owner] = scores.get(owner, 0.0) + repeats * idf * tf * 2.2 / (tf + norm)
    return scores


WORDS = ["铝合金", "压铸", "数控", "加工", "汽车", "零部件", "模具", "注塑", "等保", "测评", "MES", "IATF", "16949",
         "系统"]


def random_text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 8)))


def build(rng: random.Random, providers: int) -> tuple[LexicalIndex, dict[int, list[tuple[int, int, str]]]]:
    """An index of ``providers`` slots, each with statements (rows 10·slot + i), offers (two fields) and its
    own name and description."""
    index, by_slot = LexicalIndex(), {}
    for slot in range(providers):
        docs = [(STATEMENT_TEXT, 10 * slot + i, random_text(rng)) for i in range(rng.randint(0, 3))]
        for i in range(rng.randint(0, 2)):
            docs += [(OFFER_PROCESS, 10 * slot + 5 + i, random_text(rng)),
                     (OFFER_DESCRIPTION, 10 * slot + 5 + i, random_text(rng) if rng.random() < 0.7 else "")]
        docs += [(PROVIDER_NAME, slot, random_text(rng)), (PROVIDER_DESCRIPTION, slot, random_text(rng))]
        index.put(slot, docs)
        by_slot[slot] = docs
    return index, by_slot


Documents = dict[int, list[tuple[int, int, str]]]


def expected(by_slot: Documents, query: str, source: int, k: int) -> list[tuple[str, float]]:
    scores = bm25_oracle([doc for docs in by_slot.values() for doc in docs], query, source)
    best: dict[int, float] = {}
    for owner, score in scores.items():
        slot = owner if source == PROVIDER else owner // 10
        best[slot] = max(best.get(slot, 0.0), score)
    return sorted(((f"p{slot}", s) for slot, s in best.items()), key=lambda item: -item[1])[:k]


def searched(index: LexicalIndex, providers: int, query: str, source: int, k: int,
             passes: np.ndarray | None = None) -> list[tuple[str, float]]:
    """The index's record scores, best record per provider (rows 10·slot + i belong to slot), top ``k``."""
    usable = np.ones(10 * providers, bool)
    passes = np.ones(providers, bool) if passes is None else passes
    found = record_scores(index.publish(), query, (source,), usable, passes)
    best: dict[int, float] = {}
    for record, score in zip(*found.get(source, ([], [])), strict=True):
        slot = int(record) if source == PROVIDER else int(record) // 10
        best[slot] = max(best.get(slot, 0.0), float(score))
    return sorted(((f"p{slot}", s) for slot, s in best.items()), key=lambda item: -item[1])[:k]


def same_ranking(got: list[tuple[str, float]], every: list[tuple[str, float]], k: int) -> None:
    """``got`` is the top ``k`` of ``every`` (the oracle's whole ranking): the same scores in the same order,
    each provider with its own score (providers tied at the cut may differ)."""
    truth = dict(every)
    assert [round(s, 6) for _, s in got] == [round(s, 6) for _, s in every[:k]]
    assert all(abs(truth[p] - s) < 1e-6 for p, s in got)


@pytest.mark.parametrize("source", [STATEMENT, OFFER, PROVIDER])
@pytest.mark.parametrize("query", ["铝合金压铸 汽车零部件", "等保测评", "MES 系统 MES", "IATF 16949 数控加工"])
def test_bm25_is_the_formula_per_source(query: str, source: int):
    index, by_slot = build(random.Random(7), 300)
    same_ranking(searched(index, 300, query, source, 20), expected(by_slot, query, source, 300), 20)


def test_replacements_and_folds_keep_the_index_exact():
    rng = random.Random(11)
    index, by_slot = build(rng, 300)
    index.publish()
    for _ in range(3):
        for slot in rng.sample(range(300), 120):  # replaced: the old documents die, new ones are added
            docs = [(STATEMENT_TEXT, 10 * slot, random_text(rng)), (PROVIDER_NAME, slot, random_text(rng))]
            index.put(slot, docs)
            by_slot[slot] = docs
        index.fold()  # dead documents leave the statistics only when folded, as in Lucene
        for source in (STATEMENT, PROVIDER):
            same_ranking(searched(index, 300, "铝合金压铸 数控加工", source, 15),
                         expected(by_slot, "铝合金压铸 数控加工", source, 300), 15)
    index.drop(0)
    assert "p0" not in {p for p, _ in searched(index, 300, " ".join(WORDS), PROVIDER, 300)}


def test_only_documents_that_pass_are_searched():
    index, _ = build(random.Random(3), 100)
    passes = np.zeros(100, bool)
    passes[::2] = True
    got = searched(index, 100, "压铸 MES", PROVIDER, 100, passes)
    assert got and all(int(p[1:]) % 2 == 0 for p, _ in got)


LUCENE = """
CALL db.index.fulltext.queryNodes($index, $text, {limit: 400}) YIELD node, score
MATCH (p:Provider)-[:STATES|OFFERS]->(node)
RETURN p.id AS id, max(score) AS score ORDER BY score DESC, id LIMIT $k
"""


@pytest.mark.parametrize("text", ["铝合金压铸件 汽车零部件 IATF16949", "等保测评 三级", "设备预测性维护 振动监测",
                                  "MES 制造执行系统 实施", "注塑模具 开发"])
async def test_agrees_with_lucene_on_the_sample(sample_db: Database, text: str):
    """The statements branch against Neo4j's own ``cjk`` full-text index: the same best providers
    (Lucene scores each field separately and tokenises a few number forms differently, so the
    comparison is of sets, not scores)."""
    found = await ProviderIndex().search(sample_db, None, capacity=False, regions=[], certifications=[],
                                         as_of=today(), k=10, text=text)
    ours = [h["provider_id"] for h in found.text_hits if h["source"] == "TEXT_STATEMENT"]
    rows = await sample_db.read(LUCENE, index="capability_statement_text", text=text, k=10)
    listed = {r["id"] for r in await sample_db.read(
        "MATCH (p:Provider) WHERE p.listing_status = 'LISTED' RETURN p.id AS id")}
    lucene = [r["id"] for r in rows if r["id"] in listed]
    assert ours and lucene
    overlap = len(set(ours) & set(lucene[:len(ours)])) / len(ours)
    assert overlap >= 0.7
