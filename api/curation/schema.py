"""Root fields of the curation domain, as mixins of the root Query / Mutation.

Who may do what: every field here is STAFF only (queries answer FORBIDDEN / UNAUTHENTICATED errors,
mutations return them in ``errors`` and change nothing). Each mutation is one transaction with its
audit event (``matching.curation.commands``).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

import strawberry

from api.curation.inputs import (
    CreateTermNodeInput,
    ImportProvidersInput,
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
    ImportProvidersPayload,
    ImportRowError,
    ListingStatus,
    MapTermPayload,
    PublishEditionPayload,
    ReviewItem,
    ReviewProviderPayload,
    TermKind,
    TermMentions,
    UnverifiedTerm,
    Verification,
    VerifyCertificationPayload,
)
from api.errors import ApiError
from api.inputs import graphql_path, node_key
from api.pagination import check_first, decode_cursor, encode_cursor
from api.types import Certification, Provider, UserError, provider_from_row
from graph.db import Tx
from graph.repositories import audit, editions, lookups, unverified_terms
from graph.repositories import curation as curation_repo
from graph.repositories.matching import bump_data_version
from graph.viewer import Viewer
from matching.curation import commands, importing
from matching.curation.commands import Refused
from matching.curation.policy import EXPIRY_WINDOW_DAYS, Decision
from matching.curation.policy import Verification as VerificationValue
from matching.freshness import today
from matching.validation import MAX_TERM, ErrorCode
from matching.validation import UserError as Problem

T = TypeVar("T")
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


def _errors(problems: list[Problem]) -> list[UserError]:
    return [UserError(code=p.code, field=graphql_path(p.field), message=p.message) for p in problems]


async def _staff_step(info: strawberry.Info, step: Callable[[Tx, str], Awaitable[T]],
                      stale_matches: bool = False) -> tuple[T | None, list[UserError]]:
    """Gate, then ``step`` in one write transaction; a refusal rolls it back and becomes ``errors``."""
    viewer: Viewer = info.context.viewer
    denied = _gate(viewer)
    if denied:
        return None, _errors([denied])
    actor = commands.actor_of(viewer)

    async def work(tx: Tx) -> T:
        result = await step(tx, actor)
        if stale_matches:
            await bump_data_version(tx)  # listing and verification change who matches
        return result

    try:
        return await info.context.db.write_tx(work), []
    except Refused as refused:
        return None, _errors([refused.error])


def _provider_key(value: str) -> str:
    return node_key(value, PROVIDER_TYPES, "prv_") or ""


async def _provider(info: strawberry.Info, provider_id: str | None) -> Provider | None:
    if not provider_id:
        return None
    return provider_from_row(await info.context.loaders.provider.load(provider_id))


async def _resolved(info: strawberry.Info, label: str, text: str | None,
                    field: str) -> tuple[str | None, list[UserError]]:
    """A code, name or alias of ``label`` → its code; unknown is an error. Staff only: the gate comes first."""
    denied = _gate(info.context.viewer)
    if denied:
        return None, _errors([denied])
    if text is None or not text.strip():
        return None, []
    if len(text) > MAX_TERM:
        return None, _errors([Problem(ErrorCode.TOO_LONG, field, f"{field} has at most {MAX_TERM} characters")])
    code = await (await info.context.intake()).resolve_term(label, text)
    if code is None:
        return None, _errors([Problem(ErrorCode.UNRESOLVED, field, f"{text!r} names no known {label.lower()}")])
    return code, []


@strawberry.type
class CurationMutation:
    @strawberry.mutation(description="STAFF: list, reject or suspend a provider (APPLIED→LISTED|REJECTED, "
                                     "LISTED→SUSPENDED, SUSPENDED→LISTED|REJECTED). Audited.")
    async def review_provider(self, info: strawberry.Info, input: ReviewProviderInput) -> ReviewProviderPayload:
        key = _provider_key(str(input.provider_id))
        decision = Decision(input.decision.value)
        result, errors = await _staff_step(
            info, lambda tx, actor: commands.review_provider(tx, actor, key, decision, input.reason),
            stale_matches=True)
        status = ListingStatus(result["listing_status"]) if result else None
        return ReviewProviderPayload(errors=errors, provider=await _provider(info, key) if result else None,
                                     listing_status=status)

    @strawberry.mutation(description="STAFF: VERIFIED or REJECTED for a held certificate, with evidence. Audited.")
    async def verify_certification(self, info: strawberry.Info,
                                   input: VerifyCertificationInput) -> VerifyCertificationPayload:
        key = _provider_key(str(input.provider_id))
        verdict = VerificationValue(input.verification.value)
        code, errors = await _resolved(info, "Certification", input.certification, "certification")
        if errors:
            return VerifyCertificationPayload(errors=errors, provider=None, verification=None)
        result, errors = await _staff_step(
            info, lambda tx, actor: commands.verify_certification(tx, actor, key, code or "", verdict, input.evidence),
            stale_matches=True)
        return VerifyCertificationPayload(errors=errors, provider=await _provider(info, key) if result else None,
                                          verification=Verification(result["verification"]) if result else None)

    @strawberry.mutation(description="STAFF: map an unverified term to an existing node (alias + re-link every "
                                     "mention, one transaction). Audited.")
    async def map_term(self, info: strawberry.Info, input: MapTermInput) -> MapTermPayload:
        result, errors = await _staff_step(
            info, lambda tx, actor: commands.map_term(tx, actor, input.term[:300], input.code.strip()[:100]),
            stale_matches=True)
        if result:
            info.context.services.forget_linker()  # the new alias resolves from the next request on
        return MapTermPayload(errors=errors, code=result["code"] if result else None,
                              relinked=result["relinked"] if result else 0)

    @strawberry.mutation(description="STAFF: create a reference node for an unverified term and map the term to "
                                     "it. Audited.")
    async def create_term_node(self, info: strawberry.Info, input: CreateTermNodeInput) -> MapTermPayload:
        result, errors = await _staff_step(
            info, lambda tx, actor: commands.create_term_node(tx, actor, input.term[:300], input.code[:100],
                                                              input.name),
            stale_matches=True)
        if result:
            info.context.services.forget_linker()
        return MapTermPayload(errors=errors, code=result["code"] if result else None,
                              relinked=result["relinked"] if result else 0)

    @strawberry.mutation(description="STAFF: publish the next 名录 edition (a snapshot of the LISTED pool). Audited.")
    async def publish_edition(self, info: strawberry.Info, input: PublishEditionInput) -> PublishEditionPayload:
        category, errors = await _resolved(info, "Capability", input.category, "category")
        region, more = await _resolved(info, "Region", input.region, "region")
        if errors or more:
            return PublishEditionPayload(errors=errors + more, edition=None)
        result, errors = await _staff_step(
            info, lambda tx, actor: commands.publish_edition(tx, actor, input.title, category, region))
        return PublishEditionPayload(errors=errors, edition=Edition.from_row(dict(result)) if result else None)

    @strawberry.mutation(description="STAFF: import a provider list (CSV/XLSX). Every row is checked as "
                                     "registerProvider checks it; any error and nothing is written. Audited.")
    async def import_providers(self, info: strawberry.Info, input: ImportProvidersInput) -> ImportProvidersPayload:
        empty = ImportProvidersPayload(errors=[], row_errors=[], created=[], applied=0, listed=0)
        viewer: Viewer = info.context.viewer
        denied = _gate(viewer)
        if denied:
            empty.errors = _errors([denied])
            return empty
        if len(input.content) > importing.MAX_BASE64 or len(input.filename) > 200:
            empty.errors = _errors([Problem(ErrorCode.TOO_LONG, "content", "the file is larger than 5 MB")])
            return empty
        try:
            content = base64.b64decode(input.content, validate=True)
        except (binascii.Error, ValueError):
            empty.errors = _errors([Problem(ErrorCode.INVALID, "content", "content is not base64")])
            return empty
        report = await importing.import_providers(await info.context.intake(), commands.actor_of(viewer), content,
                                                  input.filename, dry_run=input.dry_run)
        empty.errors = _errors([Problem(ErrorCode.INVALID, "content", message) for message in report.file_errors])
        empty.row_errors = [ImportRowError(row=e.row, column=graphql_path(e.column), code=e.code.value,
                                           message=e.message) for e in report.row_errors]
        empty.created = [p for p in [provider_from_row(r) for r in await info.context.loaders.provider.load_many(
            report.created)] if p is not None]
        empty.applied, empty.listed = report.applied, report.listed
        return empty


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
            from datetime import datetime
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
