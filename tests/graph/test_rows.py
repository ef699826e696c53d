"""Rows come out of graph.db exactly as the driver's ``Record.data()`` would give them, whatever they hold."""

from __future__ import annotations

from graph.db import _plain

EVERY_KIND = """
CREATE path = (a:RowsProbe {name: 'a', xs: [1.5, 2.5]})-[r:ROWS_PROBE_TO {w: 1}]->(b:RowsProbe {name: 'b'})
RETURN a AS node, r AS rel, path, [a, {r: r, d: date('2026-01-02'), t: datetime('2026-01-02T03:04:05Z')}] AS nested,
       point({x: 1, y: 2}) AS xy, point({latitude: 30.6, longitude: 104.1}) AS wgs, [1, 2.5, 'x', null, true] AS xs,
       {a: [{b: [a, r]}], e: [], m: {}} AS deep, localtime('12:00') AS lt, localdatetime('2026-01-02T03:04') AS ldt,
       time('12:00Z') AS tt, duration('P1DT2H') AS du, [[1, 2], [3]] AS ll, range(0, 383) AS vector, 'текст 文本' AS s
"""


async def test_plain_rows_equal_record_data(clean_db):
    async with clean_db.driver.session(database=clean_db.database) as session:
        result = await session.run(EVERY_KIND)
        records = [record async for record in result]
    try:
        assert records
        for record in records:
            assert {key: _plain(value) for key, value in record.items()} == record.data()
        rows = await clean_db.read("MATCH path = (a:RowsProbe)-[r]->(b) RETURN a, r, path, [a, b] AS both, "
                                   "{n: a, d: date('2026-01-02')} AS m")
        assert rows == [{"a": {"name": "a", "xs": [1.5, 2.5]}, "r": ({"name": "a", "xs": [1.5, 2.5]}, "ROWS_PROBE_TO",
                                                                    {"name": "b"}),
                         "path": [{"name": "a", "xs": [1.5, 2.5]}, "ROWS_PROBE_TO", {"name": "b"}],
                         "both": [{"name": "a", "xs": [1.5, 2.5]}, {"name": "b"}],
                         "m": {"n": {"name": "a", "xs": [1.5, 2.5]}, "d": rows[0]["m"]["d"]}}]
        assert str(rows[0]["m"]["d"]) == "2026-01-02"
    finally:
        await clean_db.write("MATCH (n:RowsProbe) DETACH DELETE n")
