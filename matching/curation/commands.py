"""The curation steps, each the body of one write transaction: the state check, the change and its
audit event commit together or not at all. A refused step raises the intake's one
:class:`~matching.intake.runner.Refusal` and changes nothing.

Who may run them is decided before (the STAFF gate of the API's command runner); ``actor`` is what
the audit log records (:func:`actor_of`).
"""

from __future__ import annotations

from typing import Any

from graph.db import Tx
from graph.lucene import lucene_query
from graph.repositories import audit, editions, unverified_terms
from graph.repositories import curation as curation_repo
from graph.viewer import Viewer
from matching.aliases import normalise
from matching.curation.duplicates import Candidate, Judgement, Verdict, judge
from matching.curation.files import entry_from_snapshot
from matching.curation.policy import (
    DUPLICATE_CANDIDATES,
    MAX_EVIDENCE,
    MAX_REASON,
    SYSTEM_ACTOR,
    Decision,
    ListingStatus,
    Verification,
    allowed_decisions,
    next_listing,
)
from matching.intake.runner import Refusal
from matching.validation import ErrorCode, UserError


def actor_of(viewer: Viewer) -> str:
    """How the audit log names a person: ``STAFF:<organisation text of the token>`` (or its token id)."""
    return f"{viewer.role or 'ANONYMOUS'}:{viewer.org_id or viewer.token_id or '?'}"


def _reason(reason: str | None, required: bool, field: str = "reason") -> str | None:
    text = (reason or "").strip() or None
    if required and text is None:
        raise Refusal(UserError(ErrorCode.REQUIRED, field, f"{field} is required for this decision"))
    if text is not None and len(text) > MAX_REASON:
        raise Refusal(UserError(ErrorCode.TOO_LONG, field, f"{field} has {len(text)} characters; at most {MAX_REASON}"))
    return text


# ---------------------------------------------------------------------------------------- admission


async def review_provider(tx: Tx, actor: str, provider_id: str, decision: Decision,
                          reason: str | None) -> dict[str, Any]:
    """Staff decide on a provider's listing. REJECT and SUSPEND need a reason (the provider reads it)."""
    text = _reason(reason, required=decision in (Decision.REJECT, Decision.SUSPEND))
    current = await curation_repo.listing(tx, provider_id)
    if current is None:
        raise Refusal(UserError(ErrorCode.NOT_FOUND, "provider_id", f"no provider {provider_id}"))
    status = ListingStatus(current["status"] or ListingStatus.APPLIED.value)
    target = next_listing(status, decision)
    if target is None:
        allowed = ", ".join(d.value for d in allowed_decisions(status)) or "none"
        raise Refusal(UserError(ErrorCode.INVALID_STATE, "decision",
                                f"a {status.value} provider cannot be {decision.value}ed; allowed: {allowed}"))
    if not await curation_repo.set_listing(tx, provider_id, current["status"], target.value, decision.value, text,
                                           actor):
        raise Refusal(UserError(ErrorCode.INVALID_STATE, None, "the provider's status changed meanwhile; reload it"))
    await audit.record(tx, actor, "provider.review", provider_id, {"listing_status": current["status"]},
                       {"listing_status": target.value, "decision": decision.value, "reason": text})
    return {"provider_id": provider_id, "listing_status": target.value}


async def judge_registration(tx: Tx, name: str, credit_code: str | None, region_code: str | None,
                             extra: tuple[Candidate, ...] = ()) -> Judgement:
    """The duplicate verdict on a new provider against the pool (and ``extra`` candidates, e.g. the
    earlier rows of the same import file)."""
    rows = await curation_repo.duplicate_candidates(tx, (credit_code or "").strip() or None, lucene_query(name) or "",
                                                    region_code, DUPLICATE_CANDIDATES)
    candidates = [Candidate(r["id"], r["name"] or "", r["credit_code"], bool(r["same_region"])) for r in rows]
    return judge(name, credit_code, candidates + list(extra))


def duplicate_error(judgement: Judgement) -> UserError:
    candidate = judgement.candidate
    assert candidate is not None
    field = "credit_code" if judgement.same_credit_code else "name"
    return UserError(ErrorCode.DUPLICATE, field,
                     f"already registered: {judgement.reason}. Sign in as {candidate.id} or ask staff to merge.")


async def admit(tx: Tx, provider_id: str, judgement: Judgement, auto_list: bool) -> str:
    """The first listing status of a provider just created in ``tx``; returns it.

    NEW and auto-listing: LISTED at once, audited as ``system``. A REVIEW verdict, or no auto-listing:
    APPLIED, waiting for staff; REVIEW also flags the candidate for the review queue.
    """
    if judgement.verdict is Verdict.DUPLICATE:
        raise Refusal(duplicate_error(judgement))
    if judgement.verdict is Verdict.REVIEW and judgement.candidate is not None:
        await curation_repo.flag_duplicate(tx, provider_id, judgement.candidate.id, judgement.similarity)
    if auto_list and judgement.verdict is Verdict.NEW:
        await curation_repo.set_listing(tx, provider_id, None, ListingStatus.LISTED.value, Decision.LIST.value,
                                        "auto-listed (GONGXU_AUTO_LIST)", SYSTEM_ACTOR)
        await audit.record(tx, SYSTEM_ACTOR, "provider.review", provider_id, {"listing_status": None},
                           {"listing_status": "LISTED", "decision": "LIST", "reason": "auto-listed"})
        return ListingStatus.LISTED.value
    reason = judgement.reason if judgement.verdict is Verdict.REVIEW else None
    await curation_repo.set_listing(tx, provider_id, None, ListingStatus.APPLIED.value, "APPLY", reason, "registration")
    return ListingStatus.APPLIED.value


