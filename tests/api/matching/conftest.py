"""Fixtures of the matching API tests: the matching tests' small world (tests/matching/matching_world.py)
on the API tests' graph (reference data loaded through the live app's fixture)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "matching"))  # the engine tests' world builder

from matching_world import World

from graph.db import Database
from matching.embedding_cache import EmbeddingCache
from matching.taxonomy import forget_taxonomy


@pytest.fixture(scope="session")
def embedding_cache(embedder) -> EmbeddingCache:
    return EmbeddingCache(embedder)


@pytest.fixture
async def world(reference_data: None, clean_db: Database, embedding_cache: EmbeddingCache) -> World:
    forget_taxonomy()  # the reference data may have been (re)loaded by another test module
    return await World(clean_db, embedding_cache).build()
