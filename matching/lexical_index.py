"""Full text in process: BM25 over the words of providers' statements, published offers and own text.

Why it exists (BENCHMARKS.md, issue 14): the full-text branch of a need's retrieval was three Lucene
queries of up to ≈ 150 CJK-bigram clauses each over every statement, offer and provider — the largest
share of a recompute at 10⁵ providers (≈ 40 %, 480 ms cold) — and Lucene knows no hard constraints,
so the providers that pass a need's region or certificate could fall outside its top k. Here the same
scoring runs over postings held beside the provider index's vectors, restricted by the same masks.

Analysis follows Lucene's ``cjk`` analyzer, which the full-text indexes used (graph/migrations.py):
NFKC (width folding), lower case, runs of CJK characters as overlapping bigrams (a lone character as
itself), runs of letters and digits as words, English stop words dropped. Scores are BM25 (k1 1.2,
b 0.75, Lucene's idf) with statistics per source — statements, offers, providers each as their own
index, as Lucene kept them.

Storage is a main segment (postings sorted by term, numpy arrays) plus a second, small segment of the
documents added since, folded into a new main segment once it holds :data:`DELTA_POSTINGS` postings
or a third of the documents died; a changed provider's documents die and new ones are added. Searches
read a published :class:`LexicalView`, never arrays a sync is changing.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass

import numpy as np

SOURCES = ("TEXT_STATEMENT", "TEXT_OFFER", "TEXT_PROVIDER")
STATEMENT, OFFER, PROVIDER = range(3)
# A document is one field of a statement, an offer or a provider; like Lucene's multi-field queries, each
# field has its own statistics and the fields of one record add up.
FIELDS = ("statement text", "offer process", "offer description", "provider name", "provider description")
STATEMENT_TEXT, OFFER_PROCESS, OFFER_DESCRIPTION, PROVIDER_NAME, PROVIDER_DESCRIPTION = range(len(FIELDS))
FIELD_SOURCE = np.array([STATEMENT, OFFER, OFFER, PROVIDER, PROVIDER], np.int64)
K1, B = 1.2, 0.75
QUERY_CHARS = 200  # a need's text is searched by its first 200 characters (the cap its Lucene query had)
DELTA_POSTINGS = 50_000  # postings added since the last fold that trigger the next one

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_ALNUM = f"[^\\W_{_CJK}]"
# A word keeps its inner separators as Unicode word segmentation (UAX #29, Lucene's StandardTokenizer)
# does: "10,000" and "3.5mm" between digits, "don't" and "u.s" between letters stay one term.
_JOINER = r"(?:(?<=\d)[.,](?=\d)|(?<=[^\W\d_])['’.](?=[^\W\d_]))"
_RUN = re.compile(f"[{_CJK}]+|{_ALNUM}+(?:{_JOINER}{_ALNUM}+)*")
_CJK_RUN = re.compile(f"[{_CJK}]")
# Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, which the cjk analyzer also drops
STOP_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
    "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
    "will", "with"))


def tokens(text: str | None) -> list[str]:
    """The terms Lucene's ``cjk`` analyzer makes of ``text`` (see the module docstring)."""
    if not text:
        return []
    out: list[str] = []
    for run in _RUN.findall(unicodedata.normalize("NFKC", text).lower()):
        if _CJK_RUN.match(run):
            out.extend([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
        elif run not in STOP_WORDS:
            out.append(run)
    return out


@dataclass(frozen=True)
class Segment:
    """Postings sorted by term: those of term ``t`` are ``[starts[t], starts[t + 1])`` of ``docs``/``counts``."""

    starts: np.ndarray
    docs: np.ndarray
    counts: np.ndarray

    def postings(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        if term + 1 >= len(self.starts):
            return _NO_DOCS, _NO_COUNTS
        lo, hi = int(self.starts[term]), int(self.starts[term + 1])
        return self.docs[lo:hi], self.counts[lo:hi]


_NO_DOCS, _NO_COUNTS = np.zeros(0, np.int32), np.zeros(0, np.int16)


def _segment(terms: np.ndarray, docs: np.ndarray, counts: np.ndarray, vocabulary: int) -> Segment:
    order = np.lexsort((docs, terms))
    starts = np.zeros(vocabulary + 1, np.int64)
    np.cumsum(np.bincount(terms, minlength=vocabulary), out=starts[1:])
    return Segment(starts, docs[order].astype(np.int32), counts[order].astype(np.int16))


@dataclass(frozen=True)
class LexicalView:
    """What a search reads (references taken when published; a sync publishes a new one)."""

    vocabulary: dict[str, int]
    segments: tuple[Segment, ...]  # the main segment and the documents added since it was built
    field: np.ndarray  # per document: one of FIELDS
    owner: np.ndarray  # per document: its record — the vector row of a statement or offer, a provider's slot
    length: np.ndarray
    alive: np.ndarray
    frequency: np.ndarray  # term × field: documents containing the term (dead ones until the next fold)
    documents: np.ndarray  # per field: documents (the same)
    total_length: np.ndarray  # per field: their summed length


class LexicalIndex:
    """Postings of every provider's documents; changed only under the provider index's sync lock.

    Like Lucene, document frequencies and lengths count a dead document until the next fold."""

    def __init__(self) -> None:
        self.vocabulary: dict[str, int] = {}
        self._main = _segment(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int16), 0)
        self._pending_terms, self._pending_docs, self._pending_counts = array("q"), array("q"), array("h")
        self._field = np.zeros(0, np.int8)
        self._owner = np.zeros(0, np.int64)
        self._length = np.zeros(0, np.int32)
        self._alive = np.zeros(0, bool)
        self._count = 0
        self._dead = 0
        self._of_slot: dict[int, list[int]] = {}
        self._frequency = np.zeros((0, len(FIELDS)), np.int32)
        self._documents = np.zeros(len(FIELDS), np.int64)
        self._total_length = np.zeros(len(FIELDS), np.int64)

    # ---------------------------------------------------------------------------- changes

    def put(self, slot: int, documents: list[tuple[int, int, str | None]]) -> None:
        """Replace provider ``slot``'s documents with ``(field, owner, text)`` ones (owner: the vector row of a
        statement or offer, the slot itself for the provider's name and description). Empty fields are
        not documents (as in Lucene, they count in no statistic)."""
        self.drop(slot)
        docs = []
        for field, owner, text in documents:
            counted = Counter(tokens(text))
            if counted:
                docs.append(self._add(field, owner, counted))
        if docs:
            self._of_slot[slot] = docs

    def drop(self, slot: int) -> None:
        for doc in self._of_slot.pop(slot, []):
            self._alive[doc] = False
            self._dead += 1

    def move_rows(self, new_of_old: np.ndarray) -> None:
        """The provider index compacted its vector rows: statement and offer documents follow theirs
        (a new array: a running search keeps reading the old one)."""
        n = self._count
        owner = self._owner.copy()
        rows = np.flatnonzero(FIELD_SOURCE[self._field[:n]] != PROVIDER)
        moved = new_of_old[owner[rows]]
        owner[rows] = moved
        self._owner = owner

    def publish(self) -> LexicalView:
        """The view searches read. Pending postings become a small second segment, or, once they are many or
        a third of the documents died, everything is folded into one new main segment."""
        pending = len(self._pending_docs)
        if pending >= DELTA_POSTINGS or (self._dead * 3 > self._count and self._count >= 4_096):
            self.fold()
            segments: tuple[Segment, ...] = (self._main,)
        elif pending:
            segments = (self._main, _segment(*self._pending_arrays(), len(self.vocabulary)))
        else:
            segments = (self._main,)
        n = self._count
        return LexicalView(self.vocabulary, segments, self._field[:n], self._owner[:n], self._length[:n],
                           self._alive[:n], self._frequency, self._documents.copy(), self._total_length.copy())

    # ---------------------------------------------------------------------------- internals

    def _add(self, field: int, owner: int, counted: Counter[str]) -> int:
        doc = self._count
        if doc >= len(self._alive):
            self._grow(doc + 1)
        term_ids = [self._term_id(term) for term in counted]
        self._field[doc], self._owner[doc] = field, owner
        self._length[doc] = sum(counted.values())
        self._alive[doc] = True
        self._count += 1
        self._documents[field] += 1
        self._total_length[field] += self._length[doc]
        if term_ids:
            self._frequency[term_ids, field] += 1
            self._pending_terms.extend(term_ids)
            self._pending_docs.extend([doc] * len(term_ids))
            self._pending_counts.extend(min(c, 32_767) for c in counted.values())
        return doc

    def _term_id(self, term: str) -> int:
        ident = self.vocabulary.get(term)
        if ident is None:
            ident = self.vocabulary[term] = len(self.vocabulary)
            if ident >= len(self._frequency):
                grown = np.zeros((max(ident + 1, len(self._frequency) * 3 // 2, 1_024), len(FIELDS)), np.int32)
                grown[:len(self._frequency)] = self._frequency
                self._frequency = grown
        return ident

    def _grow(self, needed: int) -> None:
        size = max(needed, len(self._alive) * 3 // 2, 4_096)
        for name in ("_field", "_owner", "_length", "_alive"):
            old = getattr(self, name)
            new = np.zeros(size, old.dtype)
            new[:len(old)] = old
            setattr(self, name, new)

    def _pending_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (np.frombuffer(self._pending_terms, np.int64), np.frombuffer(self._pending_docs, np.int64),
                np.frombuffer(self._pending_counts, np.int16))

    def fold(self) -> None:
        """One main segment of the live documents' postings; documents renumbered densely, statistics exact."""
        main = self._main
        main_terms = np.repeat(np.arange(len(main.starts) - 1, dtype=np.int64), np.diff(main.starts))
        new_terms, new_docs, new_counts = self._pending_arrays()
        terms = np.concatenate([main_terms, new_terms])
        docs = np.concatenate([main.docs.astype(np.int64), new_docs])
        counts = np.concatenate([main.counts, new_counts])
        n = self._count
        live = np.flatnonzero(self._alive[:n])
        new_of_old = np.full(n, -1, np.int64)
        new_of_old[live] = np.arange(len(live))
        keep = new_of_old[docs] >= 0
        terms, docs, counts = terms[keep], new_of_old[docs[keep]], counts[keep]
        vocabulary = len(self.vocabulary)
        self._main = _segment(terms, docs, counts, vocabulary)
        self._field = np.ascontiguousarray(self._field[live])
        self._owner = np.ascontiguousarray(self._owner[live])
        self._length = np.ascontiguousarray(self._length[live])
        self._alive = np.ones(len(live), bool)
        self._count, self._dead = len(live), 0
        self._pending_terms, self._pending_docs, self._pending_counts = array("q"), array("q"), array("h")
        self._of_slot = {slot: [int(new_of_old[d]) for d in docs_of] for slot, docs_of in self._of_slot.items()}
        fields = len(FIELDS)
        frequency = np.bincount(terms * fields + self._field[docs], minlength=max(vocabulary, 1) * fields)
        self._frequency = np.zeros((max(len(self._frequency), vocabulary, 1), fields), np.int32)
        self._frequency[:vocabulary] = frequency[:vocabulary * fields].reshape(vocabulary, fields)
        self._documents = np.bincount(self._field, minlength=fields).astype(np.int64)
        self._total_length = np.bincount(self._field, weights=self._length, minlength=fields).astype(np.int64)


def record_scores(view: LexicalView, query: str | None, sources: tuple[int, ...],
                  usable_rows: np.ndarray, passes: np.ndarray) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """source → ``(records, scores)``: the BM25 score of every record of that source that shares a term
    with ``query`` — a statement or offer (its vector row; an offer's fields added up) whose row is
    usable, or a provider (its slot: name and description added up) that passes. ``query`` is capped at
    :data:`QUERY_CHARS` (whitespace collapsed).

    Sums are bincounts over record ids, not a sort of the postings: a common bigram has 10⁵ postings at
    10⁵ providers."""
    counted = Counter(tokens(" ".join((query or "").split())[:QUERY_CHARS]))
    parts = []
    for term_text, repeats in counted.items():
        term = view.vocabulary.get(term_text)
        if term is None:
            continue
        for segment in view.segments:
            docs, tfs = segment.postings(term)
            if docs.size:  # a term the query repeats counts once per occurrence, as Lucene's clauses did
                parts.append((docs, tfs, term, repeats))
    if not parts:
        return {}
    docs = np.concatenate([p[0] for p in parts]).astype(np.int64)
    tfs = np.concatenate([p[1] for p in parts]).astype(np.float64)
    terms = np.concatenate([np.full(p[0].size, p[2], np.int64) for p in parts])
    repeats = np.concatenate([np.full(p[0].size, p[3], np.float64) for p in parts])
    field = view.field[docs].astype(np.int64)
    keep = view.alive[docs] & np.isin(FIELD_SOURCE, sources)[field]
    docs, tfs, terms, repeats, field = docs[keep], tfs[keep], terms[keep], repeats[keep], field[keep]
    documents = np.maximum(view.documents, 1).astype(np.float64)
    frequency = view.frequency[terms, field].astype(np.float64)
    idf = np.log1p((documents[field] - frequency + 0.5) / (frequency + 0.5))
    average = np.maximum(view.total_length / documents, 1e-9)
    norm = K1 * (1 - B + B * view.length[docs] / average[field])
    weights = repeats * idf * tfs * (K1 + 1) / (tfs + norm)
    source, owner = FIELD_SOURCE[field], view.owner[docs]
    out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for src in sources:
        allowed = usable_rows if src != PROVIDER else passes
        mine = (source == src) & (owner >= 0) & (owner < len(allowed))
        if not mine.any():
            continue
        scores = np.bincount(owner[mine], weights=weights[mine], minlength=len(allowed))
        records = np.flatnonzero((scores > 0) & allowed)
        if records.size:
            out[src] = (records, scores[records])
    return out
