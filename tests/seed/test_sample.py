"""The sample-data generator: determinism, counts, validity against the reference data, ground truth,
style mix, the reader's error reporting, and the lazy scale generator."""

from __future__ import annotations

import inspect
import json
import re
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from matching import credit_code
from seed.reference import SeedFileError
from seed.sample import (
    FILE_NAMES,
    SEED,
    SampleData,
    catalog,
    generate_sample,
    read_sample,
    to_json_line,
    write_sample,
)
from seed.scale import (
    iter_capacity_offers,
    iter_enterprises,
    iter_needs,
    iter_provider_bundles,
    iter_providers,
)

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "seed" / "data" / "sample"


@pytest.fixture(scope="module")
def cat():
    return catalog()


@pytest.fixture(scope="module")
def data(cat) -> SampleData:
    return generate_sample(SEED, cat=cat)


def _lines(data: SampleData) -> dict[str, list[str]]:
    return {attr: sorted(to_json_line(r) for r in getattr(data, attr)) for attr in FILE_NAMES}


# ---- determinism ------------------------------------------------------------------------------------------


def test_generating_twice_gives_identical_records(data, cat) -> None:
    assert _lines(generate_sample(SEED, cat=cat)) == _lines(data)


def test_a_different_seed_gives_different_records(cat) -> None:
    a = generate_sample(SEED, providers=20, enterprises=5, needs=5, cat=cat)
    b = generate_sample(SEED + 1, providers=20, enterprises=5, needs=5, cat=cat)
    assert [p.name for p in a.providers] != [p.name for p in b.providers]


def test_committed_files_are_exactly_what_the_generator_writes(data, tmp_path) -> None:
    write_sample(tmp_path, data)
    for file_name in FILE_NAMES.values():
        committed = SAMPLE_DIR / file_name
        assert committed.exists(), f"{committed} missing: run python -m seed.sample --out seed/data/sample"
        assert (tmp_path / file_name).read_bytes() == committed.read_bytes(), (
            f"{file_name} differs from the generator's output: regenerate with "
            "python -m seed.sample --out seed/data/sample (did the reference data change?)"
        )


def test_committed_files_are_small_sorted_json_lines() -> None:
    total = 0
    for file_name in FILE_NAMES.values():
        raw = (SAMPLE_DIR / file_name).read_bytes()
        total += len(raw)
        assert raw.endswith(b"\n") and b"\r" not in raw
        ids = [json.loads(line)["id"] for line in raw.decode("utf-8").splitlines()]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
        assert "\\u" not in raw.decode("utf-8"), "written with ensure_ascii=False"
    assert total < 5 * 1024 * 1024


# ---- counts and validity ---------------------------------------------------------------------------------


def test_counts(data) -> None:
    manufacturers = [p for p in data.providers if p.kind == "MANUFACTURER"]
    services = [p for p in data.providers if p.kind == "SERVICE_PROVIDER"]
    assert len(data.providers) >= 1000
    assert len(manufacturers) >= 600 and len(services) >= 300
    assert len(data.enterprises) >= 300 and len(data.needs) >= 200
    offers_by = Counter(o.provider_id for o in data.capacity_offers)
    assert all(1 <= offers_by[p.id] <= 3 for p in manufacturers)
    assert not any(offers_by[p.id] for p in services)
    statements_by = Counter(s.provider_id for s in data.capability_statements)
    assert all(1 <= statements_by[p.id] <= 3 for p in manufacturers)
    assert all(1 <= statements_by[p.id] <= 4 for p in services)
    assert [p.id for p in data.providers[:2]] == ["prv_000001", "prv_000002"]
    assert data.enterprises[0].id == "ent_000001" and data.needs[0].id == "ned_000001"


def test_committed_files_read_back_valid(data) -> None:
    read = read_sample(SAMPLE_DIR)
    assert len(read.providers) == len(data.providers)
    assert len(read.capability_statements) == len(data.capability_statements)
    assert len(read.capacity_offers) == len(data.capacity_offers)
    assert len(read.needs) == len(data.needs)


