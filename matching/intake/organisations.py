"""Enterprises and providers: registering them (anyone; the reply carries the first API token once)
and a provider changing its own profile."""

from __future__ import annotations

from typing import Any

from graph.db import Tx
from graph.repositories import capability_statements, credit_codes, enterprises, providers, tokens
from graph.viewer import Viewer
from matching.capability_links import STATEMENT_KINDS
from matching.curation import commands as curation
from matching.curation.duplicates import Verdict
from matching.curation.policy import auto_list, check_tags, provider_tags
from matching.intake.capabilities import StatementRow, statement_rows
from matching.intake.resolution import (
    Unverified,
    blank_to_none,
    check_capability_codes,
    distinct,
    indexed,
    resolve,
    write_unverified,
)
from matching.intake.runner import Command, Intake, Outcome, Plan, Refusal, Step, new_id, refuse_if, require
from matching.terms import Term
from matching.validation import ErrorCode, UserError, check_organisation, check_statement
from matching.vocabulary import CERTIFICATION_STATUSES

REGISTER_ENTERPRISE = Command("registerEnterprise", None, "registering")
REGISTER_PROVIDER = Command("registerProvider", None, "registering")
UPDATE_PROVIDER = Command("updateProvider", "PROVIDER", "updating a provider")


async def register_enterprise(intake: Intake, viewer: Viewer, data: dict[str, Any],
                              client_mutation_id: str | None = None) -> Outcome:
    return await intake.run(viewer, REGISTER_ENTERPRISE, client_mutation_id, _prepare_enterprise, data)


async def register_provider(intake: Intake, viewer: Viewer, data: dict[str, Any],
                            client_mutation_id: str | None = None) -> Outcome:
    """Optional first capability statements are linked and embedded too."""
    return await intake.run(viewer, REGISTER_PROVIDER, client_mutation_id, _prepare_provider, data)


async def update_provider(intake: Intake, viewer: Viewer, provider_id: str, changes: dict[str, Any],
                          client_mutation_id: str | None = None) -> Outcome:
    """Change the provider's own profile; lists given replace the stored ones."""
    return await intake.run(viewer, UPDATE_PROVIDER, client_mutation_id, _prepare_update, provider_id, changes)


# ------------------------------------------------------------------------------------ prepare


async def _prepare_enterprise(step: Step, data: dict[str, Any]) -> Plan:
    refuse_if(check_organisation(data))
    errors: list[UserError] = []
    unverified: list[Unverified] = []
    codes = await resolve(step, org_terms(data), errors, unverified)
    refuse_if(errors)
    issued = tokens.issue()
    row = {**{key: blank_to_none(data.get(key)) for key in enterprises.PROFILE_PROPS},
           "id": new_id("ent"), "credit_code": data["credit_code"].strip(),
           "region_codes": [codes["region"]] if "region" in codes else [],
           "industry_codes": indexed(codes, "industries", data.get("industries"))}

    async def write(tx: Tx) -> None:
        if (await enterprises.id_by_credit_code(tx, row["credit_code"])
                or not await credit_codes.claim(tx, "ENTERPRISE", row["credit_code"], row["id"])):
            raise Refusal.of(ErrorCode.DUPLICATE, f"an enterprise with credit code {row['credit_code']} is registered",
                             "credit_code")
        await enterprises.create(tx, row)
        await write_unverified(tx, "Enterprise", row["id"], unverified)
        await tokens.create(tx, issued.id, issued.hash, "ENTERPRISE", row["id"])

    return Plan(row["id"], write, token=issued.secret)


async def _prepare_provider(step: Step, data: dict[str, Any]) -> Plan:
    errors = check_organisation(data)
    if data.get("kind") not in STATEMENT_KINDS:
        errors.append(UserError(ErrorCode.INVALID, "kind", f"kind must be one of {', '.join(STATEMENT_KINDS)}"))
    errors += check_tags(data.get("tags"))
    statements = data.get("capabilities") or []
    for index, statement in enumerate(statements):
        errors += check_statement(statement, f"capabilities.{index}.")
    errors += _check_held(data.get("certifications"))
    refuse_if(errors)
    unverified: list[Unverified] = []
    codes = await resolve(step, org_terms(data), errors, unverified)
    await check_capability_codes(step, [(f"capabilities.{i}.capability_codes", s.get("capability_codes") or [])
                                        for i, s in enumerate(statements)], errors)
    refuse_if(errors)
    provider_id = new_id("prv")
    statements_to_write = await statement_rows(step, statements, STATEMENT_KINDS[data["kind"]])
    issued = tokens.issue()
    row = {**{key: blank_to_none(data.get(key)) for key in providers.PROFILE_PROPS},
           "id": provider_id, "kind": data["kind"], "credit_code": data["credit_code"].strip(),
           "tags": provider_tags(data["kind"], data.get("tags"))}
    links = provider_links(data, codes)

    async def write(tx: Tx) -> None:
        # the pool's admission (docs/CURATION.md): the same credit code, or a near-identical name in the
        # same region, is refused as DUPLICATE; a similar name is created APPLIED for staff review
        judgement = await curation.judge_registration(tx, row["name"], row["credit_code"],
                                                      (links.get("region_codes") or [None])[0])
        if judgement.verdict is Verdict.DUPLICATE:
            raise Refusal(curation.duplicate_error(judgement))
        if not await credit_codes.claim(tx, "PROVIDER", row["credit_code"], provider_id):  # the unique guard
            raise Refusal.of(ErrorCode.DUPLICATE, f"a provider with credit code {row['credit_code']} is registered",
                             "credit_code")
        await providers.create(tx, row)
        await write_provider_links(tx, provider_id, links)
        await write_unverified(tx, "Provider", provider_id, _with_held(unverified, data))
        await _write_statements(tx, provider_id, statements_to_write)
        await tokens.create(tx, issued.id, issued.hash, "PROVIDER", provider_id)
        await curation.admit(tx, provider_id, judgement, auto_list())

    return Plan(provider_id, write, token=issued.secret)


