"""The reference data in seed/data/*.jsonl loads, is consistent, and covers the policy documents.

Malformed files are written to a temporary directory and must fail with the right file, line and reason.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from matching.aliases import AliasIndex
from seed.reference import (
    DATA_DIR,
    FILES,
    Capability,
    Certification,
    Industry,
    Material,
    Reference,
    Region,
    SeedFileError,
    SharingMode,
    load_reference,
    read_jsonl,
)

SEEDS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

# The five policy documents in shared/seeds/, by the prefix of their file name.
DOCUMENTS = {
    "000": "重庆《关于加快发展工业互联网平台企业赋能制造业转型升级的指导意见》",
    "001": "四川《关于深化“互联网+先进制造业”发展工业互联网的实施意见（征求意见稿）》",
    "002": "天津《关于深化“互联网+先进制造业”发展工业互联网的实施意见》",
    "003": "重庆《重庆市推进工业互联网发展若干政策》（渝府办发〔2018〕129号）",
    "004": "六安《关于促进工业互联网发展的意见（征求意见稿）》",
}

# Service and process terms copied literally from the documents; each must name a taxonomy node.
POLICY_TERMS: dict[str, list[str]] = {
    "000": [
        "云存储", "云容灾", "云计算", "边缘计算", "海量数据分析", "制造工艺管理", "研发仿真设计",
        "资源配置优化", "企业运营管理", "生产过程管控", "设备管理服务", "工业APP", "基础设施即服务",
        "软件即服务", "平台即服务", "供应链协同管理", "物流仓储服务", "公共测试验证", "工业耗材服务",
        "产品研发设计", "产品后服务", "能耗优化管理", "质量管理", "个性化定制", "网络化协同", "服务化转型",
        "窄带物联网", "工业无源光网络", "软件定义网络", "工业微服务", "系统仿真测试", "云安全防护",
        "工控安全防护", "安全咨询", "私有云", "混合云", "协同研发", "测试验证", "咨询评估", "创业孵化",
        "供应链金融", "咨询诊断", "展示展览", "行业资讯", "人才培训", "标识解析", "二级节点", "智慧园区",
        "融资服务", "数据利用", "协同制造", "制造与工艺管理", "供应链管理", "第五代移动通信", "增强现实",
        "虚拟现实", "人工智能",
    ],
    "001": [
        "企业上云", "设备健康维护", "生产管理优化", "协同设计制造", "产融合作", "资源出租",
        "设备预测性维护", "智能排产", "生产流程优化", "质量分析", "远程服务", "产品全生命周期管理",
        "供需对接", "软件租赁", "能力开放", "众包众筹", "云制造", "两化融合管理体系", "态势感知",
        "漏洞挖掘", "入侵发现", "安全审计", "安全运维", "时间敏感网络", "确定性网络", "关键产品追溯",
        "公共递归节点", "全透明数字车间", "工业大数据分析", "实习实训", "技术咨询", "展览展示",
        "平台能力成熟度评价", "低功耗工业无线网络", "业务流程重塑", "设备安全",
    ],
    "002": [
        "工业设计", "模具开发", "协同设计", "预测性维护", "故障诊断", "远程监测", "众包众创",
        "工业电子商务", "客户关系管理", "容灾备份", "安全监测", "工艺过程分析模拟", "工业技术软件化",
        "三维（3D）打印", "工业机器人", "柔性制造", "远程控制", "产品定制", "集成供应链",
        "知识产权分析预警", "投融资", "微服务框架", "建模分析", "设备维护管理", "资源匹配协同",
        "生产过程优化", "企业管理决策优化", "数据集成", "云资源租用", "应急管理", "智能控制",
        "公共递归解析节点", "新型智能网关", "工业数据分析软件", "时间敏感网络",
    ],
    "003": [
        "检测检验", "仿真设计", "成果转化", "数据管理和分析", "工业信息安全", "设备资源管理", "融资租赁",
        "制造流程管控", "制造协同", "供应链协同", "远程运营维护", "能耗管理优化", "协同办公", "会议系统",
        "行政管理", "电子商务", "市场营销", "客户服务", "数字化车间", "智能工厂", "智能化改造",
        "安全抽查评估", "标识注册备案", "分配解析", "数据备份", "公共研发", "工业智能网关", "研发设计",
        "生产设备管理",
    ],
    "004": [
        "5G全连接工厂", "标识解析二级节点", "产品质量追溯", "资源上云", "管理上云", "业务上云", "数据上云",
        "产品质量分析", "机器换人", "两化融合管理体系贯标", "诊断服务", "上云服务", "人才培养",
        "安全态势感知", "工业防火墙", "入侵检测系统", "控制安全", "网络安全", "平台安全", "数据安全",
        "数据接入安全", "访问安全", "应急处理", "专题培训", "咨询顾问", "实训基地", "设备预测性维护",
        "供应链协同",
    ],
}

KEY_ORDER = {  # every key a line may have, in order; the optional ones (OPTIONAL of the type) may be missing
    "capabilities.jsonl": ["code", "name_zh", "name_en", "kind", "parent", "aliases", "description", "user_terms",
                           "problems"],
    "materials.jsonl": ["code", "name_zh", "name_en", "parent", "aliases", "user_terms"],
    "certifications.jsonl": ["code", "name", "aliases", "user_terms", "satisfies"],
    "industries.jsonl": ["code", "name_zh", "name_en", "aliases", "pillar", "user_terms"],
    "regions.jsonl": ["code", "name_zh", "name_en", "level", "parents", "aliases", "lat", "lon"],
    "sharing_modes.jsonl": ["code", "name_zh", "name_en", "description"],
    "units.jsonl": ["code", "name_zh", "name_en", "dimension", "factor", "aliases"],
}


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


# ------------------------------------------------------------------------------------------ files


def test_every_file_loads_with_expected_sizes(ref: Reference) -> None:
    assert 150 <= len(ref.capabilities) <= 350
    assert len(ref.materials) >= 60
    assert len(ref.certifications) >= 25
    assert len(ref.industries) >= 31 + 7
    assert len(ref.regions) >= 31 + 4
    assert len(ref.sharing_modes) == 4
    assert len(ref.units) == 10


@pytest.mark.parametrize("name", list(FILES))
def test_files_are_canonical_json_lines(name: str) -> None:
    raw = (DATA_DIR / name).read_bytes()
    text = raw.decode("utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\\u" not in text, "written with ensure_ascii=True"
    for number, line in enumerate(text.splitlines(), start=1):
        assert line.strip(), f"{name}:{number} is blank"
        keys = list(json.loads(line))
        required = list(FILES[name].FIELDS)
        assert keys[: len(required)] == required, f"{name}:{number} keys out of order"
        assert keys == [k for k in KEY_ORDER[name] if k in keys], f"{name}:{number} keys out of order"


def test_codes_are_unique_across_all_files(ref: Reference) -> None:
    codes = [record.code for records in ref.all_lists() for record in records]
    assert len(codes) == len(set(codes))
    assert len(ref.by_code) == len(codes)


# ---------------------------------------------------------------------------------- capabilities


def test_capability_hierarchy_is_a_tree(ref: Reference) -> None:
    by_code = {c.code: c for c in ref.capabilities}
    position = {c.code: i for i, c in enumerate(ref.capabilities)}
    for cap in ref.capabilities:
        depth, node, visited = 1, cap, {cap.code}
        while node.parent is not None:
            assert node.parent in by_code, f"{node.code}: unknown parent"
            assert position[node.parent] < position[node.code], f"{node.code} comes before its parent"
            node = by_code[node.parent]
            assert node.code not in visited, f"cycle through {node.code}"
            visited.add(node.code)
            depth += 1
        assert depth == cap.level <= 3
        assert node.kind == cap.kind
    roots = [c for c in ref.capabilities if c.parent is None]
    assert {c.kind for c in roots} == {"SERVICE", "PROCESS"}
    assert all(c.code.startswith("S." if c.kind == "SERVICE" else "P.") for c in ref.capabilities)


def test_capability_leaves_have_enough_aliases(ref: Reference) -> None:
    parents = {c.parent for c in ref.capabilities}
    thin = [c.code for c in ref.capabilities if c.code not in parents and len(c.aliases) < 5]
    assert thin == []
    assert all(c.description for c in ref.capabilities)


def test_capabilities_cover_the_service_catalogue_and_processes(ref: Reference) -> None:
    codes = {c.code for c in ref.capabilities}
    expected = [
        "S.MES", "S.MES.SCADA", "S.MES.DW", "S.EQP.PDM", "S.EQP.REMOTE", "S.OPM.ERP", "S.APS.APS",
        "S.CLOUD.IAAS.STORAGE", "S.CLOUD.IAAS.DR", "S.CLOUD.EDGE", "S.CLOUD.BIGDATA", "S.SEC.ASSESS.MLPS",
        "S.SEC.ASSESS.ICS", "S.SEC.MON", "S.IDR.NODE", "S.IDR.TRACE", "S.CONSULT.LHRH", "S.CONSULT.DX",
        "S.TRAIN", "S.FIN.SCF", "S.NET.5G", "S.NET.IPV6", "S.NET.PON", "P.CAST.DIE", "P.CAST.SAND",
        "P.CAST.INV", "P.CAST.GRAV", "P.MACH.CNC.3AX", "P.MACH.CNC.5AX", "P.MACH.CNC.TM", "P.MACH.TURN",
        "P.MACH.MILL", "P.MACH.GRIND", "P.MACH.EDM.WIRE", "P.PLAS.INJ", "P.SHEET.LASER", "P.SHEET.BEND",
        "P.STAMP", "P.WELD", "P.AM.METAL", "P.AM.POLY", "P.FORGE", "P.HEAT", "P.SURF.ANOD", "P.SURF.PLATE",
        "P.SURF.COAT.POWDER", "P.SURF.COAT.PAINT", "P.ELEC.PCB", "P.ELEC.SMT", "P.ELEC.HARNESS", "P.MOULD",
        "P.PLAS.EXT", "P.RUBBER.EXT", "P.ASSY", "P.FOOD", "P.COSM", "P.PACK", "P.TEXT",
    ]
    for code in expected:
        assert code in codes, code


def test_policy_terms_resolve_to_taxonomy_nodes(ref: Reference) -> None:
    index = AliasIndex.from_records(ref.capabilities)
    terms = [(doc, term) for doc, doc_terms in POLICY_TERMS.items() for term in doc_terms]
    assert len({term for _, term in terms}) >= 60
    unresolved = [(doc, term) for doc, term in terms if index.resolve(term) is None]
    assert unresolved == []


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="shared/seeds is not beside the repository")
def test_policy_terms_are_copied_literally_from_their_document() -> None:
    texts = {path.name[:3]: path.read_text(encoding="utf-8") for path in SEEDS_DIR.glob("*.txt")}
    assert set(texts) == set(DOCUMENTS)
    missing = [(doc, term) for doc, doc_terms in POLICY_TERMS.items() for term in doc_terms
               if term not in texts[doc]]
    assert missing == []


# ------------------------------------------------------------------------ the other reference files


def test_materials_are_families_and_grades(ref: Reference) -> None:
    families = {m.code for m in ref.materials if m.parent is None}
    for m in ref.materials:
        assert m.parent is None or m.parent in families
        assert m.family in families
    grades = {a for m in ref.materials for a in m.aliases}
    for grade in ["ADC12", "A380", "6061", "7075", "Q235", "45#", "304", "316L", "ABS", "PC", "PA66", "POM",
                  "PP", "TC4"]:
        assert grade in grades, grade


def test_industries_are_the_gbt4754_divisions_plus_pillars(ref: Reference) -> None:
    divisions = {i.code: i for i in ref.industries if i.code.startswith("C")}
    assert sorted(divisions) == [f"C{n}" for n in range(13, 44)]
    assert divisions["C36"].name_zh == "汽车制造业"
    assert divisions["C39"].name_zh == "计算机、通信和其他电子设备制造业"
    assert divisions["C43"].name_zh == "金属制品、机械和设备修理业"
    assert not any(i.pillar for i in divisions.values())
    pillars = {i.code for i in ref.industries if i.pillar}
    assert {"P-AUTO", "P-ELECINFO", "P-EQUIP", "P-MATERIAL", "P-CONSUMER", "P-BIOMED", "P-ENERGY"} <= pillars
    assert all(code.startswith("P-") for code in pillars)


def test_regions_cover_provinces_and_industrial_cities(ref: Reference) -> None:
    provinces = {r.code: r for r in ref.regions if r.level == "PROVINCE"}
    assert len(provinces) == 31
    assert all(re.fullmatch(r"[1-6]\d0000", code) for code in provinces)
    cities_per_province: dict[str, int] = {}
    for r in ref.regions:
        if r.level == "CITY":
            cities_per_province[r.province] = cities_per_province.get(r.province, 0) + 1
    expected = {"510000": 21, "340000": 16, "130000": 11, "320000": 13, "330000": 11, "440000": 21,
                "420000": 13, "610000": 10, "120000": 16, "110000": 16, "310000": 16, "500000": 20}
    for province, minimum in expected.items():
        assert cities_per_province.get(province, 0) >= minimum, province


def test_city_coordinates_are_near_their_province(ref: Reference) -> None:
    for city in (r for r in ref.regions if r.level == "CITY"):
        province = ref.by_code[city.province]
        assert isinstance(province, Region)
        # the farthest prefecture from its provincial capital here is well under 12 degrees away
        assert abs(city.lat - province.lat) < 12 and abs(city.lon - province.lon) < 12, city.code


def _members(ref: Reference, group: str) -> set[str]:
    return {r.code for r in ref.group_members(group)}


def test_chengyu_group(ref: Reference) -> None:
    members = _members(ref, "GRP.CHENGYU")
    assert "510100" in members  # 成都
    assert "500000" in members  # 重庆
    assert "500112" in members  # 渝北区, through 重庆
    assert "610100" not in members  # 西安
    assert "510000" not in members  # 四川 is only partly in it
    sichuan = {r.code for r in ref.regions if r.level == "CITY" and r.province == "510000"}
    assert members & sichuan == {
        "510100", "510300", "510500", "510600", "510700", "510900", "511000", "511100",
        "511300", "511400", "511500", "511600", "511700", "511800", "512000",
    }


def test_other_groups(ref: Reference) -> None:
    assert {"110000", "120000", "130000", "130600"} <= _members(ref, "GRP.JINGJINJI")
    assert "370000" not in _members(ref, "GRP.JINGJINJI")
    delta = _members(ref, "GRP.YANGTZE_DELTA")
    assert {"310000", "320000", "330000", "340000", "341500", "320500"} <= delta
    assert "360000" not in delta
    gba = {code for code in _members(ref, "GRP.GBA")}
    assert gba == {"440100", "440300", "440400", "440600", "440700", "441200", "441300", "441900", "442000"}
    assert not ref.in_group("440500", "GRP.GBA")  # 汕头


def test_sharing_modes(ref: Reference) -> None:
    assert [(m.code, m.name_zh) for m in ref.sharing_modes] == [
        ("MODE.BROKER", "中介型"),
        ("MODE.CROWD", "众创型"),
        ("MODE.SERVICE", "服务型"),
        ("MODE.COLLAB", "协同型"),
    ]


# ----------------------------------------------------------------------------------- malformed files

CAP_ROOT = {"code": "S.MES", "name_zh": "生产过程管控", "name_en": "Production control", "kind": "SERVICE",
            "parent": None, "aliases": ["生产管控"], "description": "车间层服务"}
CAP_CHILD = {**CAP_ROOT, "code": "S.MES.SCADA", "name_zh": "数据采集", "parent": "S.MES",
             "aliases": ["SCADA"]}


def _write(path: Path, *lines: object) -> Path:
    text = "".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
                   for line in lines)
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path, record_type: type) -> SeedFileError:
    with pytest.raises(SeedFileError) as info:
        read_jsonl(path, record_type)
    return info.value


@pytest.mark.parametrize(
    ("second_line", "reason"),
    [
        ('{"code": "S.MES.SCADA", ', "malformed JSON"),
        ("", "blank line"),
        ("[1, 2]", "expected a JSON object"),
        ({k: v for k, v in CAP_CHILD.items() if k != "description"}, "missing key 'description'"),
        ({**CAP_CHILD, "level": 2}, "unexpected key 'level'"),
        ({**CAP_CHILD, "aliases": "SCADA"}, "'aliases' must be a list of strings"),
        ({**CAP_CHILD, "aliases": ["SCADA", 7]}, "'aliases' must be a non-empty string"),
        ({**CAP_CHILD, "kind": "SERVICES"}, "'kind' must be one of SERVICE, PROCESS"),
        ({**CAP_CHILD, "kind": "PROCESS"}, "does not match code"),
        ({**CAP_CHILD, "name_zh": ""}, "'name_zh' must be a non-empty string"),
        ({**CAP_CHILD, "code": "S.MES"}, "duplicate code 'S.MES' (first on line 1)"),
        ({**CAP_CHILD, "code": "s.mes.x"}, "bad code 's.mes.x'"),
        ({**CAP_CHILD, "parent": "S.FOO", "code": "S.FOO.BAR"}, "unknown parent 'S.FOO'"),
        ({**CAP_CHILD, "code": "S.OTHER.SCADA"}, "must be its parent's code 'S.MES' plus one segment"),
        ({**CAP_CHILD, "parent": None}, "bad level"),
    ],
)
def test_malformed_capability_lines(tmp_path: Path, second_line: object, reason: str) -> None:
    path = _write(tmp_path / "capabilities.jsonl", CAP_ROOT, second_line, CAP_CHILD)
    error = _error(path, Capability)
    assert error.path == path
    assert error.line == 2
    assert reason in error.reason
    assert str(error) == f"{path}:2: {error.reason}"


def test_capability_level_four_is_rejected(tmp_path: Path) -> None:
    chain = [CAP_ROOT, CAP_CHILD, {**CAP_CHILD, "code": "S.MES.SCADA.GW", "parent": "S.MES.SCADA"},
             {**CAP_CHILD, "code": "S.MES.SCADA.GW.X", "parent": "S.MES.SCADA.GW"}]
    error = _error(_write(tmp_path / "capabilities.jsonl", *chain), Capability)
    assert (error.line, error.reason) == (4, "bad level: 'S.MES.SCADA.GW.X' would be level 4, at most 3")


def test_parent_after_child_is_an_unknown_parent(tmp_path: Path) -> None:
    error = _error(_write(tmp_path / "capabilities.jsonl", CAP_CHILD, CAP_ROOT), Capability)
    assert (error.line, error.reason) == (1, "unknown parent 'S.MES'")


def test_error_message_names_the_file_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "seed" / "data").mkdir(parents=True)
    bad = {**CAP_CHILD, "parent": "S.FOO", "code": "S.FOO.X"}
    path = _write(tmp_path / "seed" / "data" / "capabilities.jsonl", CAP_ROOT, bad)
    monkeypatch.chdir(tmp_path)
    assert str(_error(path, Capability)) == "seed/data/capabilities.jsonl:2: unknown parent 'S.FOO'"


def test_malformed_other_record_types(tmp_path: Path) -> None:
    family = {"code": "M.AL", "name_zh": "铝合金", "name_en": "Aluminium", "parent": None, "aliases": []}
    grade = {**family, "code": "M.AL.6061", "parent": "M.AL"}
    error = _error(_write(tmp_path / "m.jsonl", family, grade, {**grade, "code": "M.AL.6061.T6",
                                                                "parent": "M.AL.6061"}), Material)
    assert error.line == 3 and "bad code" in error.reason

    cert = {"code": "CERT.X", "name": "X", "aliases": []}
    error = _error(_write(tmp_path / "c.jsonl", cert, {**cert, "code": "CERT.Y", "extra": 1}), Certification)
    assert (error.line, error.reason) == (2, "unexpected key 'extra'")

    industry = {"code": "C36", "name_zh": "汽车制造业", "name_en": "Autos", "aliases": [], "pillar": "no"}
    error = _error(_write(tmp_path / "i.jsonl", industry), Industry)
    assert (error.line, error.reason) == (1, "'pillar' must be true or false, got 'no'")

    mode = {"code": "MODE.BROKER", "name_zh": "中介型", "name_en": "Broker", "description": 3}
    assert _error(_write(tmp_path / "s.jsonl", mode), SharingMode).line == 1


def test_malformed_regions(tmp_path: Path) -> None:
    group = {"code": "GRP.CHENGYU", "name_zh": "成渝地区", "name_en": "Chengyu", "level": "GROUP",
             "parents": [], "aliases": [], "lat": 30.1, "lon": 105.3}
    province = {**group, "code": "510000", "name_zh": "四川省", "level": "PROVINCE"}
    city = {**group, "code": "510100", "name_zh": "成都市", "level": "CITY",
            "parents": ["510000", "GRP.CHENGYU"]}
    cases = [
        ({**city, "parents": ["GRP.CHENGYU"]}, "a CITY lists its PROVINCE first"),
        ({**city, "parents": ["510000", "GRP.NOPE"]}, "unknown parent 'GRP.NOPE'"),
        ({**city, "level": "TOWN"}, "'level' must be one of GROUP, PROVINCE, CITY"),
        ({**city, "code": "520100"}, "not in province '510000'"),
        ({**city, "lat": 104.0, "lon": 30.6}, "outside mainland China"),
        ({**city, "lat": "30.6"}, "'lat' must be a number"),
        ({**province, "code": "510001"}, "must end in 0000"),
    ]
    for bad, reason in cases:
        error = _error(_write(tmp_path / "r.jsonl", group, province, bad), Region)
        assert error.line == 3 and reason in error.reason, (bad, error)
    grouped_province = {**province, "parents": ["GRP.CHENGYU"]}
    lone_city = {**city, "parents": ["510000"]}
    error = _error(_write(tmp_path / "r.jsonl", group, grouped_province, lone_city), Region)
    assert "missing group(s) ['GRP.CHENGYU']" in error.reason


def test_missing_or_empty_file(tmp_path: Path) -> None:
    assert _error(tmp_path / "nope.jsonl", Capability).reason == "file not found"
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    assert _error(tmp_path / "empty.jsonl", Capability).reason == "file is empty"


def test_load_reference_fails_whole_on_one_bad_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    assert len(load_reference(data).regions) == len(load_reference().regions)
    lines = (data / "regions.jsonl").read_text(encoding="utf-8").splitlines()
    lines[40] = lines[40].replace('"lat": ', '"lat": "x", "lon2": ')
    (data / "regions.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SeedFileError) as info:
        load_reference(data)
    assert info.value.path == data / "regions.jsonl" and info.value.line == 41

