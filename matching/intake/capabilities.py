"""Capability statements: a provider's capabilities in its own words, embedded as passages
(:func:`matching.texts.statement_text`) and linked to the taxonomy with that passage vector."""

from __future__ import annotations

from typing import Any, TypedDict

import numpy as np

from graph.db import Tx
from graph.repositories import capability_statements, providers
from graph.repositories.rows import LinkRow
from graph.viewer import Viewer
from matching.capability_links import STATEMENT_KINDS
from matching.intake.resolution import check_capability_codes, link, vector
from matching.intake.runner import Command, Intake, Outcome, Plan, Refusal, Step, new_id, refuse_if, require
from matching.texts import statement_text
from matching.validation import ErrorCode, check_statement

# provider kind -> the capability kind its statements link to (a manufacturer's: any kind)

ADD_CAPABILITY = Command("addCapability", "PROVIDER", "adding a capability")
REMOVE_CAPABILITY = Command("removeCapability", "PROVIDER", "removing a capability")


class StatementRow(TypedDict):
    """A statement ready to write (``capability_statements.create``)."""

    id: str
    text: str
    links: list[LinkRow]
    embedding: list[float]


async def add_capability(intake: Intake, viewer: Viewer, data: dict[str, Any],
                         client_mutation_id: str | None = None) -> Outcome:
    """A capability statement of the viewer's provider: free text, optionally with taxonomy codes."""
    return await intake.run(viewer, ADD_CAPABILITY, client_mutation_id, _prepare_add, data)


async def remove_capability(intake: Intake, viewer: Viewer, statement_id: str,
                            client_mutation_id: str | None = None) -> Outcome:
    return await intake.run(viewer, REMOVE_CAPABILITY, client_mutation_id, _prepare_remove, statement_id)


TEXTS_PER_REQUEST = 128


async def statement_rows(step: Step, statements: list[dict[str, Any]], kind: str | None) -> list[StatementRow]:
    """Statements as typed → embedded (one model call, shared with concurrent requests) and linked with
    the same passage vectors."""
    return (await statement_rows_of_many(step, [(statements, kind)]))[0]


async def statement_rows_of_many(step: Step, groups: list[tuple[list[dict[str, Any]], str | None]]
                                 ) -> list[list[StatementRow]]:
    """:func:`statement_rows` for several providers' statements (each group with its own capability kind),
    embedded in requests of up to :data:`TEXTS_PER_REQUEST` texts: a file of 500 providers is a few queue
    entries of full model calls, not 500 small ones (and no single request outgrows the queue's bound)."""
    texts = [[statement_text(s["text"]) for s in statements] for statements, _ in groups]
    flat = [text for group in texts for text in group]
    if not flat:
        return [[] for _ in groups]
    vectors = np.concatenate([await step.embedder.aencode_passages(flat[i:i + TEXTS_PER_REQUEST])
                              for i in range(0, len(flat), TEXTS_PER_REQUEST)])
    out: list[list[StatementRow]] = []
    start = 0
    for (statements, kind), group in zip(groups, texts, strict=True):
        mine = vectors[start:start + len(group)]
        start += len(group)
        if not group:
            out.append([])
            continue
        links = link(step, mine, group, kind, [s.get("capability_codes") or [] for s in statements])
        out.append([StatementRow(id=new_id("cst"), text=text, links=text_links, embedding=vector(values))
                    for text, text_links, values in zip(group, links, mine, strict=True)])
    return out


async def _prepare_add(step: Step, data: dict[str, Any]) -> Plan:
    errors = check_statement(data)
    refuse_if(errors)
    await check_capability_codes(step, [("capability_codes", data.get("capability_codes") or [])], errors)
    refuse_if(errors)
    provider_id = step.viewer.org_id or ""
    kind = await step.db.read_tx(lambda tx: providers.kind_of(tx, provider_id))
    if kind is None:
        raise Refusal.of(ErrorCode.NOT_FOUND, "the token's provider no longer exists")
    [statement] = await statement_rows(step, [data], STATEMENT_KINDS[kind])
    viewer = step.viewer

    async def write(tx: Tx) -> None:
        require(await providers.access(tx, provider_id, viewer), "provider", provider_id)
        await capability_statements.create(tx, provider_id, statement)

    return Plan(statement["id"], write, owner_id=provider_id)


async def _prepare_remove(step: Step, statement_id: str) -> Plan:
    viewer = step.viewer

    async def write(tx: Tx) -> str | None:
        require(await capability_statements.access(tx, statement_id, viewer), "capability statement", statement_id)
        return await capability_statements.delete(tx, statement_id)

    return Plan(statement_id, write)

