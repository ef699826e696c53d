"""GraphQL input types, and turning them into the plain dicts ``matching.intake`` takes.

Inputs accept what people type: regions, certifications, materials, industries and sharing modes
as codes *or* names/aliases ("成都市", "IATF16949", "6061铝"). In update inputs a field left out is
unchanged and a field set to null is cleared.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import Enum
from typing import Any

import strawberry
from strawberry.relay import GlobalID
from strawberry.utils.str_converters import to_camel_case

from api.curation.enums import ListingStatus
from api.enums import (
    CertificationStatus,
    EnterpriseSortField,
    NeedKind,
    NeedSortField,
    NeedStatus,
    ProviderKind,
    ProviderSortField,
    SortDirection,
    Unit,
)

UNSET: Any = strawberry.UNSET



def _cmid() -> Any:
    return strawberry.field(default=None, description="Re-sending a mutation with the same client mutation id "
                                                      "(and token) returns the first result and writes nothing.")


def input_data(value: Any, skip: tuple[str, ...] = ("id", "client_mutation_id")) -> dict[str, Any]:
    """An input object as a dict: UNSET fields left out, enums as their values, nested inputs as dicts."""

    def plain(item: Any) -> Any:
        if isinstance(item, Enum):
            return item.value
        if isinstance(item, list):
            return [plain(x) for x in item]
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            return input_data(item, skip=())
        return item

    return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)
            if f.name not in skip and getattr(value, f.name) is not UNSET}


def graphql_path(field: str | None) -> str | None:
    """``certifications.0.valid_until`` → ``certifications.0.validUntil`` (the names clients send)."""
    if field is None:
        return None
    return ".".join(part if part.isdigit() else to_camel_case(part) for part in field.split("."))


def node_key(value: str, type_names: tuple[str, ...], prefix: str) -> str | None:
    """The stored id behind a global ID of one of ``type_names`` — or a stored id given as it is."""
    if value.startswith(prefix):
        return value
    try:
        global_id = GlobalID.from_id(value)
    except Exception:  # any malformed id is simply not found
        return None
    return global_id.node_id if global_id.type_name in type_names else None


# ------------------------------------------------------------------------------------ organisations


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
class RegisterEnterpriseInput:
    name: str
    credit_code: str = strawberry.field(description="统一社会信用代码 (18 characters, check digit verified).")
    description: str | None = UNSET
    region: str | None = strawberry.field(default=UNSET, description="Code or name: 510100, 成都市, 成都 …")
    industries: list[str] | None = strawberry.field(default=UNSET, description="Codes or names: C36, 汽车制造 …")
    contact_name: str | None = UNSET
    contact_phone: str | None = UNSET
    contact_email: str | None = UNSET
    client_mutation_id: str | None = _cmid()


@strawberry.input
class RegisterProviderInput:
    kind: ProviderKind = strawberry.field(description="SERVICE_PROVIDER or MANUFACTURER; other types go in `tags`.")
    tags: list[ProviderKind] | None = strawberry.field(
        default=UNSET, description="Further types: PLATFORM_OPERATOR 平台运营商, PRODUCT_SUPPLIER 产品供应商 …")
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
    client_mutation_id: str | None = _cmid()


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
    tags: list[ProviderKind] | None = strawberry.field(default=UNSET, description="Replaces the tags (the primary "
                                                                                  "kind always stays one).")
    client_mutation_id: str | None = _cmid()


@strawberry.input(description="A capability statement of the token's provider.")
class AddCapabilityInput:
    text: str
    capability_codes: list[str] | None = strawberry.field(
        default=UNSET, description="Optional taxonomy codes; without them the text is linked automatically.")
    client_mutation_id: str | None = _cmid()


@strawberry.input
class RemoveCapabilityInput:
    id: strawberry.ID = strawberry.field(description="The capability statement.")
    client_mutation_id: str | None = _cmid()


# ---------------------------------------------------------------------------------- capacity offers


@strawberry.input(description="Capacity of the token's manufacturer.")
class PublishCapacityOfferInput:
    process_text: str = strawberry.field(description="The process as you would say it: 铝合金压铸, CNC加工 …")
    monthly_volume: float
    unit: Unit
    description: str | None = UNSET
    capability_codes: list[str] | None = UNSET
    material: str | None = strawberry.field(default=UNSET, description="Code or name: M.AL.6061, 6061铝 …")
    available_from: date | None = UNSET
    available_to: date | None = UNSET
    lead_time_days: int | None = UNSET
    moq: float | None = UNSET
    client_mutation_id: str | None = _cmid()


@strawberry.input(description="Fields left out are unchanged.")
class UpdateCapacityOfferInput:
    id: strawberry.ID
    process_text: str | None = UNSET
    monthly_volume: float | None = UNSET
    unit: Unit | None = UNSET
    description: str | None = UNSET
    capability_codes: list[str] | None = UNSET
    material: str | None = UNSET
    available_from: date | None = UNSET
    available_to: date | None = UNSET
    lead_time_days: int | None = UNSET
    moq: float | None = UNSET
    client_mutation_id: str | None = _cmid()


@strawberry.input
class WithdrawCapacityOfferInput:
    id: strawberry.ID
    client_mutation_id: str | None = _cmid()


# ---------------------------------------------------------------------------------------- needs


@strawberry.input(description="A need of the token's enterprise. Only kind and title are required.")
class PostNeedInput:
    kind: NeedKind
    title: str
    description: str | None = UNSET
    capability_codes: list[str] | None = UNSET
    material: str | None = UNSET
    quantity: float | None = UNSET
    unit: Unit | None = UNSET
    deadline: date | None = UNSET
    required_certifications: list[str] | None = strawberry.field(
        default=UNSET, description="Codes or names: IATF16949, ISO 9001 …")
    regions: list[str] | None = strawberry.field(
        default=UNSET, description="Providers must be located within one of these (codes or names: 成渝地区 …).")
    budget_min: float | None = UNSET
    budget_max: float | None = UNSET
    require_verified: bool | None = strawberry.field(
        default=UNSET, description="Only certificates staff VERIFIED satisfy requiredCertifications (default: "
                                   "declared ones count, and the explanation says which were only declared).")
    client_mutation_id: str | None = _cmid()


@strawberry.input(description="Fields left out are unchanged; the kind of a need does not change.")
class UpdateNeedInput:
    id: strawberry.ID
    title: str | None = UNSET
    description: str | None = UNSET
    capability_codes: list[str] | None = UNSET
    material: str | None = UNSET
    quantity: float | None = UNSET
    unit: Unit | None = UNSET
    deadline: date | None = UNSET
    required_certifications: list[str] | None = UNSET
    regions: list[str] | None = UNSET
    budget_min: float | None = UNSET
    budget_max: float | None = UNSET
    require_verified: bool | None = strawberry.field(
        default=UNSET, description="Only certificates staff VERIFIED satisfy requiredCertifications (default: "
                                   "declared ones count, and the explanation says which were only declared).")
    client_mutation_id: str | None = _cmid()


@strawberry.input
class CloseNeedInput:
    id: strawberry.ID
    client_mutation_id: str | None = _cmid()


# ------------------------------------------------------------------------------ filters and sorts


@strawberry.input(description="All given conditions must hold. Codes or names are accepted.")
class ProviderFilter:
    capability: str | None = strawberry.field(default=None, description="A capability code (or name); "
                                                                        "includes its descendants.")
    region: str | None = strawberry.field(default=None, description="A region or region group; a provider "
                                                                    "located in any region PART_OF it matches.")
    certification: str | None = strawberry.field(default=None, description="Held with status ACTIVE.")
    industry: str | None = None
    kind: ProviderKind | None = strawberry.field(default=None, description="The primary kind or any tag "
                                                                           "(PLATFORM_OPERATOR …).")
    text: str | None = strawberry.field(default=None, description="Substring of name, description or a "
                                                                  "capability statement (case-insensitive).")
    listing_status: ListingStatus | None = strawberry.field(
        default=None, description="STAFF only: providers in another listing status (others always see LISTED).")


@strawberry.input
class ProviderSort:
    field: ProviderSortField = ProviderSortField.NAME
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class EnterpriseFilter:
    region: str | None = None
    industry: str | None = None
    text: str | None = None


@strawberry.input
class EnterpriseSort:
    field: EnterpriseSortField = EnterpriseSortField.NAME
    direction: SortDirection = SortDirection.ASC


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
