"""API tokens: ``(:ApiToken {id, token_hash, role, org_id, created_at, revoked, region?})``.

``region`` (optional, STAFF only): the region code a staff token's reports are limited to.

Only the SHA-256 of a secret is stored; the plaintext is shown once, to whoever created it.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from graph.db import Database, Tx
from graph.repositories.rows import native
from graph.viewer import ROLES

# role -> the label its organisation has (STAFF tokens name no organisation node)
ORG_LABELS = {"ENTERPRISE": "Enterprise", "PROVIDER": "Provider"}

SECRET_PREFIX = "gx_"


def hash_secret(secret: str) -> str:
    """What is stored and looked up: the SHA-256 hex digest of the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    id: str
    secret: str  # shown once, never stored
    hash: str


def issue() -> IssuedToken:
    """A fresh random secret (256 bits) with its id and hash; store it with :func:`create`."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    return IssuedToken(id=f"tok_{uuid.uuid4().hex[:20]}", secret=secret, hash=hash_secret(secret))


_CREATE = """
CREATE (t:ApiToken {id: $id, token_hash: $token_hash, role: $role, org_id: $org_id,
                    created_at: datetime(), revoked: false, region: $region})
"""


async def create(tx: Tx, token_id: str, token_hash: str, role: str, org_id: str, region: str | None = None) -> None:
    """Store a token inside the caller's transaction (registration writes org and token together)."""
    if role not in ROLES:
        raise ValueError(f"not a role: {role!r}")
    await tx.rows(_CREATE, id=token_id, token_hash=token_hash, role=role, org_id=org_id, region=region)


async def create_standalone(db: Database, token_id: str, token_hash: str, role: str, org_id: str,
                            region: str | None = None) -> None:
    await db.write_tx(lambda tx: create(tx, token_id, token_hash, role, org_id, region))


async def find_active(db: Database, token_hash: str) -> dict[str, Any] | None:
    """The unrevoked token with this hash, or None."""
    rows = await db.read(
        "MATCH (t:ApiToken {token_hash: $token_hash}) WHERE NOT coalesce(t.revoked, false) "
        "RETURN t.id AS id, t.role AS role, t.org_id AS org_id, t.created_at AS created_at, t.region AS region",
        token_hash=token_hash)
    return native(rows[0]) if rows else None


async def revoke(db: Database, token_id: str) -> bool:
    rows = await db.write("MATCH (t:ApiToken {id: $id}) SET t.revoked = true RETURN t.id AS id", id=token_id)
    return bool(rows)


async def organisation_exists(db: Database, role: str, org_id: str) -> bool:
    """Whether an ENTERPRISE/PROVIDER token's organisation exists (STAFF tokens name none)."""
    label = ORG_LABELS.get(role)
    if label is None:
        return True
    rows = await db.read(f"MATCH (o:{label} {{id: $id}}) RETURN o.id AS id", id=org_id)
    return bool(rows)
