"""Fixtures for the API tests: the real reference data, a clean graph, and a GraphQL client over HTTP.

Everything goes through the running app (``live_server``) with the real ``gql`` client; nothing is
faked.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from apiclient import Api


@pytest.fixture(scope="session")
async def reference_data(db, embedder, live_server) -> None:
    """The shipped reference data (taxonomy, regions, certifications …), loaded once per session."""
    from seed.loader import load_reference_data

    await load_reference_data(db, embedder, progress=False)
    services = live_server.server.config.app.state.gongxu["services"]
    services.forget_linker()  # the app may have built one from an earlier, different taxonomy


@pytest.fixture
async def api(clean_db, reference_data, live_server) -> AsyncIterator[Api]:
    """A client against the live app, on a graph holding reference data and no organisations."""
    client = Api(live_server.url)
    yield client
    await client.close()


@pytest.fixture
async def staff_token(api, db) -> str:
    """A STAFF token, stored as `gongxu token create --role STAFF` stores it."""
    from graph.repositories import tokens

    issued = tokens.issue()
    await tokens.create_standalone(db, issued.id, issued.hash, "STAFF", "gongxu-ops")
    return issued.secret
