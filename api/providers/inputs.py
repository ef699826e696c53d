"""Inputs of the provider directory: registration, profile, capability statements, filters."""

from __future__ import annotations

from datetime import date

import strawberry

from api.enums import CertificationStatus, ProviderKind, ProviderSortField, SortDirection
from api.inputs import UNSET, client_mutation_id_field


@strawberry.input(description="A certification as typed (code, name or alias) and its status.")
class HeldCertificationInput:
    certification: str
    status: CertificationStatus = CertificationStatus.ACTIVE
    valid_until: date | None = None


@strawberry.input(description="A capability in the provider's own words; taxonomy codes are optional.")
class CapabilityStatementInput:
    text: str
    capability_codes: list[str] | None = UNSET


@strawberry.input
class RegisterProviderInput:
    kind: ProviderKind
    name: str
    credit_code: str = strawberry.field(description="统一社会信用代码 (18 characters, check digit verified).")
    description: str | None = UNSET
    website: str | None = UNSET
    region: str | None = UNSET
    industries: list[str] | None = UNSET
    sharing_modes: list[str] | None = strawberry.field(default=UNSET, description="Codes or names: 服务型 …")
    certifications: list[HeldCertificationInput] | None = UNSET
    capabilities: list[CapabilityStatementInput] | None = strawberry.field(
        default=UNSET, description="First capability statements (more with addCapability).")
    contact_name: str | None = UNSET
    contact_phone: str | None = UNSET
    contact_email: str | None = UNSET
    client_mutation_id: str | None = client_mutation_id_field()


@strawberry.input(description="Lists given replace the stored ones; fields left out are unchanged.")
class UpdateProviderInput:
    id: strawberry.ID
    name: str | None = UNSET
    description: str | None = UNSET
    website: str | None = UNSET
    region: str | None = UNSET
    industries: list[str] | None = UNSET
    sharing_modes: list[str] | None = UNSET
    certifications: list[HeldCertificationInput] | None = UNSET
    contact_name: str | None = UNSET
    contact_phone: str | None = UNSET
    contact_email: str | None = UNSET
    client_mutation_id: str | None = client_mutation_id_field()


@strawberry.input(description="A capability statement of the token's provider.")
class AddCapabilityInput:
    text: str
    capability_codes: list[str] | None = strawberry.field(
        default=UNSET, description="Optional taxonomy codes; without them the text is linked automatically.")
    client_mutation_id: str | None = client_mutation_id_field()


@strawberry.input
class RemoveCapabilityInput:
    id: strawberry.ID = strawberry.field(description="The capability statement.")
    client_mutation_id: str | None = client_mutation_id_field()


@strawberry.input(description="All given conditions must hold. Codes or names are accepted.")
class ProviderFilter:
    capability: str | None = strawberry.field(default=None, description="A capability code (or name); "
                                                                        "includes its descendants.")
    region: str | None = strawberry.field(default=None, description="A region or region group; a provider "
                                                                    "located in any region PART_OF it matches.")
    certification: str | None = strawberry.field(default=None, description="Held with status ACTIVE.")
    industry: str | None = None
    kind: ProviderKind | None = None
    text: str | None = strawberry.field(default=None, description="Substring of name, description or a "
                                                                  "capability statement (case-insensitive).")


@strawberry.input
class ProviderSort:
    field: ProviderSortField = ProviderSortField.NAME
    direction: SortDirection = SortDirection.ASC
