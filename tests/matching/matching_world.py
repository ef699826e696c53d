"""A small purpose-built world for matching tests: a dozen providers around die casting, CNC and
industrial-security services, in and out of 成渝地区, with certificates in every state.

All dates are relative to today (China), so the stored-match path (``asOf`` = today) is exercised.
Rows go through ``graph.repositories.bulk`` exactly as the seed loader writes them; embeddings come
from the real model (through the disk cache).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from graph.db import Database
from graph.repositories import bulk
from matching.embedding_cache import EmbeddingCache
from matching.freshness import today

IATF = "CERT.IATF16949"
DIE_AL = "P.CAST.DIE.AL"
DIE_ZN = "P.CAST.DIE.ZN"
CNC_5AX = "P.MACH.CNC.5AX"
MLPS = "S.SEC.ASSESS.MLPS"
PDM = "S.EQP.PDM"
CHENGDU, YUBEI, MIANYANG, DEYANG, SUZHOU, SHANGHAI = "510100", "500112", "510700", "510600", "320500", "310000"
SICHUAN, CHENGYU = "510000", "GRP.CHENGYU"


def d(days: int) -> str:
    """Today + ``days`` as an ISO date."""
    return (today() + timedelta(days=days)).isoformat()


def cert(status: str, days: int, code: str = IATF) -> dict[str, Any]:
    return {"code": code, "status": status, "valid_until": d(days)}


def link(code: str, confidence: float = 0.95, method: str = "ALIAS") -> dict[str, Any]:
    return {"code": code, "confidence": confidence, "method": method}


PROVIDERS: list[dict[str, Any]] = [
    # die casters (CAPACITY)
    {"id": "prv_cd_die", "name": "成都精铸压铸有限公司", "kind": "MANUFACTURER", "region_code": CHENGDU,
     "rating": 4.5, "certifications": [cert("ACTIVE", 365)],
     "statement": "专业铝合金压铸，汽车零部件压铸件生产，ADC12材料，IATF16949认证", "links": [link(DIE_AL)]},
    {"id": "prv_yb_die", "name": "重庆渝北压铸厂", "kind": "MANUFACTURER", "region_code": YUBEI, "rating": 4.0,
     "certifications": [cert("IN_PROGRESS", 365)],
     "statement": "铝合金压铸件加工，汽车配件压铸", "links": [link(DIE_AL)]},
    {"id": "prv_my_die", "name": "绵阳精密压铸", "kind": "MANUFACTURER", "region_code": MIANYANG, "rating": 4.0,
     "certifications": [cert("EXPIRED", -10)],
     "statement": "铝合金精密压铸，压铸模具开发", "links": [link(DIE_AL)]},
    {"id": "prv_dy_die", "name": "德阳铝压铸有限公司", "kind": "MANUFACTURER", "region_code": DEYANG, "rating": 4.0,
     "certifications": [cert("ACTIVE", -1)],
     "statement": "铝合金压铸生产线，汽车铝压铸件", "links": [link(DIE_AL)]},
    {"id": "prv_sz_die", "name": "苏州压铸科技", "kind": "MANUFACTURER", "region_code": SUZHOU, "rating": 4.8,
     "certifications": [cert("ACTIVE", 365)],
     "statement": "铝合金压铸件，汽车零部件压铸，IATF16949", "links": [link(DIE_AL)]},
    {"id": "prv_cd_zn", "name": "成都锌合金压铸厂", "kind": "MANUFACTURER", "region_code": CHENGDU, "rating": 3.5,
     "certifications": [cert("ACTIVE", 365)],
     "statement": "锌合金压铸，五金锌合金压铸件", "links": [link(DIE_ZN)]},
    {"id": "prv_cd_die2", "name": "成都第二压铸厂", "kind": "MANUFACTURER", "region_code": CHENGDU, "rating": 4.0,
     "certifications": [cert("ACTIVE", 365)],
     "statement": "铝合金压铸件批量生产，汽车压铸", "links": [link(DIE_AL)]},
    {"id": "prv_cd_cnc", "name": "成都数控精密加工", "kind": "MANUFACTURER", "region_code": CHENGDU, "rating": 4.2,
     "certifications": [cert("ACTIVE", 365)],
     "statement": "五轴数控加工，精密零件CNC加工", "links": [link(CNC_5AX)]},
    # services
    {"id": "prv_cd_sec", "name": "成都云安信息安全", "kind": "SERVICE_PROVIDER", "region_code": CHENGDU, "rating": 4.6,
     "certifications": [], "statement": "等保2.0测评，工控系统安全评估，网络安全等级保护测评", "links": [link(MLPS)]},
    {"id": "prv_sh_sec", "name": "上海信安测评中心", "kind": "SERVICE_PROVIDER", "region_code": SHANGHAI, "rating": 4.0,
     "certifications": [], "statement": "网络安全等级保护测评服务", "links": [link(MLPS)]},
    {"id": "prv_sh_pdm", "name": "上海智维科技", "kind": "SERVICE_PROVIDER", "region_code": SHANGHAI, "rating": 4.0,
     "certifications": [], "statement": "设备预测性维护，故障预警，远程运维平台", "links": [link(PDM)]},
    {"id": "prv_cd_window", "name": "成都铝合金门窗幕墙工程", "kind": "SERVICE_PROVIDER", "region_code": CHENGDU,
     "rating": 4.9, "certifications": [], "statement": "铝合金门窗安装与幕墙工程", "links": []},
]

# offer template: 3,000/month from today for 180 days, lead 10, MOQ 500, nothing booked
OFFERS: dict[str, dict[str, Any]] = {
    pid: {"id": f"off_{pid[4:]}", "provider_id": pid, "process_text": text, "description": text,
          "monthly_volume": 3000, "unit": "PIECE", "available_from": d(0), "available_to": d(179),
          "lead_time_days": 10, "moq": 500, "booked_volume": 0, "status": "PUBLISHED", "links": [link(code)],
          "material_code": material}
    for pid, text, code, material in [
        ("prv_cd_die", "铝合金压铸 ADC12 汽车零部件", DIE_AL, "M.AL.ADC12"),
        ("prv_yb_die", "铝合金压铸件", DIE_AL, "M.AL.ADC12"),
        ("prv_my_die", "铝合金压铸件", DIE_AL, "M.AL.ADC12"),
        ("prv_dy_die", "铝合金压铸件", DIE_AL, "M.AL.ADC12"),
        ("prv_sz_die", "铝合金压铸件", DIE_AL, "M.AL.ADC12"),
        ("prv_cd_zn", "锌合金压铸件", DIE_ZN, None),
        ("prv_cd_die2", "铝合金压铸件 A380", DIE_AL, "M.AL.A380"),
        ("prv_cd_cnc", "五轴数控加工", CNC_5AX, None),
    ]
}

ENTERPRISES = [
    {"id": "ent_car", "name": "成都某汽车零部件公司", "region_code": CHENGDU, "contact_name": "王工",
     "contact_phone": "13800000000", "contact_email": "wang@example.com"},
    {"id": "ent_other", "name": "重庆另一家企业", "region_code": YUBEI, "contact_name": "李工",
     "contact_phone": "13900000000", "contact_email": "li@example.com"},
]


def capacity_need(need_id: str = "ned_die", **overrides: Any) -> dict[str, Any]:
    """A die-casting need: 5,000 aluminium parts by today+99, IATF 16949, within 成渝地区."""
    row = {"id": need_id, "enterprise_id": "ent_car", "kind": "CAPACITY", "title": "铝合金压铸件采购",
           "description": "需要铝合金压铸件5000件，汽车零部件，需IATF16949认证", "quantity": 5000, "unit": "PIECE",
           "deadline": d(99), "status": "OPEN", "links": [link(DIE_AL)], "certification_codes": [IATF],
           "region_codes": [CHENGYU], "material_code": "M.AL.ADC12"}
    row.update(overrides)
    return row


def service_need(need_id: str = "ned_sec", **overrides: Any) -> dict[str, Any]:
    row = {"id": need_id, "enterprise_id": "ent_car", "kind": "SERVICE", "title": "等保测评",
           "description": "我司工控系统需要做等保2.0三级测评", "quantity": None, "unit": None, "deadline": d(60),
           "status": "OPEN", "links": [link(MLPS)], "certification_codes": [], "region_codes": []}
    row.update(overrides)
    return row


@dataclass
class World:
    """Writes the world and lets a test change one part of it."""

    db: Database
    cache: EmbeddingCache
    offers: dict[str, dict[str, Any]] = field(default_factory=dict)

    async def build(self) -> World:
        await bulk.upsert_enterprises(self.db, ENTERPRISES)
        await bulk.upsert_providers(self.db, [{k: v for k, v in p.items() if k not in ("statement", "links")}
                                              for p in PROVIDERS])
        texts = [p["statement"] for p in PROVIDERS]
        vectors = self.cache.passages(texts)
        await bulk.upsert_capability_statements(self.db, [
            {"id": f"cst_{p['id'][4:]}", "provider_id": p["id"], "text": p["statement"], "embedding": v.tolist(),
             "links": p["links"]} for p, v in zip(PROVIDERS, vectors, strict=True)])
        self.offers = {pid: dict(offer) for pid, offer in OFFERS.items()}
        await self.write_offers(list(self.offers.values()))
        return self

    async def write_offers(self, rows: list[dict[str, Any]]) -> None:
        vectors = self.cache.passages([r["process_text"] for r in rows])
        await bulk.upsert_capacity_offers(self.db, [{**r, "embedding": v.tolist()}
                                                    for r, v in zip(rows, vectors, strict=True)])

    async def offer(self, provider_id: str, **changes: Any) -> None:
        """Change one offer (as an API update would) and mark matches stale."""
        self.offers[provider_id].update(changes)
        await self.write_offers([self.offers[provider_id]])

    async def need(self, row: dict[str, Any]) -> str:
        vector = self.cache.queries([f"{row['title']}。{row['description']}"])[0]
        await bulk.upsert_needs(self.db, [{**row, "embedding": vector.tolist()}])
        return row["id"]

    async def provider(self, provider_id: str, **changes: Any) -> None:
        base = next(p for p in PROVIDERS if p["id"] == provider_id)
        row = {k: v for k, v in {**base, **changes}.items() if k not in ("statement", "links")}
        await bulk.upsert_providers(self.db, [row])



def as_of() -> date:
    return today()
