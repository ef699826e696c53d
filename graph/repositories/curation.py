"""Curation state in the graph: a provider's listing status and its history, staff verdicts on held
certificates, duplicate flags, and the staff queues over them.

Storage (names as in docs/ARCHITECTURE.md):

* ``Provider.listing_status`` (APPLIED | LISTED | REJECTED | SUSPENDED) and ``listing_changed_at``;
  each change is a ``(:Provider)-[:LISTING_HISTORY]->(:ListingEvent {at, from_status, to_status,
  decision, reason, actor})`` node, never changed afterwards;
* on ``(:Provider)-[h:HOLDS]->(:Certification)``: ``h.verification`` (DECLARED | VERIFIED | REJECTED;
  null reads as DECLARED), ``h.verification_evidence``, ``h.verified_by``, ``h.verified_at``;
* ``(:Provider)-[:POSSIBLE_DUPLICATE_OF {similarity, at}]->(:Provider)`` for a registration in the
  review band of the duplicate check.

The business rules (which transition is allowed, thresholds) are in :mod:`matching.curation`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from graph.db import Database, Tx
from graph.repositories.rows import native, native_rows

LISTED = "LISTED"

# For the public reads of other repositories: a provider variable `p` that is in the pool.
LISTED_CONDITION = "p.listing_status = 'LISTED'"


class Listing(TypedDict):
    provider_id: str
    name: str
    status: str


class ListingEvent(TypedDict):
    provider_id: str
    at: Any
    from_status: str | None
    to_status: str
    decision: str
    reason: str | None
    actor: str


# --------------------------------------------------------------------------------------------- listing


async def listing(tx: Tx, provider_id: str) -> Listing | None:
    """The provider's current status (locks nothing; the write below re-checks it)."""
    row = await tx.one("MATCH (p:Provider {id: $id}) "
                       "RETURN p.id AS provider_id, p.name AS name, p.listing_status AS status", id=provider_id)
    return Listing(provider_id=row["provider_id"], name=row["name"], status=row["status"]) if row else None


async def set_listing(tx: Tx, provider_id: str, expected: str | None, status: str, decision: str,
                      reason: str | None, actor: str) -> bool:
    """Move the provider from ``expected`` to ``status`` and record the event; False (nothing written)
    when its status is no longer ``expected`` (another decision came first)."""
    row = await tx.one(
        "MATCH (p:Provider {id: $id}) "
        "SET p._lock = true REMOVE p._lock "  # take the write lock before reading the status
        "WITH p WHERE coalesce(p.listing_status, '') = coalesce($expected, '') "
        "SET p.listing_status = $status, p.listing_changed_at = datetime(), p.updated_at = datetime() "
        "CREATE (p)-[:LISTING_HISTORY]->(:ListingEvent {at: datetime(), from_status: $expected, "
        "to_status: $status, decision: $decision, reason: $reason, actor: $actor}) "
        "RETURN p.id AS id",
        id=provider_id, expected=expected, status=status, decision=decision, reason=reason, actor=actor)
    return row is not None


async def histories(db: Database, provider_ids: list[str]) -> list[ListingEvent]:
    """Listing events of these providers, oldest first per provider."""
    rows = await db.read(
        "MATCH (p:Provider)-[:LISTING_HISTORY]->(e:ListingEvent) WHERE p.id IN $ids "
        "RETURN p.id AS provider_id, e.at AS at, e.from_status AS from_status, e.to_status AS to_status, "
        "e.decision AS decision, e.reason AS reason, e.actor AS actor ORDER BY p.id, e.at, elementId(e)",
        ids=list(provider_ids))
    return [ListingEvent(**row) for row in native_rows(rows)]  # type: ignore[typeddict-item]


async def statuses(db: Database, provider_ids: list[str]) -> dict[str, str | None]:
    rows = await db.read("MATCH (p:Provider) WHERE p.id IN $ids RETURN p.id AS id, p.listing_status AS status",
                         ids=list(provider_ids))
    return {row["id"]: row["status"] for row in rows}


async def review_queue(db: Database, status: str, limit: int, after_at: Any = None,
                       after_id: str | None = None) -> list[dict[str, Any]]:
    """Providers in ``status``, oldest registration first, with their duplicate candidates.

    Rows: ``{id, name, credit_code, kind, region_codes, created_at, listing_changed_at, candidates:
    [{id, name, credit_code, similarity}]}``; keyset by ``(created_at, id)``.
    """
    rows = await db.read(
        "MATCH (p:Provider) WHERE p.listing_status = $status "
        "WITH p, coalesce(p.created_at, datetime('1970-01-01T00:00:00Z')) AS at "
        "WHERE $after_id IS NULL OR at > $after_at OR (at = $after_at AND p.id > $after_id) "
        "RETURN p.id AS id, p.name AS name, p.credit_code AS credit_code, p.kind AS kind, at AS created_at, "
        "p.listing_changed_at AS listing_changed_at, "
        "[(p)-[:LOCATED_IN]->(r:Region) | r.code] AS region_codes, "
        "[(p)-[d:POSSIBLE_DUPLICATE_OF]->(c:Provider) | {id: c.id, name: c.name, credit_code: c.credit_code, "
        "similarity: d.similarity}] AS candidates "
        "ORDER BY at, p.id LIMIT $limit",
        status=status, limit=limit, after_at=after_at, after_id=after_id)
    return native_rows(rows)