def test_every_credit_code_is_valid_and_unique(data) -> None:
    codes = [p.credit_code for p in data.providers] + [e.credit_code for e in data.enterprises]
    assert all(credit_code.is_valid(c) for c in codes)
    assert len(set(codes)) == len(codes)
    # the division code is the organisation's own region
    assert all(p.credit_code[2:8] == p.region_code for p in data.providers)


def test_every_code_is_known_to_the_reference_data(data, cat) -> None:
    for p in data.providers:
        assert cat.regions[p.region_code].level == "CITY"
        assert set(p.industry_codes) <= cat.industries.keys()
        assert set(p.sharing_mode_codes) <= set(cat.mode_codes) and p.sharing_mode_codes
        assert {c.code for c in p.certifications} <= cat.cert_codes
        assert 3.0 <= p.rating <= 5.0
    for s in data.capability_statements:
        assert all(
            cat.caps[c].kind == ("PROCESS" if s.provider_id in _manufacturers(data) else "SERVICE")
            for c in s.capability_codes
        )
    for o in data.capacity_offers:
        assert cat.caps[o.capability_code].kind == "PROCESS"
        assert o.material_code is None or o.material_code in cat.material_codes
    for n in data.needs:
        kind = "PROCESS" if n.kind == "CAPACITY" else "SERVICE"
        assert all(cat.caps[c].kind == kind for c in n.capability_codes)
        assert set(n.declared_capability_codes) <= cat.caps.keys()
        assert set(n.required_certification_codes) <= cat.cert_codes
        assert n.region_code is None or n.region_code in cat.regions
        assert n.material_code is None or n.material_code in cat.material_codes


def _manufacturers(data: SampleData) -> set[str]:
    return {p.id for p in data.providers if p.kind == "MANUFACTURER"}


def test_offer_windows_and_numbers(data) -> None:
    offers = data.capacity_offers
    for o in offers:
        start, end = date.fromisoformat(o.available_from), date.fromisoformat(o.available_to)
        assert start <= end
        assert date(2026, 9, 1) <= start and end <= date(2027, 12, 31)
        assert o.monthly_volume > 0 and o.lead_time_days > 0 and o.moq > 0
        assert 0 <= o.booked_volume <= o.monthly_volume
    closing_soon = [o for o in offers if o.available_to <= "2026-12-31"]
    starting_later = [o for o in offers if o.available_from >= "2027-02-01"]
    assert len(closing_soon) >= 0.05 * len(offers) and len(starting_later) >= 0.1 * len(offers)
    assert sum(o.booked_volume == 0 for o in offers) > 0.6 * len(offers)
    assert {o.unit for o in offers} >= {"PIECE", "TONNE", "KG", "SQUARE_METRE", "HOUR"}


def test_needs_structured_fields(data) -> None:
    needs = data.needs
    assert {n.kind for n in needs} == {"SERVICE", "CAPACITY"}
    for n in needs:
        assert "2026-12-01" <= n.deadline <= "2027-06-30"
        assert n.capability_codes
        if n.budget_min is not None:
            assert n.budget_max is not None and 0 < n.budget_min <= n.budget_max
        assert n.quantity is None or n.quantity > 0
    undeclared = sum(not n.declared_capability_codes for n in needs)
    assert 0.35 * len(needs) <= undeclared <= 0.65 * len(needs)
    levels = Counter(_region_level(n.region_code) for n in needs)
    assert set(levels) == {"NONE", "CITY", "PROVINCE", "GROUP"}
    assert any(n.region_code == "GRP.CHENGYU" for n in needs)
    assert sum(bool(n.required_certification_codes) for n in needs) >= 0.2 * len(needs)
    assert any(n.material_code for n in needs if n.kind == "CAPACITY")


