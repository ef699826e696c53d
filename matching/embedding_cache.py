"""A disk cache of passage embeddings, keyed by model and text, for bulk loads.

Loading the sample data encodes ~5,000 texts (about a minute on two cores); the cache makes the
second load — a test session, ``make eval`` after ``make run``, another checkout — take seconds. It
lives in the per-user cache (``~/.cache/gongxu/embeddings``, one SQLite file per model), keyed by
model and text, and is safe to delete.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from graph.config import shared_cache_dir
from matching.embedding import Embedder


def _key(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\x00{text}".encode()).hexdigest()


class EmbeddingCache:
    def __init__(self, embedder: Embedder, path: Path | None = None):
        self.embedder = embedder
        model_id = hashlib.sha256(f"{embedder.name}:{embedder.dimension}".encode()).hexdigest()[:16]
        self.path = path or shared_cache_dir() / "embeddings" / f"{model_id}.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(self.path) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def _encode(self, kind: str, texts: Sequence[str], encode: Callable[[Sequence[str]], np.ndarray],
                batch: int = 256, progress: Callable[[int], None] | None = None) -> np.ndarray:
        keys = [_key(kind, t) for t in texts]
        found: dict[str, np.ndarray] = {}
        with sqlite3.connect(self.path) as conn:
            unique = list(dict.fromkeys(keys))
            for start in range(0, len(unique), 500):
                chunk = unique[start:start + 500]
                rows = conn.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(chunk))})",
                                    chunk).fetchall()
                found.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
            missing = [(k, t) for k, t in dict(zip(keys, texts, strict=True)).items() if k not in found]
            if progress:
                progress(len(unique) - len(missing))  # progress counts distinct texts
            for start in range(0, len(missing), batch):
                chunk = missing[start:start + batch]
                vectors = encode([t for _, t in chunk])
                conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                                 [(k, v.astype(np.float32).tobytes()) for (k, _), v in zip(chunk, vectors,
                                                                                           strict=True)])
                conn.commit()
                found.update({k: v for (k, _), v in zip(chunk, vectors, strict=True)})
                if progress:
                    progress(len(chunk))
        if not keys:
            return np.zeros((0, self.embedder.dimension), dtype=np.float32)
        return np.vstack([found[k] for k in keys])

    def passages(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        return self._encode("passage", texts, self.embedder.encode_passages, progress=progress)

    def queries(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        return self._encode("query", texts, self.embedder.encode_queries, progress=progress)
