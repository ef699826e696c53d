"""The evaluation's GraphQL client: it does exactly what an enterprise's client does, over HTTP.

Register an enterprise (anonymous ``registerEnterprise`` returns its token), post each need with
``postNeed`` (free text and the structured fields as typed), and ask ``matches(needId, first, asOf)``.
Provider ids come back as Relay global IDs and are decoded to the stored ids the judgments use.
"""

from __future__ import annotations

import base64
import binascii
import time
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["GraphQLClient", "Ranked", "ServiceError", "ServiceUnavailable", "stored_id"]

REGISTER_ENTERPRISE = """
mutation Register($input: RegisterEnterpriseInput!) {
  registerEnterprise(input: $input) { enterprise { id } token errors { code field message } unresolved }
}"""

POST_NEED = """
mutation Post($input: PostNeedInput!) {
  postNeed(input: $input) { need { id } errors { code field message } unresolved }
}"""

MATCHES = """
query Matches($needId: ID!, $first: Int, $asOf: Date) {
  matches(needId: $needId, first: $first, asOf: $asOf) {
    asOf totalCount
    edges { node { score provider { id } offer { id } } }
  }
}"""


class ServiceUnavailable(Exception):
    """The running app cannot do what the evaluation needs (schema without the field, server down …)."""


class ServiceError(Exception):
    """One request failed (GraphQL or payload errors); the message says which."""


def stored_id(global_id: str) -> str:
    """``prv_000123`` from a Relay global ID (base64 of ``Manufacturer:prv_000123``), or the id as given."""
    try:
        decoded = base64.b64decode(global_id + "=" * (-len(global_id) % 4), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return global_id
    type_name, sep, key = decoded.partition(":")
    return key if sep and type_name.isidentifier() and key else global_id


@dataclass(frozen=True, slots=True)
class Ranked:
    provider_id: str
    score: float
    offer_id: str | None


class GraphQLClient:
    """Synchronous GraphQL over HTTP (the app runs in another thread or process)."""

    def __init__(self, url: str, timeout: float = 120.0):
        self.endpoint = url.rstrip("/") + "/graphql"
        self.http = httpx.Client(timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> GraphQLClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def execute(self, document: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            response = self.http.post(self.endpoint, json={"query": document, "variables": variables or {}},
                                      headers=headers)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(f"{self.endpoint} did not answer ({exc.__class__.__name__})") from None
        try:
            body = response.json()
        except ValueError:
            raise ServiceError(f"HTTP {response.status_code}: {response.text[:200]}") from None
        errors = body.get("errors") or []
        if errors:
            first = errors[0]
            message = first.get("message", "")
            code = (first.get("extensions") or {}).get("code")
            if "Cannot query field" in message or "Unknown type" in message or "Unknown argument" in message:
                raise ServiceUnavailable(f"the schema lacks what the evaluation needs: {message}")
            raise ServiceError(f"{code or 'ERROR'}: {message}")
        return body.get("data") or {}

    @staticmethod
    def _payload(data: dict, field: str) -> dict:
        payload = data.get(field) or {}
        errors = payload.get("errors") or []
        if errors:
            parts = [f"{e.get('code')} {e.get('field') or ''}: {e.get('message')}" for e in errors]
            unresolved = payload.get("unresolved") or []
            raise ServiceError("; ".join(parts) + (f" (unresolved: {', '.join(unresolved)})" if unresolved else ""))
        return payload

    def register_enterprise(self, values: dict[str, Any]) -> tuple[str, str]:
        """(enterprise global id, API token) of a newly registered enterprise."""
        payload = self._payload(self.execute(REGISTER_ENTERPRISE, {"input": values}), "registerEnterprise")
        if not payload.get("token") or not payload.get("enterprise"):
            raise ServiceError("registerEnterprise returned no enterprise or token")
        return payload["enterprise"]["id"], payload["token"]

    def post_need(self, token: str, values: dict[str, Any]) -> str:
        """The global id of the posted need."""
        payload = self._payload(self.execute(POST_NEED, {"input": values}, token), "postNeed")
        if not payload.get("need"):
            raise ServiceError("postNeed returned no need")
        return payload["need"]["id"]

    def matches(self, token: str, need_id: str, first: int, as_of: str) -> tuple[list[Ranked], float]:
        """The ranked providers and the request's wall time in seconds."""
        started = time.perf_counter()
        data = self.execute(MATCHES, {"needId": need_id, "first": first, "asOf": as_of}, token)
        elapsed = time.perf_counter() - started
        connection = data.get("matches") or {}
        ranked = []
        for edge in connection.get("edges") or []:
            node = edge.get("node") or {}
            provider = node.get("provider") or {}
            if not provider.get("id"):
                continue
            offer = node.get("offer") or {}
            ranked.append(Ranked(stored_id(provider["id"]), float(node.get("score") or 0.0),
                                 stored_id(offer["id"]) if offer.get("id") else None))
        return ranked, elapsed
