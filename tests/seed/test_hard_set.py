"""The hard development set (seed/data/eval_hard/): it reads, covers what issue 9 asks for, and its judgments
name only providers that exist."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from matching.aliases import AliasIndex
from seed.evaluation.hard_set import (
    HARD_DIR,
    HARD_TAGS,
    HardNeed,
    merged_sample,
    read_hard_judgments,
    read_hard_needs,
    read_hard_providers,
)
from seed.reference import Reference, SeedFileError, load_reference
from seed.sample import SampleData, read_sample


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


@pytest.fixture(scope="module")
def needs(ref: Reference) -> list[HardNeed]:
    return read_hard_needs(reference=ref)


@pytest.fixture(scope="module")
def extra() -> SampleData:
    return read_hard_providers()


@pytest.fixture(scope="module")
def sample() -> SampleData:
    return read_sample()


def test_needs_read_and_cover_the_styles_and_kinds(needs: list[HardNeed]) -> None:
    assert len(needs) >= 60
    kinds = Counter(h.need.kind for h in needs)
    assert kinds["CAPACITY"] >= 25 and kinds["SERVICE"] >= 25
    assert {"formal", "informal", "english", "mixed", "terse"} <= {h.need.style for h in needs}
    tags = Counter(tag for h in needs for tag in h.need.tags)
    for tag in ("process_word", "material_list", "unit_word", "problem_description", "rfq_boilerplate",
                "new_vocabulary", "constraint_cert", "constraint_region", "cross_lingual_en"):
        assert tags[tag] >= 2, tag
    assert set(tags) <= set(HARD_TAGS)


def test_typed_units_resolve_and_are_sent_as_typed(needs: list[HardNeed]) -> None:
    typed = {h.typed_unit: h.need.unit for h in needs if h.typed_unit}
    assert len(typed) >= 10  # 件, pcs, 个, 只, 支, 片, 台, 吨, t, 公斤, 平米, ㎡, 工时, hrs …
    assert typed["台"] == "SET" and typed["吨"] == "TONNE" and typed["㎡"] == "SQUARE_METRE"
    for h in needs:
        if h.typed_unit:
            assert h.api_input()["unitText"] == h.typed_unit and "unit" not in h.api_input()
            assert h.need.api_input()["unit"] == h.need.unit  # the resolved code, for the judge


def test_problem_needs_do_not_name_their_service(ref: Reference, needs: list[HardNeed]) -> None:
    """A need tagged problem_description finds no curated name or alias of its own capability in its text."""
    index = AliasIndex.from_records(ref.capabilities)
    problem_needs = [h.need for h in needs if "problem_description" in h.need.tags]
    assert len(problem_needs) >= 15
    named = [(n.id, m.alias) for n in problem_needs for m in index.find(n.query_text)
             if m.code in n.truth.capabilities]
    assert len(named) <= len(problem_needs) // 5, named  # a few mixed needs name it besides the problem


def test_hand_written_providers_read_and_do_not_clash(sample: SampleData, extra: SampleData) -> None:
    assert len(extra.providers) == 40
    assert extra.enterprises == [] and extra.needs == []
    merged = merged_sample(sample, extra)
    assert len(merged.providers) == len(sample.providers) + 40
    with pytest.raises(ValueError, match="provider ids in both"):
        merged_sample(sample, sample)
    with_text = {s.provider_id for s in extra.capability_statements}
    assert with_text == {p.id for p in extra.providers}
    manufacturers = {p.id for p in extra.providers if p.kind == "MANUFACTURER"}
    assert {o.provider_id for o in extra.capacity_offers} == manufacturers
    # the multi-material lines of the issue are there, as a provider writes them
    texts = " ".join(o.description for o in extra.capacity_offers)
    assert "Q235碳钢等；aluminum alloy（5052-H32）" in texts
    assert "白钢（304不锈钢、316L不锈钢）；6061铝、5052铝合金；TA2纯钛" in texts


def test_providers_hold_the_new_certifications(extra: SampleData) -> None:
    held = {c.code for p in extra.providers for c in p.certifications}
    assert {"CERT.MLPS_L3", "CERT.CMMI", "CERT.MDL", "CERT.GMPC", "CERT.SC", "CERT.GJB9001"} <= held


def test_judgments_name_existing_needs_and_providers(needs: list[HardNeed], sample: SampleData,
                                                     extra: SampleData) -> None:
    judgments = read_hard_judgments()
    providers = {p.id for p in sample.providers} | {p.id for p in extra.providers}
    need_ids = {h.id for h in needs}
    assert {j.need_id for j in judgments} == need_ids
    assert {j.provider_id for j in judgments} <= providers
    assert len(judgments) >= 20 * len(needs)


def test_every_need_has_a_fitting_feasible_provider(needs: list[HardNeed]) -> None:
    """No need is unanswerable: each has a provider judged 2 or 3 (capability fits, constraints pass)."""
    best: dict[str, int] = {}
    for j in read_hard_judgments():
        best[j.need_id] = max(best.get(j.need_id, 0), j.grade)
    assert [h.id for h in needs if best.get(h.id, 0) < 2] == []


def test_certification_traps_exist(needs: list[HardNeed]) -> None:
    """Needs with a required certification also have capable providers judged 0 because they lack it."""
    by_need: dict[str, list[str]] = {}
    for j in read_hard_judgments():
        by_need.setdefault(j.need_id, []).append(j.reason)
    cert_needs = [h.id for h in needs if h.need.truth.certifications]
    trapped = [nid for nid in cert_needs if any("breaks cert" in r and "otherwise" in r and "grade 3" in r
                                                for r in by_need[nid])]
    assert len(trapped) >= len(cert_needs) // 2


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda r: r.update(unit="箩筐"), "unit '箩筐' names no unit"),
        (lambda r: r.update(tags=["made_up"]), "'tags' must name tags of HARD_TAGS"),
        (lambda r: r["truth"].update(capabilities=["S.OPM.ERP"]), "unknown CAPACITY truth capability"),
        (lambda r: r.update(required_certifications=[]), "must name the same certifications"),
        (lambda r: r.update(id="eval_001"), "ids are eval_2xx"),
        (lambda r: r.pop("note"), "keys"),
        (lambda r: r.update(title=""), "'title' must be a non-empty string"),
        (lambda r: r.update(deadline="2027-02-30"), "day is out of range"),
    ],
)
def test_malformed_need_lines(tmp_path: Path, ref: Reference, change: object, reason: str) -> None:
    lines = (HARD_DIR / "needs.jsonl").read_text(encoding="utf-8").splitlines()
    raw = json.loads(lines[1])  # eval_202: CAPACITY, IATF 16949 required
    change(raw)  # type: ignore[operator]
    path = tmp_path / "needs.jsonl"
    path.write_text("\n".join([lines[0], json.dumps(raw, ensure_ascii=False)]) + "\n", encoding="utf-8")
    with pytest.raises(SeedFileError) as info:
        read_hard_needs(path, ref)
    assert info.value.line == 2 and reason in info.value.reason
