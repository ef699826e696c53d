"""Fixtures of the matching tests: the real reference data (once per session) and a small world."""

from __future__ import annotations

import pytest
from matching_world import World

from graph.db import Database
from matching.embedding_cache import EmbeddingCache
from matching.taxonomy import forget_taxonomy


@pytest.fixture(scope="session")
async def reference_data(db: Database, embedder) -> Database:
    """The shipped taxonomy, regions, certifications and materials (idempotent load)."""
    from seed.loader import load_reference_data

    await load_reference_data(db, embedder, progress=False)
    forget_taxonomy()
    return db


@pytest.fixture(scope="session")
def embedding_cache(embedder) -> EmbeddingCache:
    return EmbeddingCache(embedder)


@pytest.fixture
async def world(reference_data: Database, clean_db: Database, embedding_cache: EmbeddingCache) -> World:
    return await World(clean_db, embedding_cache).build()
