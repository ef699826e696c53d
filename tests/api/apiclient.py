"""A GraphQL client for the API tests: the real ``gql`` client over HTTP against the live app.

Helpers register organisations through the API itself and hand back their global ids and tokens.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from typing import Any

from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport

from matching.credit_code import generate as generate_credit_code

_codes = random.Random(20261123)
_counter = itertools.count(1)


def credit_code() -> str:
    """A fresh valid 统一社会信用代码 (check digits right)."""
    return generate_credit_code(_codes, "510100")


def bad_check_digit(code: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return code[:17] + alphabet[(alphabet.index(code[17]) + 1) % len(alphabet)]


REQUEST_TIMEOUT_S = 300


@dataclass
class Result:
    data: dict[str, Any] | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    extensions: dict[str, Any] = field(default_factory=dict)

    def code(self) -> str | None:
        return self.errors[0].get("extensions", {}).get("code") if self.errors else None


class Api:
    """Runs GraphQL documents against the live app, as anonymous or with a token."""

    def __init__(self, url: str):
        self.url = url
        self._clients: dict[str | None, tuple[Client, Any]] = {}  # one connected client per token

    async def _session(self, token: str | None) -> Any:
        if token not in self._clients:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            # generous: a first request may build the taxonomy linker and encode on a busy 2-core machine
            client = Client(transport=HTTPXAsyncTransport(url=f"{self.url}/graphql", headers=headers,
                                                          timeout=REQUEST_TIMEOUT_S),
                            execute_timeout=REQUEST_TIMEOUT_S)
            self._clients[token] = (client, await client.connect_async())
        return self._clients[token][1]

    async def close(self) -> None:
        for client, _session in self._clients.values():
            await client.close_async()
        self._clients.clear()

    async def run(self, document: str, variables: dict[str, Any] | None = None,
                  token: str | None = None) -> Result:
        session = await self._session(token)
        try:
            result = await session.execute(GraphQLRequest(document, variable_values=variables),
                                           get_execution_result=True)
        except TransportQueryError as exc:
            return Result(data=exc.data, errors=list(exc.errors or []), extensions=exc.extensions or {})
        return Result(data=result.data, errors=[], extensions=result.extensions or {})

    async def ok(self, document: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict:
        """The data of a request that must succeed (no GraphQL errors, no payload errors)."""
        result = await self.run(document, variables, token)
        assert not result.errors, result.errors
        assert result.data is not None
        for payload in result.data.values():
            if isinstance(payload, dict) and "errors" in payload:
                assert payload["errors"] == [], payload["errors"]
        return result.data

    # ------------------------------------------------------------------------ registering orgs

    async def register_enterprise(self, **fields: Any) -> tuple[str, str, dict]:
        """(global id, token, enterprise) of a newly registered enterprise."""
        values = {"name": f"测试企业{next(_counter)}有限公司", "creditCode": credit_code(), "region": "成都市",
                  **fields}
        data = await self.ok(REGISTER_ENTERPRISE, {"input": values})
        payload = data["registerEnterprise"]
        return payload["enterprise"]["id"], payload["token"], payload["enterprise"]

    async def register_provider(self, kind: str = "MANUFACTURER", **fields: Any) -> tuple[str, str, dict]:
        values = {"kind": kind, "name": f"测试服务商{next(_counter)}有限公司", "creditCode": credit_code(),
                  "region": "成都市", **fields}
        data = await self.ok(REGISTER_PROVIDER, {"input": values})
        payload = data["registerProvider"]
        return payload["provider"]["id"], payload["token"], payload["provider"]


ERRORS = "errors { code field message } unresolved clientMutationId"

REGISTER_ENTERPRISE = f"""
mutation($input: RegisterEnterpriseInput!) {{
  registerEnterprise(input: $input) {{
    enterprise {{ id name creditCode contactName region {{ code }} industries {{ code }} }}
    token {ERRORS}
  }}
}}"""

REGISTER_PROVIDER = f"""
mutation($input: RegisterProviderInput!) {{
  registerProvider(input: $input) {{
    provider {{
      id name kind creditCode contactPhone region {{ code nameZh }} industries {{ code }} sharingModes {{ code }}
      certifications {{ certification {{ code }} status validUntil }}
      capabilities {{ id text capabilities {{ capability {{ code }} confidence method }} }}
    }}
    token {ERRORS}
  }}
}}"""


