"""The HTTP service: GraphQL at /graphql (GraphiQL in development), /healthz and /readyz, and the
名录 edition downloads GET /editions/{number}.csv|.xlsx and provider-list imports POST
/imports/providers (STAFF token; api/curation).

The HTTP layer bounds each request before GraphQL sees it (``BoundedBody``: at most ``MAX_BODY``
bytes, else 413 without parsing; JSON nested too deep is a 400) and speaks GraphQL over HTTP
(``Negotiated``): a client that accepts ``application/graphql-response+json`` gets that media type,
a 4xx status when the request never executed (parse, validation, refused input) and no ``data`` key
then; a client that asks for ``application/json`` (or anything else) keeps the classic answer: 200
with ``data: null``. Either way an error code in ``api.errors.HTTP_STATUS`` sets the status (429
RATE_LIMITED, 503 SERVICE_UNAVAILABLE / BUSY). GET is off by design: every operation is a POST, so
no query or mutation can be triggered by a link, an image or a cached URL.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from api.auth import InvalidToken, ViewerCache, viewer_for
from api.config import ApiSettings
from api.context import Context
from api.curation.downloads import edition_file
from api.curation.imports import import_providers
from api.errors import HTTP_STATUS, PAYLOAD_TOO_LARGE, SERVICE_UNAVAILABLE
from api.extensions import safe_errors
from api.hardening import InputBounds, MatchingBudget, RateCounter, rate_limiter
from api.schema import build_schema
from api.services import Services
from api.web import pages as web_pages
from api.web.vendor import offline_graphiql_html
from graph.db import GraphUnavailable

log = logging.getLogger("gongxu.api")


class GongxuGraphQL(GraphQL):
    """strawberry's ASGI app with gongxu's per-request context (viewer from the API token, fresh loaders).

    Production: no GraphiQL, no introspection, no round-trip report. HTTP batching is off in every mode.
    """

    def __init__(self, app_state: dict[str, Any], settings: ApiSettings):
        schema = build_schema(production=settings.production)
        # input bounds first (before the complexity estimate reads the variables), then the budgets
        counter = RateCounter(settings.rate_limits)
        extensions = list(schema.extensions)
        schema.extensions = (*extensions[:1], InputBounds, MatchingBudget, rate_limiter(counter), *extensions[1:])
        super().__init__(schema, graphql_ide=None if settings.production else "graphiql", allow_queries_via_get=False)
        self._state = app_state

    @property
    def graphql_ide_html(self) -> str:
        """strawberry's GraphiQL page with its files served from /static (api/web/vendor.py), not unpkg."""
        return offline_graphiql_html(super().graphql_ide_html)

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        if result.errors:
            result.errors = safe_errors(result.errors)
        return await super().process_result(request, result)

    async def get_context(self, request: Any, response: Any = None) -> Context:
        return Context(services=self._state["services"], request=request, response=response,
                       viewer=request.scope["state"]["viewer"])


class Authenticated:
    """ASGI wrapper: resolves ``Authorization: Bearer`` to a viewer once, before GraphQL runs (an active token
    is remembered for ``GONGXU_TOKEN_CACHE_S`` seconds, see api/auth.py).

    An unknown, revoked or malformed token is answered with 401 and a GraphQL-shaped body
    (``extensions.code = UNAUTHENTICATED``) instead of being served as anonymous.
    """

    def __init__(self, app: GongxuGraphQL, state: dict[str, Any], cache: ViewerCache | None = None):
        self.app = app
        self.state = state
        self.cache = cache  # active tokens remembered for a few seconds (api/auth.py)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        try:
            viewer = await viewer_for(self.state["services"].db, request.headers.get("authorization"), self.cache)
        except InvalidToken as exc:
            body = {"data": None, "errors": [{"message": str(exc), "extensions": {"code": "UNAUTHENTICATED"}}]}
            response = JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})
            await response(scope, receive, send)
            return
        except GraphUnavailable:
            await error_response(503, SERVICE_UNAVAILABLE, "the database is unavailable; try again in a moment",
                                 {"Retry-After": "5"})(scope, receive, send)
            return
        scope.setdefault("state", {})["viewer"] = viewer
        await self.app(scope, receive, send)


MAX_BODY = 1_000_000  # bytes of one request body
MAX_JSON_NESTING = 64
RESPONSE_MEDIA = "application/graphql-response+json"
PRE_EXECUTION_CODES = frozenset({"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT",
                                 "QUERY_TOO_COMPLEX", "RATE_LIMITED", "PAYLOAD_TOO_LARGE", "BUSY",
                                 "SERVICE_UNAVAILABLE"})


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status,
                        headers=headers)


