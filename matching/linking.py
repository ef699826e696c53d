"""Linking what people type to the taxonomy and the reference data.

Capabilities: a declared code is taken as it is (method CODE); a name or alias found in the text
links with high confidence (ALIAS); otherwise the text's embedding is compared with every
capability node's embedding (EMBEDDING), with a confidence calibrated from the cosine. e5 cosines
cluster between 0.75 and 0.95, so the raw score is rescaled rather than used as a probability.

Which embedding: a need is linked with its query embedding (the one it is stored and searched with);
a capability statement or capacity offer with its *passage* embedding, the very vector stored for
retrieval (:meth:`TaxonomyLinker.link_passages`), so ingest runs the model once per text. A passage
sits a little closer to the nodes' passages than the same text as a query does, so passage scores are
lowered by :data:`PASSAGE_SHIFT` before the thresholds below, which were set on query cosines.

Certifications, regions, industries and units resolve by name, alias or user term only: "IATF16949" →
IATF 16949, "成都市" → Chengdu, "箱" → CARTON. Materials link like capabilities, one part at a time
(:mod:`matching.materials` splits a list): a code, a name/alias/user term, else the nearest material
node by embedding when it is close enough. Whatever does not resolve is reported back to the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from graph.db import Database
from graph.repositories import reference
from matching.aliases import AliasIndex
from matching.embedding import Embedder

Method = Literal["CODE", "ALIAS", "EMBEDDING"]

ALIAS_CONFIDENCE = 0.95
# cosine -> confidence: below FLOOR nothing links; at CEILING confidence reaches EMBEDDING_MAX.
EMBEDDING_FLOOR = 0.80
EMBEDDING_CEILING = 0.92
EMBEDDING_MAX = 0.9
EMBEDDING_MARGIN = 0.015  # a second node within this margin of the best links too
# Below this an embedding link is noise: unrelated text ("zzzz qqqq") still scores ~0.80 against some node.
MIN_EMBEDDING_CONFIDENCE = 0.2
# Alias hits can miss the point ("齿轮磨削" hits 磨削/grinding; it is gear machining). When the
# embedding's best node is this confident and unrelated to the alias hits, it is linked as well.
ALONGSIDE_ALIAS_CONFIDENCE = 0.75
# A reference term found inside a longer input resolves only if the alias covers this share of the
# input's letters: "IATF 16949:2016认证" → IATF 16949, but not "宇宙质量认证" → ISO 9001 via "质量认证".
MIN_COVERAGE = 0.6
MAX_LINKS = 3
# A material part that no alias names links by embedding only this close (e5 cosine): material names are
# short, and short unrelated strings still score ~0.85 against some grade.
MATERIAL_EMBEDDING_FLOOR = 0.915
# A node's problem phrases ("库存不准", "业财一体化" for ERP) are compared with a text one by one; the best
# phrase stands for the node when it beats the node's own embedding, discounted by PROBLEM_OFFSET (a phrase is
# short, so its cosine to a long need runs a little high; the node's names and description stay first).
PROBLEM_OFFSET = 0.01
# A phrase counts only from this cosine on: short phrases sit closer to anything than whole node texts do —
# nonsense ("zzzz qqqq", "asdf 1234") reaches 0.83–0.85 against some phrase, while the problem needs of the
# hard set and the paraphrases of tests/matching/test_weak_links.py reach their right phrase at 0.86–0.955.
PROBLEM_MIN_COSINE = 0.86
# A statement's best node cosine is 0.011 higher (sd 0.011) as a passage than as a query, over the sample's
# 2,204 statements, and weak extra links come along near the thresholds (unshifted: 1.44 links per statement
# instead of 1.18, precision against the sample's truth 0.84 instead of 0.96). Lowered by 0.03, passage links
# agree with query links on 98.9 % of the statements' top links and 97.2 % of their link sets (offers: 99.4 %,
# 97.7 %), precision 0.960; `gongxu eval`: dev nDCG@10 0.932 (0.933 with query links), hard 0.879 (0.874).
PASSAGE_SHIFT = 0.03
# Nonsense sits closer to the nodes as a passage than real text does (+0.045 for "zzzz qqqq", not +0.011):
# after the shift "zzzz qqqq" and "asdf 1234" would still link at 0.20 and 0.22, so passage links need more.
# It costs 7 of the sample's 2,204 statements their only (weak, 0.20–0.41) link.
PASSAGE_MIN_EMBEDDING_CONFIDENCE = 0.31


@dataclass(frozen=True)
class Link:
    code: str
    confidence: float
    method: Method


@dataclass(frozen=True)
class Resolution:
    input: str
    code: str | None

    @property
    def resolved(self) -> bool:
        return self.code is not None


def embedding_confidence(cosine: float) -> float:
    scaled = (cosine - EMBEDDING_FLOOR) / (EMBEDDING_CEILING - EMBEDDING_FLOOR)
    return round(float(np.clip(scaled, 0.0, 1.0)) * EMBEDDING_MAX, 4)


@dataclass
class TaxonomyLinker:
    """Built once per process from the reference data in Neo4j (rebuild after reloading it)."""

    embedder: Embedder
    capability_codes: list[str]
    capability_kinds: dict[str, str]
    capability_parents: dict[str, str | None]
    capability_matrix: np.ndarray  # rows aligned with capability_codes
    capability_aliases: AliasIndex
    indexes: dict[str, AliasIndex] = field(default_factory=dict)
    material_parents: dict[str, str | None] = field(default_factory=dict)
    material_names: dict[str, list[str]] = field(default_factory=dict)
    _material_matrix: np.ndarray | None = None  # encoded on first use (most processes never need it)
    problem_matrix: np.ndarray | None = None  # one row per problem phrase
    problem_nodes: np.ndarray | None = None  # row → index into capability_codes

    @classmethod
    async def build(cls, db: Database, embedder: Embedder) -> TaxonomyLinker:
        nodes = [n for n in await reference.capabilities(db) if n["embedding"] is not None]
        matrix = (np.asarray([n["embedding"] for n in nodes], dtype=np.float32) if nodes
                  else np.zeros((0, embedder.dimension), dtype=np.float32))
        entries = {label: await reference.alias_entries(db, label)
                   for label in ("Certification", "Material", "Industry", "Unit")}
        indexes = {label: AliasIndex(found) for label, found in entries.items()}
        # a name shared by a province and a city (重庆) resolves to the more specific region
        region_depth = {"GROUP": 0, "PROVINCE": 1, "CITY": 2}
        levels = await reference.region_levels(db)
        indexes["Region"] = AliasIndex(await reference.alias_entries(db, "Region"),
                                       depth={code: region_depth.get(level, 0) for code, level in levels.items()})
        position = {n["code"]: i for i, n in enumerate(nodes)}
        problems = [row for row in await reference.capability_problems(db)
                    if row["embedding"] is not None and row["code"] in position]
        return cls(
            problem_matrix=np.asarray([r["embedding"] for r in problems], dtype=np.float32) if problems else None,
            problem_nodes=np.asarray([position[r["code"]] for r in problems], dtype=np.int64) if problems else None,
            embedder=embedder,
            capability_codes=[n["code"] for n in nodes],
            capability_kinds={n["code"]: n["kind"] for n in nodes},
            capability_parents={n["code"]: n["parent"] for n in nodes},
            capability_matrix=matrix,
            capability_aliases=AliasIndex(await reference.alias_entries(db, "Capability")),
            indexes=indexes,
            material_parents=await reference.parents(db, "Material"),
            material_names={code: names for code, names in entries["Material"]},
        )

    # ------------------------------------------------------------------------------ capabilities

    def ancestors(self, code: str) -> list[str]:
        found = []
        parent = self.capability_parents.get(code)
        while parent:
            found.append(parent)
            parent = self.capability_parents.get(parent)
        return found

    def _kind_ok(self, code: str, kind: str | None) -> bool:
        return kind is None or self.capability_kinds.get(code) == kind

    def node_scores(self, vector: np.ndarray, passage: bool = False) -> np.ndarray:
        """Cosine of ``vector`` with every node: its own embedding, or its best problem phrase (less
        :data:`PROBLEM_OFFSET`, and only from :data:`PROBLEM_MIN_COSINE`) when that is closer; a
        ``passage`` vector's scores less :data:`PASSAGE_SHIFT` (on the query scale)."""
        if passage:
            vector = np.asarray(vector, dtype=np.float32)
            return self.node_scores(vector) - np.float32(PASSAGE_SHIFT)
        scores = self.capability_matrix @ vector
        if self.problem_matrix is not None and self.problem_nodes is not None:
            phrases = self.problem_matrix @ vector
            phrases = np.where(phrases >= PROBLEM_MIN_COSINE, phrases - PROBLEM_OFFSET, -1.0).astype(np.float32)
            by_problem = np.full(scores.shape, -1.0, dtype=np.float32)
            np.maximum.at(by_problem, self.problem_nodes, phrases)
            scores = np.maximum(scores, by_problem)
        return scores

    def link_vector(self, vector: np.ndarray, text: str, kind: str | None = None,
                    declared: list[str] | None = None, passage: bool = False) -> list[Link]:
        """Links for one text whose query embedding (``passage``: passage embedding) is ``vector``."""
        links: dict[str, Link] = {}
        for code in declared or []:
            if code in self.capability_kinds:
                links[code] = Link(code, 1.0, "CODE")
        for code in self.capability_aliases.resolve_all(text):
            if self._kind_ok(code, kind) and code not in links:
                links[code] = Link(code, ALIAS_CONFIDENCE, "ALIAS")
        if links and len(self.capability_codes):
            self._add_confident_embedding_link(links, vector, kind, passage)
        if not links and len(self.capability_codes):
            scores = self.node_scores(vector, passage)
            order = np.argsort(-scores)
            best = None
            for index in order[:20]:
                code = self.capability_codes[index]
                if not self._kind_ok(code, kind):
                    continue
                score = float(scores[index])
                if best is None:
                    best = score
                elif best - score > EMBEDDING_MARGIN:
                    break
                confidence = embedding_confidence(score)
                if confidence >= (PASSAGE_MIN_EMBEDDING_CONFIDENCE if passage else MIN_EMBEDDING_CONFIDENCE):
                    links[code] = Link(code, confidence, "EMBEDDING")
                if len(links) >= MAX_LINKS:
                    break
        # a node and its ancestor say the same twice: keep the more specific one (declared codes stay)
        specific = {code: link for code, link in links.items()
                    if link.method == "CODE"
                    or not any(other != code and code in self.ancestors(other) for other in links)}
        return sorted(specific.values(), key=lambda link: (-link.confidence, link.code))[:MAX_LINKS]

    def _related(self, a: str, b: str) -> bool:
        return a == b or a in self.ancestors(b) or b in self.ancestors(a)

    def _add_confident_embedding_link(self, links: dict[str, Link], vector: np.ndarray, kind: str | None,
                                      passage: bool) -> None:
        scores = self.node_scores(vector, passage)
        for index in np.argsort(-scores)[:5]:
            code = self.capability_codes[index]
            if not self._kind_ok(code, kind):
                continue
            confidence = embedding_confidence(float(scores[index]))
            if confidence >= ALONGSIDE_ALIAS_CONFIDENCE and not any(self._related(code, c) for c in links):
                links[code] = Link(code, confidence, "EMBEDDING")
            return  # only the best node of the right kind is considered

    def link_passages(self, vectors: Sequence[np.ndarray], texts: list[str], kind: str | None = None,
                      declared: list[list[str]] | None = None) -> list[list[Link]]:
        """Links for each text from its passage embedding (statements, offers: the stored vector), no model call."""
        declared = declared or [[] for _ in texts]
        return [self.link_vector(vector, text, kind, codes, passage=True)
                for vector, text, codes in zip(vectors, texts, declared, strict=True)]

    async def link_capabilities(self, texts: list[str], kind: str | None = None,
                                declared: list[list[str]] | None = None) -> list[list[Link]]:
        """Links for each text from its query embedding (``kind`` 'SERVICE' or 'PROCESS' restricts the
        candidates): for needs and search text; statements and offers use :meth:`link_passages`."""
        if not texts:
            return []
        vectors = await self.embedder.aencode_queries(texts)
        declared = declared or [[] for _ in texts]
        return [self.link_vector(vector, text, kind, codes)
                for vector, text, codes in zip(vectors, texts, declared, strict=True)]

    # --------------------------------------------------------------------------- reference data

    def _resolve(self, label: str, text: str) -> Resolution:
        index = self.indexes[label]
        code = index.resolve(text)
        if code is None:
            found = index.find(text)
            letters = sum(1 for ch in text if ch.isalnum())
            covered = sum(sum(1 for ch in m.alias if ch.isalnum()) for m in found)
            if len({m.code for m in found}) == 1 and letters and covered / letters >= MIN_COVERAGE:
                code = found[0].code
        return Resolution(text, code)

    def resolve_certification(self, text: str) -> Resolution:
        return self._resolve("Certification", text)

    def resolve_region(self, text: str) -> Resolution:
        return self._resolve("Region", text)

    def resolve_material(self, text: str) -> Resolution:
        return self._resolve("Material", text)

    def resolve_industry(self, text: str) -> Resolution:
        return self._resolve("Industry", text)

    def resolve_unit(self, text: str) -> Resolution:
        """A unit code for a unit word: 个/片/pcs → PIECE, 箱 → CARTON, 吨 → TONNE …"""
        stripped = text.strip()
        if stripped.upper() in self.indexes["Unit"].codes:
            return Resolution(text, stripped.upper())
        return Resolution(text, self.indexes["Unit"].resolve(stripped))

    def nearest(self, label: str, text: str, limit: int = 3) -> list[str]:
        """The primary names of up to ``limit`` nodes spelled most like ``text`` (for "did you mean")."""
        index = self.indexes[label]
        return [index.primary(code) for code in index.nearest(text, limit)]

    # -------------------------------------------------------------------------------- materials

    def material_parent(self, code: str) -> str | None:
        return self.material_parents.get(code)

    async def _materials_matrix(self) -> np.ndarray:
        if self._material_matrix is None:
            passages = [f"{names[0]}（{'、'.join(names[1:8])}）" for names in self.material_names.values()]
            self._material_matrix = (np.asarray(await self.embedder.aencode_passages(passages), dtype=np.float32)
                                     if passages else np.zeros((0, self.embedder.dimension), dtype=np.float32))
        return self._material_matrix

    async def link_materials(self, parts: list[str]) -> list[Link | None]:
        """One link per material part (None: names nothing known): CODE, ALIAS (names, aliases, user
        terms; a longer part counts when its aliases cover most of it), else EMBEDDING above a high floor."""
        result: list[Link | None] = []
        for part in parts:
            if part.strip() in self.material_names:
                result.append(Link(part.strip(), 1.0, "CODE"))
            else:
                code = self.resolve_material(part).code
                result.append(Link(code, ALIAS_CONFIDENCE, "ALIAS") if code else None)
        missing = [i for i, link in enumerate(result) if link is None]
        if missing and self.material_names:
            matrix = await self._materials_matrix()
            vectors = await self.embedder.aencode_queries([parts[i] for i in missing])
            codes = list(self.material_names)
            for i, vector in zip(missing, vectors, strict=True):
                scores = matrix @ np.asarray(vector, dtype=np.float32)
                best = int(np.argmax(scores))
                cosine = float(scores[best])
                if cosine >= MATERIAL_EMBEDDING_FLOOR:
                    result[i] = Link(codes[best], embedding_confidence(cosine), "EMBEDDING")
        return result

    def find_all(self, label: str, text: str) -> list[str]:
        """Every code of ``label`` named somewhere in a longer text (e.g. certifications in a need)."""
        return self.indexes[label].resolve_all(text)
