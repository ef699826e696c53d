"""The one Lucene escaper, and that what it returns parses in Neo4j's full-text query parser."""

from __future__ import annotations

import pytest

from graph.lucene import lucene_query


def test_lucene_special_characters_are_escaped():
    assert lucene_query('需要 "CNC" 加工 (5轴)+ AND OR NOT a:b/c*?') == \
        '需要 \\"CNC\\" 加工 \\(5轴\\)\\+ and or not a\\:b\\/c\\*\\?'
    assert lucene_query("  ") is None
    assert lucene_query("+-!") is None
    assert lucene_query(None) is None
    assert len(lucene_query("压铸" * 500) or "") <= 200
    assert len(lucene_query("压铸" * 500, max_chars=500) or "") == 500


HOSTILE = ['AND', 'OR "unbalanced (', 'a && b || !c', 'TO [x TO y}', 'a\\b', 'field:value~2^3 /re/ *?',
           '压铸 AND (铝合金']


@pytest.mark.parametrize("text", HOSTILE)
async def test_every_escaped_query_parses_in_neo4j(db, text):
    query = lucene_query(text)
    assert query is not None
    await db.read("CALL db.index.fulltext.queryNodes('provider_text', $q, {limit: 1}) YIELD node RETURN node.id",
                  q=query)
