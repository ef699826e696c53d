"""Per-request GraphQL context: the shared services plus what belongs to one request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.services import Services
from graph.db import Database


@dataclass
class Context:
    services: Services
    request: Any = None
    response: Any = None

    @property
    def db(self) -> Database:
        return self.services.db
