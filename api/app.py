"""The HTTP service: GraphQL at /graphql (GraphiQL in development), /healthz and /readyz."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL

from api.config import ApiSettings
from api.context import Context
from api.schema import schema
from api.services import Services

log = logging.getLogger("gongxu.api")


class GongxuGraphQL(GraphQL):
    """strawberry's ASGI app with gongxu's per-request context."""

    def __init__(self, app_state: dict[str, Any], settings: ApiSettings):
        super().__init__(schema, graphql_ide=None if settings.production else "graphiql",
                         allow_queries_via_get=False)
        self._state = app_state

    async def get_context(self, request: Any, response: Any = None) -> Context:
        return Context(services=self._state["services"], request=request, response=response)


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

    graphql_app = GongxuGraphQL(state, settings)
    return Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/graphql", graphql_app, methods=["GET", "POST"]),
        ],
        lifespan=lifespan,
    )
