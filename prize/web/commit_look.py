"""One look per request at whether anyone committed, on engines that must ask for it.

On PostgreSQL the caches of a process (the public version behind the page cache and the
configuration, the DataMemo of signed-in pages) are valid while the commit stamp is the
same (prize/store/commit_stamp.py). Reading it is a round trip, so it is read once, here,
before anything of the request looks at a cache, and every cache of the request uses
that look; a commit of this process later in the request is counted on its own. So a
write of another worker that was committed before this request arrived is seen by it.

SQLite needs no middleware: asking `PRAGMA data_version` costs microseconds, and each
cache asks it itself (prize/store/changes.py). Static files read nothing: no look.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from prize.store.commit_stamp import IN_REQUEST


class LookForCommits:
    def __init__(self, app: ASGIApp, *, db: Any) -> None:
        self.app = app
        self.stamp = db.commit_stamp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        await self.stamp.look()
        token = IN_REQUEST.set(True)
        try:
            await self.app(scope, receive, send)
        finally:
            IN_REQUEST.reset(token)
