"""Settings of the HTTP service, from the environment with safe local defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class ApiSettings:
    env: str  # "development" | "production"
    host: str
    port: int

    @property
    def production(self) -> bool:
        return self.env == "production"

    @classmethod
    def from_env(cls) -> ApiSettings:
        return cls(
            env=os.environ.get("GONGXU_ENV", "development"),
            host=os.environ.get("GONGXU_HOST", "127.0.0.1"),
            port=int(os.environ.get("GONGXU_PORT", "8000")),
        )
