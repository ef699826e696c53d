"""Reference data: the capability taxonomy (tree, children, a node by name, its path) and the lists."""

from __future__ import annotations


async def test_the_taxonomy(api):
    tree = await api.ok("{ capabilityTree(kind: PROCESS) { code level parent { code } children { code } } }")
    cast = next(node for node in tree["capabilityTree"] if node["code"] == "P.CAST")
    assert cast["level"] == 1 and cast["parent"] is None and {"code": "P.CAST.DIE"} in cast["children"]
    assert all(node["code"].startswith("P.") for node in tree["capabilityTree"])

    children = await api.ok('{ capabilities(parent: "铸造") { code kind } }')
    assert {"code": "P.CAST.DIE", "kind": "PROCESS"} in children["capabilities"]

    node = await api.ok('{ capability(code: "铝合金压铸") { id code nameZh path { code } } }')
    capability = node["capability"]
    assert capability["code"] == "P.CAST.DIE.AL"
    assert [p["code"] for p in capability["path"]] == ["P.CAST", "P.CAST.DIE", "P.CAST.DIE.AL"]
    again = await api.ok(f'{{ node(id: "{capability["id"]}") {{ ... on Capability {{ code }} }} }}')
    assert again["node"] == {"code": "P.CAST.DIE.AL"}


async def test_reference_lists(api):
    data = await api.ok('{ regions(parent: "成渝地区") { code level } certifications { code } '
                              'sharingModes { code } industries { code } }')
    assert {"code": "500000", "level": "PROVINCE"} in data["regions"]
    assert {"code": "CERT.IATF16949"} in data["certifications"]
    assert len(data["sharingModes"]) == 4 and {"code": "C36"} in data["industries"]
    city = await api.ok('{ regions(parent: "510000", level: CITY) { code partOf { code } } }')
    chengdu = next(r for r in city["regions"] if r["code"] == "510100")
    assert {"code": "GRP.CHENGYU"} in chengdu["partOf"]