def _nesting(body: bytes) -> int:
    """How deep ``[``/``{`` nest in a JSON text (strings skipped): checked before ``json.loads``."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_NESTING:
                    return deepest
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


class BoundedBody:
    """Reads at most MAX_BODY bytes of a POST (Content-Length checked first), then replays the body.

    Too large: 413 PAYLOAD_TOO_LARGE, and the rest of the stream is never read into memory. JSON
    nested deeper than MAX_JSON_NESTING: 400 BAD_USER_INPUT before any parser recurses into it.
    """

    def __init__(self, app: Any, limit: int = MAX_BODY):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        too_large = error_response(413, PAYLOAD_TOO_LARGE, f"the request body is larger than {self.limit} bytes")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if b"json" in headers.get(b"content-type", b"") and _nesting(body) > MAX_JSON_NESTING:
            await error_response(400, "BAD_USER_INPUT", f"JSON nested more than {MAX_JSON_NESTING} levels deep")(
                scope, receive, send)
            return
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _accepts_graphql_response(scope: Scope) -> bool:
    accept = dict(scope["headers"]).get(b"accept", b"").decode("latin-1").lower()
    ranked = [part.split(";")[0].strip() for part in accept.split(",")]
    if RESPONSE_MEDIA not in ranked:
        return False
    # a client listing application/json before the new media type keeps application/json
    return "application/json" not in ranked or ranked.index(RESPONSE_MEDIA) < ranked.index("application/json")


class Negotiated:
    """GraphQL over HTTP: media type and status of a JSON answer (see the module docstring)."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            else:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._answer(scope, start, b"".join(chunks), send)

        await self.app(scope, receive, capture)

    async def _answer(self, scope: Scope, start: dict[str, Any], body: bytes, send: Send) -> None:
        status = start["status"]
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length",
                                                                                  b"content-type")]
        content_type = dict(start.get("headers", [])).get(b"content-type", b"application/json")
        modern = _accepts_graphql_response(scope)
        try:  # only an answer with errors is re-read (a large page without any is passed on as it is)
            payload = json.loads(body) if b"json" in content_type and b'"errors"' in body else None
        except ValueError:
            payload = None
        if isinstance(payload, dict) and "errors" in payload:
            codes = [(e.get("extensions") or {}).get("code") for e in payload["errors"] if isinstance(e, dict)]
            executed = payload.get("data") is not None or any(
                isinstance(e, dict) and e.get("path") for e in payload["errors"])
            if not executed and codes and all(code in PRE_EXECUTION_CODES for code in codes):
                if modern:
                    payload.pop("data", None)
                    status = 400 if status == 200 else status
                mapped = HTTP_STATUS.get(codes[0])
                if mapped:
                    status = mapped
                    if mapped in (429, 503):
                        headers.append((b"retry-after", str(_retry_after(payload)).encode()))
                body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
            elif payload.get("data") is None and SERVICE_UNAVAILABLE in codes:
                status = 503
                headers.append((b"retry-after", b"5"))
        if modern and b"json" in content_type:
            content_type = f"{RESPONSE_MEDIA}; charset=utf-8".encode()
        headers += [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _retry_after(payload: dict[str, Any]) -> int:
    for error in payload.get("errors", []):
        value = (error.get("extensions") or {}).get("retryAfter")
        if isinstance(value, int):
            return max(value, 1)
    return 5


def create_app(settings: ApiSettings | None = None, services: Services | None = None) -> Starlette:
    """The ASGI app. With ``services`` given (tests), it uses them; otherwise it starts its own."""
    settings = settings or ApiSettings.from_env()
    state: dict[str, Any] = {"services": services}

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        owned = state["services"] is None
        if owned:
            state["services"] = await Services.start()
        try:
            yield
        finally:
            if owned:
                await state["services"].close()

    async def healthz(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(_request: Request) -> JSONResponse:
        current = state["services"]
        checks = await current.readiness() if current else {"neo4j": False, "migrations": False, "model": False}
        ready = all(checks.values())
        return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks},
                            status_code=200 if ready else 503)

    async def edition_download(request: Request) -> Response:
        return await edition_file(request, state)

    async def provider_import(request: Request) -> Response:
        return await import_providers(request, state)

    graphql_app = GongxuGraphQL(state, settings)
    graphql = BoundedBody(Negotiated(Authenticated(graphql_app, state, ViewerCache(settings.token_cache_s))))
    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/editions/{number}.{format}", edition_download, methods=["GET"]),
            Route("/imports/providers", provider_import, methods=["POST"]),
            *web_pages.routes(state),  # /reports (staff pages) and /static (local front-end files)
        ],
        lifespan=lifespan,
    )
    app.state.gongxu = state  # tests reach the running services (e.g. to rebuild the taxonomy linker)
    return app
