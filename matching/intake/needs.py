"""Needs: an enterprise posts, changes and closes its own needs.

A need is encoded once, as an e5 query (:func:`matching.texts.need_text`); that one vector serves both
linking it to the taxonomy and matching it later.
"""

from __future__ import annotations

from typing import Any

from graph.db import Tx
from graph.repositories import enterprises, needs
from graph.viewer import Viewer
from matching.capability_links import NEED_KINDS
from matching.deals import lifecycle
from matching.freshness import today  # one "today" for validation and feasibility (GONGXU_TODAY pins it)
from matching.intake.resolution import (
    Unverified,
    check_capability_codes,
    distinct,
    indexed,
    link_row,
    materials,
    resolve,
    touched,
    unit_from_text,
    vector,
    write_unverified,
)
from matching.intake.runner import (
    Command,
    Intake,
    Outcome,
    Plan,
    Refusal,
    Step,
    new_id,
    refuse_if,
    refusing,
    require,
)
from matching.terms import Term
from matching.texts import need_text
from matching.validation import ErrorCode, UserError, check_need

POST_NEED = Command("postNeed", "ENTERPRISE", "posting a need")
UPDATE_NEED = Command("updateNeed", "ENTERPRISE", "updating a need")
CLOSE_NEED = Command("closeNeed", "ENTERPRISE", "closing a need")


async def post_need(intake: Intake, viewer: Viewer, data: dict[str, Any],
                    client_mutation_id: str | None = None) -> Outcome:
    """A need of the viewer's enterprise; only a title is required."""
    return await intake.run(viewer, POST_NEED, client_mutation_id, _prepare_post, data)


async def update_need(intake: Intake, viewer: Viewer, need_id: str, changes: dict[str, Any],
                      client_mutation_id: str | None = None) -> Outcome:
    return await intake.run(viewer, UPDATE_NEED, client_mutation_id, _prepare_update, need_id, changes)


async def close_need(intake: Intake, viewer: Viewer, need_id: str, client_mutation_id: str | None = None) -> Outcome:
    return await intake.run(viewer, CLOSE_NEED, client_mutation_id, _prepare_close, need_id)


def _access(stored: dict[str, Any] | None) -> str | None:
    return None if stored is None else ("OWN" if stored["own"] else "READ")


async def _parts(step: Step, data: dict[str, Any], changed: set[str] | None) -> dict[str, Any]:
    """Codes, links and embedding of a need, for the fields that are new or changed (None: all)."""
    terms: list[Term] = []
    if touched(changed, "required_certifications"):
        terms += [Term("Certification", f"required_certifications.{i}", text)
                  for i, text in enumerate(data.get("required_certifications") or [])]
    if touched(changed, "regions"):
        terms += [Term("Region", f"regions.{i}", text) for i, text in enumerate(data.get("regions") or [])]
    errors: list[UserError] = []
    unverified: list[Unverified] = []  # unknown certifications and materials, kept with the need
    codes = await resolve(step, terms, errors, unverified)
    if touched(changed, "capability_codes") and data.get("capability_codes"):
        await check_capability_codes(step, [("capability_codes", data["capability_codes"])], errors)
    refuse_if(errors)
    parts: dict[str, Any] = {"unverified": unverified, "replace_unverified": ()}
    if touched(changed, "material", "materials"):
        parts["material_links"] = await materials(step, data, unverified)
        parts["replace_unverified"] += ("MATERIAL",)
    if touched(changed, "required_certifications"):
        parts["replace_unverified"] += ("CERTIFICATION",)
    if touched(changed, "required_certifications"):
        parts["certification_codes"] = distinct(
            indexed(codes, "required_certifications", data.get("required_certifications")))
    if touched(changed, "regions"):
        parts["region_codes"] = distinct(indexed(codes, "regions", data.get("regions")))
    if touched(changed, "title", "description", "capability_codes"):
        text = need_text(data.get("title"), data.get("description"))
        # a need is encoded as a query both for linking and for matching: one model call serves both
        values = (await step.embedder.aencode_queries([text]))[0]
        links = step.linker.link_vector(values, text, NEED_KINDS[data["kind"]], data.get("capability_codes") or [])
        if not links:
            step.unresolved.append(text)
        parts["links"] = [link_row(one) for one in links]
        if touched(changed, "title", "description"):
            parts["embedding"] = vector(values)
    return parts


async def _prepare_post(step: Step, data: dict[str, Any]) -> Plan:
    errors: list[UserError] = []
    data = unit_from_text(step, data, errors)
    refuse_if(errors + check_need(data, today()))
    parts = await _parts(step, data, None)
    need = {**{key: data.get(key) for key in needs.NEED_PROPS}, **parts, "id": new_id("ned"),
            "title": data["title"].strip()}
    enterprise_id = step.viewer.org_id or ""

    async def write(tx: Tx) -> None:
        if not await enterprises.exists(tx, enterprise_id):
            raise Refusal.of(ErrorCode.NOT_FOUND, "the token's enterprise no longer exists")
        await needs.create(tx, enterprise_id, need)
        await write_unverified(tx, "Need", need["id"], parts["unverified"])

    return Plan(need["id"], write, owner_id=enterprise_id)


async def _prepare_update(step: Step, need_id: str, changes: dict[str, Any]) -> Plan:
    viewer = step.viewer
    stored = await step.db.read_tx(lambda tx: needs.current(tx, need_id, viewer))
    require(_access(stored), "need", need_id)
    assert stored is not None
    if stored["status"] != "OPEN":
        raise Refusal.of(ErrorCode.INVALID_STATE, "a closed need cannot change")
    errors: list[UserError] = []
    changes = unit_from_text(step, changes, errors)
    merged = {**stored, **changes}
    if "capability_codes" not in changes:
        merged["capability_codes"] = [link["code"] for link in stored["links"] if link["method"] == "CODE"]
    refuse_if(errors + check_need(merged, today(), changed=set(changes)))
    parts = await _parts(step, merged, set(changes))
    props = {key: changes[key] for key in needs.NEED_PROPS if key in changes}
    if "title" in props:
        props["title"] = props["title"].strip()

    async def write(tx: Tx) -> None:
        again = await needs.current(tx, need_id, viewer)
        require(_access(again), "need", need_id)
        assert again is not None
        if again["status"] != "OPEN":
            raise Refusal.of(ErrorCode.INVALID_STATE, "a closed need cannot change")
        await refusing(lifecycle.check_need_change(tx, need_id, changes, again))  # booked: CAPACITY_BOOKED
        await needs.update(tx, need_id, props, parts.get("embedding"))
        await needs.replace_links(tx, need_id, parts)
        await write_unverified(tx, "Need", need_id, parts["unverified"], replace=parts["replace_unverified"])

    return Plan(need_id, write, owner_id=stored["enterprise_id"])


async def _prepare_close(step: Step, need_id: str) -> Plan:
    viewer = step.viewer

    async def write(tx: Tx) -> None:
        stored = await needs.current(tx, need_id, viewer)
        require(_access(stored), "need", need_id)
        assert stored is not None
        if stored["status"] != "OPEN":
            raise Refusal.of(ErrorCode.INVALID_STATE, "the need is already closed")
        await lifecycle.cancel_for_closed_need(tx, viewer, need_id)  # its deals under way: released
        await needs.set_status(tx, need_id, "CLOSED")

    return Plan(need_id, write)
