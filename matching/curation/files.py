"""名录 files: an edition as CSV or XLSX, and a provider list (CSV or XLSX) read back as the inputs of
``registerProvider``.

One layout serves both directions, so a published edition imports again unchanged:

* a header row of column names (:data:`IMPORT_COLUMNS`, plus the export-only :data:`EXPORT_ONLY`
  columns an import ignores), then one provider per row;
* lists in one cell are separated by ``;`` (industries, sharing modes, tags, certificates), except
  capability statements: one statement per line of the cell;
* a certificate is ``CODE|STATUS|VALID_UNTIL|VERIFICATION`` (only the code is required; status
  defaults to ACTIVE; the verification part is exported for staff and ignored on import — a verdict
  is given with evidence through ``verifyCertification``, not by a file).

Every cell is text: in XLSX it is written as a string cell (a credit code stays a code, a value
starting with ``=`` is never a formula); in CSV a value starting with ``= + - @`` gets a leading
``'`` (spreadsheet formula injection), which the import strips again. CSV is UTF-8 with a BOM
(Excel opens it as UTF-8); an import also accepts GB18030, which Chinese Excel writes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from matching.capability_links import STATEMENT_KINDS
from matching.curation.policy import check_tags
from matching.validation import (
    MAX_LIST,
    ErrorCode,
    UserError,
    check_organisation,
    check_statement,
)
from matching.vocabulary import CERTIFICATION_STATUSES

IMPORT_COLUMNS = ("kind", "name", "credit_code", "region", "industries", "sharing_modes", "tags",
                  "certifications", "capabilities", "description", "website", "contact_name", "contact_phone",
                  "contact_email")
EXPORT_ONLY = ("provider_id", "region_name", "categories")
EXPORT_COLUMNS = ("provider_id", "name", "credit_code", "kind", "tags", "region", "region_name", "categories",
                  "capabilities", "industries", "sharing_modes", "certifications", "description", "website",
                  "contact_name", "contact_phone", "contact_email")
REQUIRED_COLUMNS = ("kind", "name", "credit_code")
LIST_COLUMNS = ("industries", "sharing_modes", "tags", "categories", "certifications")

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ------------------------------------------------------------------------------------------- export


def certificate_cell(cert: dict[str, Any]) -> str:
    until = cert.get("valid_until")
    until_text = until.isoformat() if isinstance(until, date) else (until or "")
    return "|".join([cert["code"], cert.get("status") or "ACTIVE", until_text, cert.get("verification") or "DECLARED"])


def entry_from_snapshot(row: dict[str, Any]) -> dict[str, Any]:
    """A snapshot row (graph.repositories.editions.listed_snapshot) as a stored edition entry:
    every value a string or a list of strings, as Neo4j properties and file cells need."""
    entry = dict(row)
    entry["certifications"] = [certificate_cell(c) for c in row.get("certifications") or []]
    entry["capabilities"] = [" ".join(str(t).split()) for t in row.get("capabilities") or []]
    return entry


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ("\n" if column == "capabilities" else "; ").join(str(v) for v in value)
    return str(value)


def table(entries: list[dict[str, Any]]) -> list[list[str]]:
    """Header row and one row per entry, all strings."""
    return [list(EXPORT_COLUMNS)] + [[_cell(col, entry.get(col)) for col in EXPORT_COLUMNS] for entry in entries]


def to_csv(entries: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in table(entries):
        writer.writerow([f"'{v}" if v.startswith(_FORMULA_START) else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(entries: list[dict[str, Any]], metadata: dict[str, Any]) -> bytes:
    """Sheet 名录 (the table) and sheet edition (``metadata`` as key/value rows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("名录")

    def text_cells(values: list[str]) -> list[Any]:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, never a formula or a number
            cells.append(cell)
        return cells

    for row in table(entries):
        sheet.append(text_cells(row))
    info = book.create_sheet("edition")
    for key, value in metadata.items():
        info.append(text_cells([str(key), "" if value is None else str(value)]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------------- import


@dataclass
class RowError:
    row: int  # the sheet row, 1 = the header
    column: str | None
    code: ErrorCode
    message: str


@dataclass
class ParsedFile:
    """Provider inputs (``registerProvider`` dicts) with the sheet row each came from, and errors:
    ``file_errors`` (no row could be read) or ``row_errors``. Any error: import nothing."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.row_errors


def _is_xlsx(content: bytes, filename: str | None) -> bool:
    if filename and filename.lower().endswith((".xlsx", ".xlsm")):
        return True
    if filename and filename.lower().endswith(".csv"):
        return False
    return content[:4] == b"PK\x03\x04"


def _read_csv(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ValueError("the file is neither UTF-8 nor GB18030 text")
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()[:10]
    return str(value)


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = []
        for index, values in enumerate(sheet.iter_rows(values_only=True)):
            if index > MAX_ROWS + 1:
                break
            rows.append([_text(v) for v in values])
        return rows
    finally:
        book.close()


def _unquote(value: str) -> str:
    value = value.strip()
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _certificate(text: str, row: int, column: str, errors: list[RowError]) -> dict[str, Any]:
    parts = [p.strip() for p in text.split("|")]
    held: dict[str, Any] = {"certification": parts[0], "status": (parts[1] if len(parts) > 1 and parts[1] else
                                                                  "ACTIVE").upper()}
    if len(parts) > 2 and parts[2]:
        try:
            held["valid_until"] = date.fromisoformat(parts[2])
        except ValueError:
            errors.append(RowError(row, column, ErrorCode.INVALID, f"{parts[2]!r} is not a date (YYYY-MM-DD)"))
    return held


def _provider_input(cells: dict[str, str], row: int, errors: list[RowError]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column in ("kind", "name", "credit_code", "region", "description", "website", "contact_name",
                   "contact_phone", "contact_email"):
        if cells.get(column):
            data[column] = cells[column]
    data["kind"] = (data.get("kind") or "").upper()
    for column in ("industries", "sharing_modes", "tags"):
        if cells.get(column):
            data[column] = _split(cells[column])
    if cells.get("certifications"):
        data["certifications"] = [_certificate(item, row, "certifications", errors)
                                  for item in _split(cells["certifications"])]
    if cells.get("capabilities"):
        data["capabilities"] = [{"text": line.strip()} for line in cells["capabilities"].splitlines() if line.strip()]
    return data


def parse_provider_file(content: bytes, filename: str | None = None) -> ParsedFile:
    """Read a provider list and run the API's input checks on every row (those that need no database:
    shapes, lengths, credit-code check digit, the same credit code twice in the file). Terms are
    resolved and duplicates against the pool judged by the import command."""
    parsed = ParsedFile()
    if len(content) > MAX_FILE_BYTES:
        parsed.file_errors.append(f"the file has {len(content)} bytes; at most {MAX_FILE_BYTES}")
        return parsed
    try:
        table_rows = _read_xlsx(content) if _is_xlsx(content, filename) else _read_csv(content)
    except (ValueError, KeyError, OSError, zipfile.BadZipFile, csv.Error) as exc:
        parsed.file_errors.append(f"the file cannot be read as {'XLSX' if _is_xlsx(content, filename) else 'CSV'}: "
                                  f"{exc}")
        return parsed
    while table_rows and not any(cell.strip() for cell in table_rows[-1]):
        table_rows.pop()
    if not table_rows:
        parsed.file_errors.append("the file is empty: the first row must name the columns")
        return parsed
    header = [_unquote(h).lower() for h in table_rows[0]]
    unknown = [h for h in header if h and h not in IMPORT_COLUMNS and h not in EXPORT_ONLY]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if unknown:
        parsed.file_errors.append(f"unknown columns: {', '.join(unknown)}; the columns are {', '.join(IMPORT_COLUMNS)}")
    if missing:
        parsed.file_errors.append(f"missing columns: {', '.join(missing)}")
    if len(table_rows) - 1 > MAX_ROWS:
        parsed.file_errors.append(f"the file has {len(table_rows) - 1} rows; at most {MAX_ROWS} per import")
    if parsed.file_errors:
        return parsed
    seen_codes: dict[str, int] = {}
    for number, values in enumerate(table_rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        cells = {h: _unquote(v) for h, v in zip(header, values, strict=False) if h in IMPORT_COLUMNS}
        errors: list[RowError] = []
        data = _provider_input(cells, number, errors)
        for error in _input_errors(data):
            column = error.field.split(".")[0] if error.field else None
            errors.append(RowError(number, column, error.code, error.message))
        code = (data.get("credit_code") or "").strip().upper()
        if code and code in seen_codes:
            errors.append(RowError(number, "credit_code", ErrorCode.DUPLICATE,
                                   f"credit code {code} is also on row {seen_codes[code]}"))
        elif code:
            seen_codes[code] = number
        parsed.row_errors += errors
        parsed.rows.append((number, data))
    if not parsed.rows and not parsed.row_errors:
        parsed.file_errors.append("the file has a header but no providers")
    return parsed


def _input_errors(data: dict[str, Any]) -> list[UserError]:
    """The checks ``registerProvider`` runs before it touches the database."""
    errors = check_organisation(data)
    if data.get("kind") not in STATEMENT_KINDS:
        errors.append(UserError(ErrorCode.INVALID, "kind", f"kind must be one of {', '.join(STATEMENT_KINDS)}"))
    errors += check_tags(data.get("tags"))
    statements = data.get("capabilities") or []
    if len(statements) > MAX_LIST:
        errors.append(UserError(ErrorCode.TOO_LONG, "capabilities", f"at most {MAX_LIST} capability statements"))
    for index, statement in enumerate(statements[:MAX_LIST]):
        errors += check_statement(statement, f"capabilities.{index}.")
    for index, held in enumerate(data.get("certifications") or []):
        if held.get("status") not in CERTIFICATION_STATUSES:
            errors.append(UserError(ErrorCode.INVALID, f"certifications.{index}.status",
                                    f"status must be one of {', '.join(CERTIFICATION_STATUSES)}"))
    return errors
