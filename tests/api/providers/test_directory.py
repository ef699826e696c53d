"""The provider directory: filters, sorting, Relay pagination and cursors, node(id:)."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator

import pytest
from apiclient import Api

from graph.repositories import bulk

PROVIDERS = """
query($first: Int, $after: String, $filter: ProviderFilter, $sort: ProviderSort) {
  providers(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name rating } }
  }
}"""


def _provider(key: str, name: str, kind: str, region: str, **extra) -> dict:
    return {"id": f"prv_{key}", "kind": kind, "name": name, "credit_code": None,
            "description": extra.get("description"),
            "website": None, "contact_name": None, "contact_phone": None, "contact_email": None,
            "rating": extra.get("rating"), "created_at": extra.get("created_at", "2026-01-01T00:00:00Z"),
            "region_code": region, "industry_codes": extra.get("industries", []), "mode_codes": [],
            "certifications": extra.get("certifications", [])}


@pytest.fixture(scope="module")
async def directory(db, reference_data, live_server) -> AsyncIterator[Api]:
    """A small directory written in bulk: four distinct providers and 21 fillers."""
    await db.write("MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) DETACH DELETE n",
                   labels=["Enterprise", "Provider", "CapabilityStatement", "CapacityOffer", "Need", "ApiToken",
                           "ClientMutation", "Match", "CreditCode"])
    rows = [
        _provider("cd_die", "成都压铸一厂", "MANUFACTURER", "510100", rating=4.5, industries=["C36"],
                  certifications=[{"code": "CERT.IATF16949", "status": "ACTIVE", "valid_until": None}],
                  created_at="2026-03-01T00:00:00Z"),
        _provider("cq_cnc", "重庆精密机加", "MANUFACTURER", "500105", rating=3.9,
                  certifications=[{"code": "CERT.ISO9001", "status": "ACTIVE", "valid_until": None}],
                  created_at="2026-02-01T00:00:00Z"),
        _provider("sh_mes", "上海智造MES服务", "SERVICE_PROVIDER", "310000", description="MES 与数字化工厂",
                  created_at="2026-04-01T00:00:00Z"),
        _provider("dy_sand", "德阳砂型铸造", "MANUFACTURER", "510600", rating=4.1,
                  certifications=[{"code": "CERT.IATF16949", "status": "IN_PROGRESS", "valid_until": None}]),
    ] + [_provider(f"fill{i:02d}", f"北京填充服务商{i:02d}", "SERVICE_PROVIDER", "110000") for i in range(21)]
    await bulk.upsert_providers(db, rows)
    statement = [("cd_die", "P.CAST.DIE.AL"), ("cq_cnc", "P.MACH.CNC.5AX"), ("sh_mes", "S.MES.MES"),
                 ("dy_sand", "P.CAST.SAND")]
    await bulk.upsert_capability_statements(db, [
        {"id": f"cst_{key}", "provider_id": f"prv_{key}", "text": f"{key} 的能力", "embedding": None,
         "links": [{"code": code, "confidence": 0.95, "method": "ALIAS"}]} for key, code in statement])
    client = Api(live_server.url)
    yield client
    await client.close()


async def _names(api: Api, **variables) -> list[str]:
    data = await api.ok(PROVIDERS, {"first": 100, **variables})
    return [edge["node"]["name"] for edge in data["providers"]["edges"]]


@pytest.mark.parametrize(("filter", "expected"), [
    ({"capability": "P.CAST"}, ["德阳砂型铸造", "成都压铸一厂"]),  # a category includes its descendants
    ({"capability": "P.CAST.DIE"}, ["成都压铸一厂"]),
    ({"capability": "铝合金压铸"}, ["成都压铸一厂"]),  # by name
    ({"region": "成渝地区"}, ["德阳砂型铸造", "成都压铸一厂", "重庆精密机加"]),  # a group: city ⊂ province ⊂ group
    ({"region": "GRP.CHENGYU"}, ["德阳砂型铸造", "成都压铸一厂", "重庆精密机加"]),
    ({"region": "四川省"}, ["德阳砂型铸造", "成都压铸一厂"]),
    ({"region": "成都"}, ["成都压铸一厂"]),
    ({"certification": "IATF16949"}, ["成都压铸一厂"]),  # only ACTIVE certifications count
    ({"industry": "汽车制造业"}, ["成都压铸一厂"]),
    ({"kind": "SERVICE_PROVIDER", "text": "mes"}, ["上海智造MES服务"]),
    ({"kind": "MANUFACTURER", "region": "成渝地区", "certification": "ISO 9001"}, ["重庆精密机加"]),
])
async def test_provider_filters(directory, filter, expected):
    assert sorted(await _names(directory, filter=filter)) == sorted(expected)


async def test_an_unknown_filter_term_is_an_error_not_an_empty_list(directory):
    result = await directory.run(PROVIDERS, {"filter": {"region": "火星"}})
    assert result.code() == "BAD_USER_INPUT"
    assert result.errors[0]["extensions"]["field"] == "filter.region"


async def test_pages_walk_every_provider_once(directory):
    seen, after, pages = [], None, 0
    while True:
        data = (await directory.ok(PROVIDERS, {"first": 10, "after": after}))["providers"]
        assert data["totalCount"] == 25
        seen += [edge["node"]["name"] for edge in data["edges"]]
        pages += 1
        assert data["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
        assert after == data["edges"][-1]["cursor"]
    assert pages == 3 and len(seen) == 25 and len(set(seen)) == 25
    assert seen == sorted(seen)  # default sort: name ascending


async def test_sorting(directory):
    by_rating = await _names(directory, sort={"field": "RATING", "direction": "DESC"})
    assert by_rating[:3] == ["成都压铸一厂", "德阳砂型铸造", "重庆精密机加"]
    newest = await _names(directory, sort={"field": "CREATED", "direction": "DESC"})
    assert newest[:3] == ["上海智造MES服务", "成都压铸一厂", "重庆精密机加"]
    by_name_desc = await _names(directory, sort={"field": "NAME", "direction": "DESC"})
    assert by_name_desc == sorted(by_name_desc, reverse=True)
    # pages of a descending sort continue where they stopped
    first = (await directory.ok(PROVIDERS, {"first": 2, "sort": {"field": "RATING", "direction": "DESC"}}))
    cursor = first["providers"]["pageInfo"]["endCursor"]
    rest = await _names(directory, after=cursor, sort={"field": "RATING", "direction": "DESC"})
    assert rest[0] == "重庆精密机加"


@pytest.mark.parametrize("first", [101, 1000, -1])
async def test_page_size_is_limited(directory, first):
    result = await directory.run(PROVIDERS, {"first": first})
    assert result.code() == "BAD_USER_INPUT" and "first" in result.errors[0]["message"]


async def test_cursors_are_checked(directory):
    page = (await directory.ok(PROVIDERS, {"first": 2}))["providers"]
    cursor = page["pageInfo"]["endCursor"]
    other_sort = await directory.run(PROVIDERS, {"after": cursor, "sort": {"field": "RATING"}})
    assert other_sort.code() == "BAD_USER_INPUT"
    for bad in ("garbage!", base64.urlsafe_b64encode(b"[1,2]").decode(),
                base64.urlsafe_b64encode(json.dumps(["NAME:ASC", "x", 5]).encode()).decode()):
        result = await directory.run(PROVIDERS, {"after": bad})
        assert result.code() == "BAD_USER_INPUT", bad
    empty = (await directory.ok(PROVIDERS, {"first": 0}))["providers"]
    assert empty["edges"] == [] and empty["pageInfo"]["hasNextPage"] is True


async def test_node_of_an_unknown_or_malformed_id_is_null(directory):
    fake = base64.b64encode(b"Nothing:1").decode()
    missing = base64.b64encode(b"Manufacturer:prv_missing").decode()
    wrong_type = base64.b64encode(b"ServiceProvider:prv_cd_die").decode()
    data = await directory.ok(f'{{ a: node(id: "{fake}") {{ id }} b: node(id: "{missing}") {{ id }} '
                              f'c: node(id: "{wrong_type}") {{ id }} }}')
    assert data == {"a": None, "b": None, "c": None}
    malformed = await directory.run('{ node(id: "%%%") { id } }')
    assert malformed.errors
