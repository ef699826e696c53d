"""searchProviders: the embedding and full-text indexes, fused by reciprocal rank."""

from __future__ import annotations

from matching.search import fuse

SEARCH = """
query($text: String!, $first: Int!) {
  searchProviders(text: $text, first: $first) { score sources provider { name } }
}"""


def test_reciprocal_rank_fusion_rewards_agreement():
    hits = fuse({"a": ["p1", "p2", "p3"], "b": ["p2", "p4"], "c": []})
    assert [hit.provider_id for hit in hits] == ["p2", "p1", "p4", "p3"]
    assert hits[0].sources == ("a", "b")
    assert hits[0].score == round(1 / 62 + 1 / 61, 6)


async def test_search_finds_providers_by_meaning_and_by_words(api):
    await api.register_provider(name="蓉城压铸科技有限公司", capabilities=[{"text": "铝合金高压压铸，新能源汽车壳体"}])
    await api.register_provider(name="渝州数控精工有限公司", capabilities=[{"text": "五轴数控加工中心，精密零件"}])
    await api.register_provider(kind="SERVICE_PROVIDER", name="天府智造软件有限公司",
                                capabilities=[{"text": "MES制造执行系统实施与运维"}])

    by_meaning = (await api.ok(SEARCH, {"text": "电动车电池包外壳 铝压铸件", "first": 3}))["searchProviders"]
    assert by_meaning[0]["provider"]["name"] == "蓉城压铸科技有限公司"
    assert "statement_vector" in by_meaning[0]["sources"]
    assert by_meaning[0]["score"] >= by_meaning[-1]["score"]

    by_name = (await api.ok(SEARCH, {"text": "天府智造", "first": 1}))["searchProviders"]
    assert by_name[0]["provider"]["name"] == "天府智造软件有限公司"
    assert "provider_text" in by_name[0]["sources"]

    operators = await api.run(SEARCH, {"text": 'AND OR "unbalanced (', "first": 2})  # Lucene syntax is escaped
    assert operators.errors == []


async def test_search_arguments_are_checked(api):
    for variables in ({"text": "压铸", "first": 51}, {"text": "   ", "first": 5}, {"text": "字" * 501, "first": 5}):
        result = await api.run(SEARCH, variables)
        assert result.code() == "BAD_USER_INPUT", variables
