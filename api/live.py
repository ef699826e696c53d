"""The real ASGI app under uvicorn in a background thread, on a free loopback port.

Used by the test suite (``tests/conftest.py``: ``live_server``) and by ``gongxu eval``, which drives its
needs through the GraphQL API over real HTTP exactly as a client would, without a second process.
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

__all__ = ["LiveServer", "free_port"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """``with LiveServer() as live: … live.url …`` — the app starts its own services in its lifespan."""

    def __init__(self, start_timeout: float = 120.0) -> None:
        from api.app import create_app
        from api.config import ApiSettings

        self.port = free_port()
        self.start_timeout = start_timeout
        settings = ApiSettings(env="development", host="127.0.0.1", port=self.port)
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="gongxu-live-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + self.start_timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                self.server.should_exit = True
                raise RuntimeError("the gongxu app did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
