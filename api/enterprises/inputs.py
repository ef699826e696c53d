"""Inputs of enterprises: registration, filters and sorts."""

from __future__ import annotations

import strawberry

from api.enums import EnterpriseSortField, SortDirection
from api.inputs import UNSET, client_mutation_id_field


@strawberry.input
class RegisterEnterpriseInput:
    name: str
    credit_code: str = strawberry.field(description="统一社会信用代码 (18 characters, check digit verified).")
    description: str | None = UNSET
    region: str | None = strawberry.field(default=UNSET, description="Code or name: 510100, 成都市, 成都 …")
    industries: list[str] | None = strawberry.field(default=UNSET, description="Codes or names: C36, 汽车制造 …")
    contact_name: str | None = UNSET
    contact_phone: str | None = UNSET
    contact_email: str | None = UNSET
    client_mutation_id: str | None = client_mutation_id_field()


@strawberry.input
class EnterpriseFilter:
    region: str | None = None
    industry: str | None = None
    text: str | None = None


@strawberry.input
class EnterpriseSort:
    field: EnterpriseSortField = EnterpriseSortField.NAME
    direction: SortDirection = SortDirection.ASC
