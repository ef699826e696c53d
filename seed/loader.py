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
from graph.repositories import bulk
from graph.repositories import reference as reference_repo
from matching.capability_links import link_need, link_offer, link_rows, link_statement
from matching.embedding import Embedder
from matching.embedding_cache import EmbeddingCache
from matching.texts import need_text, offer_text, statement_text
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
        {**c, "level": levels[c["code"]],
         "alias_text": " ".join([*(c.get("aliases") or []), *(c.get("user_terms") or [])]),
         "parents": [c["parent"]] if c.get("parent") else [], "embedding": vector.tolist(),
         "text_hash": _hash(text)}
        for c, text, vector in zip(capabilities, texts, vectors, strict=True)
    ]
    problems = [(c["code"], text) for c in capabilities for text in c.get("problems") or []]
    problem_vectors = EmbeddingCache(embedder).passages([text for _, text in problems]) if problems else []
    plan: list[tuple[str, list[dict[str, Any]]]] = [
        ("Capability", rows),
        ("Material", [{**asdict(m), "family": m.family, "parents": [m.parent] if m.parent else []}
                      for m in reference.materials]),
        ("Certification", [asdict(c) for c in reference.certifications]),
        ("Industry", [asdict(i) for i in reference.industries]),
        ("Region", [asdict(r) for r in reference.regions]),
        ("SharingMode", [asdict(m) for m in reference.sharing_modes]),
        ("Unit", [asdict(u) for u in reference.units]),
    ]
    with tqdm(total=sum(len(r) for _, r in plan), desc="reference data", unit="node", disable=not progress) as bar:
        for label, label_rows in plan:
            await reference_repo.upsert(db, label, label_rows)
            bar.update(len(label_rows))
    await reference_repo.replace_capability_problems(db, [
        {"code": code, "text": text, "embedding": vector.tolist()}
        for (code, text), vector in zip(problems, problem_vectors, strict=True)])
    return {**{label: len(label_rows) for label, label_rows in plan}, "CapabilityProblem": len(problems)}


def default_sample_dir() -> Path:
    return Path(__file__).parent / "data" / "sample"


# ------------------------------------------------------------------------------------------ sample

BATCH = 500


def _provider_row(p: Any) -> dict[str, Any]:
    return {
        "id": p.id, "name": p.name, "kind": p.kind, "credit_code": p.credit_code, "description": p.description,
        "website": p.website, "contact_name": p.contact_name, "contact_phone": p.contact_phone,
        "contact_email": p.contact_email, "rating": p.rating, "created_at": p.created_at,
        "region_code": p.region_code, "industry_codes": list(p.industry_codes),
        "mode_codes": list(p.sharing_mode_codes),
        "certifications": [{"code": c.code, "status": c.status, "valid_until": c.valid_until}
                           for c in p.certifications],
    }


