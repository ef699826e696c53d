"""``GET /editions/{number}.csv`` and ``.xlsx``: a published 名录 edition as a file, STAFF token only.

A plain HTTP route rather than a GraphQL field, so a browser or ``curl -H "Authorization: Bearer …"``
saves the file as it is. The file is built from the stored entries on each request (an edition
never changes, so every download of it is the same file); building the XLSX runs off the event loop.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.auth import InvalidToken, viewer_for
from graph.repositories import editions
from matching.curation.files import XLSX_MEDIA_TYPE, to_csv, to_xlsx


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def edition_file(request: Request, state: dict[str, Any]) -> Response:
    db = state["services"].db
    try:
        viewer = await viewer_for(db, request.headers.get("authorization"))
    except InvalidToken as exc:
        return _error(401, "UNAUTHENTICATED", str(exc))
    if not viewer.authenticated:
        return _error(401, "UNAUTHENTICATED", "edition downloads need a STAFF token (Authorization: Bearer …)")
    if not viewer.is_staff:
        return _error(403, "FORBIDDEN", f"edition downloads need a STAFF token, not {viewer.role}")
    raw, fmt = request.path_params["number"], request.path_params["format"]
    if fmt not in ("csv", "xlsx") or not raw.isdigit() or len(raw) > 9:
        return _error(404, "NOT_FOUND", "use /editions/<number>.csv or /editions/<number>.xlsx")
    edition = await editions.by_number(db, int(raw))
    if edition is None:
        return _error(404, "NOT_FOUND", f"no edition {raw}")
    entries = await editions.entries(db, edition["number"])
    name = f"gongxu-edition-{edition['number']}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, max-age=3600"}
    if fmt == "csv":
        return Response(to_csv(entries), media_type="text/csv; charset=utf-8", headers=headers)
    metadata = {"number": edition["number"], "title": edition["title"],
                "published_at": edition["published_at"].isoformat(), "published_by": edition["published_by"],
                "category": edition["category"], "region": edition["region"],
                "provider_count": edition["provider_count"]}
    content = await asyncio.to_thread(to_xlsx, entries, metadata)
    return Response(content, media_type=XLSX_MEDIA_TYPE, headers=headers)
