"""Root fields of the curation domain, as mixins of the root Query / Mutation.

Who may do what: every field here is STAFF only (queries answer FORBIDDEN / UNAUTHENTICATED errors,
mutations return them in ``errors`` and change nothing). Each mutation is one transaction with its
audit event (``matching.curation.commands``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import strawberry

from api.curation.enums import ListingStatus, TermKind, Verification
from api.curation.inputs import (
    CreateTermNodeInput,
    MapTermInput,
    PublishEditionInput,
    ReviewProviderInput,
    VerifyCertificationInput,
)
from api.curation.types import (
    AuditEvent,
    AuditLogPage,
    DuplicateCandidate,
    Edition,
    ExpiringCertification,
    MapTermPayload,
    PublishEditionPayload,
    ReviewItem,
    ReviewProviderPayload,
    TermMentions,
    UnverifiedTerm,
    VerifyCertificationPayload,
)
from api.errors import ApiError
from api.inputs import node_key
from api.pagination import check_first, decode_cursor, encode_cursor
from api.payloads import UserError, fresh
from api.providers.types import Provider, provider_from_row
from api.reference.types import Certification
from graph.repositories import audit, editions, lookups, unverified_terms
from graph.repositories import curation as curation_repo
from graph.viewer import Viewer
from matching.curation import staff
from matching.curation.policy import EXPIRY_WINDOW_DAYS, Decision
from matching.curation.policy import Verification as VerificationValue
from matching.freshness import today
from matching.intake import Outcome
from matching.validation import ErrorCode
from matching.validation import UserError as Problem

PROVIDER_TYPES = ("ServiceProvider", "Manufacturer")


def _gate(viewer: Viewer) -> Problem | None:
    if not viewer.authenticated:
        return Problem(ErrorCode.UNAUTHENTICATED, None, "staff actions need an API token (Authorization: Bearer …)")
    if not viewer.is_staff:
        return Problem(ErrorCode.FORBIDDEN, None, f"staff actions need a STAFF token, not {viewer.role}")
    return None


def _require_staff(info: strawberry.Info) -> Viewer:
    viewer: Viewer = info.context.viewer
    denied = _gate(viewer)
    if denied:
        raise ApiError(denied.message, code=denied.code.value)
    return viewer


def _errors(outcome: Outcome) -> list[UserError]:
    return [UserError.of(problem) for problem in outcome.errors]


def _provider_key(value: str) -> str:
    return node_key(value, PROVIDER_TYPES, "prv_") or ""


async def _provider(info: strawberry.Info, provider_id: str | None) -> Provider | None:
    if not provider_id:
        return None
    return provider_from_row(await fresh(info).provider.load(provider_id))


@strawberry.type
class CurationMutation:
    @strawberry.mutation(description="STAFF: list, reject or suspend a provider (APPLIED→LISTED|REJECTED, "
                                     "LISTED→SUSPENDED, SUSPENDED→LISTED|REJECTED). Audited.")
    async def review_provider(self, info: strawberry.Info, input: ReviewProviderInput) -> ReviewProviderPayload:
        key = _provider_key(str(input.provider_id))
        outcome, result = await staff.review_provider(await info.context.intake(), info.context.viewer, key,
                                                      Decision(input.decision.value), input.reason)
        return ReviewProviderPayload(errors=_errors(outcome),
                                     provider=await _provider(info, key) if result else None,
                                     listing_status=ListingStatus(result["listing_status"]) if result else None)

    @strawberry.mutation(description="STAFF: VERIFIED or REJECTED for a held certificate, with evidence. Audited.")
    async def verify_certification(self, info: strawberry.Info,
                                   input: VerifyCertificationInput) -> VerifyCertificationPayload:
        key = _provider_key(str(input.provider_id))
        outcome, result = await staff.verify_certification(
            await info.context.intake(), info.context.viewer, key, input.certification,
            VerificationValue(input.verification.value), input.evidence)
        return VerifyCertificationPayload(errors=_errors(outcome),
                                          provider=await _provider(info, key) if result else None,
                                          verification=Verification(result["verification"]) if result else None)

    @strawberry.mutation(description="STAFF: map an unverified term to an existing node (alias + re-link every "
                                     "mention, one transaction). Audited.")
    async def map_term(self, info: strawberry.Info, input: MapTermInput) -> MapTermPayload:
        outcome, result = await staff.map_term(await info.context.intake(), info.context.viewer, input.term,
                                               input.code)
        return _term_payload(info, outcome, result)

    @strawberry.mutation(description="STAFF: create a reference node for an unverified term and map the term to "
                                     "it. Audited.")
    async def create_term_node(self, info: strawberry.Info, input: CreateTermNodeInput) -> MapTermPayload:
        outcome, result = await staff.create_term_node(await info.context.intake(), info.context.viewer,
                                                       input.term, input.code, input.name)
        return _term_payload(info, outcome, result)

    @strawberry.mutation(description="STAFF: publish the next 名录 edition (a snapshot of the LISTED pool). Audited.")
    async def publish_edition(self, info: strawberry.Info, input: PublishEditionInput) -> PublishEditionPayload:
        outcome, result = await staff.publish_edition(await info.context.intake(), info.context.viewer, input.title,
                                                      input.category, input.region)
        return PublishEditionPayload(errors=_errors(outcome), edition=Edition.from_row(result) if result else None)


def _term_payload(info: strawberry.Info, outcome: Outcome, result: dict[str, Any] | None) -> MapTermPayload:
    if result:
        info.context.services.forget_linker()  # the new alias resolves from the next request on
    return MapTermPayload(errors=_errors(outcome), code=result["code"] if result else None,
                          relinked=result["relinked"] if result else 0)


@strawberry.type
class CurationQuery:
    @strawberry.field(description="STAFF: providers in a listing status (default APPLIED), oldest first, with "
                                  "possible duplicates.")
    async def review_queue(self, info: strawberry.Info, status: ListingStatus = ListingStatus.APPLIED,
                           first: int | None = 20) -> list[ReviewItem]:
        _require_staff(info)
        rows = await curation_repo.review_queue(info.context.db, status.value, check_first(first))
        ids = [r["id"] for r in rows] + [c["id"] for r in rows for c in r["candidates"]]
        loaded = dict(zip(ids, await info.context.loaders.provider.load_many(ids), strict=True))
        return [ReviewItem(provider=provider_from_row(loaded[r["id"]]), listing_status=status,
                           registered_at=r["created_at"],
                           candidates=[DuplicateCandidate(provider=provider_from_row(loaded[c["id"]]),
                                                          similarity=c["similarity"] or 0.0)
                                       for c in r["candidates"]])
                for r in rows]

    @strawberry.field(description="STAFF: unverified terms with how often they were typed, most frequent first.")
    async def unverified_terms(self, info: strawberry.Info, kind: TermKind | None = None,
                               first: int | None = 50) -> list[UnverifiedTerm]:
        _require_staff(info)
        rows = await unverified_terms.queue(info.context.db, kind.value if kind else None, "OPEN", check_first(first))
        return [UnverifiedTerm(key=r["key"], kind=TermKind(r["kind"]), text=r["text"], mentions=r["mentions"],
                               by_label=[TermMentions(label=b["label"], count=b["n"]) for b in r["by_label"] if b],
                               first_seen=r["first_seen"]) for r in rows]

    @strawberry.field(description="STAFF: the audit log, newest first.")
    async def audit_log(self, info: strawberry.Info, first: int | None = 20, after: str | None = None,
                        actor: str | None = None, action: str | None = None,
                        target: str | None = None) -> AuditLogPage:
        _require_staff(info)
        size = check_first(first)
        after_at, after_id = decode_cursor(after, "AUDIT") if after else (None, None)
        if after_at is not None:
            after_at = datetime.fromisoformat(after_at)
        events = await audit.page(info.context.db, size + 1, actor=actor and actor[:200],
                                  action=action and action[:100], target=target and target[:300],
                                  after_at=after_at, after_id=after_id)
        more = len(events) > size
        events = events[:size]
        cursor = encode_cursor("AUDIT", events[-1]["at"].isoformat(), events[-1]["id"]) if more else None
        return AuditLogPage(events=[AuditEvent(**e) for e in events], next_cursor=cursor)

    @strawberry.field(description="STAFF: published 名录 editions, newest first.")
    async def editions(self, info: strawberry.Info, first: int | None = 20) -> list[Edition]:
        _require_staff(info)
        return [Edition.from_row(dict(r)) for r in await editions.listing(info.context.db, check_first(first))]

    @strawberry.field(description="STAFF: certificates that run out within `withinDays` (and ACTIVE ones already "
                                  "past their date), soonest first: the daily expiry view.")
    async def expiring_certifications(self, info: strawberry.Info, within_days: int = EXPIRY_WINDOW_DAYS,
                                      first: int | None = 50) -> list[ExpiringCertification]:
        _require_staff(info)
        if not 0 <= within_days <= 366:
            raise ApiError("withinDays must be between 0 and 366", field="withinDays")
        now = today()
        rows = await curation_repo.expiring_certificates(info.context.db, now, now + timedelta(days=within_days),
                                                         check_first(first))
        certs = {r["code"]: r for r in await lookups.by_codes(info.context.db, "Certification",
                                                              sorted({r["code"] for r in rows}))}
        providers = await info.context.loaders.provider.load_many([r["provider_id"] for r in rows])
        return [ExpiringCertification(provider=provider_from_row(p),
                                      certification=Certification.from_row(certs[r["code"]]) if r["code"] in certs
                                      else None, valid_until=r["valid_until"],
                                      days_left=(r["valid_until"] - now).days,
                                      verification=Verification(r["verification"]))
                for r, p in zip(rows, providers, strict=True)]
