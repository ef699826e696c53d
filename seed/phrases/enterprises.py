"""Enterprise profiles by industry, certification rules, and the words of need texts.

Industry codes are GB/T 4754-2017 divisions of ``industries.jsonl``; pillar codes (``P-…``) are
added as a second industry where they fit.  Unknown codes are skipped by the generator.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IndustryProfile:
    weight: float
    trade: tuple[tuple[str, str], ...]
    products_zh: tuple[str, ...]
    products_en: tuple[str, ...]
    customers_zh: tuple[str, ...]
    customers_en: tuple[str, ...]
    pillars: tuple[str, ...] = ()
    certs: tuple[str, ...] = ()  # certifications such an enterprise asks its suppliers for


INDUSTRY_PROFILES: dict[str, IndustryProfile] = {
    "C36": IndustryProfile(
        14,
        (("汽车零部件", "Auto Parts"), ("汽车配件", "Automotive Components"), ("车业", "Vehicle Parts")),
        ("制动卡钳", "转向节", "座椅骨架", "汽车线束", "电池包壳体", "车灯总成", "变速箱壳体"),
        ("brake calipers", "steering knuckles", "seat frames", "battery enclosures"),
        ("长安、赛力斯等整车厂", "一级供应商"),
        ("vehicle OEMs", "tier-1 suppliers"),
        ("P-AUTO", "P-NEV"),
        ("CERT.IATF16949", "CERT.ISO9001", "CERT.IATF_VDA"),
    ),
    "C38": IndustryProfile(
        10,
        (("电气", "Electric"), ("电器", "Electrical Appliances"), ("电机", "Motor")),
        ("配电柜", "电机", "储能柜", "开关插座", "充电桩", "小家电"),
        ("switchgear", "electric motors", "energy-storage cabinets", "EV chargers"),
        ("电网公司", "家电品牌"),
        ("utilities", "appliance brands"),
        ("P-ENERGY", "P-EQUIP"),
        ("CERT.ISO9001", "CERT.CCC", "CERT.UL", "CERT.CE"),
    ),
    "C39": IndustryProfile(
        12,
        (("电子科技", "Electronics"), ("智能科技", "Smart Technology"), ("通信", "Communication")),
        ("智能终端", "显示模组", "路由器", "物联网模块", "笔记本电脑配件", "智能门锁"),
        ("smart terminals", "display modules", "IoT modules", "routers"),
        ("京东方、惠普等品牌", "消费电子品牌"),
        ("consumer-electronics brands",),
        ("P-ELECINFO",),
        ("CERT.ISO9001", "CERT.ROHS", "CERT.REACH", "CERT.ISO14001"),
    ),
    "C34": IndustryProfile(
        9,
        (("机械", "Machinery"), ("机电", "Electromechanical"), ("泵业", "Pumps")),
        ("数控机床", "减速机", "液压泵", "阀门", "空压机", "轴承座"),
        ("machine tools", "gear reducers", "hydraulic pumps", "valves"),
        ("装备制造企业", "工程公司"),
        ("equipment makers", "EPC contractors"),
        ("P-EQUIP", "P-CNC_ROBOT"),
        ("CERT.ISO9001", "CERT.ISO14001"),
    ),
    "C35": IndustryProfile(
        8,
        (("装备", "Equipment"), ("重工", "Heavy Industry"), ("智能装备", "Intelligent Equipment")),
        ("工程机械配件", "包装机械", "农业机械", "医疗设备", "食品机械"),
        ("construction-machinery parts", "packaging machines", "agricultural machinery"),
        ("三一、徐工等主机厂", "食品企业"),
        ("machinery OEMs",),
        ("P-EQUIP",),
        ("CERT.ISO9001", "CERT.GJB9001"),
    ),
    "C37": IndustryProfile(
        4,
        (("航空科技", "Aviation Technology"), ("轨道装备", "Rail Equipment"), ("航天", "Aerospace")),
        ("无人机机体", "航空结构件", "轨道车辆内饰", "摩托车配件"),
        ("UAV airframes", "aerostructure parts", "railcar interiors"),
        ("航空主机厂", "轨道交通集团"),
        ("aerospace primes", "rail operators"),
        ("P-RAIL", "P-EQUIP"),
        ("CERT.AS9100", "CERT.GJB9001", "CERT.NADCAP", "CERT.ISO9001"),
    ),
    "C33": IndustryProfile(
        7,
        (("五金制品", "Hardware"), ("金属制品", "Metal Products"), ("门业", "Doors")),
        ("五金配件", "钢结构件", "不锈钢厨具", "紧固件", "货架"),
        ("hardware fittings", "steel structures", "fasteners", "racks"),
        ("建筑公司", "家居品牌"),
        ("construction firms", "home brands"),
        ("P-MATERIAL",),
        ("CERT.ISO9001",),
    ),
    "C29": IndustryProfile(
        5,
        (("塑胶制品", "Plastic Products"), ("橡塑", "Rubber & Plastics")),
        ("塑料包装容器", "橡胶密封件", "塑料家居用品", "改性塑料粒子"),
        ("plastic containers", "rubber seals", "household plastics"),
        ("日化企业", "家电企业"),
        ("FMCG brands", "appliance makers"),
        ("P-CONSUMER",),
        ("CERT.ISO9001", "CERT.ROHS"),
    ),
    "C40": IndustryProfile(
        4,
        (("仪器仪表", "Instruments"), ("医疗器械", "Medical Devices"), ("测控", "Measurement & Control")),
        ("流量计", "医用监护仪配件", "体外诊断耗材", "传感器", "分析仪器"),
        ("flow meters", "patient-monitor parts", "IVD consumables", "sensors"),
        ("医院", "检测机构"),
        ("hospitals", "laboratories"),
        ("P-BIOMED",),
        ("CERT.ISO13485", "CERT.ISO9001", "CERT.MDL"),
    ),
    "C27": IndustryProfile(
        3,
        (("药业", "Pharmaceutical"), ("生物医药", "Biopharma"), ("医疗科技", "Medical Technology")),
        ("口服固体制剂", "中成药", "医用敷料", "一次性注射器"),
        ("oral solid doses", "TCM products", "wound dressings", "syringes"),
        ("医院与药店", "医药流通企业"),
        ("hospitals and pharmacies",),
        ("P-BIOMED",),
        ("CERT.GMP", "CERT.ISO13485", "CERT.MDL"),
    ),
    "C14": IndustryProfile(
        4,
        (("食品", "Foods"), ("调味品", "Seasonings")),
        ("火锅底料", "复合调味料", "休闲零食", "方便食品"),
        ("hot-pot base", "seasonings", "snacks"),
        ("商超与餐饮连锁", "电商渠道"),
        ("supermarkets and restaurant chains",),
        ("P-FOODBEV", "P-CONSUMER"),
        ("CERT.SC", "CERT.ISO22000", "CERT.HACCP"),
    ),
    "C15": IndustryProfile(
        3,
        (("酒业", "Liquor"), ("饮品", "Beverages"), ("茶业", "Tea")),
        ("浓香型白酒", "果汁饮料", "茶叶", "精酿啤酒"),
        ("baijiu", "juice drinks", "tea", "craft beer"),
        ("经销商", "商超"),
        ("distributors",),
        ("P-FOODBEV",),
        ("CERT.SC", "CERT.ISO22000", "CERT.HACCP"),
    ),
    "C13": IndustryProfile(
        2,
        (("农产品", "Agri-Products"), ("粮油", "Grain & Oil")),
        ("菜籽油", "腊肉香肠", "饲料", "冻品"),
        ("rapeseed oil", "cured meats", "animal feed"),
        ("商超", "食品加工企业"),
        ("supermarkets", "food processors"),
        ("P-FOODBEV",),
        ("CERT.SC", "CERT.HACCP"),
    ),
    "C26": IndustryProfile(
        3,
        (("化工", "Chemicals"), ("新材料", "New Materials")),
        ("涂料", "胶粘剂", "日化产品", "电子化学品"),
        ("coatings", "adhesives", "household chemicals"),
        ("建材企业", "电子企业"),
        ("building-material firms", "electronics makers"),
        ("P-ENERGYCHEM", "P-MATERIAL"),
        ("CERT.ISO9001", "CERT.ISO14001", "CERT.ISO45001"),
    ),
    "C18": IndustryProfile(
        2,
        (("服饰", "Apparel"), ("制衣", "Garments")),
        ("工作服", "运动服", "校服", "户外服装"),
        ("workwear", "sportswear", "school uniforms"),
        ("品牌服装商", "企事业单位"),
        ("fashion brands", "institutions"),
        ("P-CONSUMER",),
        ("CERT.ISO9001",),
    ),
    "C21": IndustryProfile(
        2,
        (("家具", "Furniture"), ("家居", "Home Furnishing")),
        ("办公家具", "定制橱柜", "软体沙发"),
        ("office furniture", "kitchen cabinets", "sofas"),
        ("房地产公司", "家居卖场"),
        ("property developers", "furniture retailers"),
        ("P-CONSUMER",),
        ("CERT.ISO9001", "CERT.ISO14001"),
    ),
    "C30": IndustryProfile(
        2,
        (("建材", "Building Materials"), ("陶瓷", "Ceramics")),
        ("玻璃深加工制品", "陶瓷部件", "预制构件"),
        ("processed glass", "ceramic parts", "precast elements"),
        ("建筑公司",),
        ("builders",),
        ("P-MATERIAL",),
        ("CERT.ISO9001",),
    ),
    "C32": IndustryProfile(
        2,
        (("铝业", "Aluminium"), ("有色金属", "Non-Ferrous Metals")),
        ("铝型材", "铜排", "铝板带"),
        ("aluminium profiles", "copper busbars", "aluminium strip"),
        ("门窗企业", "电气企业"),
        ("window makers", "electrical firms"),
        ("P-MATERIAL",),
        ("CERT.ISO9001", "CERT.ISO14001"),
    ),
}

# Certifications a provider may hold, by the level-1 category of its capabilities: (code, probability).
CERT_RULES: dict[str, tuple[tuple[str, float], ...]] = {
    "P.*": (
        ("CERT.ISO9001", 0.78),
        ("CERT.ISO14001", 0.30),
        ("CERT.ISO45001", 0.20),
        ("CERT.SAFETY_STD", 0.18),
        ("CERT.HNTE", 0.15),
        ("CERT.SRDI", 0.12),
        ("CERT.SRDI_GIANT", 0.02),
        ("CERT.IPMS", 0.05),
    ),
    "S.*": (
        ("CERT.ISO9001", 0.55),
        ("CERT.HNTE", 0.35),
        ("CERT.SRDI", 0.12),
        ("CERT.ISO27001", 0.15),
        ("CERT.IPMS", 0.08),
    ),
    "P.CAST": (("CERT.IATF16949", 0.35),),
    "P.MACH": (
        ("CERT.IATF16949", 0.20),
        ("CERT.AS9100", 0.10),
        ("CERT.ISO13485", 0.08),
        ("CERT.GJB9001", 0.05),
    ),
    "P.PLAS": (("CERT.IATF16949", 0.25), ("CERT.ISO13485", 0.15), ("CERT.ROHS", 0.20), ("CERT.UL", 0.06)),
    "P.STAMP": (("CERT.IATF16949", 0.35),),
    "P.SHEET": (("CERT.IATF16949", 0.10), ("CERT.CCC", 0.05)),
    "P.WELD": (("CERT.IATF16949", 0.15),),
    "P.FORGE": (("CERT.IATF16949", 0.30), ("CERT.AS9100", 0.06)),
    "P.HEAT": (("CERT.IATF16949", 0.25), ("CERT.NADCAP", 0.08)),
    "P.SURF": (("CERT.IATF16949", 0.20), ("CERT.NADCAP", 0.05), ("CERT.ROHS", 0.15)),
    "P.ELEC": (
        ("CERT.IATF16949", 0.15),
        ("CERT.ISO13485", 0.10),
        ("CERT.ROHS", 0.40),
        ("CERT.UL", 0.15),
        ("CERT.REACH", 0.15),
    ),
    "P.AM": (("CERT.AS9100", 0.15), ("CERT.ISO13485", 0.12)),
    "P.MOULD": (("CERT.IATF16949", 0.10),),
    "P.ASSY": (("CERT.ISO13485", 0.08), ("CERT.IATF16949", 0.10), ("CERT.CCC", 0.08)),
    "P.COMP": (("CERT.AS9100", 0.12), ("CERT.IATF16949", 0.08)),
    "P.RUBBER": (("CERT.IATF16949", 0.25), ("CERT.ROHS", 0.10)),
    "P.FOOD": (
        ("CERT.SC", 0.92),
        ("CERT.ISO22000", 0.40),
        ("CERT.HACCP", 0.35),
        ("CERT.FSSC22000", 0.08),
        ("CERT.BRCGS", 0.05),
    ),
    "P.COSM": (("CERT.GMPC", 0.80),),
    "P.PHARMA": (("CERT.GMP", 0.70), ("CERT.ISO13485", 0.35), ("CERT.MDL", 0.30), ("CERT.FDA", 0.08)),
    "P.PACK": (("CERT.SC", 0.15), ("CERT.FSSC22000", 0.05)),
    "P.TEXT": (("CERT.ISO14001", 0.10),),
    "P.CHEM": (("CERT.REACH", 0.20),),
    "S.TEST": (("CERT.CNAS", 0.75), ("CERT.CMA", 0.65)),
    "S.SEC": (("CERT.CCRC", 0.55), ("CERT.MLPS_ORG", 0.25), ("CERT.ISO27001", 0.45)),
    "S.CLOUD": (("CERT.ISO27001", 0.45), ("CERT.ISO20000", 0.35), ("CERT.ITSS", 0.20)),
    "S.INTEG": (("CERT.CMMI", 0.40), ("CERT.CS", 0.35), ("CERT.ITSS", 0.20)),
    "S.MES": (("CERT.CMMI", 0.30), ("CERT.CS", 0.15)),
    "S.OPM": (("CERT.CMMI", 0.20), ("CERT.ISO20000", 0.10)),
    "S.APP": (("CERT.CMMI", 0.30),),
    "S.PLAT": (("CERT.CMMI", 0.25), ("CERT.DCMM", 0.15), ("CERT.ISO27001", 0.20)),
    "S.DATA": (("CERT.DCMM", 0.35), ("CERT.CMMI", 0.20)),
    "S.CONSULT": (("CERT.LHRH", 0.20),),
    "S.SMART": (("CERT.CS", 0.15),),
    "S.EQP": (("CERT.ISO45001", 0.10),),
    "S.LOG": (("CERT.ISO45001", 0.10),),
}

# What a need of a given capability category may require (beyond the enterprise's industry certs).
NEED_CERTS: dict[str, tuple[str, ...]] = {
    "S.TEST": ("CERT.CNAS", "CERT.CMA"),
    "S.SEC": ("CERT.CCRC", "CERT.ISO27001"),
    "S.INTEG": ("CERT.CMMI", "CERT.CS"),
    "S.MES": ("CERT.CMMI",),
    "S.CLOUD": ("CERT.ISO27001",),
    "S.DATA": ("CERT.DCMM",),
    "P.FOOD": ("CERT.SC", "CERT.ISO22000"),
    "P.PHARMA": ("CERT.GMP", "CERT.ISO13485"),
    "P.COSM": ("CERT.GMPC",),
    "P.ELEC": ("CERT.ROHS",),
}

# Chengyu districts and cities weighted by industrial weight (others count 1).
CHENGYU_WEIGHTS: dict[str, float] = {
    "510100": 30,
    "500112": 6,
    "500107": 5,
    "500106": 4,
    "500116": 4,
    "500120": 4,
    "500113": 3,
    "500109": 3,
    "500115": 2,
    "500102": 2,
    "500118": 3,
    "500105": 2,
    "500108": 2,
    "510700": 5,
    "510600": 5,
    "511500": 3,
    "510500": 2,
    "510300": 2,
    "510900": 2,
    "511000": 2,
}

# Outside Chengyu: province weights (others count 1).
PROVINCE_WEIGHTS: dict[str, float] = {
    "440000": 14,
    "320000": 13,
    "330000": 11,
    "310000": 7,
    "370000": 7,
    "420000": 5,
    "340000": 5,
    "110000": 4,
    "120000": 4,
    "410000": 4,
    "430000": 4,
    "350000": 4,
    "610000": 4,
    "130000": 3,
    "210000": 3,
    "520000": 2,
    "530000": 2,
    "510000": 2,
}

# Words for need texts.
REGION_ZH = ("要求供应商位于{name}。", "仅限{name}的供应商。", "供应商须在{name}范围内。")
REGION_INFORMAL = ("要{name}本地的，", "只考虑{name}的，", "限{name}，")
REGION_EN = ("Supplier must be located in {name}. ", "Only suppliers within {name}. ")
CERT_ZH = ("供应商须具备{cert}认证。", "须持有有效的{cert}证书。", "要求通过{cert}。")
CERT_INFORMAL = ("要有{cert}，", "必须有{cert}证书。")
CERT_EN = ("{cert} certification required. ", "Supplier must hold a valid {cert} certificate. ")
