"""What manufacturers type for materials and units: lists and whole lines of materials linked to material
nodes (with confidence and method), unknown parts kept as unverified terms, unit words resolved."""

from __future__ import annotations

import pytest
from apiclient import ERRORS

OFFER = """id unit material { code }
           materials { material { code } confidence method text }"""
PUBLISH = f"""
mutation($input: PublishCapacityOfferInput!) {{
  publishCapacityOffer(input: $input) {{ capacityOffer {{ {OFFER} }} {ERRORS} }}
}}"""
UPDATE = f"""
mutation($input: UpdateCapacityOfferInput!) {{
  updateCapacityOffer(input: $input) {{ capacityOffer {{ {OFFER} }} {ERRORS} }}
}}"""

BASE = {"processText": "CNC精密加工", "monthlyVolume": 5000, "unit": "PIECE", "availableFrom": "2099-01-01",
        "availableTo": "2099-06-30"}

# the two lines of issue 9, exactly as a factory wrote them
LINE_1 = "Q235碳钢等；aluminum alloy（5052-H32）"
LINE_2 = "白钢（304不锈钢、316L不锈钢）；6061铝、5052铝合金；TA2纯钛"


def _codes(offer: dict) -> set[str]:
    return {link["material"]["code"] for link in offer["materials"]}


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("materials", [LINE_1], {"M.STEEL.Q235", "M.AL.5052"}),
    ("materials", [LINE_2], {"M.SS.304", "M.SS.316L", "M.AL.6061", "M.AL.5052", "M.TI.TA2"}),
    ("material", LINE_2, {"M.SS.304", "M.SS.316L", "M.AL.6061", "M.AL.5052", "M.TI.TA2"}),
    ("materials", [LINE_1, "6061铝"], {"M.STEEL.Q235", "M.AL.5052", "M.AL.6061"}),
])
async def test_a_line_of_materials_links_to_each_material(api, field, value, expected):
    _, token, _ = await api.register_provider()
    payload = (await api.ok(PUBLISH, {"input": {**BASE, field: value}}, token=token))["publishCapacityOffer"]
    offer = payload["capacityOffer"]
    # a family named beside its own grade ("aluminum alloy（5052-H32）", "白钢（304…）") says the grade twice
    assert _codes(offer) == expected
    assert all(link["method"] == "ALIAS" and link["confidence"] == 0.95 for link in offer["materials"])
    assert payload["unresolved"] == []
    assert offer["material"]["code"] in expected


async def test_each_link_says_which_part_of_the_input_it_came_from(api):
    _, token, _ = await api.register_provider()
    offer = (await api.ok(PUBLISH, {"input": {**BASE, "materials": [LINE_1]}},
                          token=token))["publishCapacityOffer"]["capacityOffer"]
    assert {link["material"]["code"]: link["text"] for link in offer["materials"]} == {
        "M.STEEL.Q235": "Q235碳钢", "M.AL.5052": "5052-H32"}


async def test_unknown_material_parts_are_kept_and_the_rest_links(api, db):
    _, token, _ = await api.register_provider()
    payload = (await api.ok(PUBLISH, {"input": {**BASE, "materials": ["6061铝、振金；M.SS.304", "火星岩"]}},
                            token=token))["publishCapacityOffer"]
    offer = payload["capacityOffer"]
    assert _codes(offer) == {"M.AL.6061", "M.SS.304"}
    assert {link["material"]["code"]: link["method"] for link in offer["materials"]}["M.SS.304"] == "CODE"
    assert sorted(payload["unresolved"]) == ["振金", "火星岩"]
    stored = await db.read("MATCH (o:CapacityOffer)-[:MENTIONS]->(t:UnverifiedTerm) "
                           "RETURN t.kind AS kind, t.text AS text ORDER BY text")
    assert stored == [{"kind": "MATERIAL", "text": "振金"}, {"kind": "MATERIAL", "text": "火星岩"}]

    # a new list replaces the links and the kept terms
    updated = (await api.ok(UPDATE, {"input": {"id": offer["id"], "materials": ["TA2纯钛"]}},
                            token=token))["updateCapacityOffer"]
    assert _codes(updated["capacityOffer"]) == {"M.TI.TA2"} and updated["unresolved"] == []
    assert await db.read("MATCH (:CapacityOffer)-[m:MENTIONS]->() RETURN count(m) AS n") == [{"n": 0}]
    cleared = (await api.ok(UPDATE, {"input": {"id": offer["id"], "material": None, "materials": []}},
                            token=token))["updateCapacityOffer"]["capacityOffer"]
    assert cleared["materials"] == [] and cleared["material"] is None


@pytest.mark.parametrize(("word", "unit"), [
    ("箱", "CARTON"), ("个", "PIECE"), ("片", "PIECE"), ("支", "PIECE"), ("件", "PIECE"), ("pcs", "PIECE"),
    ("卷", "ROLL"), ("张", "SHEET"), ("吨", "TONNE"), ("台", "SET"), ("米", "METRE"), ("CARTON", "CARTON"),
])
async def test_unit_words_resolve(api, word, unit):
    _, token, _ = await api.register_provider()
    fields = {key: value for key, value in BASE.items() if key != "unit"}
    offer = (await api.ok(PUBLISH, {"input": {**fields, "unitText": word}},
                          token=token))["publishCapacityOffer"]["capacityOffer"]
    assert offer["unit"] == unit


async def test_an_unknown_unit_word_is_refused_naming_the_known_units(api, db):
    _, token, _ = await api.register_provider()
    fields = {key: value for key, value in BASE.items() if key != "unit"}
    payload = (await api.run(PUBLISH, {"input": {**fields, "unitText": "一坨"}},
                             token=token)).data["publishCapacityOffer"]
    [error] = payload["errors"]
    assert (error["code"], error["field"]) == ("UNRESOLVED", "unitText")
    assert "CARTON" in error["message"] and "PIECE" in error["message"]
    assert payload["capacityOffer"] is None
    assert await db.read("MATCH (o:CapacityOffer) RETURN count(o) AS n") == [{"n": 0}]


async def test_update_takes_a_unit_word(api):
    _, token, _ = await api.register_provider()
    offer = (await api.ok(PUBLISH, {"input": BASE}, token=token))["publishCapacityOffer"]["capacityOffer"]
    updated = (await api.ok(UPDATE, {"input": {"id": offer["id"], "unitText": "卷"}},
                            token=token))["updateCapacityOffer"]["capacityOffer"]
    assert updated["unit"] == "ROLL"
