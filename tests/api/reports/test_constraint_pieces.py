"""The unmatched-needs report counts eliminations with the matcher's own hard constraints.

``graph.repositories.reports`` names the pieces (kind, certifications, region) of
``graph.repositories.matching.PAIR_CONSTRAINTS``; joined with AND they must be that fragment, so
the two cannot drift apart. (When the matcher builds PAIR_CONSTRAINTS from named pieces, the
report should import those and this test can go.)
"""

from __future__ import annotations

from graph.repositories import matching, reports


def _words(cypher: str) -> list[str]:
    return cypher.split()


def test_report_constraints_are_the_matchers():
    joined = f"{reports.KIND_OK}\n  AND {reports.CERTS_OK}\n  AND {reports.REGION_OK}"
    assert _words(joined) == _words(matching.PAIR_CONSTRAINTS)


def test_capacity_checks_are_the_matchers_fragment():
    assert matching.offer_feasibility("") in reports._UNMATCHED
