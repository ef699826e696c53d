"""The rules every write obeys, as plain functions that return :class:`UserError` lists.

They know nothing of GraphQL or Neo4j: ``field`` is the snake_case path of the offending input
(``credit_code``, ``certifications.1.valid_until``); the API turns it into the camelCase path its
clients sent. A write with any error writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from matching.credit_code import is_valid as credit_code_is_valid


class ErrorCode(Enum):
    """Why an input was refused. Stable: clients switch on these."""

    REQUIRED = "REQUIRED"  # missing or blank
    TOO_LONG = "TOO_LONG"
    INVALID = "INVALID"  # malformed (e-mail, URL, phone, id)
    INVALID_CREDIT_CODE = "INVALID_CREDIT_CODE"  # 统一社会信用代码 shape or check digit
    NOT_POSITIVE = "NOT_POSITIVE"
    NEGATIVE = "NEGATIVE"
    DEADLINE_IN_PAST = "DEADLINE_IN_PAST"
    WINDOW_REVERSED = "WINDOW_REVERSED"  # a date window whose start is after its end
    RANGE_REVERSED = "RANGE_REVERSED"  # a numeric range whose minimum is above its maximum
    UNKNOWN_CODE = "UNKNOWN_CODE"  # a taxonomy / reference code that does not exist
    UNRESOLVED = "UNRESOLVED"  # text that names no known region, certification, material …
    NOT_FOUND = "NOT_FOUND"  # no such object, or one the caller may not see
    FORBIDDEN = "FORBIDDEN"  # the caller may see the object (or act) but not change it this way
    UNAUTHENTICATED = "UNAUTHENTICATED"  # the mutation needs an API token
    DUPLICATE = "DUPLICATE"  # e.g. an organisation with this credit code is already registered
    INVALID_STATE = "INVALID_STATE"  # e.g. changing a closed need or a withdrawn offer
    CAPACITY_EXHAUSTED = "CAPACITY_EXHAUSTED"  # accepting a match the offer can no longer deliver
    CAPACITY_BOOKED = "CAPACITY_BOOKED"  # the change would cut under capacity booked by a deal


@dataclass(frozen=True)
class UserError:
    code: ErrorCode
    field: str | None
    message: str


# Maximum lengths, in characters.
MAX_NAME = 200
MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_STATEMENT = 2000
MAX_PROCESS_TEXT = 500
MAX_CONTACT_NAME = 100
MAX_PHONE = 40
MAX_EMAIL = 200
MAX_WEBSITE = 500
MAX_TERM = 100  # a region, certification, unit word … as typed
MAX_MATERIAL_TEXT = 500  # one material input: a single name or a whole line listing several
MAX_LIST = 50  # items in one list input
MAX_CLIENT_MUTATION_ID = 200

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{4,38}$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class Checker:
    """Collects errors over one input; each check returns whether it passed."""

    def __init__(self) -> None:
        self.errors: list[UserError] = []

    def fail(self, code: ErrorCode, field: str | None, message: str) -> bool:
        self.errors.append(UserError(code, field, message))
        return False

    def required(self, field: str, value: Any) -> bool:
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.fail(ErrorCode.REQUIRED, field, f"{field} is required")
        return True

    def length(self, field: str, value: str | None, maximum: int) -> bool:
        if value is not None and len(value) > maximum:
            return self.fail(ErrorCode.TOO_LONG, field, f"{field} has {len(value)} characters; at most {maximum}")
        return True

    def text(self, field: str, value: str | None, maximum: int, required: bool = False) -> bool:
        if required and not self.required(field, value):
            return False
        return self.length(field, value, maximum)

    def credit_code(self, field: str, value: str | None) -> bool:
        if not self.required(field, value):
            return False
        if not credit_code_is_valid(value):
            return self.fail(ErrorCode.INVALID_CREDIT_CODE, field,
                             f"{value!r} is not a valid 统一社会信用代码 (18 characters, GB 32100 check digit)")
        return True

    def email(self, field: str, value: str | None) -> bool:
        if value is None or value == "":
            return True
        if not self.length(field, value, MAX_EMAIL):
            return False
        if not _EMAIL.match(value):
            return self.fail(ErrorCode.INVALID, field, f"{value!r} is not an e-mail address")
        return True

    def phone(self, field: str, value: str | None) -> bool:
        if value is None or value == "":
            return True
        if not self.length(field, value, MAX_PHONE):
            return False
        if not _PHONE.match(value):
            return self.fail(ErrorCode.INVALID, field, f"{value!r} is not a telephone number")
        return True

    def url(self, field: str, value: str | None) -> bool:
        if value is None or value == "":
            return True
        if not self.length(field, value, MAX_WEBSITE):
            return False
        if not _URL.match(value):
            return self.fail(ErrorCode.INVALID, field, f"{value!r} is not an http(s) URL")
        return True

    def positive(self, field: str, value: float | None) -> bool:
        if value is not None and not value > 0:
            return self.fail(ErrorCode.NOT_POSITIVE, field, f"{field} must be greater than 0, got {value}")
        return True

    def not_negative(self, field: str, value: float | None) -> bool:
        if value is not None and value < 0:
            return self.fail(ErrorCode.NEGATIVE, field, f"{field} must be 0 or more, got {value}")
        return True

    def future(self, field: str, value: date | None, today: date) -> bool:
        if value is not None and value <= today:
            return self.fail(ErrorCode.DEADLINE_IN_PAST, field,
                             f"{field} {value.isoformat()} is not after today ({today.isoformat()})")
        return True

    def window(self, field_from: str, start: date | None, field_to: str, end: date | None) -> bool:
        if start is not None and end is not None and start > end:
            return self.fail(ErrorCode.WINDOW_REVERSED, field_to,
                             f"{field_from} {start.isoformat()} is after {field_to} {end.isoformat()}")
        return True

    def range(self, field_min: str, low: float | None, field_max: str, high: float | None) -> bool:
        if low is not None and high is not None and low > high:
            return self.fail(ErrorCode.RANGE_REVERSED, field_max, f"{field_min} {low} is above {field_max} {high}")
        return True

    def terms(self, field: str, values: Iterable[str] | None, maximum: int = MAX_TERM) -> bool:
        """A list of short typed terms (certifications, industries …): each non-blank and short."""
        ok = True
        items = list(values or [])
        if len(items) > MAX_LIST:
            return self.fail(ErrorCode.TOO_LONG, field, f"{field} has {len(items)} items; at most {MAX_LIST}")
        for index, value in enumerate(items):
            ok = self.text(f"{field}.{index}", value, maximum, required=True) and ok
        return ok


# ------------------------------------------------------------------------------------ per object


def check_organisation(data: dict[str, Any], partial: bool = False) -> list[UserError]:
    """Enterprise or provider profile. ``partial``: only the keys present are checked (an update)."""
    check = Checker()
    if not partial or "name" in data:
        check.text("name", data.get("name"), MAX_NAME, required=True)
    if not partial or "credit_code" in data:
        check.credit_code("credit_code", data.get("credit_code"))
    check.length("description", data.get("description"), MAX_DESCRIPTION)
    check.length("contact_name", data.get("contact_name"), MAX_CONTACT_NAME)
    check.phone("contact_phone", data.get("contact_phone"))
    check.email("contact_email", data.get("contact_email"))
    check.url("website", data.get("website"))
    check.text("region", data.get("region"), MAX_TERM)
    check.terms("industries", data.get("industries"))
    check.terms("sharing_modes", data.get("sharing_modes"))
    for index, held in enumerate(data.get("certifications") or []):
        check.text(f"certifications.{index}.certification", held.get("certification"), MAX_TERM, required=True)
    if len(data.get("certifications") or []) > MAX_LIST:
        check.fail(ErrorCode.TOO_LONG, "certifications", f"at most {MAX_LIST} certifications")
    return check.errors


def check_statement(data: dict[str, Any], field: str = "") -> list[UserError]:
    check = Checker()
    check.text(f"{field}text", data.get("text"), MAX_STATEMENT, required=True)
    check.terms(f"{field}capability_codes", data.get("capability_codes"))
    return check.errors


def _touched(changed: set[str] | None, key: str) -> bool:
    return changed is None or key in changed


def check_offer(data: dict[str, Any], changed: set[str] | None = None) -> list[UserError]:
    """A capacity offer. For an update ``data`` is the stored offer merged with the changes and
    ``changed`` names the changed keys: required fields are checked only when changed."""
    check = Checker()
    if _touched(changed, "process_text"):
        check.text("process_text", data.get("process_text"), MAX_PROCESS_TEXT, required=True)
    check.length("description", data.get("description"), MAX_DESCRIPTION)
    check.terms("capability_codes", data.get("capability_codes"))
    check.text("material", data.get("material"), MAX_MATERIAL_TEXT)
    check.terms("materials", data.get("materials"), MAX_MATERIAL_TEXT)
    check.text("unit_text", data.get("unit_text"), MAX_TERM)
    if _touched(changed, "monthly_volume") and check.required("monthly_volume", data.get("monthly_volume")):
        check.positive("monthly_volume", data.get("monthly_volume"))
    if _touched(changed, "unit") and data.get("unit_text") is None:
        check.required("unit", data.get("unit"))
    check.positive("moq", data.get("moq"))
    check.not_negative("lead_time_days", data.get("lead_time_days"))
    check.window("available_from", data.get("available_from"), "available_to", data.get("available_to"))
    return check.errors


def check_need(data: dict[str, Any], today: date, changed: set[str] | None = None) -> list[UserError]:
    """A need. For an update ``data`` is the stored need merged with the changes and ``changed``
    names the changed keys: a deadline that has passed since it was set is not an error until changed."""
    check = Checker()
    if _touched(changed, "title"):
        check.text("title", data.get("title"), MAX_TITLE, required=True)
    check.length("description", data.get("description"), MAX_DESCRIPTION)
    check.terms("capability_codes", data.get("capability_codes"))
    check.text("material", data.get("material"), MAX_MATERIAL_TEXT)
    check.terms("materials", data.get("materials"), MAX_MATERIAL_TEXT)
    check.text("unit_text", data.get("unit_text"), MAX_TERM)
    check.terms("required_certifications", data.get("required_certifications"))
    check.terms("regions", data.get("regions"))
    check.positive("quantity", data.get("quantity"))
    if data.get("quantity") is not None and data.get("unit") is None and data.get("unit_text") is None:
        check.fail(ErrorCode.REQUIRED, "unit", "a quantity needs its unit")
    if _touched(changed, "deadline"):
        check.future("deadline", data.get("deadline"), today)
    check.not_negative("budget_min", data.get("budget_min"))
    check.not_negative("budget_max", data.get("budget_max"))
    check.range("budget_min", data.get("budget_min"), "budget_max", data.get("budget_max"))
    return check.errors


def check_client_mutation_id(value: str | None) -> list[UserError]:
    check = Checker()
    check.length("client_mutation_id", value, MAX_CLIENT_MUTATION_ID)
    return check.errors
