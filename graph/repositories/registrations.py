"""What registrations wrote, for audits: the soak's fault run checks that every enterprise it finds is
whole (profile, token, credit-code claim) — a registration commits whole or not at all."""

from __future__ import annotations

from typing import TypedDict

from graph.db import Database


class RegistrationRow(TypedDict):
    id: str
    name: str | None
    credit_code: str | None
    description: str | None
    contact_phone: str | None
    tokens: int
    claimed: bool


async def enterprises_named(db: Database, prefix: str) -> list[RegistrationRow]:
    """Every enterprise whose name starts with ``prefix`` (one soak run's), with its token count and claim."""
    rows = await db.read(
        "MATCH (e:Enterprise) WHERE e.name STARTS WITH $prefix "
        "RETURN e.id AS id, e.name AS name, e.credit_code AS credit_code, e.description AS description, "
        "e.contact_phone AS contact_phone, COUNT { MATCH (t:ApiToken {org_id: e.id}) } AS tokens, "
        "EXISTS { MATCH (c:CreditCode {key: 'ENTERPRISE:' + e.credit_code}) WHERE c.org_id = e.id } AS claimed",
        prefix=prefix)
    return [RegistrationRow(**row) for row in rows]  # type: ignore[typeddict-item]
