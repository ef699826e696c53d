"""Is a registration (or an import row) an organisation the pool already has?

The verdict compares the new provider's name with the names of existing providers in the same
region after normalising both (:func:`normalise_name`: full-width to half-width, case, spaces and
punctuation, a leading region name in brackets and the legal-form suffix such as 有限公司 removed),
with :func:`name_similarity` (difflib's ratio: 2·matches / total length). Thresholds are in
:mod:`matching.curation.policy`; candidates come from the graph (same credit code, or a full-text hit
on the name in the same region), so the comparison is bounded however large the pool is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import Enum

from matching.curation.policy import DUPLICATE_SIMILARITY, REVIEW_SIMILARITY

# Legal-form and generic endings that say nothing about which organisation it is; longest first.
_SUFFIXES = tuple(sorted((
    "股份有限公司", "有限责任公司", "有限公司", "分公司", "集团公司", "集团", "公司", "股份",
    "工作室", "研究院", "研究所",
    "co ltd", "co., ltd", "company limited", "limited", "ltd", "inc", "corp", "corporation", "llc", "gmbh",
), key=len, reverse=True))
_BRACKETED = re.compile(r"[(（][^)）]{1,12}[)）]")
# Numbers that tell organisations apart: 1号/2号, 第一/第二 (a numeral inside a word, 一体化, is not one).
_NUMBERS = re.compile(r"\d+|第[零一二三四五六七八九十百]+")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise_name(name: str) -> str:
    """The part of an organisation name that identifies it: ``四川（成都）精工机械有限公司`` → ``四川精工机械``."""
    text = unicodedata.normalize("NFKC", name or "").lower().strip()
    text = _BRACKETED.sub("", text)
    changed = True
    while changed:
        changed = False
        stripped = text.rstrip(" .,")
        for suffix in _SUFFIXES:
            if stripped.endswith(suffix) and len(stripped) > len(suffix):
                text, changed = stripped[: -len(suffix)], True
                break
    return _NOISE.sub("", text)


def name_similarity(a: str, b: str) -> float:
    """0 … 1: how alike two organisation names are once normalised (1 = the same name).

    Two kinds of difference are never scored as the same organisation — their similarity stays below
    DUPLICATE_SIMILARITY, so at most staff review them:

    - numbers that differ (重庆第二机床厂 / 重庆第三机床厂, 1号 / 2号);
    - names that each have characters the other lacks: one is not the other written longer or shorter
      (成都市精工机械制造 / 成都精工机械 keep their score), something was *replaced*. A Chinese enterprise
      name is region + 字号 + trade + legal form, and the region and the trade are shared by many
      enterprises: 重庆渝瑞模具 and 重庆渝恒模具, 乌鲁木齐市腾飞智能科技 and 乌鲁木齐市百川智能科技 are
      by law different enterprises (another 字号), yet score 0.82–0.88 on the shared words alone.
    """
    left, right = normalise_name(a), normalise_name(b)
    if not left or not right:
        return 0.0
    if left == right:
        return 1.0
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    score = matcher.ratio()
    shared = sum(block.size for block in matcher.get_matching_blocks())
    replaced = shared < len(left) and shared < len(right)
    if replaced or _NUMBERS.findall(left) != _NUMBERS.findall(right):
        score = min(score, DUPLICATE_SIMILARITY - 0.01)
    return score


class Verdict(Enum):
    NEW = "NEW"  # nothing alike: create as usual
    REVIEW = "REVIEW"  # alike but not surely the same: create APPLIED, flagged with the candidate
    DUPLICATE = "DUPLICATE"  # the same organisation: refuse, naming the existing provider


@dataclass(frozen=True)
class Candidate:
    """An existing provider a registration is compared with."""

    id: str
    name: str
    credit_code: str | None
    same_region: bool


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    candidate: Candidate | None = None
    similarity: float = 0.0
    reason: str = ""
    same_credit_code: bool = False


def judge(name: str, credit_code: str | None, candidates: list[Candidate]) -> Judgement:
    """The verdict on a new provider ``name`` / ``credit_code`` against existing ``candidates``.

    Same credit code: DUPLICATE. Otherwise the most similar candidate *in the same region* decides:
    ≥ DUPLICATE_SIMILARITY → DUPLICATE, ≥ REVIEW_SIMILARITY → REVIEW, else NEW. A similar name in
    another region is another organisation (branches and namesakes are common).
    """
    code = (credit_code or "").strip().upper()
    for candidate in candidates:
        if code and (candidate.credit_code or "").strip().upper() == code:
            return Judgement(Verdict.DUPLICATE, candidate, 1.0,
                             f"{candidate.name} ({candidate.id}) has credit code {code}", same_credit_code=True)
    best: tuple[float, Candidate] | None = None
    for candidate in candidates:
        if not candidate.same_region:
            continue
        score = name_similarity(name, candidate.name)
        if best is None or score > best[0] or (score == best[0] and candidate.id < best[1].id):
            best = (score, candidate)
    if best is None or best[0] < REVIEW_SIMILARITY:
        return Judgement(Verdict.NEW)
    score, candidate = best
    if score >= DUPLICATE_SIMILARITY:
        return Judgement(Verdict.DUPLICATE, candidate, score,
                         f"{candidate.name} ({candidate.id}) in the same region has a name {score:.0%} alike")
    return Judgement(Verdict.REVIEW, candidate, score,
                     f"{candidate.name} ({candidate.id}) in the same region has a name {score:.0%} alike")
