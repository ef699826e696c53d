"""The vocabulary people type (issue 9): units, user terms, problem phrases and certification levels.

Every new name must resolve to its node through the alias index the matching code uses, without making any
name ambiguous; every SERVICE node describes the problems it solves; malformed optional keys fail with
file, line and reason like every other seed line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matching.aliases import AliasIndex
from seed.reference import (
    Capability,
    Certification,
    Material,
    Reference,
    SeedFileError,
    Unit,
    load_reference,
    read_jsonl,
)


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


def _index(records: object) -> AliasIndex:
    """The index over every name a record resolves by (names, aliases and user terms)."""
    return AliasIndex([(r.code, list(r.names)) for r in records])  # type: ignore[attr-defined]


KINDS = ("capabilities", "materials", "certifications", "industries", "units")


@pytest.mark.parametrize("kind", KINDS)
def test_no_name_is_ambiguous_with_user_terms(ref: Reference, kind: str) -> None:
    assert _index(getattr(ref, kind)).ambiguous == {}


@pytest.mark.parametrize("kind", KINDS[:4])
def test_every_user_term_resolves_to_its_own_node(ref: Reference, kind: str) -> None:
    records = getattr(ref, kind)
    index = _index(records)
    wrong = [(r.code, term, index.resolve(term)) for r in records for term in r.user_terms
             if index.resolve(term) != r.code]
    assert wrong == []
    assert sum(len(r.user_terms) for r in records) >= {"capabilities": 500, "materials": 100,
                                                        "certifications": 100, "industries": 100}[kind]


def test_user_terms_do_not_move_curated_aliases(ref: Reference) -> None:
    """A user term never resolves, in the curated index, to another node: it only adds names."""
    for kind in KINDS[:4]:
        records = getattr(ref, kind)
        curated = AliasIndex.from_records(records)
        moved = [(r.code, t, curated.resolve(t)) for r in records for t in r.user_terms
                 if curated.resolve(t) not in (None, r.code)]
        assert moved == [], kind


# ------------------------------------------------------------------------------------------- units

UNIT_WORDS = {
    "PIECE": ["件", "个", "片", "支", "只", "pcs", "PCS", "piece", "ea", "颗", "根", "双"],
    "SET": ["套", "台", "set", "sets", "台套"],
    "KG": ["公斤", "千克", "kg", "KG", "kgs"],
    "TONNE": ["吨", "t", "T", "ton", "tonnes", "公吨"],
    "METRE": ["米", "m", "meter", "延米"],
    "SQUARE_METRE": ["平方米", "平米", "㎡", "m2", "m²", "sqm"],
    "HOUR": ["小时", "h", "hrs", "工时", "机时"],
    "CARTON": ["箱", "ctn", "cartons", "纸箱"],
    "ROLL": ["卷", "roll", "reels"],
    "SHEET": ["张", "sheet", "sheets"],
}


@pytest.mark.parametrize(("code", "words"), UNIT_WORDS.items())
def test_unit_words_resolve(ref: Reference, code: str, words: list[str]) -> None:
    index = _index(ref.units)
    assert {word: index.resolve(word) for word in words} == dict.fromkeys(words, code)


def test_unit_codes_dimensions_and_factors(ref: Reference) -> None:
    units = {u.code: u for u in ref.units}
    assert set(units) == set(UNIT_WORDS)
    assert (units["TONNE"].dimension, units["TONNE"].factor) == ("MASS", 1000.0)
    assert (units["KG"].dimension, units["KG"].factor) == ("MASS", 1.0)
    assert {units[c].dimension for c in ("CARTON", "ROLL")} == {"PACKAGE"}
    assert all(units[c].factor is None for c in ("CARTON", "ROLL", "SET", "SHEET"))
    # every unit the API and the sample count in is here
    assert {"PIECE", "SET", "KG", "TONNE", "METRE", "SQUARE_METRE", "HOUR"} <= set(units)


# ------------------------------------------------------------------------------------ certifications

CERT_TERMS = {
    "等保三级": "CERT.MLPS_L3", "三级等保": "CERT.MLPS_L3", "等级保护三级": "CERT.MLPS_L3",
    "等保二级": "CERT.MLPS_L2", "等保2级": "CERT.MLPS_L2",
    "CMMI 3": "CERT.CMMI", "CMMI三级": "CERT.CMMI", "CMMI ML3": "CERT.CMMI", "CMMI5级": "CERT.CMMI",
    "CMMI Level 2": "CERT.CMMI", "CMMI 4级": "CERT.CMMI",
    "SC食品生产许可": "CERT.SC", "SC证": "CERT.SC", "化妆品生产许可": "CERT.GMPC", "化妆品生产许可证": "CERT.GMPC",
    "GJB 9001C": "CERT.GJB9001", "GJB9001C-2017": "CERT.GJB9001", "3C": "CERT.CCC", "CCC认证": "CERT.CCC",
    "CE": "CERT.CE", "CE mark": "CERT.CE", "UL": "CERT.UL", "UL listed": "CERT.UL", "RoHS": "CERT.ROHS",
    "RoHS 2.0": "CERT.ROHS", "FDA 510(k)": "CERT.FDA", "FDA registration": "CERT.FDA", "ISO 13485": "CERT.ISO13485",
    "ISO 13485:2016 certified": "CERT.ISO13485", "IATF 16949": "CERT.IATF16949", "TS16949认证": "CERT.IATF16949",
    "ISO/IEC 27001:2022": "CERT.ISO27001", "ISO 20000-1:2018": "CERT.ISO20000", "AS9100D": "CERT.AS9100",
    "医疗器械生产许可证（二类）": "CERT.MDL", "医疗器械生产许可": "CERT.MDL", "安全生产许可证": "CERT.SAFETY_LIC",
    "Nadcap accredited": "CERT.NADCAP", "CNAS accredited": "CERT.CNAS",
}


def test_certification_names_people_type(ref: Reference) -> None:
    index = _index(ref.certifications)
    assert {term: index.resolve(term) for term in CERT_TERMS} == CERT_TERMS


def test_certification_levels_satisfy_the_lower_ones(ref: Reference) -> None:
    certs = {c.code: c for c in ref.certifications}
    assert certs["CERT.MLPS_L3"].satisfies == ("CERT.MLPS_L2",)
    assert certs["CERT.MLPS_L2"].satisfies == ()
    for cert in certs.values():
        assert all(code in certs and code != cert.code for code in cert.satisfies)


# ------------------------------------------------------------------------------------------ industries

INDUSTRY_TERMS = {
    "航空航天": "P-AERO", "航空": "P-AERO", "aerospace": "P-AERO", "生物医药": "P-BIOMED", "医疗器械": "P-BIOMED",
    "医疗器械行业": "P-BIOMED", "medical devices": "P-BIOMED", "新材料": "P-MATERIAL", "新能源": "P-ENERGY",
    "光伏": "P-ENERGY", "新能源汽车": "P-NEV", "动力电池": "P-NEV", "电子信息": "P-ELECINFO", "节能环保": "P-ENVPROT",
    "环保": "P-ENVPROT", "半导体": "P-SEMI", "芯片": "P-SEMI", "汽配": "C36", "五金加工": "C33",
}


def test_industry_names_people_type(ref: Reference) -> None:
    index = _index(ref.industries)
    assert {term: index.resolve(term) for term in INDUSTRY_TERMS} == INDUSTRY_TERMS
    assert all(ref.by_code[code].pillar for code in ("P-AERO", "P-ENVPROT", "P-SEMI", "P-MARINE"))  # type: ignore[union-attr]


# ----------------------------------------------------------------------------------------- materials

MATERIAL_TERMS = {
    "Q235": "M.STEEL.Q235", "Q235碳钢": "M.STEEL.Q235", "45#钢": "M.STEEL.45", "45#": "M.STEEL.45",
    "SUS304": "M.SS.304", "304不锈钢": "M.SS.304", "白钢": "M.SS", "316L": "M.SS.316L", "6061-T6": "M.AL.6061",
    "6061 aluminum": "M.AL.6061", "5052-H32": "M.AL.5052", "7075": "M.AL.7075", "ADC12": "M.AL.ADC12",
    "A380": "M.AL.A380", "TA2": "M.TI.TA2", "纯钛": "M.TI.TA2", "TC4": "M.TI.TC4", "Ti-6Al-4V": "M.TI.TC4",
    "钛合金": "M.TI", "PA66": "M.EPLASTIC.PA66", "ABS": "M.EPLASTIC.ABS", "PC": "M.EPLASTIC.PC",
    "POM": "M.EPLASTIC.POM", "PP": "M.GPLASTIC.PP", "光敏树脂": "M.PHOTOPOLYMER", "resin": "M.PHOTOPOLYMER",
    "类ABS树脂": "M.PHOTOPOLYMER.STD", "tough resin": "M.PHOTOPOLYMER.TOUGH", "aluminum alloy": "M.AL",
}


def test_material_names_people_type(ref: Reference) -> None:
    index = _index(ref.materials)
    assert {term: index.resolve(term) for term in MATERIAL_TERMS} == MATERIAL_TERMS


@pytest.mark.parametrize(
    ("line", "codes"),
    [
        ("Q235碳钢等；aluminum alloy（5052-H32）", ["M.STEEL.Q235", "M.AL", "M.AL.5052"]),
        ("白钢（304不锈钢、316L不锈钢）；6061铝、5052铝合金；TA2纯钛",
         ["M.SS", "M.SS.304", "M.SS.316L", "M.AL.6061", "M.AL.5052", "M.TI.TA2"]),
        ("SUS304/SS316L, 6061-T6 and Ti-6Al-4V", ["M.SS.304", "M.SS.316L", "M.AL.6061", "M.TI.TC4"]),
    ],
)
def test_material_lines_find_every_material(ref: Reference, line: str, codes: list[str]) -> None:
    assert [match.code for match in _index(ref.materials).find(line)] == codes


# ---------------------------------------------------------------------------------------- capabilities

PROCESS_TERMS = {
    "焊装": "P.WELD", "焊装车间": "P.WELD", "组焊": "P.WELD", "weldments": "P.WELD", "SLA打印": "P.AM.POLY.SLA",
    "光固化": "P.AM.POLY.SLA", "立体光刻": "P.AM.POLY.SLA", "光固化成型": "P.AM.POLY.SLA",
    "resin 3D printing": "P.AM.POLY.SLA", "stereolithography": "P.AM.POLY.SLA", "CNC": "P.MACH.CNC",
    "加工中心": "P.MACH.CNC", "CNC machining": "P.MACH.CNC", "数控车": "P.MACH.TURN", "氩焊": "P.WELD.ARC.TIG",
    "二保焊": "P.WELD.ARC.MIG", "失蜡法": "P.CAST.INV", "阳极化": "P.SURF.ANOD", "喷塑": "P.SURF.COAT.POWDER",
    "打塑": "P.PLAS.INJ", "injection molding": "P.PLAS.INJ", "wire harness": "P.ELEC.HARNESS",
    "PCB assembly": "P.ELEC.SMT", "vacuum casting parts": "P.PROTO.VACUUM",
}


def test_process_words_people_type(ref: Reference) -> None:
    index = _index(ref.capabilities)
    assert {term: index.resolve(term) for term in PROCESS_TERMS} == PROCESS_TERMS


def test_every_process_has_user_terms_and_every_service_problems(ref: Reference) -> None:
    processes = [c for c in ref.capabilities if c.kind == "PROCESS"]
    services = [c for c in ref.capabilities if c.kind == "SERVICE"]
    assert [c.code for c in processes if not c.user_terms] == []
    assert [c.code for c in services if len(c.problems) < 3] == []
    assert [c.code for c in processes if c.problems] == []


ISSUE_PROBLEMS = {
    "S.OPM.ERP": ["业财一体化", "库存不准", "账实不符"],
    "S.LOG.WMS": ["库存不准"],
    "S.EQP.PDM": ["设备突然停机"],
    "S.APS.ENERGY": ["能耗高"],
    "S.CLOUD.EDGE": ["数据上云延迟"],
    "S.RND.PLM": ["图纸和BOM版本混乱", "设计变更传递不到车间"],
    "S.SMART.ROBOT": ["招不到人"],
    "S.IDR.TRACE": ["质量追溯难"],
    "S.MES.QMS": ["质量追溯难"],
}


def test_problem_phrases_of_the_issue(ref: Reference) -> None:
    for code, phrases in ISSUE_PROBLEMS.items():
        record = ref.by_code[code]
        assert isinstance(record, Capability)
        assert set(phrases) <= set(record.problems), code


def test_problems_are_short_phrases_not_names(ref: Reference) -> None:
    names = _index(ref.capabilities)
    for cap in ref.capabilities:
        for phrase in cap.problems:
            assert 2 <= len(phrase) <= 60, (cap.code, phrase)
            # a problem that is also a name would link by alias, which is not what a problem is for
            assert names.resolve(phrase) in (None, cap.code), (cap.code, phrase)


# ------------------------------------------------------------------------------------ malformed lines

CERT = {"code": "CERT.A", "name": "A", "aliases": ["AA"]}
CAP = {"code": "S.X", "name_zh": "X", "name_en": "X", "kind": "SERVICE", "parent": None, "aliases": ["XX"],
       "description": "x"}
UNIT = {"code": "CARTON", "name_zh": "箱", "name_en": "carton", "dimension": "PACKAGE", "factor": None,
        "aliases": ["ctn"]}


def _write(path: Path, *rows: dict) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("record_type", "rows", "reason"),
    [
        (Certification, [CERT, {"code": "CERT.B", "name": "B", "aliases": [], "satisfies": ["CERT.C"]}],
         "'satisfies' names 'CERT.C', which is not on an earlier line"),
        (Certification, [CERT, {"code": "CERT.B", "name": "B", "aliases": [], "satisfies": ["CERT.B"]}],
         "lists itself in 'satisfies'"),
        (Certification, [CERT, {"code": "CERT.B", "name": "B", "aliases": ["b"], "user_terms": ["B"]}],
         "user term 'B' repeats a name or alias of 'CERT.B'"),
        (Certification, [CERT, {"code": "CERT.B", "name": "B", "aliases": [], "satisfies": [], "user_terms": []}],
         "keys out of order"),
        (Capability, [CAP, {**CAP, "code": "S.Y", "problems": "库存不准"}], "'problems' must be a list of strings"),
        (Capability, [CAP, {**CAP, "code": "S.Y", "problems": ["a", "a"]}], "'problems' lists 'a' twice"),
        (Capability, [CAP, {**CAP, "code": "S.Y", "tags": []}], "unexpected key 'tags'"),
        (Unit, [UNIT, {**UNIT, "code": "ROLL", "factor": 12}], "a PACKAGE unit has no fixed factor"),
        (Unit, [UNIT, {**UNIT, "code": "KG", "dimension": "MASS", "factor": -1}], "'factor' must be positive"),
        (Unit, [UNIT, {**UNIT, "code": "KG", "dimension": "WEIGHT"}], "'dimension' must be one of"),
        (Unit, [UNIT, {**UNIT, "code": "kg"}], "bad code 'kg'"),
        (Material, [{"code": "M.X", "name_zh": "X", "name_en": "X", "parent": None, "aliases": [],
                     "user_terms": [""]}, UNIT], "'user_terms' must be a non-empty string"),
    ],
)
def test_malformed_optional_keys(tmp_path: Path, record_type: type, rows: list[dict], reason: str) -> None:
    path = _write(tmp_path / "f.jsonl", *rows)
    with pytest.raises(SeedFileError) as info:
        read_jsonl(path, record_type)
    assert reason in info.value.reason
    assert info.value.line == (1 if record_type is Material else 2)


def test_optional_keys_default_when_missing(tmp_path: Path) -> None:
    (cert,) = read_jsonl(_write(tmp_path / "c.jsonl", CERT), Certification)
    assert (cert.user_terms, cert.satisfies, cert.names) == ((), (), ("A", "AA"))
    (cap,) = read_jsonl(_write(tmp_path / "s.jsonl", CAP), Capability)
    assert (cap.user_terms, cap.problems) == ((), ())