def _region_level(code: str | None) -> str:
    if code is None:
        return "NONE"
    return catalog().regions[code].level


def test_certification_traps_exist(data) -> None:
    statuses = Counter(c.status for p in data.providers for c in p.certifications)
    total = sum(statuses.values())
    assert statuses["ACTIVE"] > 0.7 * total
    assert statuses["IN_PROGRESS"] >= 0.05 * total and statuses["EXPIRED"] >= 0.04 * total
    for p in data.providers:
        for c in p.certifications:
            if c.status == "IN_PROGRESS":
                assert c.valid_until is None
            elif c.status == "EXPIRED":
                assert c.valid_until is not None and c.valid_until < "2026-11-23"
            else:
                assert c.valid_until is not None and c.valid_until > "2026-11-23"
    # a need that requires a certificate has providers that hold it only IN_PROGRESS or EXPIRED
    pending = {(c.code) for p in data.providers for c in p.certifications if c.status != "ACTIVE"}
    assert any(set(n.required_certification_codes) & pending for n in data.needs)


def test_region_mix(data, cat) -> None:
    chengyu = sum("GRP.CHENGYU" in cat.places[p.region_code].groups for p in data.providers)
    assert 0.33 <= chengyu / len(data.providers) <= 0.47
    assert len({cat.places[p.region_code].province_code for p in data.providers}) >= 15


# ---- text: ground truth, styles, languages, diversity -----------------------------------------------------


def test_texts_name_only_their_ground_truth(data, cat) -> None:
    """A text built from capability c's phrases names no capability but c and c's ancestors."""
    problems = []
    for s in data.capability_statements:
        problems += [(s.id, t) for t in cat.foreign_terms(s.text, s.capability_codes)]
    for o in data.capacity_offers:
        problems += [
            (o.id, t) for t in cat.foreign_terms(f"{o.process_text} {o.description}", [o.capability_code])
        ]
    for n in data.needs:
        problems += [(n.id, t) for t in cat.foreign_terms(f"{n.title} {n.description}", n.capability_codes)]
    assert problems == []


def test_texts_mention_their_capability(data, cat) -> None:
    """Most statements name their capability (or a paraphrase of it) in the taxonomy's own words."""
    named = 0
    for s in data.capability_statements:
        owners = {c for _, codes in cat.mentioned_terms(s.text) for c in codes}
        named += bool(owners & set(s.capability_codes))
    assert named >= 0.6 * len(data.capability_statements)


def test_language_and_style_mix(data) -> None:
    for records in (data.capability_statements, data.needs, data.providers):
        languages = Counter(r.language for r in records)
        share = {k: v / len(records) for k, v in languages.items()}
        assert share["zh"] >= 0.6
        assert 0.05 <= share["en"] <= 0.2
        assert 0.05 <= share["mixed"] <= 0.2
    assert {s.style for s in data.capability_statements} == {
        "formal",
        "marketing",
        "informal",
        "terse",
        "english",
        "mixed",
    }
    assert {n.style for n in data.needs} == {"formal", "informal", "english", "mixed"}
    english = [s.text for s in data.capability_statements if s.language == "en"]
    assert not [t for t in english if re.search(r"[\u3400-\u9fff]", t)]
    mixed = [s.text for s in data.capability_statements if s.language == "mixed"]
    assert all(re.search(r"[\u3400-\u9fff]", t) and re.search(r"[A-Za-z]{3}", t) for t in mixed)


def test_text_diversity(data) -> None:
    texts = [s.text for s in data.capability_statements]
    assert len(set(texts)) >= 0.97 * len(texts)
    titles = [n.title for n in data.needs]
    assert len(set(titles)) >= 0.9 * len(titles)
    assert len({p.name for p in data.providers}) >= 0.98 * len(data.providers)
    assert any(p.name.isascii() for p in data.providers), "some English / pinyin company names"
    # many capabilities are covered, not a handful
    assert len({c for s in data.capability_statements for c in s.capability_codes}) >= 150
    assert sum(len(s.capability_codes) == 2 for s in data.capability_statements) >= 50


