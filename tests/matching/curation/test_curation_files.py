"""Reading a provider list: file-level and row-level errors, text cells kept as text."""

from __future__ import annotations

import io
import random

from openpyxl import Workbook

from matching.credit_code import generate
from matching.curation.files import parse_provider_file, to_csv, to_xlsx

GOOD = generate(random.Random(7), "510100")
OTHER = generate(random.Random(8), "510100")


def csv_bytes(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_row_errors_name_row_and_column():
    parsed = parse_provider_file(csv_bytes(
        "kind,name,credit_code,certifications",
        f"MANUFACTURER,好公司,{GOOD},CERT.ISO9001|ACTIVE|2027-01-01",
        "MANUFACTURER,坏代码,91510100XXXXXXXXXX,",
        f"ROBOT,错类型,{OTHER},CERT.ISO9001|ACTIVE|not-a-date",
        f"SERVICE_PROVIDER,重复,{GOOD},",
    ), "list.csv")
    assert not parsed.ok and not parsed.file_errors
    found = {(e.row, e.column, e.code.value) for e in parsed.row_errors}
    assert (3, "credit_code", "INVALID_CREDIT_CODE") in found
    assert (4, "kind", "INVALID") in found
    assert (4, "certifications", "INVALID") in found
    assert (5, "credit_code", "DUPLICATE") in found
    assert not any(e.row == 2 for e in parsed.row_errors)


def test_file_errors():
    assert parse_provider_file(b"", "x.csv").file_errors
    unknown = parse_provider_file(csv_bytes("kind,name,credit_code,salary"), "x.csv")
    assert "salary" in unknown.file_errors[0]
    missing = parse_provider_file(csv_bytes("name"), "x.csv")
    assert any("kind" in e and "credit_code" in e for e in missing.file_errors)
    assert parse_provider_file(b"PK\x03\x04 not a zip", "x.xlsx").file_errors


def test_gb18030_csv_and_formula_looking_values():
    content = b"kind,name,credit_code,contact_phone\r\n" + \
        f"MANUFACTURER,四川精工,{GOOD},'+86 28 8888 0000\r\n".encode("gb18030")
    parsed = parse_provider_file(content, "x.csv")
    assert parsed.ok, parsed.row_errors
    [(_row, data)] = parsed.rows
    assert data["name"] == "四川精工" and data["contact_phone"] == "+86 28 8888 0000"


def test_export_cells_are_text():
    entry = {"name": "=HYPERLINK(\"http://x\")", "credit_code": GOOD, "kind": "MANUFACTURER",
             "contact_phone": "+86 28 8888 0000", "capabilities": ["a", "b"], "certifications": []}
    assert b"'=HYPERLINK" in to_csv([entry])
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(to_xlsx([entry], {"number": 1})))
    sheet = book["名录"]
    row = {h.value: c for h, c in zip(sheet[1], sheet[2], strict=True)}
    assert row["name"].data_type == "s" and row["name"].value.startswith("=")
    assert row["capabilities"].value == "a\nb"


def test_numeric_cells_of_a_hand_made_sheet_become_text():
    book = Workbook()
    sheet = book.active
    sheet.append(["kind", "name", "credit_code", "contact_phone"])
    sheet.append(["MANUFACTURER", "手工表", GOOD, 13800000000])
    out = io.BytesIO()
    book.save(out)
    parsed = parse_provider_file(out.getvalue(), "hand.xlsx")
    assert parsed.ok, parsed.row_errors
    assert parsed.rows[0][1]["contact_phone"] == "13800000000"
