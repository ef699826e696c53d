"""Per-request GraphQL context: the shared services plus what belongs to one request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.loaders import Loaders
from api.services import Services
from graph.db import Database
from graph.viewer import ANONYMOUS, Viewer
from matching.intake import Intake


@dataclass
class Context:
    services: Services
    request: Any = None
    response: Any = None
    viewer: Viewer = ANONYMOUS
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.services.db, self.viewer)

    @property
    def db(self) -> Database:
        return self.services.db

    async def intake(self) -> Intake:
        """The write commands, with the process's taxonomy linker (built on first use)."""
        assert self.services.embedder is not None
        return Intake(self.db, self.services.embedder, await self.services.linker())
