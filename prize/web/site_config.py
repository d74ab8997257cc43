"""Keeps the in-memory configuration (identity, email texts) current for each request.

`Configuration.refresh()` costs no I/O unless the database's public version moved, so it
runs before every request that reaches the app (a page served from the public cache
needs no rendering and skips it).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from prize.configuration import Configuration


class RefreshConfiguration:
    def __init__(self, app: ASGIApp, config: Configuration) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.config.refresh()
        await self.app(scope, receive, send)