async def _prepare_update(step: Step, provider_id: str, changes: dict[str, Any]) -> Plan:
    refuse_if(check_organisation(changes, partial=True) + _check_held(changes.get("certifications"))
              + check_tags(changes.get("tags")))
    errors: list[UserError] = []
    unverified: list[Unverified] = []
    codes = await resolve(step, org_terms(changes), errors, unverified)
    refuse_if(errors)
    # a list given again replaces the stored one, unverified terms included
    replace = tuple(kind for key, kind in (("industries", "INDUSTRY"), ("certifications", "CERTIFICATION"))
                    if key in changes)
    props = {key: blank_to_none(changes[key]) for key in providers.PROFILE_PROPS
             if key in changes and key != "credit_code"}
    links = provider_links(changes, codes)
    viewer = step.viewer

    async def write(tx: Tx) -> None:
        require(await providers.access(tx, provider_id, viewer), "provider", provider_id)
        await providers.update(tx, provider_id, props)
        await write_provider_links(tx, provider_id, links)
        await write_unverified(tx, "Provider", provider_id, _with_held(unverified, changes), replace=replace)
        if changes.get("tags") is not None:
            kind = await providers.kind_of(tx, provider_id)
            await providers.set_tags(tx, provider_id, provider_tags(kind or "", changes["tags"]))

    return Plan(provider_id, write)


# ------------------------------------------------------------------------------------ helpers


def org_terms(data: dict[str, Any]) -> list[Term]:
    terms = []
    if data.get("region"):
        terms.append(Term("Region", "region", data["region"]))
    terms += [Term("Industry", f"industries.{i}", t) for i, t in enumerate(data.get("industries") or [])]
    terms += [Term("SharingMode", f"sharing_modes.{i}", t) for i, t in enumerate(data.get("sharing_modes") or [])]
    terms += [Term("Certification", f"certifications.{i}.certification", held["certification"])
              for i, held in enumerate(data.get("certifications") or [])]
    return terms


def _with_held(unverified: list[Unverified], data: dict[str, Any]) -> list[Unverified]:
    """Unverified certifications carry what was said about holding them (status, valid until), like HOLDS."""
    held = data.get("certifications") or []
    result = []
    for item in unverified:
        parts = item.field.split(".")
        if item.kind == "CERTIFICATION" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(held):
            one = held[int(parts[1])]
            item = Unverified(item.kind, item.field, item.text,
                              {"status": one.get("status") or "ACTIVE", "valid_until": one.get("valid_until")})
        result.append(item)
    return result


def _check_held(held: list[dict[str, Any]] | None) -> list[UserError]:
    errors = []
    for index, item in enumerate(held or []):
        if item.get("status", "ACTIVE") not in CERTIFICATION_STATUSES:
            errors.append(UserError(ErrorCode.INVALID, f"certifications.{index}.status",
                                    f"status must be one of {', '.join(CERTIFICATION_STATUSES)}"))
    return errors


def provider_links(data: dict[str, Any], codes: dict[str, str]) -> dict[str, Any]:
    """Only the links whose input was given (an update leaves the others as they are)."""
    links: dict[str, Any] = {}
    if "region" in data:
        links["region_codes"] = [codes["region"]] if "region" in codes else []
    if "industries" in data:
        links["industry_codes"] = distinct(indexed(codes, "industries", data.get("industries")))
    if "sharing_modes" in data:
        links["sharing_mode_codes"] = distinct(indexed(codes, "sharing_modes", data.get("sharing_modes")))
    if "certifications" in data:
        held: dict[str, dict[str, Any]] = {}
        for index, item in enumerate(data.get("certifications") or []):
            code = codes.get(f"certifications.{index}.certification")
            if code:
                held[code] = {"code": code, "status": item.get("status") or "ACTIVE",
                              "valid_until": item.get("valid_until")}
        links["certifications"] = list(held.values())
    return links


async def write_provider_links(tx: Tx, provider_id: str, links: dict[str, Any]) -> None:
    for name in ("region_codes", "industry_codes", "sharing_mode_codes"):
        if name in links:
            await providers.replace_links(tx, provider_id, name, links[name])
    if "certifications" in links:
        await providers.replace_certifications(tx, provider_id, links["certifications"])


async def _write_statements(tx: Tx, provider_id: str, statements: list[StatementRow]) -> None:
    for statement in statements:
        await capability_statements.create(tx, provider_id, statement)
