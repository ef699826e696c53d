"""``POST /imports/providers``: a provider list (CSV or XLSX, the layout of an edition's download) as
the raw request body, STAFF token only. Query parameters: ``filename`` (its extension picks the
format; otherwise the bytes do) and ``dryRun=1`` (check every row, write nothing).

A plain HTTP route rather than a GraphQL mutation: a file is bytes, not a GraphQL string (the API's
input bounds cap strings far below a provider list), and ``curl --data-binary @list.xlsx`` is what
staff have at hand. The answer is JSON: ``created`` (global ids, names, listing status), ``listed``,
``applied``, ``rowErrors`` (row 1 = the header; column as in the file) and ``errors`` (the file as a
whole). Any error: nothing was written, HTTP 422.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from strawberry.relay import to_base64

from api.auth import InvalidToken, viewer_for
from graph.repositories import providers
from matching.curation import importing
from matching.curation.files import MAX_FILE_BYTES
from matching.intake import Intake

TYPE_NAMES = {"SERVICE_PROVIDER": "ServiceProvider", "MANUFACTURER": "Manufacturer"}


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"code": code, "message": message}]}, status_code=status)


async def _body(request: Request) -> bytes | None:
    """The body, or None when it is larger than MAX_FILE_BYTES (read no further than that)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_FILE_BYTES:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FILE_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def import_providers(request: Request, state: dict[str, Any]) -> JSONResponse:
    services = state["services"]
    try:
        viewer = await viewer_for(services.db, request.headers.get("authorization"))
    except InvalidToken as exc:
        return _error(401, "UNAUTHENTICATED", str(exc))
    if not viewer.authenticated:
        return _error(401, "UNAUTHENTICATED", "imports need a STAFF token (Authorization: Bearer …)")
    if not viewer.is_staff:
        return _error(403, "FORBIDDEN", f"imports need a STAFF token, not {viewer.role}")
    content = await _body(request)
    if content is None:
        return _error(413, "TOO_LONG", f"the file is larger than {MAX_FILE_BYTES} bytes")
    filename = (request.query_params.get("filename") or "")[:200] or None
    dry_run = request.query_params.get("dryRun", "").lower() in ("1", "true", "yes")
    intake = Intake(services.db, services.embedder, await services.linker())
    report = await importing.import_providers(intake, viewer, content, filename, dry_run=dry_run)
    order = {provider_id: index for index, provider_id in enumerate(report.created)}
    created = sorted(await providers.by_ids(services.db, report.created), key=lambda row: order[row["id"]])
    body = {
        "dryRun": dry_run,
        "created": [{"id": to_base64(TYPE_NAMES[row["kind"]], row["id"]), "name": row.get("name"),
                     "listingStatus": row.get("listing_status")} for row in created],
        "listed": report.listed,
        "applied": report.applied,
        "rowErrors": [{"row": e.row, "column": e.column, "code": e.code.value, "message": e.message}
                      for e in report.row_errors],
        "errors": [{"code": "INVALID", "message": message} for message in report.file_errors],
    }
    failed = bool(report.row_errors or report.file_errors)
    return JSONResponse(body, status_code=422 if failed else 200)
