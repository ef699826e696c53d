"""Bulk import of a provider list (CSV/XLSX) through the same checks as ``registerProvider``.

Steps: read and check every row (:func:`matching.curation.files.parse_provider_file`); resolve its
terms and link and embed its capability statements exactly as a registration does (the intake's
own helpers); then one write transaction judges every row for duplicates — against the pool and
against the earlier rows of the file — and creates them all. Any error anywhere and nothing is
written: the report lists each error with its row (1 = the header) and column. ``dry_run`` runs the
same transaction and rolls it back.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from graph.db import Tx
from graph.repositories import audit, capability_statements, providers
from graph.repositories.freshness import mark_stale
from graph.viewer import Viewer
from matching.capability_links import STATEMENT_KINDS
from matching.curation import commands
from matching.curation.duplicates import Candidate, Verdict
from matching.curation.files import RowError, parse_provider_file
from matching.curation.policy import auto_list, provider_tags
from matching.intake import Intake
from matching.intake.capabilities import statement_rows_of_many
from matching.intake.organisations import org_terms, provider_links, write_provider_links
from matching.intake.resolution import blank_to_none, resolve
from matching.intake.runner import Step, new_id
from matching.validation import ErrorCode, UserError


@dataclass
class ImportReport:
    file_errors: list[str] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # provider ids, in file order
    applied: int = 0
    listed: int = 0


class _RollBack(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} row errors")
        self.errors = errors


def _column(field_path: str | None) -> str | None:
    return field_path.split(".")[0] if field_path else None


async def import_providers(intake: Intake, viewer: Viewer, content: bytes, filename: str | None,
                           dry_run: bool = False) -> ImportReport:
    """Check, resolve, judge and write a provider list as ``viewer`` (a STAFF token; the caller gates)."""
    actor = commands.actor_of(viewer)
    step = Step(intake, viewer)
    report = ImportReport()
    parsed = await asyncio.to_thread(parse_provider_file, content, filename)  # XLSX parsing is CPU work
    report.file_errors, report.row_errors = parsed.file_errors, parsed.row_errors
    if parsed.file_errors:
        return report
    refused_rows = {error.row for error in parsed.row_errors}
    prepared: list[dict[str, Any]] = []
    for number, data in parsed.rows:
        if number in refused_rows:
            continue  # its shape is wrong already; the other rows are still checked so one report says all
        errors: list[UserError] = []
        codes = await resolve(step, org_terms(data), errors)
        if errors:
            report.row_errors += [RowError(number, _column(e.field), e.code, e.message) for e in errors]
            continue
        if report.row_errors:
            continue  # nothing will be written: no need to embed
        links = provider_links(data, codes)
        row = {**{key: blank_to_none(data.get(key)) for key in providers.PROFILE_PROPS},
               "id": new_id("prv"), "kind": data["kind"], "credit_code": data["credit_code"].strip(),
               "tags": provider_tags(data["kind"], data.get("tags"))}
        prepared.append({"number": number, "row": row, "links": links, "data": data,
                         "region": (links.get("region_codes") or [None])[0]})
    if report.row_errors:
        report.row_errors.sort(key=lambda e: (e.row, e.column or ""))
        return report
    # every row's statements embedded in one request (the file is checked whole first: nothing is embedded
    # for a file that will be refused)
    groups = [(item["data"].get("capabilities") or [], STATEMENT_KINDS[item["data"]["kind"]]) for item in prepared]
    for item, statements in zip(prepared, await statement_rows_of_many(step, groups), strict=True):
        item["statements"] = statements
    listing = auto_list()

    outcome: dict[str, ImportReport] = {}

    async def work(tx: Tx) -> None:
        done = ImportReport()
        errors: list[RowError] = []
        earlier: list[tuple[Candidate, str | None]] = []
        for item in prepared:
            row = item["row"]
            extra = tuple(Candidate(c.id, c.name, c.credit_code, same_region=region == item["region"])
                          for c, region in earlier)
            judgement = await commands.judge_registration(tx, row["name"], row["credit_code"], item["region"], extra)
            # a later row is compared with this one too (as the provider it is about to become)
            earlier.append((Candidate(row["id"], f"{row['name']} (row {item['number']})", row["credit_code"],
                                      False), item["region"]))
            if judgement.verdict is Verdict.DUPLICATE:
                error = commands.duplicate_error(judgement)
                errors.append(RowError(item["number"], _column(error.field), ErrorCode.DUPLICATE, error.message))
                continue
            if errors:
                continue  # nothing will be written; keep judging to report every duplicate
            await providers.create(tx, row)
            await write_provider_links(tx, row["id"], item["links"])
            for statement in item["statements"]:
                await capability_statements.create(tx, row["id"], statement)
            status = await commands.admit(tx, row["id"], judgement, listing)
            done.created.append(row["id"])
            done.listed += status == "LISTED"
            done.applied += status == "APPLIED"
        if errors:
            raise _RollBack(errors)
        await audit.record(tx, actor, "provider.import", f"import/{filename or 'file'}"[:300], None,
                           {"created": len(done.created), "listed": done.listed, "applied": done.applied,
                            "provider_ids": done.created[:100]})
        await mark_stale(tx, done.created)  # their provinces' match lists; the provider index reloads them
        outcome["done"] = done
        if dry_run:
            raise _RollBack([])

    try:
        await intake.db.write_tx(work)
    except _RollBack as rollback:
        report.row_errors = rollback.errors
        if rollback.errors:
            return report
    done = outcome["done"]
    report.applied, report.listed = done.applied, done.listed
    report.created = [] if dry_run else done.created
    return report
