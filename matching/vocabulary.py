"""Fixed values that the rules, the graph and the API share, each defined once.

The GraphQL enums of the same name (``api/enums.py``) wrap these classes, so a value added here is
a value the API accepts; the seed data draws from them too.
"""

from __future__ import annotations

from enum import Enum


class Unit(Enum):
    """The unit of a quantity, a monthly volume or an MOQ (seed/data/units.jsonl: the words people type
    for each, e.g. 箱 → CARTON, 个/片/pcs → PIECE; a need and an offer match only in the same unit)."""

    PIECE = "PIECE"
    SET = "SET"
    KG = "KG"
    TONNE = "TONNE"
    METRE = "METRE"
    SQUARE_METRE = "SQUARE_METRE"
    HOUR = "HOUR"
    CARTON = "CARTON"
    ROLL = "ROLL"
    SHEET = "SHEET"


class CertificationStatus(Enum):
    """How far a provider is with a certification; only ACTIVE (and not past ``valid_until``) counts."""

    ACTIVE = "ACTIVE"
    IN_PROGRESS = "IN_PROGRESS"
    EXPIRED = "EXPIRED"


UNITS = tuple(unit.value for unit in Unit)
CERTIFICATION_STATUSES = tuple(status.value for status in CertificationStatus)
