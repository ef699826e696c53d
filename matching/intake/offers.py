"""Capacity offers (共享产能): a manufacturer publishes, changes and withdraws its own offers.

The offer is embedded as a passage (:func:`matching.texts.offer_text`: process and description) and that
vector links the process text to PROCESS capabilities; the materials (``material``: one string, which may
list several; ``materials``: a list) are split and linked to Material nodes — parts naming nothing known
are kept as unverified terms of the offer; a unit may be given as a word (``unit_text``).
"""

from __future__ import annotations

from typing import Any

from graph.db import Tx
from graph.repositories import capacity_offers, providers
from graph.viewer import Viewer
from matching.capability_links import OFFER_KIND
from matching.deals import lifecycle
from matching.freshness import today
from matching.intake.resolution import (
    Unverified,
    check_capability_codes,
    link,
    materials,
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
from matching.texts import offer_text
from matching.validation import ErrorCode, UserError, check_offer

PUBLISH_OFFER = Command("publishCapacityOffer", "PROVIDER", "publishing capacity")
UPDATE_OFFER = Command("updateCapacityOffer", "PROVIDER", "updating capacity")
WITHDRAW_OFFER = Command("withdrawCapacityOffer", "PROVIDER", "withdrawing capacity")

# the fields that decide how much an offer can make (a change to them is checked against its bookings)
CAPACITY_FIELDS = ("monthly_volume", "unit", "available_from", "available_to", "lead_time_days")


async def publish_offer(intake: Intake, viewer: Viewer, data: dict[str, Any],
                        client_mutation_id: str | None = None) -> Outcome:
    """A manufacturer's capacity offer, published at once."""
    return await intake.run(viewer, PUBLISH_OFFER, client_mutation_id, _prepare_publish, data)


async def update_offer(intake: Intake, viewer: Viewer, offer_id: str, changes: dict[str, Any],
                       client_mutation_id: str | None = None) -> Outcome:
    return await intake.run(viewer, UPDATE_OFFER, client_mutation_id, _prepare_update, offer_id, changes)


async def withdraw_offer(intake: Intake, viewer: Viewer, offer_id: str,
                         client_mutation_id: str | None = None) -> Outcome:
    return await intake.run(viewer, WITHDRAW_OFFER, client_mutation_id, _prepare_withdraw, offer_id)


async def _parts(step: Step, data: dict[str, Any], changed: set[str] | None) -> dict[str, Any]:
    """Material links, process links and embedding, for the fields that are new or changed (None: all)."""
    errors: list[UserError] = []
    if touched(changed, "capability_codes") and data.get("capability_codes"):
        await check_capability_codes(step, [("capability_codes", data["capability_codes"])], errors)
    refuse_if(errors)
    parts: dict[str, Any] = {}
    if touched(changed, "material", "materials"):
        parts["unverified"] = []
        parts["material_links"] = await materials(step, data, parts["unverified"])
    if touched(changed, "process_text", "description", "capability_codes"):
        # one model call: the offer's passage vector is stored and links the process too
        values = (await step.embedder.aencode_passages([offer_text(data.get("process_text"),
                                                                    data.get("description"))]))[0]
        if touched(changed, "process_text", "description"):
            parts["embedding"] = vector(values)
        if touched(changed, "process_text", "capability_codes"):
            [parts["links"]] = link(step, [values], [data["process_text"].strip()], OFFER_KIND,
                                    [data.get("capability_codes") or []])
    return parts


async def _prepare_publish(step: Step, data: dict[str, Any]) -> Plan:
    errors: list[UserError] = []
    data = unit_from_text(step, data, errors)
    refuse_if(errors + check_offer(data))
    provider_id = step.viewer.org_id or ""
    kind = await step.db.read_tx(lambda tx: providers.kind_of(tx, provider_id))
    if kind != "MANUFACTURER":
        raise Refusal.of(ErrorCode.FORBIDDEN, "only a manufacturer publishes capacity offers")
    parts = await _parts(step, data, None)
    offer = {**{key: data.get(key) for key in capacity_offers.OFFER_PROPS}, **parts, "id": new_id("off"),
             "process_text": data["process_text"].strip()}
    viewer = step.viewer

    async def write(tx: Tx) -> None:
        require(await providers.access(tx, provider_id, viewer), "provider", provider_id)
        await capacity_offers.create(tx, provider_id, offer)
        await write_unverified(tx, "CapacityOffer", offer["id"], parts["unverified"])

    return Plan(offer["id"], write, owner_id=provider_id)


async def _prepare_update(step: Step, offer_id: str, changes: dict[str, Any]) -> Plan:
    viewer = step.viewer
    access, stored = await step.db.read_tx(lambda tx: capacity_offers.current(tx, offer_id, viewer))
    require(access, "capacity offer", offer_id)
    assert stored is not None
    if stored["status"] != "PUBLISHED":
        raise Refusal.of(ErrorCode.INVALID_STATE, "a withdrawn offer cannot change")
    errors: list[UserError] = []
    changes = unit_from_text(step, changes, errors)
    merged = {**stored, **changes}
    refuse_if(errors + check_offer(merged, changed=set(changes)))
    if "capability_codes" not in changes:
        merged["capability_codes"] = [link["code"] for link in stored["links"] if link["method"] == "CODE"]
    parts = await _parts(step, merged, set(changes))
    props = {key: changes[key] for key in capacity_offers.OFFER_PROPS if key in changes}
    if "process_text" in props:
        props["process_text"] = props["process_text"].strip()

    async def write(tx: Tx) -> None:
        await capacity_offers.lock(tx, offer_id)  # serialises concurrent partial updates of this offer
        again, latest = await capacity_offers.current(tx, offer_id, viewer)
        require(again, "capacity offer", offer_id)
        _recheck(latest, changes)
        if touched(set(changes), *CAPACITY_FIELDS):  # never below what deals booked (matching.deals)
            await refusing(lifecycle.check_offer_cut(tx, offer_id, stored, merged, today()))
        await capacity_offers.update(tx, offer_id, props, parts.get("embedding"))
        if "links" in parts:
            await capacity_offers.replace_process_links(tx, offer_id, parts["links"])
        if "material_links" in parts:
            await capacity_offers.replace_materials(tx, offer_id, parts["material_links"])
            unverified: list[Unverified] = parts["unverified"]
            await write_unverified(tx, "CapacityOffer", offer_id, unverified, replace=("MATERIAL",))

    return Plan(offer_id, write, owner_id=stored["provider_id"])


def _recheck(latest: dict[str, Any] | None, changes: dict[str, Any]) -> None:
    """Inside the write transaction, under the offer's lock: the changes merged with what is stored *now*
    must still be valid (another update may have committed since the plan was prepared — e.g. one
    moved ``available_from``, the other ``available_to``, each valid alone, reversed together)."""
    assert latest is not None
    if latest["status"] != "PUBLISHED":
        raise Refusal.of(ErrorCode.INVALID_STATE, "a withdrawn offer cannot change")
    refuse_if(check_offer({**latest, **changes}, changed=set(changes)))


async def _prepare_withdraw(step: Step, offer_id: str) -> Plan:
    viewer = step.viewer

    async def write(tx: Tx) -> None:
        access, stored = await capacity_offers.current(tx, offer_id, viewer)
        require(access, "capacity offer", offer_id)
        assert stored is not None
        if stored["status"] != "PUBLISHED":
            raise Refusal.of(ErrorCode.INVALID_STATE, "the offer is already withdrawn")
        await lifecycle.cancel_for_withdrawn_offer(tx, viewer, offer_id)  # its deals under way: released
        await capacity_offers.set_status(tx, offer_id, "WITHDRAWN")

    return Plan(offer_id, write)
