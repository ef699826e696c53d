"""API tokens on the wire: ``Authorization: Bearer <token>`` → a :class:`graph.viewer.Viewer`.

No header: the anonymous viewer (the public provider directory only). A header with an unknown or
revoked token is refused with HTTP 401 instead of being served as anonymous, so a client whose
token stopped working finds out at once rather than seeing an emptier world.
"""

from __future__ import annotations

from graph.db import Database
from graph.repositories import tokens
from graph.viewer import ANONYMOUS, Viewer


class InvalidToken(Exception):
    """The request names a token that does not exist, was revoked, or is malformed."""


async def viewer_for(db: Database, authorization: str | None) -> Viewer:
    if not authorization or not authorization.strip():
        return ANONYMOUS
    scheme, _, secret = authorization.strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise InvalidToken("use the header `Authorization: Bearer <token>`")
    row = await tokens.find_active(db, tokens.hash_secret(secret))
    if row is None:
        raise InvalidToken("unknown or revoked API token")
    return Viewer(role=row["role"], org_id=row["org_id"], token_id=row["id"], region=row.get("region"))
