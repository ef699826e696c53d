"""The API benchmark's reference: a bare Starlette app doing the same Neo4j reads as the GraphQL queries,
with no GraphQL, no auth, no dataloaders — what the same process costs without the API layer.

    NEO4J_URI=bolt://… python -m benchmarks.bare --port 8123

* ``/provider?id=prv_000001`` — ``graph.repositories.providers.by_ids`` (what ``node(id)`` reads);
* ``/providers`` — ``graph.repositories.providers.page`` of 101 by name (``providers(first: 100)`` reads one
  more row to know whether a next page exists);
* ``/matches?need=ned_000001`` — ``graph.repositories.matches.need_with_stored_page`` of 10: the one statement
  ``matches`` sends when nothing changed (the need, its freshness signature and the stored page).
"""

from __future__ import annotations

import argparse
import os
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from graph.db import Database
from graph.repositories import providers
from graph.repositories.paging import PageRequest


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def create_app(uri: str, user: str | None = None, password: str | None = None) -> Starlette:
    state: dict[str, Database] = {}

    @asynccontextmanager
    async def lifespan(_app: Starlette):  # type: ignore[no-untyped-def]
        state["db"] = Database.connect(uri, user, password)
        yield
        await state["db"].close()

    async def provider(request: Request) -> JSONResponse:
        rows = await providers.by_ids(state["db"], [request.query_params["id"]])
        return JSONResponse(_jsonable(rows[0] if rows else None))

    async def provider_page(_request: Request) -> JSONResponse:
        rows = await providers.page(state["db"], {}, PageRequest(sort="NAME", limit=101))
        return JSONResponse(_jsonable(rows))

    async def matches(request: Request) -> JSONResponse:
        from graph.repositories import matches as matches_repo

        row = await matches_repo.need_with_stored_page(state["db"], request.query_params["need"], limit=10)
        return JSONResponse(_jsonable(row["stored_page"] if row else None))

    return Starlette(routes=[Route("/provider", provider), Route("/providers", provider_page),
                             Route("/matches", matches)], lifespan=lifespan)


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = create_app(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
                     os.environ.get("NEO4J_PASSWORD", "gongxu-local"))
    # the same server settings as `gongxu serve` (info log with access lines): only the API layer differs
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="info")


if __name__ == "__main__":
    main()
