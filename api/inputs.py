"""What every input does: plain dicts for ``matching.intake``, GraphQL paths of errors, node ids.

The input types live with their domain (``api/providers/inputs.py`` …). They accept what people
type: regions, certifications, materials, industries and sharing modes as codes *or* names/aliases
("成都市", "IATF16949", "6061铝"). In update inputs a field left out is unchanged and a field set to
null is cleared.
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

import strawberry
from strawberry.relay import GlobalID
from strawberry.utils.str_converters import to_camel_case

UNSET: Any = strawberry.UNSET

# Descriptions shared by the offer and need inputs (what people type for materials and units).
MATERIAL_DOC = "One material (code or name) or a whole line listing several; see `materials`."
MATERIALS_DOC = ("Materials as you would list them: codes, names or whole lines such as "
                 "\"白钢（304不锈钢、316L不锈钢）；6061铝\"; each is split and linked (see `materials` on the result); "
                 "parts naming nothing known are kept and listed in `unresolved`.")
UNIT_TEXT_DOC = ("The unit as a word (件, 个, pcs, 箱, 卷, 张, 吨, 台, 米 …), instead of `unit`; a word naming no "
                 "unit is refused (UNRESOLVED) with the known units.")


def client_mutation_id_field() -> Any:
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
