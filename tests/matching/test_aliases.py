"""normalise and AliasIndex: exact resolution, search in longer texts, and ambiguity handling."""

from __future__ import annotations

import itertools

import pytest

from matching.aliases import AliasIndex, AliasMatch, fold, normalise
from seed.reference import Reference, load_reference


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


@pytest.fixture(scope="module")
def indexes(ref: Reference) -> dict[str, AliasIndex]:
    return {
        "capabilities": AliasIndex.from_records(ref.capabilities),
        "materials": AliasIndex.from_records(ref.materials),
        "certifications": AliasIndex.from_records(ref.certifications),
        "industries": AliasIndex.from_records(ref.industries),
        "regions": AliasIndex.from_records(ref.regions),
    }


# -------------------------------------------------------------------------------------- normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ISO 9001:2015", "iso90012015"),
        ("IATF-16949", "iatf16949"),
        ("ＣＮＣ　加工", "cnc加工"),  # full-width letters and space
        ("等保2.0", "等保20"),
        ("工业无源光网络（PON）", "工业无源光网络pon"),
        ("5G+工业互联网", "5g工业互联网"),
        ("GB/T 19001", "gbt19001"),
        ("“双创”平台", "双创平台"),
        ("45#", "45#"),
        ("R&D", "r&d"),
        ("重庆市", "重庆"),
        ("四川省", "四川"),
        ("成渝地区", "成渝"),
        ("CCC认证", "ccc"),
        ("两化融合管理体系认证", "两化融合管理"),
        ("市辖区", "市辖区"),  # ends in 区: untouched
        ("城市", "城市"),  # stripping would leave one character
        ("超市", "超市"),
        ("上市", "上市"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_fold_keeps_suffixes() -> None:
    assert fold("成都市") == "成都市"
    assert normalise("成都市") == normalise("成都") == "成都"


# ---------------------------------------------------------------------------------------- resolve


@pytest.mark.parametrize(
    ("index", "term", "code"),
    [
        ("certifications", "IATF16949", "CERT.IATF16949"),
        ("certifications", "IATF 16949:2016", "CERT.IATF16949"),
        ("certifications", "16949", "CERT.IATF16949"),
        ("certifications", "ts16949", "CERT.IATF16949"),
        ("certifications", "ISO/TS 16949", "CERT.IATF16949"),
        ("certifications", "iso9001:2015", "CERT.ISO9001"),
        ("certifications", "ISO9001认证", "CERT.ISO9001"),
        ("certifications", "质量管理体系认证", "CERT.ISO9001"),
        ("certifications", "ISO 13485", "CERT.ISO13485"),
        ("certifications", "AS9100D", "CERT.AS9100"),
        ("certifications", "OHSAS18001", "CERT.ISO45001"),
        ("certifications", "ISO/IEC 27001", "CERT.ISO27001"),
        ("certifications", "3C认证", "CERT.CCC"),
        ("certifications", "SC证", "CERT.SC"),
        ("certifications", "ISO 22716", "CERT.GMPC"),
        ("certifications", "ISO17025", "CERT.CNAS"),
        ("certifications", "等保测评机构资质", "CERT.MLPS_ORG"),
        ("certifications", "两化融合管理体系认证", "CERT.LHRH"),
        ("certifications", "国家高新技术企业", "CERT.HNTE"),
        ("certifications", "专精特新", "CERT.SRDI"),
        ("certifications", "专精特新“小巨人”", "CERT.SRDI_GIANT"),
        ("regions", "成都市", "510100"),
        ("regions", "成都", "510100"),
        ("regions", "Chengdu", "510100"),
        ("regions", "四川省", "510000"),
        ("regions", "四川", "510000"),
        ("regions", "川", "510000"),
        ("regions", "渝", "500000"),
        ("regions", "重庆市", "500000"),
        ("regions", "Chongqing", "500000"),
        ("regions", "六安市", "341500"),
        ("regions", "Lu'an", "341500"),
        ("regions", "天津市", "120000"),
        ("regions", "滨海新区", "120116"),
        ("regions", "河北区", "120105"),  # 天津's district, not 河北省
        ("regions", "河北", "130000"),
        ("regions", "成渝地区双城经济圈", "GRP.CHENGYU"),
        ("regions", "长三角", "GRP.YANGTZE_DELTA"),
        ("regions", "珠三角", "GRP.GBA"),
        ("capabilities", "数控加工", "P.MACH.CNC"),
        ("capabilities", "CNC", "P.MACH.CNC"),
        ("capabilities", "CNC机加工", "P.MACH.CNC"),
        ("capabilities", "CNC machining", "P.MACH.CNC"),
        ("capabilities", "五轴联动", "P.MACH.CNC.5AX"),
        ("capabilities", "压铸", "P.CAST.DIE"),
        ("capabilities", "压力铸造", "P.CAST.DIE"),
        ("capabilities", "die casting", "P.CAST.DIE"),
        ("capabilities", "Die-Casting", "P.CAST.DIE"),
        ("capabilities", "等保测评", "S.SEC.ASSESS.MLPS"),
        ("capabilities", "网络安全等级保护测评", "S.SEC.ASSESS.MLPS"),
        ("capabilities", "等保2.0", "S.SEC.ASSESS.MLPS"),
        ("capabilities", "预测性维护", "S.EQP.PDM"),
        ("capabilities", "故障预警", "S.EQP.PDM"),
        ("capabilities", "predictive maintenance", "S.EQP.PDM"),
        ("capabilities", "ERP", "S.OPM.ERP"),
        ("capabilities", "企业资源计划", "S.OPM.ERP"),
        ("capabilities", "MES", "S.MES.MES"),
        ("capabilities", "SCADA", "S.MES.SCADA"),
        ("capabilities", "工业PON", "S.NET.PON"),
        ("capabilities", "IPV6", "S.NET.IPV6"),
        ("capabilities", "SMT贴片", "P.ELEC.SMT"),
        ("capabilities", "PCBA", "P.ELEC.SMT"),
        ("capabilities", "火锅底料代工", "P.FOOD.COND"),
        ("materials", "ADC-12", "M.AL.ADC12"),
        ("materials", "6061-T6", "M.AL.6061"),
        ("materials", "SUS304", "M.SS.304"),
        ("materials", "45号钢", "M.STEEL.45"),
        ("materials", "尼龙66", "M.EPLASTIC.PA66"),
        ("materials", "Ti-6Al-4V", "M.TI.TC4"),
        ("industries", "汽车制造业", "C36"),
        ("industries", "新能源汽车", "P-NEV"),
        ("industries", "电子信息", "P-ELECINFO"),
    ],
)
def test_resolve(indexes: dict[str, AliasIndex], index: str, term: str, code: str) -> None:
    assert indexes[index].resolve(term) == code


def test_unknown_terms_do_not_resolve(indexes: dict[str, AliasIndex]) -> None:
    assert indexes["capabilities"].resolve("量子纠缠") is None
    assert indexes["regions"].resolve("台北") is None
    assert indexes["certifications"].resolve("") is None


@pytest.mark.parametrize("name", ["capabilities", "materials", "certifications", "industries", "regions"])
def test_seed_data_has_no_ambiguous_alias(indexes: dict[str, AliasIndex], name: str) -> None:
    assert indexes[name].ambiguous == {}


def test_ambiguous_alias_goes_to_the_more_specific_node() -> None:
    index = AliasIndex([("P.CAST", ["铸造", "压铸"]), ("P.CAST.DIE", ["压力铸造", "压铸"])])
    assert index.resolve("压铸") == "P.CAST.DIE"
    assert index.ambiguous == {"压铸": ("P.CAST", "P.CAST.DIE")}
    # the same depth: the code whose primary name it is wins, then the smaller code
    index = AliasIndex([("B", ["other", "shared"]), ("A", ["x", "shared"]), ("C", ["shared"])])
    assert index.resolve("shared") == "C"
    index = AliasIndex([("B", ["y", "shared"]), ("A", ["x", "shared"])])
    assert index.resolve("shared") == "A"
    # explicit depths override the dotted-code default
    index = AliasIndex([("510000", ["四川"]), ("GRP.X", ["四川"])], depth={"510000": 1, "GRP.X": 0})
    assert index.resolve("四川省") == "510000"


# ------------------------------------------------------------------------------------ resolve_all


def test_resolve_all_finds_every_alias_longest_first(indexes: dict[str, AliasIndex]) -> None:
    text = "我们提供CNC加工、铝合金压铸和阳极氧化，也做数控加工；另有5G+工业互联网和等保2.0测评服务。"
    assert indexes["capabilities"].resolve_all(text) == [
        "P.MACH.CNC", "P.CAST.DIE.AL", "P.SURF.ANOD", "S.NET.5G", "S.SEC.ASSESS.MLPS",
    ]


def test_find_reports_spans_in_the_original_text(indexes: dict[str, AliasIndex]) -> None:
    text = "需要 ＣＮＣ 加工和压铸"
    matches = indexes["capabilities"].find(text)
    assert matches == [
        AliasMatch("P.MACH.CNC", "ＣＮＣ 加工", 3, 9),
        AliasMatch("P.CAST.DIE", "压铸", 10, 12),
    ]
    assert all(text[m.start : m.end] == m.alias for m in matches)


def test_matches_do_not_overlap(indexes: dict[str, AliasIndex]) -> None:
    matches = indexes["capabilities"].find("铝合金压铸件和硬质阳极氧化处理")
    assert [m.code for m in matches] == ["P.CAST.DIE.AL", "P.SURF.ANOD.HARD"]
    for first, second in itertools.pairwise(matches):
        assert first.end <= second.start


def test_ascii_aliases_match_whole_words_only(indexes: dict[str, AliasIndex]) -> None:
    materials = indexes["materials"]
    assert materials.resolve_all("PCB") == []  # "PC" is not inside "PCB"
    assert materials.resolve_all("ABS/PC料，外壳用ABS,PC") == ["M.EPLASTIC.ABS", "M.EPLASTIC.PC"]
    assert materials.resolve_all("材质：304不锈钢") == ["M.SS.304"]
    assert materials.resolve_all("SUS3040") == []
    caps = indexes["capabilities"]
    assert caps.resolve_all("部署5G专网") == ["S.NET.5G"]
    assert caps.resolve_all("15G") == []


def test_aliases_shorter_than_two_characters_are_not_searched(indexes: dict[str, AliasIndex]) -> None:
    assert indexes["regions"].resolve_all("川菜和渝菜") == []
    assert indexes["regions"].resolve("川") == "510000"


def test_regions_and_certifications_in_text(indexes: dict[str, AliasIndex]) -> None:
    regions = indexes["regions"]
    found = regions.resolve_all("工厂位于成都市郫都区，辐射川渝和长三角")
    assert found == ["510100", "GRP.CHENGYU", "GRP.YANGTZE_DELTA"]
    assert regions.resolve_all("重庆市渝北区") == ["500000", "500112"]
    assert regions.resolve_all("泛珠三角区域合作") == ["GRP.PAN_PRD"]
    certs = indexes["certifications"]
    assert certs.resolve_all("须具备ISO9001:2015和IATF 16949认证，产品需3C认证") == [
        "CERT.ISO9001", "CERT.IATF16949", "CERT.CCC",
    ]


def test_empty_index_and_empty_text() -> None:
    assert AliasIndex([]).resolve_all("任何文本") == []
    assert AliasIndex([("X.A", ["压铸"])]).resolve_all("") == []
