"""Issue 9: retrieval never gates everything out, exact beats sibling, RFQ boilerplate, problems and user terms.

The needs below are written for these tests, in words the taxonomy's ``aliases`` and ``user_terms`` do not
contain (checked in :func:`test_the_words_are_unknown_to_the_aliases`), so the need's taxonomy link is at best
an embedding guess.
"""

from __future__ import annotations

import pytest
from matching_world import CHENGDU, DIE_ZN, OFFERS, World, capacity_need, d, link

from matching import engine
from matching.aliases import AliasIndex
from matching.capability_links import link_need
from matching.linking import TaxonomyLinker
from matching.texts import need_text, substance
from seed.reference import load_reference

DIE_CASTERS = {"prv_cd_die", "prv_yb_die", "prv_my_die", "prv_dy_die", "prv_sz_die", "prv_cd_die2", "prv_cd_zn"}

# Die casting described without 压铸 or any other name the taxonomy knows for it.
UNKNOWN_WORDS = [
    ("ned_w1", "铝水高压打进钢模的汽车壳体件", "找厂家做铝液高压注射成型的变速箱壳体，月需五千件，去毛刺后交货"),
    ("ned_w2", "急找铝件高压成型外协", "熔化的铝合金快速压射进模具成型，做电机端盖，五千件左右"),
]


async def _linked_need(world: World, linker: TaxonomyLinker, need_id: str, title: str, description: str) -> str:
    """The need as the API writes it: embedded from need_text and linked with the real linker."""
    text = need_text(title, description)
    vector = world.cache.queries([text])[0]
    links = [{"code": x.code, "confidence": x.confidence, "method": x.method}
             for x in link_need(linker, vector, text, "CAPACITY")]
    row = capacity_need(need_id, title=title, description=description, links=links, certification_codes=[],
                        region_codes=[CHENGDU], material_code=None)
    return await world.need(row)


@pytest.fixture
async def linker(world: World) -> TaxonomyLinker:
    return await TaxonomyLinker.build(world.db, world.cache.embedder)


def test_the_words_are_unknown_to_the_aliases():
    reference = load_reference()
    index = AliasIndex([(c.code, list(c.names)) for c in reference.capabilities])
    for _, title, description in UNKNOWN_WORDS:
        found = index.resolve_all(f"{title}\n{description}")
        assert not any(code.startswith("P.CAST.DIE") for code in found), (title, found)


class TestNeedsInWordsTheAliasesDoNotKnow:
    """A capacity need in unknown words still gets the providers whose own offers are about the process."""

    @pytest.mark.parametrize("need_id,title,description", UNKNOWN_WORDS)
    async def test_die_casters_are_proposed(self, world: World, linker: TaxonomyLinker, need_id: str, title: str,
                                            description: str):
        stored = await _linked_need(world, linker, need_id, title, description)
        page = await engine.match_need(world.db, world.cache.embedder, stored, first=20)
        found = [m.provider_id for m in page.items]
        assert found, "an empty list although Chengdu die casters can deliver"
        assert found[0] in DIE_CASTERS - {"prv_cd_zn"}
        assert {"prv_cd_die", "prv_cd_die2"} <= set(found)

    async def test_a_wrong_guess_does_not_gate_similar_offers_out(self, world: World):
        """The need's only link is a low-confidence embedding guess for another process (five-axis CNC): the
        die casters' offers are still proposed — relation SIMILAR, no taxonomy credit, explained as such."""
        row = capacity_need("ned_guess", title=UNKNOWN_WORDS[0][1], description=UNKNOWN_WORDS[0][2],
                            links=[link("P.MACH.CNC.5AX", 0.4, "EMBEDDING")], certification_codes=[],
                            region_codes=[CHENGDU], material_code=None)
        page = await engine.match_need(world.db, world.cache.embedder, await world.need(row), first=20)
        by_id = {m.provider_id: m for m in page.items}
        assert "prv_cd_die" in by_id and "prv_cd_die2" in by_id
        checks = {c["name"]: c for c in by_id["prv_cd_die"].explanation["constraints"]}
        assert checks["process"]["passed"] and "reads like the need" in checks["process"]["detail"]
        taxonomy = next(p for p in by_id["prv_cd_die"].explanation["score_parts"] if p["name"] == "taxonomy")
        assert taxonomy["value"] == 0.0

    async def test_a_trusted_link_still_rules_other_processes_out(self, world: World):
        """With an ALIAS link to die casting the CNC shop's offer is unrelated, however similar its text."""
        page = await engine.match_need(world.db, world.cache.embedder,
                                       await world.need(capacity_need(certification_codes=[], region_codes=[CHENGDU])),
                                       first=20)
        assert "prv_cd_cnc" not in {m.provider_id for m in page.items}


