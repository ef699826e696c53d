"""The staff curation commands as the intake runs every command: STAFF gate, optional replay, prepare
(checks, term resolution), then one write transaction (the step of :mod:`matching.curation.commands`,
its audit event and the data-version bump). Each returns the runner's ``Outcome`` and, when it
worked, what the step reported (the new listing status, the edition …).
"""

from __future__ import annotations

from typing import Any

from graph.db import Tx
from graph.viewer import Viewer
from matching.curation import commands
from matching.curation.policy import Decision, Verification
from matching.intake import Intake, Outcome
from matching.intake.runner import Command, Plan, Refusal, Step
from matching.terms import LABEL_WORDS, Term, resolve_term
from matching.validation import MAX_TERM, ErrorCode, UserError

REVIEW_PROVIDER = Command("reviewProvider", "STAFF", "reviewing a provider")
VERIFY_CERTIFICATION = Command("verifyCertification", "STAFF", "verifying a certificate")
MAP_TERM = Command("mapTerm", "STAFF", "mapping a term")
CREATE_TERM_NODE = Command("createTermNode", "STAFF", "creating a term node")
PUBLISH_EDITION = Command("publishEdition", "STAFF", "publishing an edition")

Result = dict[str, Any]


async def _run(intake: Intake, viewer: Viewer, command: Command, client_mutation_id: str | None,
               object_id: str, terms: list[Term], step_work: Any) -> tuple[Outcome, Result | None]:
    """Run ``step_work(tx, actor, codes)`` as ``command``; ``terms`` are resolved first (unknown: refused)."""
    reported: Result = {}

    async def prepare(step: Step) -> Plan:
        codes: dict[str, str] = {}
        if terms:
            errors = [UserError(ErrorCode.TOO_LONG, t.field, f"{t.field} has at most {MAX_TERM} characters")
                      for t in terms if len(t.text) > MAX_TERM]
            if errors:
                raise Refusal(*errors)
            for term in terms:  # at most two: a code, a name or an alias each (capabilities by alias too)
                code = await resolve_term(step.db, step.linker, term.label, term.text)
                if code is not None:
                    codes[term.field] = code
            unknown = [term for term in terms if term.field not in codes]
            if unknown:
                raise Refusal(*[UserError(ErrorCode.UNRESOLVED, t.field,
                                          f"{t.text!r} names no known {LABEL_WORDS[t.label]}") for t in unknown])
        actor = commands.actor_of(step.viewer)

        async def write(tx: Tx) -> None:
            reported.clear()
            reported.update(await step_work(tx, actor, codes))

        return Plan(object_id, write)

    outcome = await intake.run(viewer, command, client_mutation_id, prepare)
    return outcome, (dict(reported) if outcome.ok and reported else None)


async def review_provider(intake: Intake, viewer: Viewer, provider_id: str, decision: Decision,
                          reason: str | None) -> tuple[Outcome, Result | None]:
    return await _run(intake, viewer, REVIEW_PROVIDER, None, provider_id, [],
                      lambda tx, actor, _codes: commands.review_provider(tx, actor, provider_id, decision, reason))


async def verify_certification(intake: Intake, viewer: Viewer, provider_id: str, certification: str,
                               verdict: Verification, evidence: str | None) -> tuple[Outcome, Result | None]:
    terms = [Term("Certification", "certification", certification)]
    return await _run(intake, viewer, VERIFY_CERTIFICATION, None, provider_id, terms,
                      lambda tx, actor, codes: commands.verify_certification(
                          tx, actor, provider_id, codes["certification"], verdict, evidence))


async def map_term(intake: Intake, viewer: Viewer, key: str, code: str) -> tuple[Outcome, Result | None]:
    return await _run(intake, viewer, MAP_TERM, None, key, [],
                      lambda tx, actor, _codes: commands.map_term(tx, actor, key[:300], code.strip()[:100]))


async def create_term_node(intake: Intake, viewer: Viewer, key: str, code: str,
                           name: str | None) -> tuple[Outcome, Result | None]:
    return await _run(intake, viewer, CREATE_TERM_NODE, None, key, [],
                      lambda tx, actor, _codes: commands.create_term_node(tx, actor, key[:300], code[:100], name))


async def publish_edition(intake: Intake, viewer: Viewer, title: str, category: str | None,
                          region: str | None) -> tuple[Outcome, Result | None]:
    terms = [Term(label, field, text) for label, field, text in
             (("Capability", "category", category), ("Region", "region", region)) if text and text.strip()]

    async def work(tx: Tx, actor: str, codes: dict[str, str]) -> Result:
        return dict(await commands.publish_edition(tx, actor, title, codes.get("category"), codes.get("region")))

    return await _run(intake, viewer, PUBLISH_EDITION, None, "edition", terms, work)
