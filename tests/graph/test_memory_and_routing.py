"""Neo4j memory sized from the data, and gongxu against a routing (cluster) URI."""

from __future__ import annotations

import dataclasses

from graph import server
from graph.config import AUTO, Neo4jSettings, machine_memory, sized_memory
from graph.db import Database
from graph.server import Connection

GB = 1024 ** 3


def _auto() -> Neo4jSettings:
    return dataclasses.replace(Neo4jSettings.from_env("sizing"), heap=AUTO, pagecache=AUTO)


def test_the_page_cache_holds_the_store_when_memory_allows():
    assert sized_memory(_auto(), 0, memory=24 * GB) == ("1g", "512m")  # the floor for an empty store
    heap, pagecache = sized_memory(_auto(), int(3.2 * GB), memory=24 * GB)  # 10⁵ providers
    assert heap == "1g" and int(pagecache[:-1]) * 1024 ** 2 >= 3.2 * GB
    heap, pagecache = sized_memory(_auto(), 20 * GB, memory=24 * GB)  # more than RAM allows: 40 % of it
    assert heap == "2g" and int(pagecache[:-1]) * 1024 ** 2 <= 0.4 * 24 * GB


def test_an_explicit_setting_wins():
    explicit = dataclasses.replace(_auto(), heap="3g", pagecache="700m")
    assert sized_memory(explicit, 20 * GB, memory=24 * GB) == ("3g", "700m")


def test_a_local_start_sizes_the_page_cache_from_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGXU_CACHE_DIR", str(tmp_path))
    settings = _auto()
    data = server.instance_dir(settings.instance) / "data" / "databases" / "neo4j"
    data.mkdir(parents=True)
    with (data / "neostore.nodestore.db").open("wb") as store:  # a sparse 2 GB store file
        store.truncate(2 * GB)
    sized = server.sized_settings(settings)
    expected = min(2560, int(machine_memory() * 0.4) // 1024 ** 2)  # store × 1.25, unless RAM is short
    assert sized.heap == "1g" and sized.pagecache == f"{expected}m"


async def test_a_routing_uri_reads_its_own_writes(neo4j_connection: Connection):
    """neo4j:// (what a cluster needs): the single server answers the routing request with itself,
    writes go through execute_write to the leader, reads through execute_read, and the shared
    bookmark manager makes a read in a new session see the write before it."""
    uri = neo4j_connection.uri.replace("bolt://", "neo4j://", 1)
    db = Database.connect(uri, neo4j_connection.user, neo4j_connection.password, neo4j_connection.database)
    try:
        await db.write("MERGE (p:RoutingProbe {id: 'probe'}) SET p.n = coalesce(p.n, 0) + 1")
        rows = await db.read("MATCH (p:RoutingProbe {id: 'probe'}) RETURN p.n AS n")
        assert rows and rows[0]["n"] >= 1
        assert type(db.driver).__name__ == "AsyncNeo4jDriver"  # the routing driver, not the direct one
        routing = await db.driver.get_server_info()
        assert routing.address is not None
    finally:
        await db.write("MATCH (p:RoutingProbe) DELETE p")
        await db.close()
