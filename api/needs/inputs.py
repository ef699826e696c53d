"""Inputs of needs: post, update, close, filters and sorts."""

from __future__ import annotations

from datetime import date

import strawberry

from api.enums import NeedKind, NeedSortField, NeedStatus, SortDirection, Unit
from api.inputs import MATERIAL_DOC, MATERIALS_DOC, UNIT_TEXT_DOC, UNSET, client_mutation_id_field


@strawberry.input(description="A need of the token's enterprise. Only kind and title are required.")
class PostNeedInput:
    kind: NeedKind
    title: str
    description: str | None = UNSET
    capability_codes: list[str] | None = UNSET
    material: str | None = strawberry.field(default=UNSET, description=MATERIAL_DOC)
    materials: list[str] | None = strawberry.field(default=UNSET, description=MATERIALS_DOC)
    quantity: float | None = UNSET
    unit: Unit | None = UNSET
    unit_text: str | None = strawberry.field(default=UNSET, description=UNIT_TEXT_DOC)
    deadline: date | None = UNSET
    required_certifications: list[str] | None = strawberry.field(
        default=UNSET, description="Codes or names: IATF16949, ISO 9001 …")
    regions: list[str] | None = strawberry.field(
        default=UNSET, description="Providers must be located within one of these (codes or names: 成渝地区 …).")
    budget_min: float | None = UNSET
    budget_max: float | None = UNSET
    client_mutation_id: str | None = client_mutation_id_field()


@strawberry.input(description="Fields left out are unchanged; the kind of a need does not change.")
class UpdateNeedInput:
    id: strawberry.ID
    title: str | None = UNSET
    description: str | None = UNSET
    capability_codes: list[str] | None = UNSET
    material: str | None = strawberry.field(default=UNSET, description=MATERIAL_DOC)
    materials: list[str] | None = strawberry.field(default=UNSET, description=MATERIALS_DOC)
    quantity: float | None = UNSET
    unit: Unit | None = UNSET
    unit_text: str | None = strawberry.field(default=UNSET, description=UNIT_TEXT_DOC)
    deadline: date | None = UNSET
    required_certifications: list[str] | None = UNSET
    regions: list[str] | None = UNSET
    budget_min: float | None = UNSET
    budget_max: float | None = UNSET
    client_mutation_id: str | None = client_mutation_id_field()


@strawberry.input
class CloseNeedInput:
    id: strawberry.ID
    client_mutation_id: str | None = client_mutation_id_field()


@strawberry.input
class NeedFilter:
    kind: NeedKind | None = None
    status: NeedStatus | None = None
    capability: str | None = strawberry.field(default=None, description="Includes descendants.")
    region: str | None = strawberry.field(default=None, description="Needs constrained to this region or a "
                                                                    "region PART_OF it.")
    certification: str | None = None
    text: str | None = None


@strawberry.input
class NeedSort:
    field: NeedSortField = NeedSortField.CREATED
    direction: SortDirection = SortDirection.DESC
