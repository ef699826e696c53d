"""Ranking and explanations: taxonomy proximity, materials, evidence, and what a person reads."""

from __future__ import annotations

import json

from matching_world import CHENGDU, DIE_AL, World, capacity_need, link

from matching import engine
from matching.scoring import WEIGHTS, Weights
from matching.taxonomy import load_taxonomy


async def top(world: World, row: dict) -> list[engine.MatchResult]:
    need_id = await world.need(row)
    return (await engine.match_need(world.db, world.cache.embedder, need_id, first=50)).items


def parts(match: engine.MatchResult) -> dict[str, dict]:
    return {p["name"]: p for p in match.explanation["score_parts"]}


def test_weights_sum_to_one():
    names = ("semantic", "taxonomy", "lexical", "material", "fulfilment", "rating", "collaboration", "distance")
    assert abs(sum(getattr(WEIGHTS, n) for n in names) - 1.0) < 1e-9
    assert Weights.__doc__ and all(n in Weights.__doc__ for n in names)


async def test_taxonomy_relations_and_paths(reference_data):
    taxonomy = await load_taxonomy(reference_data)
    assert taxonomy.path_text("P.CAST.DIE.AL") == "铸造 › 压铸 › 铝合金压铸"
    assert taxonomy.relation("P.CAST.DIE.AL", "P.CAST.DIE.AL")[0] == "SAME"
    assert taxonomy.relation("P.CAST.DIE", "P.CAST.DIE.AL")[0] == "DESCENDANT"
    assert taxonomy.relation("P.CAST.DIE.AL", "P.CAST.DIE")[0] == "PARENT"
    assert taxonomy.relation("P.CAST.DIE.AL", "P.CAST.DIE.ZN")[0] == "SIBLING"
    assert taxonomy.relation("P.CAST.DIE.AL", "P.CAST.SAND")[0] == "CATEGORY"
    assert taxonomy.relation("P.CAST.DIE.AL", "S.SEC.ASSESS.MLPS")[0] == "NONE"
    assert set(taxonomy.retrieval_scope(["P.CAST.DIE"])) >= {"P.CAST.DIE", "P.CAST.DIE.AL", "P.CAST.DIE.ZN", "P.CAST"}


async def test_same_node_ranks_above_sibling_and_explains_the_path(world: World):
    matches = await top(world, capacity_need(certification_codes=[], region_codes=[CHENGDU]))
    order = [m.provider_id for m in matches]
    assert order[0] == "prv_cd_die"  # same node, same material grade (ADC12)
    assert order.index("prv_cd_die2") < order.index("prv_cd_zn")  # aluminium before zinc (sibling)
    best = matches[0].explanation
    assert best["capability"]["relation"] == "SAME"
    assert best["capability"]["provider_path"] == "铸造 › 压铸 › 铝合金压铸"
    zinc = next(m for m in matches if m.provider_id == "prv_cd_zn").explanation
    assert zinc["capability"]["relation"] == "SIBLING"
    assert parts(matches[0])["material"]["value"] == 1.0  # ADC12 = ADC12
    second = next(m for m in matches if m.provider_id == "prv_cd_die2")
    assert parts(second)["material"]["value"] == 0.6  # A380: same family (aluminium)


async def test_explanation_names_each_constraint_with_its_data(world: World):
    matches = await top(world, capacity_need())
    best = next(m for m in matches if m.provider_id == "prv_cd_die")
    checks = {c["name"]: c for c in best.explanation["constraints"]}
    assert all(c["passed"] for c in best.explanation["constraints"])
    valid_until = (await world.db.read(
        "MATCH (:Provider {id: 'prv_cd_die'})-[h:HOLDS]->() RETURN toString(h.valid_until) AS d"))[0]["d"]
    assert checks["certification"]["detail"] == (f"IATF 16949 汽车质量管理体系: held, ACTIVE until {valid_until}, "
                                                "declared only (not verified by staff)")
    assert checks["region"]["detail"].startswith("located in 成都市, within 成渝地区")
    assert checks["volume"]["detail"] == "9,000 deliverable ≥ 5,000 needed (3,000/month × 90 days)"
    assert checks["moq"]["detail"] == "5,000 needed ≥ MOQ 500"
    assert "90 days" in checks["window"]["detail"] and "− 10 days lead time" in checks["window"]["detail"]
    assert best.explanation["offer"]["deliverable"] == 9000
    assert best.explanation["similarity"]["source"] == "OFFER"
    total = sum(p["contribution"] for p in best.explanation["score_parts"]) - best.explanation["penalty"]
    assert abs(total - best.score) < 0.01
    assert "铸造 › 压铸 › 铝合金压铸" in best.explanation["summary"]
    stored = await world.db.read("MATCH (m:Match {id: $id}) RETURN m.explanation AS e", id=best.id)
    assert json.loads(stored[0]["e"])["summary"] == best.explanation["summary"]


async def test_a_shared_keyword_does_not_beat_the_business(world: World):
    """铝合金门窗 shares 铝合金 with the need; a die caster shares the business."""
    need = capacity_need(kind="SERVICE", quantity=None, unit=None, certification_codes=[], region_codes=[],
                         links=[link(DIE_AL)])
    order = [m.provider_id for m in await top(world, need)]
    assert "prv_cd_window" not in order[:3]
    assert order[0] in {"prv_cd_die", "prv_cd_die2", "prv_yb_die", "prv_my_die", "prv_dy_die", "prv_sz_die"}


async def test_a_need_without_taxonomy_links_is_ranked_by_what_it_says(world: World):
    matches = await top(world, capacity_need(links=[], certification_codes=[], region_codes=[CHENGDU]))
    assert matches[0].provider_id in {"prv_cd_die", "prv_cd_die2"}
    assert "taxonomy" not in parts(matches[0])  # not applicable: left out, weights rescaled
    assert abs(sum(p["weight"] for p in matches[0].explanation["score_parts"]) - 1.0) < 0.01


