"""The two baselines the service is compared with, and the provider corpus they rank.

* **BM25 (jieba)** — Okapi BM25 (``rank-bm25``, default k1 = 1.5, b = 0.75) over one document per provider:
  name, description, every capability statement and every capacity offer (process text and description),
  cut by jieba's search mode (words and their sub-words, so 数控加工中心 also yields 数控, 加工, 中心), lower-cased,
  punctuation dropped. The query is the need's title and description.
* **Embedding cosine** — the need's query vector (e5 ``query:`` prompt) against every statement and offer
  passage vector; a provider scores its best passage.

Neither applies a hard constraint: they show what text similarity alone does, including how often it puts
a provider that cannot serve the need into the top 10. Ties rank by provider id, so results are stable.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from matching.texts import offer_text, statement_text

__all__ = ["BM25Baseline", "Corpus", "EmbeddingBaseline", "ProviderDoc", "corpus_from_rows", "corpus_from_sample",
           "tokenize"]

_WORD = re.compile(r"[0-9a-z\u3400-\u9fff]")


def _jieba():  # imported lazily: building jieba's prefix dictionary takes a second
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def tokenize(text: str) -> list[str]:
    """jieba search-mode tokens of ``text``, lower-cased, without whitespace and punctuation."""
    return [t for t in _jieba().lcut_for_search(text.lower()) if _WORD.search(t)]


@dataclass(frozen=True, slots=True)
class ProviderDoc:
    id: str
    text: str  # name, description, statements, offers: what BM25 indexes
    passages: tuple[str, ...]  # statement texts and offer passages, in the order of the corpus vectors


@dataclass
class Corpus:
    """Providers with their text and one vector per statement/offer passage (``owner[i]`` = doc index)."""

    docs: list[ProviderDoc]
    vectors: np.ndarray
    owner: np.ndarray

    def __post_init__(self) -> None:
        if len(self.vectors) != len(self.owner):
            raise ValueError("one owner per passage vector")

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.docs]


def _ranked(ids: Sequence[str], scores: np.ndarray, k: int) -> list[tuple[str, float]]:
    order = sorted(range(len(ids)), key=lambda i: (-round(float(scores[i]), 6), ids[i]))
    return [(ids[i], float(scores[i])) for i in order[:k] if np.isfinite(scores[i])]


class BM25Baseline:
    name = "BM25 (jieba)"

    def __init__(self, corpus: Corpus):
        from rank_bm25 import BM25Okapi

        self.ids = corpus.ids
        self.bm25 = BM25Okapi([tokenize(d.text) or ["∅"] for d in corpus.docs])

    def rank(self, query: str, k: int = 10) -> list[tuple[str, float]]:
        return _ranked(self.ids, np.asarray(self.bm25.get_scores(tokenize(query))), k)


class EmbeddingBaseline:
    name = "embedding cosine"

    def __init__(self, corpus: Corpus):
        self.ids = corpus.ids
        self.vectors = corpus.vectors.astype(np.float32)
        self.owner = corpus.owner

    def rank(self, query_vector: np.ndarray, k: int = 10) -> list[tuple[str, float]]:
        """Providers by their best passage's cosine to ``query_vector`` (vectors are L2-normalised)."""
        sims = self.vectors @ query_vector.astype(np.float32)
        best = np.full(len(self.ids), -np.inf, dtype=np.float64)
        np.maximum.at(best, self.owner, sims.astype(np.float64))
        return _ranked(self.ids, best, k)


Encoder = Callable[[Sequence[str]], np.ndarray]


def _corpus(providers: Sequence[tuple[str, str, str | None]], statements: dict[str, list[tuple[str, list | None]]],
            offers: dict[str, list[tuple[str, list | None]]], encode_passages: Encoder) -> Corpus:
    """Providers ``(id, name, description)`` with ``(passage text, stored vector or None)`` per statement/offer;
    passages without a stored vector are encoded with ``encode_passages``."""
    docs: list[ProviderDoc] = []
    stored: list[list | None] = []
    for pid, name, description in sorted(providers):
        items = [*statements.get(pid, ()), *offers.get(pid, ())]
        passages = tuple(text for text, _ in items)
        docs.append(ProviderDoc(pid, "\n".join(t for t in (name, description, *passages) if t), passages))
        stored += [vector for _, vector in items]
    texts = [t for d in docs for t in d.passages]
    missing = [i for i, v in enumerate(stored) if v is None]
    encoded = encode_passages([texts[i] for i in missing]) if missing else np.zeros((0, 0), dtype=np.float32)
    for i, vector in zip(missing, encoded, strict=True):
        stored[i] = list(vector)
    dim = len(stored[0]) if stored else 0
    vectors = np.asarray(stored, dtype=np.float32).reshape(len(stored), dim)
    owner = np.array([i for i, d in enumerate(docs) for _ in d.passages], dtype=np.int64)
    return Corpus(docs, vectors, owner)


def corpus_from_sample(sample, encode_passages: Encoder) -> Corpus:
    """The corpus of a :class:`seed.sample.SampleData` (passages encoded, e.g. by ``EmbeddingCache.passages``)."""
    statements: dict[str, list[tuple[str, list | None]]] = {}
    for s in sample.capability_statements:
        statements.setdefault(s.provider_id, []).append((statement_text(s.text), None))
    offers: dict[str, list[tuple[str, list | None]]] = {}
    for o in sample.capacity_offers:
        offers.setdefault(o.provider_id, []).append((offer_text(o.process_text, o.description), None))
    return _corpus([(p.id, p.name, p.description) for p in sample.providers], statements, offers, encode_passages)


def corpus_from_rows(rows: Sequence[dict], encode_passages: Encoder) -> Corpus:
    """The corpus of :func:`graph.repositories.evaluation.provider_corpus` rows, with the stored embeddings."""
    statements = {r["id"]: [(statement_text(s["text"]), s.get("embedding"))
                            for s in sorted(r["statements"], key=lambda s: s["id"])] for r in rows}
    offers = {r["id"]: [(offer_text(o["process_text"], o["description"]), o.get("embedding"))
                        for o in sorted(r["offers"], key=lambda o: o["id"])] for r in rows}
    return _corpus([(r["id"], r["name"], r["description"]) for r in rows], statements, offers, encode_passages)