# ------------------------------------------------------------------------------------- certificates


async def verify_certification(tx: Tx, actor: str, provider_id: str, code: str, verdict: Verification,
                               evidence: str | None) -> dict[str, Any]:
    """Staff's verdict on a held certificate: VERIFIED or REJECTED, always with evidence (a certificate
    number and issuer, or the URL of the registry entry; for REJECTED, why)."""
    if verdict is Verification.DECLARED:
        raise Refusal(UserError(ErrorCode.INVALID, "verification", "a verdict is VERIFIED or REJECTED"))
    text = (evidence or "").strip()
    if not text:
        raise Refusal(UserError(ErrorCode.REQUIRED, "evidence", "evidence is required (certificate number, issuer, "
                                                                "registry URL, or why it was rejected)"))
    if len(text) > MAX_EVIDENCE:
        raise Refusal(UserError(ErrorCode.TOO_LONG, "evidence", f"evidence has at most {MAX_EVIDENCE} characters"))
    held = await curation_repo.held_certificate(tx, provider_id, code)
    if held is None:
        raise Refusal(UserError(ErrorCode.NOT_FOUND, "certification",
                                f"provider {provider_id} holds no certificate {code}"))
    await curation_repo.set_verification(tx, provider_id, code, verdict.value, text, actor)
    await audit.record(tx, actor, "certification.verify", f"{provider_id}/{code}",
                       {"verification": held["verification"], "evidence": held["evidence"]},
                       {"verification": verdict.value, "evidence": text})
    return {"provider_id": provider_id, "code": code, "verification": verdict.value}


# ----------------------------------------------------------------------------------------- editions


async def publish_edition(tx: Tx, actor: str, title: str, category: str | None,
                          region: str | None) -> editions.Edition:
    """Snapshot the listed pool (within ``category`` / ``region`` when given) as the next edition."""
    text = _reason(title, required=True, field="title")
    assert text is not None
    snapshot = await editions.listed_snapshot(tx, category, region)
    edition = await editions.create(tx, text, actor, category, region, [entry_from_snapshot(r) for r in snapshot])
    await audit.record(tx, actor, "edition.publish", f"edition/{edition['number']}", None,
                       {"number": edition["number"], "title": text, "category": category, "region": region,
                        "provider_count": edition["provider_count"]})
    return edition


# ------------------------------------------------------------------------------- unverified terms


def term_key(kind: str, text: str) -> str:
    """The key an unverified term is stored under (see graph.repositories.unverified_terms)."""
    return f"{kind}:{normalise(text)}"


async def map_term(tx: Tx, actor: str, key: str, code: str) -> dict[str, Any]:
    """Staff map an unverified term to an existing node: its text becomes an alias of the node and every
    organisation, need or offer that typed it is re-linked to the node, in this one transaction."""
    term = await unverified_terms.term(tx, key)
    if term is None:
        raise Refusal(UserError(ErrorCode.NOT_FOUND, "term", f"no unverified term {key}"))
    if term["status"] != "OPEN":
        raise Refusal(UserError(ErrorCode.INVALID_STATE, "term", f"{term['text']!r} is already mapped"))
    if not await unverified_terms.node_exists(tx, term["kind"], code):
        raise Refusal(UserError(ErrorCode.UNKNOWN_CODE, "code", f"{code!r} is not a {term['kind'].lower()} code"))
    relinked = await unverified_terms.map_term(tx, key, term["kind"], code, actor)
    await audit.record(tx, actor, "term.map", f"term/{key}", {"status": "OPEN", "mentions": term["mentions"]},
                       {"status": "MAPPED", "code": code, "relinked": relinked})
    return {"key": key, "code": code, "relinked": relinked}


async def create_term_node(tx: Tx, actor: str, key: str, code: str, name: str | None) -> dict[str, Any]:
    """Staff judge an unverified term real and new: a node is created (``code``, ``name`` or the term's
    text) and the term mapped to it."""
    term = await unverified_terms.term(tx, key)
    if term is None:
        raise Refusal(UserError(ErrorCode.NOT_FOUND, "term", f"no unverified term {key}"))
    code = code.strip()
    if not code or len(code) > 64:
        raise Refusal(UserError(ErrorCode.INVALID, "code", "a code has 1 to 64 characters"))
    if await unverified_terms.node_exists(tx, term["kind"], code):
        raise Refusal(UserError(ErrorCode.DUPLICATE, "code", f"{code!r} exists: map the term to it instead"))
    label_name = _reason(name, required=False, field="name") or term["text"]
    await unverified_terms.create_node(tx, term["kind"], code, label_name)
    await audit.record(tx, actor, "term.create_node", f"{term['kind'].lower()}/{code}", None,
                       {"code": code, "name": label_name, "from_term": key})
    return await map_term(tx, actor, key, code)
