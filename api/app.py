"""The HTTP service: GraphQL at /graphql (GraphiQL in development), /healthz and /readyz, and the
名录 edition downloads /editions/{number}.csv|.xlsx and provider-list imports POST /imports/providers
(STAFF token)."""

from __future__ import annotations

import contextlib
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

from api.auth import InvalidToken, viewer_for
from api.config import ApiSettings
from api.context import Context
from api.curation.downloads import edition_file
from api.curation.imports import import_providers
from api.extensions import safe_errors
from api.schema import build_schema
from api.services import Services
from api.web import pages as web_pages
from api.web.vendor import offline_graphiql_html

log = logging.getLogger("gongxu.api")


class GongxuGraphQL(GraphQL):
    """strawberry's ASGI app with gongxu's per-request context (viewer from the API token, fresh loaders).

    Production: no GraphiQL, no introspection, no round-trip report. HTTP batching is off in every mode.
    """

    def __init__(self, app_state: dict[str, Any], settings: ApiSettings):
        super().__init__(build_schema(production=settings.production),
                         graphql_ide=None if settings.production else "graphiql", allow_queries_via_get=False)
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
    """ASGI wrapper: resolves ``Authorization: Bearer`` to a viewer once, before GraphQL runs.

    An unknown, revoked or malformed token is answered with 401 and a GraphQL-shaped body
    (``extensions.code = UNAUTHENTICATED``) instead of being served as anonymous.
    """

    def __init__(self, app: GongxuGraphQL, state: dict[str, Any]):
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        try:
            viewer = await viewer_for(self.state["services"].db, request.headers.get("authorization"))
        except InvalidToken as exc:
            body = {"data": None, "errors": [{"message": str(exc), "extensions": {"code": "UNAUTHENTICATED"}}]}
            response = JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["viewer"] = viewer
        await self.app(scope, receive, send)


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
    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/graphql", Authenticated(graphql_app, state), methods=["GET", "POST"]),
            Route("/editions/{number}.{format}", edition_download, methods=["GET"]),
            Route("/imports/providers", provider_import, methods=["POST"]),
            *web_pages.routes(state),  # /reports (staff pages) and /static (local front-end files)
        ],
        lifespan=lifespan,
    )
    app.state.gongxu = state  # tests reach the running services (e.g. to rebuild the taxonomy linker)
    return app