async def count_by_status(db: Database) -> dict[str, int]:
    rows = await db.read("MATCH (p:Provider) RETURN p.listing_status AS status, count(*) AS n")
    return {row["status"] or "NONE": row["n"] for row in rows}


# -------------------------------------------------------------------------------------- duplicates


async def duplicate_candidates(tx: Tx, credit_code: str | None, lucene: str, region_code: str | None,
                               k: int) -> list[dict[str, Any]]:
    """Existing providers a new one may duplicate: the one with its credit code, and up to ``k``
    full-text hits on its name (``lucene``: an escaped query), each with ``same_region``."""
    rows = await tx.rows(
        "CALL () { MATCH (p:Provider) WHERE $credit_code IS NOT NULL AND p.credit_code = $credit_code "
        "          RETURN p LIMIT 1 "
        "  UNION "
        "  UNWIND CASE WHEN $lucene = '' THEN [] ELSE [$lucene] END AS q "
        "  CALL db.index.fulltext.queryNodes('provider_text', q, {limit: $k}) YIELD node "
        "  WITH node AS p WHERE p:Provider RETURN p } "
        "RETURN DISTINCT p.id AS id, p.name AS name, p.credit_code AS credit_code, "
        "$region IS NOT NULL AND EXISTS { MATCH (p)-[:LOCATED_IN]->(:Region {code: $region}) } AS same_region",
        credit_code=credit_code, lucene=lucene, region=region_code, k=k)
    return rows


async def flag_duplicate(tx: Tx, provider_id: str, candidate_id: str, similarity: float) -> None:
    await tx.rows("MATCH (p:Provider {id: $id}), (c:Provider {id: $candidate}) "
                  "MERGE (p)-[d:POSSIBLE_DUPLICATE_OF]->(c) SET d.similarity = $similarity, d.at = datetime()",
                  id=provider_id, candidate=candidate_id, similarity=float(similarity))


# ----------------------------------------------------------------------------------- certificates


async def held_certificate(tx: Tx, provider_id: str, code: str) -> dict[str, Any] | None:
    """``{provider_id, code, status, valid_until, verification, evidence, verified_by, verified_at}``."""
    row = await tx.one(
        "MATCH (p:Provider {id: $id})-[h:HOLDS]->(c:Certification {code: $code}) "
        "RETURN p.id AS provider_id, c.code AS code, h.status AS status, h.valid_until AS valid_until, "
        "coalesce(h.verification, 'DECLARED') AS verification, h.verification_evidence AS evidence, "
        "h.verified_by AS verified_by, h.verified_at AS verified_at",
        id=provider_id, code=code)
    return native(row) if row else None


async def set_verification(tx: Tx, provider_id: str, code: str, verification: str, evidence: str | None,
                           actor: str) -> bool:
    row = await tx.one(
        "MATCH (p:Provider {id: $id})-[h:HOLDS]->(:Certification {code: $code}) "
        "SET h.verification = $verification, h.verification_evidence = $evidence, h.verified_by = $actor, "
        "h.verified_at = datetime(), p.updated_at = datetime() RETURN p.id AS id",
        id=provider_id, code=code, verification=verification, evidence=evidence, actor=actor)
    return row is not None


async def verifications(db: Database, provider_ids: list[str]) -> list[dict[str, Any]]:
    """Rows ``{provider_id, code, verification, evidence, verified_by, verified_at}`` of held certificates."""
    rows = await db.read(
        "MATCH (p:Provider)-[h:HOLDS]->(c:Certification) WHERE p.id IN $ids "
        "RETURN p.id AS provider_id, c.code AS code, coalesce(h.verification, 'DECLARED') AS verification, "
        "h.verification_evidence AS evidence, h.verified_by AS verified_by, h.verified_at AS verified_at",
        ids=list(provider_ids))
    return native_rows(rows)


async def expiring_certificates(db: Database, today: date, until: date, limit: int) -> list[dict[str, Any]]:
    """Held certificates whose ``valid_until`` is between ``today`` and ``until`` (both included), or
    already past while still ACTIVE, soonest first: the staff's daily expiry view."""
    rows = await db.read(
        "MATCH (p:Provider)-[h:HOLDS]->(c:Certification) "
        "WHERE h.valid_until IS NOT NULL AND h.valid_until <= $until "
        "  AND (h.valid_until >= $today OR h.status = 'ACTIVE') "
        "RETURN p.id AS provider_id, p.name AS provider_name, p.listing_status AS listing_status, "
        "c.code AS code, c.name AS certification_name, h.status AS status, h.valid_until AS valid_until, "
        "coalesce(h.verification, 'DECLARED') AS verification "
        "ORDER BY h.valid_until, p.id, c.code LIMIT $limit",
        today=today, until=until, limit=limit)
    return native_rows(rows)
