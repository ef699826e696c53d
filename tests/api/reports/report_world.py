"""A hand-built graph for the staff-report tests; every figure the tests expect is counted by hand
in the docstring of the test that checks it.

Period used by the tests: 2026-01-01 .. 2026-06-30.

Providers (all LISTED by default):
  PA  MANUFACTURER   成都市 (四川省)   offer O1: 数控加工 P.MACH.CNC, 件, 1000/month, MOQ 100; holds ISO9001
  PB  MANUFACTURER   江北区 (重庆市)   offer O2: 数控加工 P.MACH.CNC, 吨, 10/month, no MOQ
  PC  SERVICE        黄浦区 (上海市)   statement: 研发仿真设计 S.RND.SIM; rating 4.8
  PD  SERVICE        江北区 (重庆市)   statement: 有限元仿真 S.RND.SIM.FEA
Enterprises: E1 成都 C34 (size SMALL), E2 江北区 C36 (no size), E3 黄浦区 C34.
Needs:
  N1 E1 CAPACITY CNC 500件   2026-03-05 OPEN    match PA ACCEPTED
  N2 E2 SERVICE  S.RND.SIM   2026-03-20 OPEN    match PD PROPOSED, PC REJECTED
  N3 E3 SERVICE  S.RND.SIM.FEA + ISO9001 2026-04-10 OPEN   no match
  N4 E1 CAPACITY CNC 50件 within 重庆市  2026-04-15 OPEN    no match
  N5 E2 SERVICE  S.RND.SIM   2026-05-02 CLOSED  match PD COMPLETED
  N6 E3 SERVICE  S.RND.SIM   2025-12-01 OPEN    match PC ACCEPTED (outside the period)
"""

from __future__ import annotations

import json
from datetime import date

from graph.db import Database, Tx
from graph.repositories import bulk, matches

PERIOD = {"date_from": date(2026, 1, 1), "date_to": date(2026, 6, 30)}


def _cnc(unit: str, volume: int, moq: int | None, oid: str, pid: str) -> dict:
    return {"id": oid, "provider_id": pid, "process_text": "数控加工", "description": None, "monthly_volume": volume,
            "unit": unit, "available_from": "2026-01-01", "available_to": "2030-12-31", "lead_time_days": 5,
            "moq": moq, "links": [{"code": "P.MACH.CNC", "confidence": 1.0, "method": "EXACT"}]}


async def build(db: Database) -> None:
    def provider(pid: str, kind: str, region: str, **extra: object) -> dict:
        return {"id": pid, "name": f"服务商{pid}", "kind": kind, "credit_code": None, "region_code": region, **extra}

    await bulk.upsert_providers(db, [
        provider("PA", "MANUFACTURER", "510100", rating=4.5,
                 certifications=[{"code": "CERT.ISO9001", "status": "ACTIVE", "valid_until": "2030-01-01"}]),
        provider("PB", "MANUFACTURER", "500105"),
        provider("PC", "SERVICE_PROVIDER", "310101", rating=4.8),
        provider("PD", "SERVICE_PROVIDER", "500105"),
    ])
    await bulk.upsert_capacity_offers(db, [_cnc("件", 1000, 100, "O1", "PA"), _cnc("吨", 10, None, "O2", "PB")])
    await bulk.upsert_capability_statements(db, [
        {"id": "S1", "provider_id": "PC", "text": "研发仿真设计", "links": [{"code": "S.RND.SIM", "confidence": 1.0}]},
        {"id": "S2", "provider_id": "PD", "text": "有限元仿真",
         "links": [{"code": "S.RND.SIM.FEA", "confidence": 1.0}]},
    ])
    await bulk.upsert_enterprises(db, [
        {"id": "E1", "name": "企业一", "region_code": "510100", "industry_codes": ["C34"]},
        {"id": "E2", "name": "企业二", "region_code": "500105", "industry_codes": ["C36"]},
        {"id": "E3", "name": "企业三", "region_code": "310101", "industry_codes": ["C34"]},
    ])
    # Enterprise.size comes with registration in another change (issue 11); written directly until then
    await db.write("MATCH (e:Enterprise {id: 'E1'}) SET e.size = 'SMALL'")

    def need(nid: str, eid: str, kind: str, cap: str, created: str, **extra: object) -> dict:
        return {"id": nid, "enterprise_id": eid, "kind": kind, "title": f"需求{nid}", "created_at": created,
                "links": [{"code": cap, "confidence": 1.0, "method": "EXACT"}], **extra}

    await bulk.upsert_needs(db, [
        need("N1", "E1", "CAPACITY", "P.MACH.CNC", "2026-03-05T00:00:00Z", quantity=500, unit="件",
             deadline="2027-06-30"),
        need("N2", "E2", "SERVICE", "S.RND.SIM", "2026-03-20T00:00:00Z"),
        need("N3", "E3", "SERVICE", "S.RND.SIM.FEA", "2026-04-10T00:00:00Z", certification_codes=["CERT.ISO9001"]),
        need("N4", "E1", "CAPACITY", "P.MACH.CNC", "2026-04-15T00:00:00Z", quantity=50, unit="件",
             deadline="2027-06-30", region_codes=["500000"]),
        need("N5", "E2", "SERVICE", "S.RND.SIM", "2026-05-02T00:00:00Z", status="CLOSED"),
        need("N6", "E3", "SERVICE", "S.RND.SIM", "2025-12-01T00:00:00Z"),
    ])
    for need_id, providers in {"N1": ["PA"], "N2": ["PD", "PC"], "N5": ["PD"], "N6": ["PC"]}.items():
        rows = [{"id": f"M_{need_id}_{p}", "provider_id": p, "offer_id": "O1" if p == "PA" else None, "score": 0.8,
                 "explanation": json.dumps({})} for p in providers]
        await matches.store_matches(db, need_id, rows, "fixture", date(2026, 11, 1))
    for match_id, status in {"M_N1_PA": "ACCEPTED", "M_N2_PC": "REJECTED", "M_N5_PD": "ACCEPTED",
                             "M_N6_PC": "ACCEPTED"}.items():
        async def work(tx: Tx, match_id: str = match_id, status: str = status) -> None:
            await matches.decide(tx, match_id, status, None, "fixture")
        await db.write_tx(work)
    # the deal lifecycle (issue 12) adds later statuses; a completed deal is written directly until then
    await db.write("MATCH (m:Match {id: 'M_N5_PD'}) SET m.status = 'COMPLETED'")
