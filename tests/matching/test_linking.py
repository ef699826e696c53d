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
