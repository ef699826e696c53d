"""Bulk import of providers from JSON Lines: the API's validation and linking, batched, written with the
``graph.repositories.bulk`` writers.

One record per line, the shape of ``registerProvider``'s input (snake_case) plus the provider's offers::

    {"kind": "MANUFACTURER", "name": "…", "credit_code": "…", "region": "成都市",
     "certifications": [{"certification": "IATF16949", "status": "ACTIVE", "valid_until": null}],
     "capabilities": [{"text": "…"}],
     "offers": [{"process_text": "…", "description": "…", "monthly_volume": 20000, "unit": "PIECE",
                 "available_from": "2027-01-01", "available_to": "2027-06-30", "lead_time_days": 10,
                 "moq": 500, "material": "ADC12"}]}

Per batch: every record is checked with ``matching.validation`` (a record with an error is skipped and
reported with its line; the others are imported — accept what people type, per record); regions,
certifications and materials are resolved with one ``known_codes`` round trip plus the linker's
alias resolution, as ``matching.intake`` does; statement and offer texts are embedded as passages, the
whole batch's texts in one ``aencode_passages`` request (model calls of ``BATCH_TEXTS`` texts of alike
length), and linked with those same vectors (``TaxonomyLinker.link_passages``, as the API does: one
encode per text); then three UNWIND transactions.

This lives in benchmarks/ for now (issue 14); a staff mutation can call :func:`import_records` once it
moves next to ``matching.intake``. Credit-code duplicates against the graph are not checked here.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from graph.db import Database
from graph.repositories import bulk, lookups
from matching.texts import offer_text, statement_text
from matching.validation import check_offer, check_organisation, check_statement

PROVIDER_KINDS = {"SERVICE_PROVIDER": "SERVICE", "MANUFACTURER": None}
RESOLVE = {"Region": "resolve_region", "Certification": "resolve_certification", "Material": "resolve_material"}


@dataclass
class ImportReport:
    providers: int = 0
    statements: int = 0
    offers: int = 0
    ids: list[str] = field(default_factory=list)  # of the providers written
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    unresolved: list[str] = field(default_factory=list)
    seconds: float = 0.0
    encode_seconds: float = 0.0
    write_seconds: float = 0.0


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:20]}"


def _errors(record: dict[str, Any]) -> list[str]:
    found = check_organisation(record)
    if record.get("kind") not in PROVIDER_KINDS:
        found = [*found, "kind"]  # type: ignore[list-item]
    for i, statement in enumerate(record.get("capabilities") or []):
        found += check_statement(statement, f"capabilities.{i}.")
    for offer in record.get("offers") or []:
        found += check_offer({**offer, "available_from": _date(offer.get("available_from")),
                              "available_to": _date(offer.get("available_to"))})
    return [getattr(e, "message", str(e)) for e in found]


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


async def _resolve(db: Database, linker: Any, terms: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    known = await lookups.known_codes(db, terms)
    codes = {}
    for label, text in terms:
        code = text if (label, text) in known else getattr(linker, RESOLVE[label])(text).code
        if code:
            codes[(label, text)] = code
    return codes


def _links(links: list[Any]) -> list[dict[str, Any]]:
    return [{"code": link.code, "confidence": link.confidence, "method": link.method} for link in links]


async def import_records(db: Database, embedder: Any, linker: Any, records: Iterable[dict[str, Any]],
                         batch: int = 500) -> ImportReport:
    """Validate, link, embed and write ``records`` in batches of ``batch``; returns counts and timings."""
    report = ImportReport()
    started = time.perf_counter()
    chunk: list[tuple[int, dict[str, Any]]] = []
    for line, record in enumerate(records, 1):
        chunk.append((line, record))
        if len(chunk) >= batch:
            await _import_batch(db, embedder, linker, chunk, report)
            chunk = []
    if chunk:
        await _import_batch(db, embedder, linker, chunk, report)
    report.seconds = time.perf_counter() - started
    return report


async def _import_batch(db: Database, embedder: Any, linker: Any, chunk: list[tuple[int, dict[str, Any]]],
                        report: ImportReport) -> None:
    valid = []
    for line, record in chunk:
        errors = _errors(record)
        if errors:
            report.skipped.append((line, "; ".join(errors)))
        else:
            valid.append(record)
    terms = {("Region", r["region"].strip()) for r in valid if r.get("region")}
    terms |= {("Certification", c["certification"].strip()) for r in valid for c in r.get("certifications") or []}
    terms |= {("Material", o["material"].strip()) for r in valid for o in r.get("offers") or [] if o.get("material")}
    codes = await _resolve(db, linker, sorted(terms))
    report.unresolved += sorted(text for label, text in terms if (label, text) not in codes)
    providers, statements, offers = [], [], []
    for record in valid:
        pid = _new_id("prv")
        region = codes.get(("Region", (record.get("region") or "").strip()))
        providers.append({
            "id": pid, "kind": record["kind"], "name": record["name"].strip(),
            "credit_code": record["credit_code"].strip(), "description": record.get("description"),
            "website": record.get("website"), "contact_name": record.get("contact_name"),
            "contact_phone": record.get("contact_phone"), "contact_email": record.get("contact_email"),
            "rating": None, "created_at": None, "region_code": region, "industry_codes": [], "mode_codes": [],
            "certifications": [{"code": codes[("Certification", c["certification"].strip())],
                                "status": c.get("status") or "ACTIVE", "valid_until": c.get("valid_until")}
                               for c in record.get("certifications") or []
                               if ("Certification", c["certification"].strip()) in codes]})
        for s in record.get("capabilities") or []:
            statements.append({"id": _new_id("cst"), "provider_id": pid, "text": s["text"].strip(),
                               "kind": PROVIDER_KINDS[record["kind"]]})
        if record["kind"] == "MANUFACTURER":
            for o in record.get("offers") or []:
                offers.append({**{k: o.get(k) for k in ("description", "monthly_volume", "unit", "available_from",
                                                        "available_to", "lead_time_days", "moq")},
                               "id": _new_id("off"), "provider_id": pid, "process_text": o["process_text"].strip(),
                               "booked_volume": 0, "status": "PUBLISHED",
                               "material_code": codes.get(("Material", (o.get("material") or "").strip()))})
    t0 = time.perf_counter()
    vectors = await embedder.aencode_passages([statement_text(s["text"]) for s in statements]
                                              + [offer_text(o["process_text"], o["description"]) for o in offers])
    statement_vectors, offer_vectors = vectors[:len(statements)], vectors[len(statements):]
    for s, vector in zip(statements, statement_vectors, strict=True):
        [links] = linker.link_passages([vector], [statement_text(s["text"])], kind=s["kind"])
        s["embedding"], s["links"] = vector.tolist(), _links(links)
        if not s["links"]:
            report.unresolved.append(s["text"])
    offer_links = linker.link_passages(offer_vectors, [o["process_text"] for o in offers], kind="PROCESS")
    for o, vector, links in zip(offers, offer_vectors, offer_links, strict=True):
        o["embedding"], o["links"] = vector.tolist(), _links(links)
    report.encode_seconds += time.perf_counter() - t0
    t0 = time.perf_counter()
    await bulk.upsert_providers(db, providers, fresh=True)
    await bulk.upsert_capability_statements(db, statements, fresh=True)
    await bulk.upsert_capacity_offers(db, offers, fresh=True)
    report.write_seconds += time.perf_counter() - t0
    report.providers += len(providers)
    report.ids += [p["id"] for p in providers]
    report.statements += len(statements)
    report.offers += len(offers)