# ---- the reader reports file and line ---------------------------------------------------------------------


def _broken_copy(tmp_path: Path, file_name: str, line: int, change) -> Path:
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE_DIR, target)
    path = target / file_name
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[line - 1])
    change(record)
    lines[line - 1] = json.dumps(record, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("file_name", "line", "change", "reason"),
    [
        ("capability_statements.jsonl", 3, lambda r: r.update(capability_codes=["S.NOPE"]), "unknown code"),
        (
            "providers.jsonl",
            5,
            lambda r: r.update(
                credit_code=r["credit_code"][:-1] + "0"
                if r["credit_code"][-1] != "0"
                else r["credit_code"][:-1] + "1"
            ),
            "invalid credit code",
        ),
        ("capacity_offers.jsonl", 7, lambda r: r.update(available_from="2028-01-01"), "after available_to"),
        ("capacity_offers.jsonl", 2, lambda r: r.update(moq=-5), "negative"),
        ("needs.jsonl", 4, lambda r: r.update(enterprise_id="ent_999999"), "unknown enterprise"),
        ("capability_statements.jsonl", 9, lambda r: r.update(provider_id="prv_999999"), "unknown provider"),
        ("needs.jsonl", 6, lambda r: r.update(material_code="M.UNOBTAINIUM"), "unknown material"),
        ("providers.jsonl", 8, lambda r: r.pop("rating"), "missing key"),
        ("enterprises.jsonl", 1, lambda r: r.update(region_code="510000"), "CITY"),
    ],
)
def test_reader_reports_file_and_line(tmp_path, file_name, line, change, reason) -> None:
    broken = _broken_copy(tmp_path, file_name, line, change)
    with pytest.raises(SeedFileError) as info:
        read_sample(broken)
    assert info.value.path.name == file_name
    assert info.value.line == line
    assert reason in info.value.reason


def test_reader_reports_malformed_json(tmp_path) -> None:
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE_DIR, target)
    path = target / "needs.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[9] = lines[9][:-1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SeedFileError) as info:
        read_sample(target)
    assert (info.value.path.name, info.value.line) == ("needs.jsonl", 10)


# ---- scale ----------------------------------------------------------------------------------------------


def test_scale_streams_the_same_records_lazily(data, cat) -> None:
    providers = iter_providers(5000, cat=cat)
    assert inspect.isgenerator(providers)
    first = next(providers)
    assert first == data.providers[0]
    rest = list(providers)
    assert len(rest) == 4999
    assert rest[-1].id == "prv_005000"
    assert [p for p in rest[: len(data.providers) - 1]] == data.providers[1:]
    kinds = Counter(p.kind for p in [first, *rest])
    assert kinds["MANUFACTURER"] == 3125 and kinds["SERVICE_PROVIDER"] == 1875


def test_scale_ids_continue_the_scheme_and_slices_agree(cat) -> None:
    far = next(iter_providers(1, start=1_000_000, cat=cat))
    assert far.id == "prv_1000000" and credit_code.is_valid(far.credit_code)
    window = list(iter_provider_bundles(3, start=998, cat=cat))
    assert [b.provider.id for b in window] == ["prv_000998", "prv_000999", "prv_001000"]
    offers = list(iter_capacity_offers(3, start=998, cat=cat))
    assert offers == [o for b in window for o in b.offers]


def test_scale_enterprises_and_needs(data, cat) -> None:
    assert list(iter_enterprises(5, cat=cat)) == data.enterprises[:5]
    needs = list(iter_needs(5, n_enterprises=len(data.enterprises), cat=cat))
    assert needs == data.needs[:5]
    with pytest.raises(ValueError):
        next(iter_needs(1, n_enterprises=0, cat=cat))
