"""The matching engine: matches for a need, consortia, and opportunities for a provider.

Flow for one need (docs/MATCHING.md has the whole story):

1. **retrieve** candidates — the nearest providers by vector among those that pass the need's
   kind, listing, region and certification constraints (exact, in process:
   :mod:`matching.provider_index`), the most confident taxonomy links to the need's capabilities,
   their descendants and parent (same index, same constraints), and full-text hits (statements,
   offers, providers; Neo4j's Lucene indexes) that the same constraints admit;
2. **constrain** in Cypher — kind, certifications, region, and for capacity the offer's unit, MOQ,
   window and volume (``graph.repositories.constraints.pair_features``);
3. **score and explain** in Python (:mod:`matching.candidates`, :mod:`matching.scoring`);
4. **store** the best :data:`MATCHES_KEPT` as Match nodes with a fingerprint of the data they were
   computed from; a later read recomputes when the fingerprint changed (:mod:`matching.freshness`).
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graph.db import Database
from graph.repositories import constraints as constraints_repo
from graph.repositories import freshness as freshness_repo
from graph.repositories import matches as matches_repo
from graph.repositories import parties as parties_repo
from graph.repositories import retrieval as retrieval_repo
from matching import freshness
from matching.candidates import Candidate, NeedContext, build_candidate, match_id
from matching.consortia import MEMBER_RELEVANCE_SHARE, Member, Proposal, propose
from matching.embedding import Embedder
from matching.provider_index import CapacityTerms, index_for
from matching.retrieval import fuse, lexical_scores
from matching.scoring import FALLBACK_MARGIN, SIMILAR_OFFER_COSINE
from matching.taxonomy import Taxonomy, load_taxonomy
from matching.texts import need_text
from matching.validation import ErrorCode

MATCHES_KEPT = 50  # stored per need; `matches` pages over these
VECTOR_K = 200  # nearest constraint-passing providers by vector (and full-text hits per index)
TAXONOMY_K = 400  # providers by taxonomy link confidence
MAX_CANDIDATES = 150  # constraint-passing providers scored per need
OPPORTUNITY_K = 50  # needs fetched per statement/offer of the provider
MAX_OPPORTUNITY_CANDIDATES = 300
# a match the enterprise accepted and that is under way or done (matching.deals.lifecycle)
DEAL_STATUSES = ("ACCEPTED", "CONTRACTED", "DELIVERED", "COMPLETED")
# A capacity need with fewer providers than this whose offer is for a related process gets the process gate's
# fallback (matching.constraints.offer_process): retrieval never gates everything out.
FALLBACK_BELOW = 3


class MatchingError(Exception):
    """A business refusal of the matching engine: an :class:`~matching.validation.ErrorCode`, a message and
    the input field it is about, in the engine's own snake_case (the API spells it as clients do)."""

    code: ErrorCode = ErrorCode.INVALID_STATE

    def __init__(self, message: str, field: str | None = None, code: ErrorCode | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class NotFound(MatchingError):
    code = ErrorCode.NOT_FOUND


@dataclass
class MatchResult:
    id: str
    need_id: str
    provider_id: str
    provider_name: str
    provider_kind: str
    offer_id: str | None
    score: float
    status: str
    explanation: dict[str, Any]
    reason: str | None = None
    computed_at: str | None = None
    decided_at: str | None = None
    booked_volume: float | None = None
    as_of: date | None = None


@dataclass
class MatchPage:
    need_id: str
    items: list[MatchResult]
    total: int
    has_next: bool
    as_of: date
    recomputed: bool
    computed_at: str | None = None


@dataclass
class StoredRead:
    """A need, its data signature and one page of its stored matches, read in one round trip
    (:func:`read_stored`); ``page`` is the (first, after, min_score, provider_id) the rows are for."""
    need: NeedContext
    signature: dict[str, Any]
    rows: list[dict[str, Any]]
    page: tuple[int, tuple[float, str] | None, float, str | None]


@dataclass
class ConsortiaResult:
    need_id: str
    as_of: date
    single_provider_feasible: bool
    reason: str
    proposals: list[Proposal] = field(default_factory=list)


@dataclass
class Opportunity:
    need: NeedContext
    score: float
    explanation: dict[str, Any]
    match_id: str
    match_status: str | None
    enterprise: dict[str, Any] | None


@dataclass
class OpportunityPage:
    provider_id: str
    items: list[Opportunity]
    total: int
    has_next: bool
    as_of: date


# --------------------------------------------------------------------------------------- need side


async def load_need(db: Database, need_id: str) -> NeedContext:
    """The need's context, with its freshness signature read in the same round trip."""
    row, signature = await parties_repo.need_with_signature(db, need_id)
    if row is None:
        raise NotFound(f"need {need_id} does not exist", "need_id")
    need = NeedContext.from_row(row)
    need.signature, need.global_version = signature, freshness_repo.global_version(signature)
    return need


async def read_stored(db: Database, need_id: str, *, first: int = 20, after: tuple[float, str] | None = None,
                      min_score: float = 0.0, provider_id: str | None = None) -> StoredRead:
    """What ``match_need(stored=…)`` needs when the stored matches are current: no other round trip."""
    row = await matches_repo.need_with_stored_page(db, need_id, limit=first, min_score=min_score, after=after,
                                                   provider_id=provider_id)
    if row is None:
        raise NotFound(f"need {need_id} does not exist", "need_id")
    need, signature = NeedContext.from_row(row), freshness_repo.signature_of(row)
    need.signature, need.global_version = signature, freshness_repo.global_version(signature)
    return StoredRead(need, signature, row["stored_page"], (first, after, min_score, provider_id))


async def _ensure_vector(db: Database, embedder: Embedder, need: NeedContext) -> list[float]:
    """The need's stored embedding, or one computed (and stored) from its title and description."""
    if need.embedding:
        return list(need.embedding)
    vector = (await embedder.aencode_queries([need_text(need.title, need.description) or need.id]))[0].tolist()
    await parties_repo.set_need_embedding(db, need.id, vector)
    need.embedding = vector
    return vector


async def _link_if_unlinked(need: NeedContext, linker: Any) -> None:
    """A need stored without taxonomy links is linked in memory (nothing is written)."""
    if need.capabilities or linker is None or not need.text:
        return
    links = (await linker.link_capabilities([need.text]))[0]
    need.capabilities = [{"code": link.code, "confidence": link.confidence, "method": link.method}
                         for link in links]


@dataclass
class Retrieval:
    """Who a need's candidates are (``provider_ids``, at most :data:`MAX_CANDIDATES`, by pre-score) and what
    scoring needs from retrieval: relative full-text scores and the taxonomy."""

    provider_ids: list[str]
    lexical: dict[str, float]
    searched_text: bool
    taxonomy: Taxonomy


async def retrieve(db: Database, embedder: Embedder, need: NeedContext, as_of: date, partial: bool = False,
                   linker: Any = None) -> Retrieval:
    """Nearest by vector and by taxonomy link in process (exact, under the hard constraints; for capacity
    needs only offers that can deliver) while Neo4j searches the words; full-text hits are kept when
    the same constraints admit them. Fused by pre-score (:func:`matching.retrieval.fuse`)."""
    vector = await _ensure_vector(db, embedder, need)
    await _link_if_unlinked(need, linker)
    taxonomy = await load_taxonomy(db, need.global_version)  # read with the need: no round trip when current
    codes = taxonomy.retrieval_scope([c["code"] for c in need.capabilities])
    text = need_text(need.title, need.description)  # without RFQ boilerplate
    searched_text = bool(text and re.search(r"\w", text))
    terms = CapacityTerms(need.quantity, need.unit, need.deadline, partial) if need.kind == "CAPACITY" else None
    retrieved = await index_for(db).search(
        db, vector, capacity=need.kind == "CAPACITY", regions=[r["code"] for r in need.regions],
        certifications=[c["code"] for c in need.certifications], as_of=as_of, k=VECTOR_K, codes=codes,
        k_taxonomy=TAXONOMY_K, terms=terms, text=text if searched_text else None)
    rows = list(retrieved.text_hits)
    rows += [{"source": "VECTOR", "provider_id": pid, "score": score} for pid, score in retrieved.nearest]
    rows += [{"source": "TAXONOMY", "provider_id": pid, "score": score} for pid, score in retrieved.linked]
    lexical = lexical_scores(rows)
    return Retrieval(fuse(rows, MAX_CANDIDATES, lexical=lexical), lexical, searched_text, taxonomy)


async def compute_candidates(db: Database, embedder: Embedder, need: NeedContext, as_of: date,
                             partial: bool = False, linker: Any = None) -> list[Candidate]:
    """Every relevant provider that passes the hard constraints, scored, best first.

    ``partial`` (consortia): capacity offers need only some deliverable volume, not the whole quantity.
    """
    found = await retrieve(db, embedder, need, as_of, partial, linker)
    provider_ids, lexical, taxonomy, text = found.provider_ids, found.lexical, found.taxonomy, found.searched_text
    pairs = [{"need_id": need.id, "provider_id": pid} for pid in provider_ids]
    features = await constraints_repo.pair_features(db, pairs, as_of, partial=partial)

    def build(fallback: float | None) -> list[Candidate]:
        built = (build_candidate(need, row, taxonomy, lexical.get(row["provider_id"], 0.0) if text else None,
                                 partial=partial, fallback=fallback) for row in features)
        return [c for c in built if c is not None and c.relevant]

    candidates = build(None)
    best_offer = max((o.get("similarity") or 0.0 for row in features for o in row.get("offers") or []), default=0.0)
    if need.kind == "CAPACITY" and len(candidates) < FALLBACK_BELOW and best_offer > 0:
        # the taxonomy gate left (almost) nothing: the need's links may be wrong, so offers whose own text is
        # about as close to the need as the closest offer count too (relation SIMILAR, no taxonomy credit)
        candidates = build(max(SIMILAR_OFFER_COSINE, best_offer - FALLBACK_MARGIN))
    candidates.sort(key=lambda c: (-c.score.total, c.provider_id))
    return candidates


def _result(candidate: Candidate, as_of: date) -> MatchResult:
    return MatchResult(id=candidate.id, need_id=candidate.need_id, provider_id=candidate.provider_id,
                       provider_name=candidate.provider_name, provider_kind=candidate.provider_kind,
                       offer_id=candidate.offer_id, score=candidate.score.total,
                       status=candidate.existing_status or "PROPOSED", explanation=candidate.explanation,
                       as_of=as_of)


def _page(items: list[MatchResult], first: int, after: tuple[float, str] | None,
          min_score: float) -> tuple[list[MatchResult], int, bool]:
    """In-memory keyset page (used for results that are not stored: a past ``asOf``)."""
    kept = [m for m in items if m.score >= min_score]
    rest = [m for m in kept if after is None or m.score < after[0] or (m.score == after[0] and m.id > after[1])]
    return rest[:first], len(kept), len(rest) > first


async def match_need(db: Database, embedder: Embedder, need_id: str, *, as_of: date | None = None,
                     first: int = 20, after: tuple[float, str] | None = None, min_score: float = 0.0,
                     provider_id: str | None = None, linker: Any = None,
                     need: NeedContext | None = None, recompute: bool = True,
                     stored: StoredRead | None = None) -> MatchPage:
    """A page of the need's matches, best first, recomputed first if the stored ones are stale.

    ``as_of`` other than today computes the matches as of that date without storing them (staff and
    tests reproduce a past result); ``provider_id`` restricts the page to that provider's match;
    ``need`` is the need's context when the caller just loaded it (to check who may see it);
    ``recompute=False`` serves what is stored, stale or not (a provider's view: it never triggers work);
    ``stored`` (:func:`read_stored`) is the need, signature and page just read: served as is when current.
    """
    today = freshness.today()
    as_of = as_of or today
    if stored is not None:
        need, signature = stored.need, stored.signature
    else:
        if need is None:
            need = await load_need(db, need_id)  # the signature comes with it
        signature = need.signature if need.signature is not None else await freshness_repo.data_signature(db, need.id)
    if as_of != today:
        candidates = await compute_candidates(db, embedder, need, as_of, linker=linker)
        results = [_result(c, as_of) for c in candidates
                   if c.existing_status != "REJECTED" and (provider_id is None or c.provider_id == provider_id)]
        items, total, has_next = _page(results[:MATCHES_KEPT], first, after, min_score)
        return MatchPage(need_id, items, total, has_next, as_of, recomputed=True)
    fingerprint = freshness.fingerprint(need, signature, as_of)
    recomputed = False
    if recompute and need.status == "OPEN" and freshness.is_stale(need, fingerprint):
        candidates = await compute_candidates(db, embedder, need, as_of, linker=linker)
        proposals = [c for c in candidates if c.existing_status in (None, "PROPOSED")][:MATCHES_KEPT]
        await matches_repo.store_matches(db, need.id, [_stored_row(c) for c in proposals], fingerprint, as_of)
        recomputed = True
    if stored is not None and not recomputed and stored.page == (first, after, min_score, provider_id):
        rows = stored.rows
    else:
        rows = await matches_repo.stored_matches(db, need.id, limit=first, min_score=min_score, after=after,
                                                 provider_id=provider_id)
    items = [_stored_result(row) for row in rows if row["match"] is not None]
    total = rows[0]["total"] if rows else 0
    has_next = bool(rows[0]["has_next"]) if rows else False
    computed = max((m.computed_at for m in items if m.computed_at), default=None)
    return MatchPage(need.id, items, total, has_next, as_of, recomputed, computed)


async def get_match(db: Database, match_id: str) -> MatchResult:
    row = await matches_repo.match_by_id(db, match_id)
    if row is None:
        raise NotFound(f"match {match_id} does not exist", "match_id")
    return _stored_result(row)


def _stored_row(candidate: Candidate) -> dict[str, Any]:
    return {"id": candidate.id, "provider_id": candidate.provider_id, "offer_id": candidate.offer_id,
            "score": candidate.score.total,
            "explanation": json.dumps(candidate.explanation, ensure_ascii=False, sort_keys=True)}


def _stored_result(row: dict[str, Any]) -> MatchResult:
    match, provider, offer = row["match"], row["provider"], row.get("offer")
    as_of = match.get("as_of")
    return MatchResult(
        id=match["id"], need_id=row["need_id"], provider_id=provider["id"], provider_name=provider["name"],
        provider_kind=provider.get("kind") or "", offer_id=offer["id"] if offer else None,
        score=float(match["score"] or 0.0), status=match["status"],
        explanation=json.loads(match["explanation"]) if match.get("explanation") else {},
        reason=match.get("reason"), computed_at=match.get("computed_at"), decided_at=match.get("decided_at"),
        booked_volume=match.get("booked_volume"),
        as_of=as_of.to_native() if hasattr(as_of, "to_native") else as_of)


# ------------------------------------------------------------------------------------------ consortia


async def consortia(db: Database, embedder: Embedder, need_id: str, *, as_of: date | None = None,
                    linker: Any = None) -> ConsortiaResult:
    """Consortia of 2–4 manufacturers for a capacity need no single manufacturer can deliver."""
    as_of = as_of or freshness.today()
    need = await load_need(db, need_id)
    if need.kind != "CAPACITY":
        return ConsortiaResult(need.id, as_of, False, "consortia are for capacity needs only")
    if need.quantity is None:
        return ConsortiaResult(need.id, as_of, False, "the need names no quantity to share")
    candidates = await compute_candidates(db, embedder, need, as_of, partial=True, linker=linker)
    candidates = [c for c in candidates if c.existing_status != "REJECTED"]
    whole = [c for c in candidates if c.offer and c.offer.get("volume_ok") and c.offer.get("moq_ok")]
    if whole:
        return ConsortiaResult(need.id, as_of, True,
                               f"{len(whole)} manufacturer(s) can deliver the whole quantity alone; "
                               "see matches")
    if not candidates:
        return ConsortiaResult(need.id, as_of, False,
                               "no manufacturer passes the certification, region, unit and window constraints")
    best_relevance = max(c.score.relevance for c in candidates)
    members = [_member(c) for c in candidates
               if c.clearly_relevant and c.score.relevance >= MEMBER_RELEVANCE_SHARE * best_relevance and c.offer
               and (c.deliverable is None or c.deliverable > 0)]
    proposals = propose(members, float(need.quantity), need.unit)
    reason = (f"no single manufacturer can deliver {need.quantity:g} {need.unit or ''} in time; "
              f"{len(proposals)} consortium proposal(s) from {len(members)} relevant manufacturer(s)"
              if proposals else
              f"no single manufacturer can deliver, and no 2–4 of the {len(members)} relevant manufacturers "
              "can together")
    return ConsortiaResult(need.id, as_of, False, reason, proposals)


def _member(candidate: Candidate) -> Member:
    offer = candidate.offer or {}
    deliverable = offer.get("deliverable")
    return Member(candidate.provider_id, candidate.provider_name, offer["id"], candidate.score.total,
                  float("inf") if deliverable is None else float(deliverable), float(offer.get("moq") or 0),
                  offer.get("unit"))


# -------------------------------------------------------------------------------------- opportunities


async def opportunities(db: Database, provider_id: str, *, as_of: date | None = None, first: int = 20,
                        after: tuple[float, str] | None = None) -> OpportunityPage:
    """Open needs that fit a provider: the need's matching run in reverse, same constraints, same score.

    Candidates: the ``need_embedding`` index queried with each of the provider's statements and
    published offers, plus needs whose capabilities are linked to the provider's (same node,
    descendant or parent). No full-text branch, so the lexical part does not apply here. Needs on
    which the provider's match was ACCEPTED are always listed (with their stored score), REJECTED
    ones never.
    """
    as_of = as_of or freshness.today()
    if await parties_repo.provider_summary(db, provider_id) is None:
        raise NotFound(f"provider {provider_id} does not exist", "providerId")
    rows, accepted = await asyncio.gather(retrieval_repo.retrieve_needs(db, provider_id, OPPORTUNITY_K),
                                          matches_repo.accepted_for_provider(db, provider_id))
    deals = {row["need_id"]: row for row in accepted}
    need_ids = fuse(rows, MAX_OPPORTUNITY_CANDIDATES, key="need_id")
    pairs = [{"need_id": nid, "provider_id": provider_id} for nid in need_ids if nid not in deals]
    features, contexts, taxonomy = await asyncio.gather(
        constraints_repo.pair_features(db, pairs, as_of), parties_repo.need_contexts(db, [*need_ids, *deals]),
        load_taxonomy(db))
    needs = {row["id"]: NeedContext.from_row(row) for row in contexts}
    scored: list[tuple[float, dict[str, Any], NeedContext]] = [
        (float(deal["score"] or 0.0), json.loads(deal["explanation"] or "{}"), needs[nid])
        for nid, deal in deals.items() if nid in needs]
    for row in features:
        need = needs.get(row["need_id"])
        if need is None or row.get("existing_status") == "REJECTED":
            continue
        candidate = build_candidate(need, row, taxonomy, None)
        if candidate is not None and candidate.clearly_relevant:
            scored.append((candidate.score.total, candidate.explanation, need))
    scored.sort(key=lambda item: (-item[0], item[2].id))
    rest = [item for item in scored
            if after is None or item[0] < after[0] or (item[0] == after[0] and item[2].id > after[1])]
    page = rest[:first]
    statuses, contacts = await asyncio.gather(
        matches_repo.match_status_for_pairs(db, [{"need_id": n.id, "provider_id": provider_id} for _, _, n in page]),
        parties_repo.enterprise_contacts(db, [n.id for _, _, n in page]))
    status_by_need = {r["need_id"]: r["status"] for r in statuses}
    contact_by_need = {r["need_id"]: r for r in contacts}
    items = []
    for score, explanation, need in page:
        status = status_by_need.get(need.id)
        enterprise = dict(contact_by_need.get(need.id) or {})
        if status not in DEAL_STATUSES:  # contact details only once the enterprise accepted this provider
            for key in ("contact_name", "contact_phone", "contact_email"):
                enterprise[key] = None
        items.append(Opportunity(need, score, explanation, match_id(need.id, provider_id), status,
                                 enterprise or None))
    return OpportunityPage(provider_id, items, len(scored), len(rest) > first, as_of)
