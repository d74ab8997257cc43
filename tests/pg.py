"""PostgreSQL for tests, when PRIZE_TEST_DB names a server (issue 18).

Each test process keeps a few databases of its own (`prize_t<pid>_<slot>`), made and
migrated at first use; a test's first settings get slot 0, a second folder in the same
test slot 1, and so on. A slot is emptied and re-seeded (the rows migrations insert)
when a test takes it, in one call of `prize_test_reset()`: making a database per test
from a template cost 0.7 s, which over a thousand tests on two cores is minutes; the reset
is a few milliseconds. Triggers are off during the reset (session_replication_role), so
the append-only audit log can be emptied too and no foreign key is checked half-way.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import asyncpg

URL = os.environ.get("PRIZE_TEST_DB", "")
ENABLED = URL.startswith(("postgresql://", "postgres://"))

_executor = ThreadPoolExecutor(1)
_slots: dict[int, str] = {}
_taken: dict[str, str] = {}  # folder -> url, for the running test


def _run(coro):
    return _executor.submit(asyncio.run, coro).result()


def _url_of(name: str) -> str:
    parts = urlsplit(URL)
    return parts._replace(path="/" + name).geturl()


async def _create(name: str) -> None:
    from prize.store.postgres import PostgresDatabase

    admin = await asyncpg.connect(URL)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    async with PostgresDatabase(_url_of(name), pool_size=1) as db:
        await db.migrate()
    conn = await asyncpg.connect(_url_of(name))
    try:
        await conn.execute(_SEED_FUNCTIONS)
        await conn.execute("SELECT prize_seed.keep()")
    finally:
        await conn.close()


_SEED_FUNCTIONS = """
CREATE SCHEMA prize_seed;
CREATE FUNCTION prize_seed.keep() RETURNS void LANGUAGE plpgsql AS $$
DECLARE t text;
BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
        EXECUTE format('CREATE TABLE prize_seed.%I AS SELECT * FROM public.%I', t, t);
    END LOOP;
END $$;
CREATE FUNCTION prize_seed.reset() RETURNS void LANGUAGE plpgsql AS $$
DECLARE t text; col text;
BEGIN
    SET LOCAL session_replication_role = replica;
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
        EXECUTE format('DELETE FROM public.%I', t);
        IF to_regclass(format('prize_seed.%I', t)) IS NOT NULL THEN
            EXECUTE format('INSERT INTO public.%I SELECT * FROM prize_seed.%I', t, t);
        END IF;
    END LOOP;
    FOR t, col IN SELECT table_name, column_name FROM information_schema.columns
                  WHERE table_schema = 'public' AND is_identity = 'YES' LOOP
        EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L),'
                       ' COALESCE((SELECT max(%I) FROM public.%I), 0) + 1, false)',
                       'public.' || t, col, col, t);
    END LOOP;
END $$;
"""


async def _reset(name: str) -> None:
    conn = await asyncpg.connect(_url_of(name))
    try:
        await conn.execute("SELECT prize_seed.reset()")
    finally:
        await conn.close()


def begin_test() -> None:
    """A new test: every slot is free again (emptied when next taken)."""
    _taken.clear()


def database_for(folder: object) -> str:
    """The URL of an empty, migrated database for the app whose files live in `folder`;
    the same URL for the same folder within a test."""
    key = str(folder)
    if key in _taken:
        return _taken[key]
    slot = len(_taken)
    name = f"prize_t{os.getpid()}_{slot}"
    if slot not in _slots:
        _run(_create(name))
        _slots[slot] = name
    else:
        _run(_reset(name))
    _taken[key] = url = _url_of(name)
    return url


_own = iter(range(1, 10**6))
_own_names: list[str] = []


def own_database() -> str:
    """A new migrated database no test reset takes back (a server a whole module of
    tests shares); dropped when the process ends."""
    name = f"prize_t{os.getpid()}_own{next(_own)}"
    _run(_create(name))
    _own_names.append(name)
    return _url_of(name)


async def _drop_all(names: list[str]) -> None:
    admin = await asyncpg.connect(URL)
    try:
        for name in names:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@atexit.register
def _drop_slots() -> None:
    if _slots or _own_names:
        # The server may be gone: then there is nothing to keep.
        with contextlib.suppress(Exception):
            asyncio.run(_drop_all([*_slots.values(), *_own_names]))
