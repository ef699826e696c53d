"""Free text → taxonomy links (real model, real reference data in Neo4j)."""

from __future__ import annotations

import pytest

from matching.linking import TaxonomyLinker


@pytest.fixture
async def linker(sample_db, embedder) -> TaxonomyLinker:
    return await TaxonomyLinker.build(sample_db, embedder)


async def test_alias_in_text_links_with_method_alias(linker):
    [links] = await linker.link_capabilities(["需要铝合金压铸件，年产5万件"])
    assert [(link.code, link.method) for link in links] == [("P.CAST.DIE.AL", "ALIAS")]


async def test_confident_embedding_node_is_linked_beside_a_partial_alias_hit(linker):
    # "磨削" is the alias of plain grinding; the text is about gear machining
    [links] = await linker.link_capabilities(["齿轮磨削加工 gear grinding"], kind="PROCESS")
    codes = {link.code: link.method for link in links}
    assert codes.get("P.MACH.GRIND") == "ALIAS"
    # gear machining is linked too: since capabilities' user_terms link like aliases (issue 9) by its user term
    # 齿轮 (ALIAS); before, only the confident-embedding rule found it (EMBEDDING)
    assert codes.get("P.MACH.GEAR") in ("ALIAS", "EMBEDDING")


async def test_nonsense_links_nothing_and_declared_codes_stay(linker):
    [nothing] = await linker.link_capabilities(["zzzz qqqq"])
    assert nothing == []
    [links] = await linker.link_capabilities(["产品检测服务"], declared=[["S.TEST"]])
    assert {(link.code, link.method) for link in links} >= {("S.TEST", "CODE")}


async def test_certification_resolution_needs_the_term_to_cover_the_input(linker):
    assert linker.resolve_certification("IATF16949").code == "CERT.IATF16949"
    assert linker.resolve_certification("IATF 16949:2016认证").code == "CERT.IATF16949"
    assert linker.resolve_certification("宇宙质量认证").code is None


async def test_statements_link_with_their_stored_passage_vector_as_with_a_query(linker, embedder):
    """Ingest links a statement with the passage vector it stores (one model call per text): on the
    query scale after PASSAGE_SHIFT, the same nodes as the query embedding would link."""
    texts = ["提供铝合金压铸加工，ADC12，年产能50万件", "五轴CNC精密加工，航空铝件", "ERP实施与财务软件定制开发",
             "专业从事汽车零部件的阳极氧化和喷砂表面处理", "Injection moulding of medical housings, ISO 13485"]
    passages = await embedder.aencode_passages(texts)
    by_passage = linker.link_passages(passages, texts)
    by_query = await linker.link_capabilities(texts)
    assert [links[0].code for links in by_passage] == [links[0].code for links in by_query]
    nonsense = ["zzzz qqqq", "asdf 1234"]
    assert linker.link_passages(await embedder.aencode_passages(nonsense), nonsense) == [[], []]
    [declared] = linker.link_passages(await embedder.aencode_passages(["产品检测服务"]), ["产品检测服务"],
                                      declared=[["S.TEST"]])
    assert ("S.TEST", "CODE") in {(link.code, link.method) for link in declared}