def _statement_row(s: Any, vector: Any, links: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": s.id, "provider_id": s.provider_id, "text": s.text, "embedding": vector.tolist(), "links": links}


def _offer_row(o: Any, vector: Any, links: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": o.id, "provider_id": o.provider_id, "process_text": o.process_text, "description": o.description,
            "monthly_volume": o.monthly_volume, "unit": o.unit, "available_from": o.available_from,
            "available_to": o.available_to, "lead_time_days": o.lead_time_days, "moq": o.moq,
            "booked_volume": o.booked_volume, "status": o.status, "embedding": vector.tolist(),
            "links": links, "material_code": o.material_code}


def _enterprise_row(e: Any) -> dict[str, Any]:
    return {"id": e.id, "name": e.name, "credit_code": e.credit_code, "description": e.description,
            "contact_name": e.contact_name, "contact_phone": e.contact_phone, "contact_email": e.contact_email,
            "region_code": e.region_code, "industry_codes": list(e.industry_codes), "created_at": e.created_at}


def _need_row(n: Any, vector: Any, links: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": n.id, "enterprise_id": n.enterprise_id, "kind": n.kind, "title": n.title,
            "description": n.description, "quantity": n.quantity, "unit": n.unit, "deadline": n.deadline,
            "budget_min": n.budget_min, "budget_max": n.budget_max, "status": n.status, "embedding": vector.tolist(),
            "created_at": n.created_at, "links": links, "certification_codes": list(n.required_certification_codes),
            "region_codes": [n.region_code] if n.region_code else [], "material_code": n.material_code}


def _batches(items: list[Any], size: int = BATCH) -> list[list[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


async def load_sample(db: Database, embedder: Embedder, directory: Path | None = None,
                      progress: bool = True) -> dict[str, int]:
    """Load the sample providers, statements, offers, enterprises and needs.

    Free text is linked and embedded exactly as the API does it: the embedded text comes from
    :mod:`matching.texts` and the links from :mod:`matching.capability_links` (same taxonomy kind per
    subject, same declared codes). A need's ``declared_capability_codes`` and an offer's process code
    are what a client would send as ``capabilityCodes``; the generator's ground-truth codes of
    statements and needs are not used here — they are for evaluation.
    """
    from matching.linking import TaxonomyLinker
    from seed.sample import read_sample

    sample = read_sample(directory or default_sample_dir())
    linker = await TaxonomyLinker.build(db, embedder)
    cache = EmbeddingCache(embedder)
    provider_kinds = {p.id: p.kind for p in sample.providers}
    sample_offers = [o for o in sample.capacity_offers if provider_kinds.get(o.provider_id) == "MANUFACTURER"]
    statement_texts = [statement_text(s.text) for s in sample.capability_statements]
    offer_texts = [offer_text(o.process_text, o.description) for o in sample_offers]
    process_texts = [o.process_text.strip() for o in sample_offers]
    need_texts = [need_text(n.title, n.description) for n in sample.needs]
    total_texts = sum(len(set(texts)) for texts in (statement_texts, offer_texts, need_texts))
    with tqdm(total=total_texts, desc="embedding sample texts", unit="text", disable=not progress) as bar:
        statement_vectors = cache.passages(statement_texts, progress=bar.update)
        offer_vectors = cache.passages(offer_texts, progress=bar.update)
        need_vectors = cache.queries(need_texts, progress=bar.update)

    # linked with the vectors they are stored with (statements and offers: passages), as the API does
    statements = [
        _statement_row(s, vector, link_rows(link_statement(linker, vector, text, provider_kinds[s.provider_id])))
        for s, text, vector in zip(sample.capability_statements, statement_texts, statement_vectors, strict=True)]
    offers = [_offer_row(o, vector, link_rows(link_offer(linker, vector, text, [o.capability_code])))
              for o, text, vector in zip(sample_offers, process_texts, offer_vectors, strict=True)]
    enterprises = [_enterprise_row(e) for e in sample.enterprises]
    needs = [_need_row(n, vector, link_rows(link_need(linker, vector, text, n.kind, n.declared_capability_codes)))
             for n, text, vector in zip(sample.needs, need_texts, need_vectors, strict=True)]
    plan = [
        ("providers", bulk.upsert_providers, [_provider_row(p) for p in sample.providers]),
        ("capability_statements", bulk.upsert_capability_statements, statements),
        ("capacity_offers", bulk.upsert_capacity_offers, offers),
        ("enterprises", bulk.upsert_enterprises, enterprises),
        ("needs", bulk.upsert_needs, needs),
    ]
    with tqdm(total=sum(len(rows) for _, _, rows in plan), desc="writing sample", unit="row",
              disable=not progress) as bar:
        for _name, write, rows in plan:
            for batch in _batches(rows):
                await write(db, batch)
                bar.update(len(batch))
    return {name: len(rows) for name, _, rows in plan}


# ------------------------------------------------------------------------------------------- scale

ENTERPRISES_PER_PROVIDER = 0.32  # the sample's proportions: 320 enterprises, 240 needs per 1,000 providers
NEEDS_PER_PROVIDER = 0.24


class _DerivedVectors:
    """Vectors for scale data without running the model on every text: the capability node's own
    embedding plus small deterministic noise, renormalised. Good enough to exercise the vector index
    at 10⁵–10⁶ nodes (its size and recall behaviour), not for judging match quality."""

    def __init__(self, capability_vectors: dict[str, Any], dimension: int):
        import numpy as np

        self.np = np
        self.capability_vectors = {code: np.asarray(v, dtype=np.float32) for code, v in capability_vectors.items()}
        self.dimension = dimension

    def __call__(self, code: str | None, key: str) -> Any:
        np = self.np
        rng = np.random.default_rng(int(hashlib.sha256(key.encode()).hexdigest()[:12], 16))
        base = self.capability_vectors.get(code or "", np.zeros(self.dimension, dtype=np.float32))
        vector = base + rng.normal(0.0, 0.02, self.dimension).astype(np.float32)
        return vector / np.linalg.norm(vector)


