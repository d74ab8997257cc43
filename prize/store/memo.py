"""Reads kept while nobody committed: the signed-in pages' repeated queries, asked once.

A signed-in page reads the same rows on every request (the person, their editions and
criteria, their entries, sheets and conflicts): a juror's dashboard was 29 queries and a
score sheet 12, each a round trip to aiosqlite's thread and a few Pydantic models. A
`DataMemo` keeps such results until anything at all is committed to the database, by
this process or any other (another worker, a CLI command): SQLite's `PRAGMA
data_version`, asked on a connection of the memo's own before every look-up (a few
microseconds on the event loop's thread, prize/store/changes.py), changes then, and the
memo forgets everything. So a page never shows less than what was committed before it
was asked for, whichever process wrote it; and a write costs the next read of each page
its queries again, nothing more.

The question is asked once per request (`begin_request`, from prize.web.auth), and again
within it only after this process committed (`commits`, the Database's count): a page
makes up to ten look-ups, and a commit of another process while a request runs is one
that request may or may not see either way; the next request sees it.

What is kept must be a function of the database alone (and of the key): never of the
clock, the session or the request. Results are shared by every later caller: they must
not be changed in place. A computation that fails keeps nothing.

A PostgreSQL database has no data_version: its engine gives the memo a `watch` of its
own (prize/store/commit_stamp.py), the commit stamp looked at once per request by the
LookForCommits middleware, together with this process's commits; the memo then behaves
as on SQLite. Without a watch (no file, no stamp) the memo keeps nothing.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from prize.store.changes import CommitWatch

T = TypeVar("T")
#: Entries kept at most (whatever their stamp): the least recently used go first.
MAX_ENTRIES = 2048
#: Characters of text (rendered parts of pages) kept at most, in all.
MAX_TEXT = 8_000_000


class DataMemo:
    def __init__(self, path: Path | None, *, commits: Callable[[], int] = lambda: 0,
                 watch: Any = None,
                 max_entries: int = MAX_ENTRIES, max_text: int = MAX_TEXT) -> None:
        self.path = path
        #: Another engine's watch (`seen()`, `close()`), used instead of data_version.
        self._given_watch = watch
        self.commits = commits
        #: (this process's commits, the stamp) as last asked in the current request.
        self._asked: tuple[int, Hashable] | None = None
        self.max_entries = max_entries
        self.max_text = max_text
        self._text = 0
        self._watch: Any = None
        self._stamp: Hashable | None = None
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        #: Look-ups answered from memory, and computed (the tests read them).
        self.hits = self.misses = 0

    def open(self) -> None:
        """Start watching the database's commits (after it exists and is migrated).

        Only an SQLite file that is there already: never a new file made by asking (a
        database given by a URL of another engine has no such file)."""
        if self._given_watch is not None:
            self._watch = self._given_watch
            return
        if self.path is None or not Path(self.path).is_file():
            return
        try:
            self._watch = CommitWatch(self.path)
        except sqlite3.Error:
            self._watch = None

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
        self._watch = None
        self._asked = None
        self.clear()

    def clear(self) -> None:
        self._values.clear()
        self._text = 0
        self._stamp = None

    def begin_request(self) -> None:
        """A new request: the next look-up asks SQLite whether anyone committed."""
        self._asked = None

    def stamp(self) -> Hashable | None:
        """A number that changes whenever anyone committed; None: cannot say, keep nothing."""
        if self._watch is None:
            return None
        commits = self.commits()
        asked = self._asked
        if asked is not None and asked[0] == commits:
            return asked[1]
        try:
            seen = self._watch.seen()
        except sqlite3.Error:  # closed, or the file is gone: keep nothing
            seen = None
        self._asked = None if seen is None else (commits, seen)
        return seen

    def _look_up(self, key: Hashable) -> tuple[Hashable | None, Any]:
        """(the stamp now, the value kept under `key` or _MISSING)."""
        stamp = self.stamp()
        if stamp is None:
            self.clear()
            return None, _MISSING
        if stamp != self._stamp:
            self.clear()
            self._stamp = stamp
        value = self._values.get(key, _MISSING)
        if value is not _MISSING:
            self._values.move_to_end(key)
        return stamp, value

    def _keep(self, stamp: Hashable | None, key: Hashable, value: Any) -> None:
        # Kept only if nothing was committed while it was computed (it might predate that).
        if stamp is None or self.stamp() != stamp or stamp != self._stamp:
            return
        size = len(value) if isinstance(value, str) else 0
        if size > self.max_text:
            return
        self._values[key] = value
        self._text += size
        while len(self._values) > self.max_entries or self._text > self.max_text:
            _key, gone = self._values.popitem(last=False)
            self._text -= len(gone) if isinstance(gone, str) else 0

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """The value of `key` as computed since the last commit, else `compute()`'s."""
        stamp, value = self._look_up(key)
        if value is not _MISSING:
            self.hits += 1
            return value
        self.misses += 1
        value = await compute()
        self._keep(stamp, key, value)
        return value

    def get_sync(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`get` for a computation without I/O (a fragment of a page, prize.web.templating)."""
        stamp, value = self._look_up(key)
        if value is not _MISSING:
            self.hits += 1
            return value
        self.misses += 1
        value = compute()
        self._keep(stamp, key, value)
        return value


_MISSING: Any = object()
