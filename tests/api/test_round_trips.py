"""The N+1 guard: listing many providers with their links costs a small, constant number of round trips."""

from __future__ import annotations

from graph.repositories import bulk

LIST = """
query($n: Int) {
  providers(first: $n) {
    edges { node {
      name
      region { code nameZh }
      certifications { certification { code name } status }
      capabilities { text capabilities { capability { code nameZh } confidence method } }
      ... on Manufacturer { capacityOffers { processText } }
    } }
  }
}"""


async def _hundred_providers(db) -> None:
    regions = ["510100", "500000", "510600", "110000"]
    certs = ["CERT.IATF16949", "CERT.ISO9001", "CERT.ISO14001"]
    caps = ["P.CAST.DIE.AL", "P.MACH.CNC.5AX", "S.MES.MES", "P.CAST.SAND"]
    await bulk.upsert_providers(db, [
        {"id": f"prv_rt{i:03d}", "kind": "MANUFACTURER" if i % 2 else "SERVICE_PROVIDER", "name": f"往返测试{i:03d}",
         "credit_code": None, "description": None, "website": None, "contact_name": None, "contact_phone": None,
         "contact_email": None, "rating": None, "created_at": None, "region_code": regions[i % 4],
         "industry_codes": [], "mode_codes": [],
         "certifications": [{"code": certs[i % 3], "status": "ACTIVE", "valid_until": None},
                            {"code": certs[(i + 1) % 3], "status": "EXPIRED", "valid_until": "2025-01-01"}]}
        for i in range(100)])
    await bulk.upsert_capability_statements(db, [
        {"id": f"cst_rt{i:03d}_{j}", "provider_id": f"prv_rt{i:03d}", "text": f"能力 {j}", "embedding": None,
         "links": [{"code": caps[(i + j) % 4], "confidence": 0.9, "method": "ALIAS"}]}
        for i in range(100) for j in range(2)])


async def test_listing_100_providers_with_links_costs_a_bounded_number_of_round_trips(api, db):
    await _hundred_providers(db)
    big = await api.run(LIST, {"n": 100})
    assert big.errors == []
    edges = big.data["providers"]["edges"]
    assert len(edges) == 100
    node = edges[0]["node"]
    assert node["region"]["nameZh"] and len(node["certifications"]) == 2 and len(node["capabilities"]) == 2
    assert node["capabilities"][0]["capabilities"][0]["capability"]["nameZh"]
    # page, regions, certifications, statements, offers: one batch each (the counter sees DataLoader batches)
    assert 4 <= big.extensions["cypherRoundTrips"] <= 6, big.extensions

    small = await api.run(LIST, {"n": 5})
    assert small.extensions["cypherRoundTrips"] == big.extensions["cypherRoundTrips"]  # constant, not per row
