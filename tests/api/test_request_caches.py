"""The API's per-process caches keep every guarantee they sit in front of.

* documents (``api.extensions.DocumentCache``): a text is parsed and validated once; a refused text is
  refused every time, and the checks that depend on the variables (input bounds, complexity) still run
  on every request of a cached text;
* active tokens (``api.auth.ViewerCache``): remembered for a short TTL, so a revocation takes effect
  within it; unknown and revoked tokens are never remembered.
"""

from __future__ import annotations

import base64

import pytest

from api.auth import InvalidToken, ViewerCache, viewer_for
from api.extensions import DocumentCache
from graph.viewer import Viewer

DEEP = '{ capability(code: "P.CAST.DIE.AL") { ' + "parent { " * 10 + "code" + " }" * 10 + " } }"
EXPENSIVE = """
query($n: Int) { providers(first: $n) { edges { node { capabilities { capabilities { capability {
  children { children { code } } } } } } } } }"""
NODE = "query($id: ID!) { node(id: $id) { id } }"


def _gid(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


async def test_a_cached_text_is_still_checked_on_every_request(api):
    for _ in range(2):  # refused texts are never cached: refused again
        assert (await api.run(DEEP)).code() == "GRAPHQL_VALIDATION_FAILED"
    assert (await api.run(EXPENSIVE, {"n": 1})).errors == []
    refused = await api.run(EXPENSIVE, {"n": 100})  # the same (cached) text with a larger page
    assert refused.code() == "QUERY_TOO_COMPLEX" and refused.data is None
    assert (await api.run(NODE, {"id": _gid("ServiceProvider:prv_missing")})).data == {"node": None}
    assert (await api.run(NODE, {"id": _gid("Node:x")})).code() == "BAD_USER_INPUT"


def test_the_document_cache_is_bounded():
    cache = DocumentCache(maxsize=2, max_chars=20)
    documents = {text: object() for text in ("{ a }", "{ b }", "{ c }")}
    cache.put("{ a }", documents["{ a }"])  # type: ignore[arg-type]
    cache.put("{ b }", documents["{ b }"])  # type: ignore[arg-type]
    assert cache.get("{ a }") is documents["{ a }"]  # now the most recent
    cache.put("{ c }", documents["{ c }"])  # type: ignore[arg-type]
    assert len(cache) == 2 and cache.get("{ b }") is None and cache.get("{ a }") is not None
    cache.put("{ " + "x " * 20 + "}", object())  # type: ignore[arg-type]
    assert len(cache) == 2  # a long text is never kept


def test_the_viewer_cache_expires_and_is_bounded():
    now = [0.0]
    cache = ViewerCache(5.0, maxsize=2, clock=lambda: now[0])
    staff = Viewer(role="STAFF", org_id="ops", token_id="tok_1")
    cache.put("h1", staff)
    assert cache.get("h1") == staff and cache.get("h2") is None
    now[0] = 4.9
    assert cache.get("h1") == staff
    now[0] = 5.0
    assert cache.get("h1") is None
    for key in ("a", "b", "c"):
        cache.put(key, staff)
    assert cache.get("a") is None and cache.get("c") == staff  # full: the old entries went
    off = ViewerCache(0.0)
    off.put("h1", staff)
    assert off.get("h1") is None


async def test_a_revoked_token_is_refused_once_its_ttl_has_passed(api, db):
    from graph.repositories import tokens

    _, token, _ = await api.register_enterprise()
    now = [0.0]
    cache = ViewerCache(5.0, clock=lambda: now[0])
    header = f"Bearer {token}"
    viewer = await viewer_for(db, header, cache)
    assert viewer.role == "ENTERPRISE"
    row = await tokens.find_active(db, tokens.hash_secret(token))
    await tokens.revoke(db, row["id"])
    assert await viewer_for(db, header, cache) == viewer  # within the TTL (docs/API.md says so)
    now[0] = 5.0
    for _ in range(2):  # refused, and a refusal is not remembered as anything
        with pytest.raises(InvalidToken):
            await viewer_for(db, header, cache)
    with pytest.raises(InvalidToken):
        await viewer_for(db, "Bearer gx_never-issued", cache)
