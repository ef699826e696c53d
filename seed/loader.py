"""Loads seed data into Neo4j through ``graph/`` repositories, with progress bars.

Every file is read and validated completely before anything is written, so a malformed file
fails with file, line and reason and loads nothing of it. Writes are MERGEs by id/code: loading
twice changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tqdm import tqdm

from graph.db import Database
from graph.repositories import reference as reference_repo
from matching.embedding import Embedder
from matching.embedding_cache import EmbeddingCache
from seed.reference import Reference, load_reference


def capability_passage(record: dict[str, Any]) -> str:
    """The text a taxonomy node is embedded from: names, aliases and description."""
    aliases = "、".join(record.get("aliases") or [])
    return f"{record['name_zh']}（{record['name_en']}）：{record.get('description') or ''} 又称：{aliases}"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _levels(records: list[dict[str, Any]]) -> dict[str, int]:
    parents = {r["code"]: r.get("parent") for r in records}
    levels: dict[str, int] = {}
    for code in parents:
        level, parent = 1, parents[code]
        while parent:
            level, parent = level + 1, parents.get(parent)
        levels[code] = level
    return levels


async def load_reference_data(db: Database, embedder: Embedder, reference: Reference | None = None,
                              progress: bool = True) -> dict[str, int]:
    """Load the taxonomy and the other reference data; returns counts per label."""
    reference = reference or load_reference()
    capabilities = [asdict(c) for c in reference.capabilities]
    levels = _levels(capabilities)
    texts = [capability_passage(c) for c in capabilities]
    vectors = EmbeddingCache(embedder).passages(texts)
    rows = [
        {**c, "level": levels[c["code"]], "alias_text": " ".join(c.get("aliases") or []),
         "parents": [c["parent"]] if c.get("parent") else [], "embedding": vector.tolist(),
         "text_hash": _hash(text)}
        for c, text, vector in zip(capabilities, texts, vectors, strict=True)
    ]
    plan: list[tuple[str, list[dict[str, Any]]]] = [
        ("Capability", rows),
        ("Material", [{**asdict(m), "family": m.family, "parents": [m.parent] if m.parent else []}
                      for m in reference.materials]),
        ("Certification", [asdict(c) for c in reference.certifications]),
        ("Industry", [asdict(i) for i in reference.industries]),
        ("Region", [asdict(r) for r in reference.regions]),
        ("SharingMode", [asdict(m) for m in reference.sharing_modes]),
    ]
    with tqdm(total=sum(len(r) for _, r in plan), desc="reference data", unit="node", disable=not progress) as bar:
        for label, label_rows in plan:
            await reference_repo.upsert(db, label, label_rows)
            bar.update(len(label_rows))
    return {label: len(label_rows) for label, label_rows in plan}


def default_sample_dir() -> Path:
    return Path(__file__).parent / "data" / "sample"
