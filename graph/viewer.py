"""Who is asking: the role and organisation behind a request, as repositories filter by it.

Authorisation is a query filter (Polar's ``get_readable_statement``): every repository read or
write that depends on who asks takes a :class:`Viewer` and puts :meth:`Viewer.params` into its
Cypher, so a row the viewer may not see never leaves the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Role = Literal["ENTERPRISE", "PROVIDER", "STAFF"]
ROLES: tuple[Role, ...] = ("ENTERPRISE", "PROVIDER", "STAFF")


@dataclass(frozen=True)
class Viewer:
    """``role`` and ``org_id`` are None for an anonymous client. ``org_id`` of a STAFF token is free text."""

    role: Role | None = None
    org_id: str | None = None
    token_id: str | None = None
    region: str | None = None  # a STAFF token's jurisdiction (region code); None: everywhere

    @property
    def authenticated(self) -> bool:
        return self.role is not None

    @property
    def is_staff(self) -> bool:
        return self.role == "STAFF"

    def is_enterprise(self, enterprise_id: str | None = None) -> bool:
        return self.role == "ENTERPRISE" and (enterprise_id is None or self.org_id == enterprise_id)

    def is_provider(self, provider_id: str | None = None) -> bool:
        return self.role == "PROVIDER" and (provider_id is None or self.org_id == provider_id)

    def params(self) -> dict[str, Any]:
        """The Cypher parameters every scoped statement uses: ``$viewer_role``, ``$viewer_org``."""
        return {"viewer_role": self.role, "viewer_org": self.org_id}


ANONYMOUS = Viewer()
