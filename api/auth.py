"""API tokens on the wire: ``Authorization: Bearer <token>`` → a :class:`graph.viewer.Viewer`.

No header: the anonymous viewer (the public provider directory only). A header with an unknown or
revoked token is refused with HTTP 401 instead of being served as anonymous, so a client whose
token stopped working finds out at once rather than seeing an emptier world.

A token found active is remembered for ``GONGXU_TOKEN_CACHE_S`` seconds (default 5; 0 turns it off) by
the process that looked it up (:class:`ViewerCache`): a client sending requests back to back costs one
token lookup per interval, not one Cypher round trip per request. The price is that a revocation
(``gongxu token revoke``, another process) takes effect within that interval, not at once. Unknown
and revoked tokens are never remembered: a new token works at once, a refused one is refused every time.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from graph.db import Database
from graph.repositories import tokens
from graph.viewer import ANONYMOUS, Viewer

DEFAULT_TOKEN_CACHE_S = 5.0


class InvalidToken(Exception):
    """The request names a token that does not exist, was revoked, or is malformed."""


class ViewerCache:
    """token hash → (viewer, expiry): active tokens only, for ``ttl_s`` seconds, at most ``maxsize`` of them."""

    def __init__(self, ttl_s: float, maxsize: int = 10_000, clock: Callable[[], float] = time.monotonic):
        self.ttl_s = ttl_s
        self.maxsize = maxsize
        self.clock = clock
        self._viewers: dict[str, tuple[Viewer, float]] = {}

    def get(self, token_hash: str) -> Viewer | None:
        found = self._viewers.get(token_hash)
        if found is None:
            return None
        if self.clock() >= found[1]:
            del self._viewers[token_hash]
            return None
        return found[0]

    def put(self, token_hash: str, viewer: Viewer) -> None:
        if self.ttl_s <= 0:
            return
        if len(self._viewers) >= self.maxsize:
            now = self.clock()
            self._viewers = {k: v for k, v in self._viewers.items() if v[1] > now}
            if len(self._viewers) >= self.maxsize:
                self._viewers.clear()  # bounded memory, whatever the number of tokens in use
        self._viewers[token_hash] = (viewer, self.clock() + self.ttl_s)


async def viewer_for(db: Database, authorization: str | None, cache: ViewerCache | None = None) -> Viewer:
    if not authorization or not authorization.strip():
        return ANONYMOUS
    scheme, _, secret = authorization.strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise InvalidToken("use the header `Authorization: Bearer <token>`")
    token_hash = tokens.hash_secret(secret)
    viewer = cache.get(token_hash) if cache is not None else None
    if viewer is not None:
        return viewer
    row = await tokens.find_active(db, token_hash)
    if row is None:
        raise InvalidToken("unknown or revoked API token")
    viewer = Viewer(role=row["role"], org_id=row["org_id"], token_id=row["id"], region=row.get("region"))
    if cache is not None:
        cache.put(token_hash, viewer)
    return viewer
