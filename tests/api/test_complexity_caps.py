"""Complexity counts a list without ``first`` at its cap (issue 10): the caps are real for the reference
data (checked here against the loaded data), ordinary documents stay under the budget, and a document
that nests reference lists is refused before anything runs."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import parse

from api.extensions import COMPLEXITY_BUDGET, LIST_CAPS, estimate
from api.schema import schema

DOCS = Path(__file__).resolve().parents[2] / "docs" / "API.md"

# (cap key, Cypher giving the largest list the loaded reference data holds for it)
LARGEST = {
    "Query.capabilityTree": "MATCH (c:Capability) WHERE NOT (c)-[:CHILD_OF]->() RETURN count(c) AS n",
    "Capability.children": "MATCH (c:Capability)<-[:CHILD_OF]-(k) WITH c, count(k) AS n RETURN max(n) AS n",
    "Capability.path": "MATCH p = (:Capability)-[:CHILD_OF*0..]->(r:Capability) WHERE NOT (r)-[:CHILD_OF]->() "
                       "RETURN max(length(p)) + 1 AS n",
    "Query.capabilities": "MATCH (c:Capability) RETURN count(c) AS n",
    "Query.regions": "MATCH (r:Region) RETURN count(r) AS n",
    "Region.parts": "MATCH (r:Region)<-[:PART_OF]-(k) WITH r, count(k) AS n RETURN max(n) AS n",
    "Region.partOf": "MATCH (r:Region)-[:PART_OF]->(k) WITH r, count(k) AS n RETURN max(n) AS n",
    "Query.certifications": "MATCH (c:Certification) RETURN count(c) AS n",
    "Query.industries": "MATCH (c:Industry) RETURN count(c) AS n",
    "Query.materials": "MATCH (c:Material) RETURN count(c) AS n",
    "Query.sharingModes": "MATCH (c:SharingMode) RETURN count(c) AS n",
    "Provider.sharingModes": "MATCH (c:SharingMode) RETURN count(c) AS n",
    "Provider.certifications": "MATCH (c:Certification) RETURN count(c) AS n",  # one HOLDS per certification
}


async def test_reference_caps_hold_the_loaded_data(db, reference_data):
    for key, cypher in LARGEST.items():
        largest = (await db.read(cypher))[0]["n"]
        assert largest and largest <= LIST_CAPS[key], f"{key}: the data holds {largest}, the cap is {LIST_CAPS[key]}"


def _examples() -> list[str]:
    return re.findall(r"```graphql\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)


def test_every_docs_example_is_under_the_budget():
    examples = _examples()
    assert len(examples) >= 10
    for document in examples:
        cost = estimate(schema._schema, parse(document), None, {})
        assert cost <= COMPLEXITY_BUDGET, (cost, document)


NESTED_REGIONS = "{ regions { parts { partOf { parts { code } } } } }"
DEEP_TREE = "{ capabilityTree { children { children { children { children { code } } } } } }"


def test_nested_reference_lists_count_at_their_caps():
    graphql_schema = schema._schema
    assert estimate(graphql_schema, parse(NESTED_REGIONS), None, {}) == 1 + 300 * (1 + 150 * (1 + 5 * (1 + 150)))
    assert estimate(graphql_schema, parse("{ regions { code } }"), None, {}) == 1 + 300


async def test_nested_reference_lists_are_refused_over_http(api):
    for document in (NESTED_REGIONS, DEEP_TREE):
        result = await api.run(document)
        assert result.code() == "QUERY_TOO_COMPLEX", (document, result.errors)
        assert result.data is None and result.errors[0]["extensions"]["complexity"] > COMPLEXITY_BUDGET
    assert (await api.run("{ regions { code parts { code } } }")).errors == []  # one level: fine
