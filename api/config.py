"""Settings of the HTTP service, from the environment with safe local defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from api.auth import DEFAULT_TOKEN_CACHE_S
from api.hardening import RateLimits


@dataclass(frozen=True)
class ApiSettings:
    env: str  # "development" | "production"
    host: str
    port: int
    # GONGXU_RATE_REGISTRATIONS / GONGXU_RATE_EXPENSIVE / GONGXU_RATE_WINDOW_S (generous by default)
    rate_limits: RateLimits = field(default_factory=RateLimits.from_env)
    # GONGXU_TOKEN_CACHE_S: how long an active token is remembered (a revocation takes effect within it)
    token_cache_s: float = field(default_factory=lambda: float(os.environ.get("GONGXU_TOKEN_CACHE_S",
                                                                              DEFAULT_TOKEN_CACHE_S)))

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
