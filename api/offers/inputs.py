"""Inputs of capacity offers (共享产能)."""

from __future__ import annotations

from datetime import date

import strawberry

from api.enums import Unit
from api.inputs import MATERIAL_DOC, MATERIALS_DOC, UNIT_TEXT_DOC, UNSET, client_mutation_id_field


@strawberry.input(description="Capacity of the token's manufacturer.")
class PublishCapacityOfferInput:
    process_text: str = strawberry.field(description="The process as you would say it: 铝合金压铸, CNC加工 …")
    monthly_volume: float
    unit: Unit | None = strawberry.field(default=UNSET, description="Required unless `unitText` is given.")
    unit_text: str | None = strawberry.field(default=UNSET, description=UNIT_TEXT_DOC)
    description: str | None = UNSET
    capability_codes: list[str] | None = UNSET
    material: str | None = strawberry.field(default=UNSET, description=MATERIAL_DOC)
    materials: list[str] | None = strawberry.field(default=UNSET, description=MATERIALS_DOC)
    available_from: date | None = UNSET
    available_to: date | None = UNSET
    lead_time_days: int | None = UNSET
    moq: float | None = UNSET
    client_mutation_id: str | None = client_mutation_id_field()


@strawberry.input(description="Fields left out are unchanged.")
class UpdateCapacityOfferInput:
    id: strawberry.ID
    process_text: str | None = UNSET
    monthly_volume: float | None = UNSET
    unit: Unit | None = UNSET
    unit_text: str | None = strawberry.field(default=UNSET, description=UNIT_TEXT_DOC)
    description: str | None = UNSET
    capability_codes: list[str] | None = UNSET
    material: str | None = strawberry.field(default=UNSET, description=MATERIAL_DOC)
    materials: list[str] | None = strawberry.field(default=UNSET, description=MATERIALS_DOC)
    available_from: date | None = UNSET
    available_to: date | None = UNSET
    lead_time_days: int | None = UNSET
    moq: float | None = UNSET
    client_mutation_id: str | None = client_mutation_id_field()


@strawberry.input
class WithdrawCapacityOfferInput:
    id: strawberry.ID
    client_mutation_id: str | None = client_mutation_id_field()
