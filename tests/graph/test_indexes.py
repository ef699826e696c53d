"""Chinese text is found through the real full-text (cjk) and vector indexes."""

from __future__ import annotations

import pytest

from graph import migrations

CAPABILITIES = [
    ("TEST.CNC", "CNC精密机加工", "五轴CNC精密机加工，铝合金与不锈钢零件"),
    ("TEST.WINDOW", "铝合金门窗安装", "铝合金门窗安装与幕墙工程"),
    ("TEST.SECURITY", "等保测评", "网络安全等级保护测评服务"),
    ("TEST.LOGISTICS", "物流仓储", "第三方物流与仓储配送服务"),
]


@pytest.fixture
async def test_capabilities(db, embedder):
    vectors = embedder.encode_passages([f"{name}：{text}" for _, name, text in CAPABILITIES])
    rows = [{"code": code, "name": name, "text": text, "embedding": vector.tolist()}
            for (code, name, text), vector in zip(CAPABILITIES, vectors, strict=True)]
    await db.write("UNWIND $rows AS row MERGE (c:Capability {code: row.code}) "
                   "SET c.name_zh = row.name, c.name_en = '', c.alias_text = row.text, c.embedding = row.embedding",
                   rows=rows)
    await db.schema("CALL db.awaitIndexes(60)")
    yield
    await db.write("MATCH (c:Capability) WHERE c.code STARTS WITH 'TEST.' DETACH DELETE c")


async def test_vector_index_finds_cnc_for_shukong_jiagong(db, embedder, test_capabilities):
    query = embedder.encode_queries(["数控加工"])[0].tolist()
    rows = await db.read("CALL db.index.vector.queryNodes('capability_embedding', 50, $vector) "
                         "YIELD node, score WHERE node.code STARTS WITH 'TEST.' "
                         "RETURN node.code AS code, score ORDER BY score DESC", vector=query)
    assert rows[0]["code"] == "TEST.CNC", rows


async def test_fulltext_cjk_index_finds_chinese_substrings(db, test_capabilities):
    rows = await db.read("CALL db.index.fulltext.queryNodes('capability_names', $q) YIELD node, score "
                         "WHERE node.code STARTS WITH 'TEST.' RETURN node.code AS code", q="机加工")
    assert [r["code"] for r in rows] == ["TEST.CNC"]
    rows = await db.read("CALL db.index.fulltext.queryNodes('capability_names', $q) YIELD node, score "
                         "WHERE node.code STARTS WITH 'TEST.' RETURN node.code AS code", q="等级保护")
    assert [r["code"] for r in rows] == ["TEST.SECURITY"]


async def test_migrations_are_idempotent_and_recorded(db, embedder):
    assert await migrations.migrate(db, embedder.dimension) == []
    assert await migrations.applied_versions(db) == {m.version for m in migrations.MIGRATIONS}
    indexes = await db.read("SHOW INDEXES YIELD name, type RETURN name, type")
    names = {row["name"]: row["type"] for row in indexes}
    for name in migrations.VECTOR_INDEXES:
        assert names[name] == "VECTOR"
    for name in migrations.FULLTEXT_INDEXES:
        assert names[name] == "FULLTEXT"
    assert await migrations.vector_dimension(db) == embedder.dimension == 384


async def test_migration_refuses_another_model_dimension(db):
    with pytest.raises(migrations.MigrationError, match="384-dimensional vectors but the embedding model gives 768"):
        await migrations.migrate(db, 768)