class TestExactBeatsSibling:
    """A provider whose exact-process offer cannot deliver is scored through its related offer as that process."""

    async def test_the_sibling_offer_is_scored_and_explained_as_the_sibling(self, world: World):
        # 成都精铸: the best die caster of the world (rating 4.5, ADC12, IATF) — but its aluminium offer now has
        # no volume left, and it also offers zinc die casting (a sibling), which can deliver.
        await world.offer("prv_cd_die", monthly_volume=10)
        zinc = {**OFFERS["prv_cd_zn"], "id": "off_cd_die_zn", "provider_id": "prv_cd_die",
                "process_text": "锌合金压铸件", "description": "锌合金压铸，五金件", "links": [link(DIE_ZN)]}
        world.offers["prv_cd_die_zn"] = zinc
        await world.write_offers([zinc])
        await world.provider("prv_cd_die", rating=5.0)
        page = await engine.match_need(world.db, world.cache.embedder,
                                       await world.need(capacity_need(certification_codes=[], region_codes=[CHENGDU],
                                                                      deadline=d(99))), first=20)
        order = [m.provider_id for m in page.items]
        assert "prv_cd_die" in order
        sibling = page.items[order.index("prv_cd_die")]
        assert sibling.offer_id == "off_cd_die_zn"
        assert sibling.explanation["capability"]["relation"] == "SIBLING"
        assert sibling.explanation["capability"]["source"] == "OFFER"
        checks = {c["name"]: c for c in sibling.explanation["constraints"]}
        assert "a related process, not the one needed" in checks["process"]["detail"]
        taxonomy = next(p for p in sibling.explanation["score_parts"] if p["name"] == "taxonomy")
        assert "states 铝合金压铸 but has no feasible offer for it" in taxonomy["detail"]
        # below the Chengdu provider whose aluminium die-casting offer is feasible
        assert order.index("prv_cd_die2") < order.index("prv_cd_die")
        exact = page.items[order.index("prv_cd_die2")]
        assert exact.explanation["capability"]["relation"] == "SAME"


def test_rfq_boilerplate_is_stripped_and_plain_text_kept():
    rfq = ("一、项目概况：我司为汽车零部件企业，现就2027年度压铸件外协进行询价。\n"
           "二、技术要求：铝合金压铸，材质ADC12，去毛刺。\n"
           "三、资质要求：具备IATF 16949有效证书。\n"
           "四、报价须知：报价含税含运费，有效期30天；付款方式为验收后60天电汇。\n"
           "联系人：王工，电话13800000000")
    kept = substance(rfq)
    assert "铝合金压铸，材质ADC12，去毛刺。" in kept
    assert "IATF 16949" in kept
    for gone in ("项目概况", "技术要求", "报价含税", "电汇", "13800000000", "报价须知"):
        assert gone not in kept
    plain = "需要铝合金压铸件5000件，汽车零部件"
    assert substance(plain) == plain
    assert need_text("标题", "四、报价须知：报价含税。") == "标题\n四、报价须知：报价含税。"  # nothing but boilerplate


class TestProblemsAndUserTerms:
    """Capabilities' problem phrases and user terms reach linking (the graph holds them since the loader)."""

    # paraphrases written for this test, not the phrases of capabilities.jsonl
    @pytest.mark.parametrize("text,code", [
        ("月底对账时财务的数字和仓库、采购的表格总对不上，各部门各用各的软件", "S.OPM.ERP"),
        ("设计改了图纸，车间还在按旧版本生产，物料清单经常对不上", "S.RND.PLM"),
        ("产线相机的图片全部传到云上处理太慢，想在工厂里就地算完", "S.CLOUD.EDGE"),
    ])
    async def test_a_problem_links_to_the_service_that_solves_it(self, linker: TaxonomyLinker, text: str,
                                                                 code: str):
        [links] = await linker.link_capabilities([text], kind="SERVICE")
        assert code in [x.code for x in links], links

    @pytest.mark.parametrize("text,prefix", [("副车架焊装外协", "P.WELD"), ("SLA光固化打样", "P.AM")])
    async def test_a_user_term_links_like_an_alias(self, linker: TaxonomyLinker, text: str, prefix: str):
        [links] = await linker.link_capabilities([text], kind="PROCESS")
        assert links and links[0].code.startswith(prefix) and links[0].method == "ALIAS", links
