"""The memo of signed-in pages' reads (prize/store/memo.py): a value is computed once and
kept until anyone commits to the database file, through this Database object or another
one on the same file (another worker, a CLI command): the next request sees it, and a
commit of this process is seen at once, within the same request. A failed computation
keeps nothing."""

from __future__ import annotations

import pytest

from prize.store.db import Database
from prize.store.memo import DataMemo


@pytest.fixture
async def two_databases(tmp_path):
    """Two Database objects on one file, as two worker processes hold them."""
    path = tmp_path / "prize.db"
    async with Database(path) as first, Database(path) as second:
        await first.migrate()
        await first.execute_write("CREATE TABLE counter (n INTEGER)")
        await first.execute_write("INSERT INTO counter VALUES (1)")
        yield first, second


@pytest.fixture
def memo(two_databases):
    first, _second = two_databases
    memo = DataMemo(first.path, commits=lambda: first.commits)
    memo.open()
    memo.begin_request()
    yield memo
    memo.close()


def reader(db, calls):
    async def read():
        calls.append(1)
        return await db.fetch_value("SELECT n FROM counter")
    return read


async def test_a_value_is_read_once_while_nobody_commits(two_databases, memo):
    first, _ = two_databases
    calls = []
    assert [await memo.get("n", reader(first, calls)) for _ in range(3)] == [1, 1, 1]
    assert len(calls) == 1
    assert (memo.hits, memo.misses) == (2, 1)


async def test_a_commit_of_the_same_process_is_seen_by_the_next_read(two_databases, memo):
    first, _ = two_databases
    calls = []
    assert await memo.get("n", reader(first, calls)) == 1
    # Within the same request (no begin_request): this process's commit counts at once.
    await first.execute_write("UPDATE counter SET n = 2")
    assert await memo.get("n", reader(first, calls)) == 2
    assert len(calls) == 2


async def test_a_commit_of_another_process_is_seen_by_the_next_read(two_databases, memo):
    first, second = two_databases
    calls = []
    assert await memo.get("n", reader(first, calls)) == 1
    async with second.transaction() as conn:
        await conn.execute("UPDATE counter SET n = 3")
    memo.begin_request()
    assert await memo.get("n", reader(first, calls)) == 3


async def test_sqlite_is_asked_once_per_request_while_this_process_does_not_commit(
        two_databases, memo, monkeypatch):
    first, second = two_databases
    asked = []
    seen = memo._watch.seen
    monkeypatch.setattr(memo._watch, "seen", lambda: asked.append(1) or seen())
    for _ in range(3):
        await memo.get("n", reader(first, []))
    assert len(asked) == 1
    memo.begin_request()
    await memo.get("n", reader(first, []))
    assert len(asked) == 2


async def test_a_value_read_while_someone_commits_is_not_kept(two_databases, memo):
    first, second = two_databases

    async def read_then_commit():
        value = await first.fetch_value("SELECT n FROM counter")
        await second.execute_write("UPDATE counter SET n = 4")
        return value

    assert await memo.get("n", read_then_commit) == 1
    memo.begin_request()
    calls = []
    assert await memo.get("n", reader(first, calls)) == 4
    assert calls == [1]


async def test_a_failed_computation_keeps_nothing(two_databases, memo):
    first, _ = two_databases

    async def fails():
        raise LookupError("no such row")

    with pytest.raises(LookupError):
        await memo.get("n", fails)
    calls = []
    assert await memo.get("n", reader(first, calls)) == 1
    assert calls == [1]


async def test_the_synchronous_look_up_follows_the_same_rule(two_databases, memo):
    first, _ = two_databases
    rendered = []
    assert memo.get_sync("part", lambda: rendered.append(1) or "html") == "html"
    assert memo.get_sync("part", lambda: rendered.append(1) or "html") == "html"
    assert rendered == [1]
    await first.execute_write("UPDATE counter SET n = 5")
    memo.begin_request()
    memo.get_sync("part", lambda: rendered.append(1) or "html")
    assert rendered == [1, 1]


async def test_the_least_recently_used_values_go_beyond_the_limit(two_databases):
    first, _ = two_databases
    memo = DataMemo(first.path, max_entries=2)
    memo.open()
    memo.begin_request()
    try:
        for key in ("a", "b", "a", "c"):  # "b" is the least recently used when "c" comes
            await memo.get(key, reader(first, []))
        calls = []
        await memo.get("a", reader(first, calls))
        await memo.get("b", reader(first, calls))
        assert calls == [1]
    finally:
        memo.close()


async def test_rendered_text_beyond_its_budget_is_let_go(two_databases):
    first, _ = two_databases
    memo = DataMemo(first.path, max_text=10)
    memo.open()
    try:
        memo.get_sync("a", lambda: "x" * 6)
        memo.get_sync("b", lambda: "y" * 6)  # 12 characters: "a" goes
        memo.get_sync("c", lambda: "z" * 11)  # larger than the whole budget: not kept
        rendered = []
        memo.get_sync("a", lambda: rendered.append("a") or "x" * 6)
        memo.get_sync("c", lambda: rendered.append("c") or "z" * 11)
        assert rendered == ["a", "c"]
    finally:
        memo.close()


async def test_without_a_file_to_watch_nothing_is_kept(two_databases):
    first, _ = two_databases
    memo = DataMemo(None)
    memo.open()
    calls = []
    for _ in range(2):
        assert await memo.get("n", reader(first, calls)) == 1
    assert len(calls) == 2


async def test_a_database_that_is_not_an_sqlite_file_is_never_watched(tmp_path):
    # A PostgreSQL URL has no file: nothing is kept, and no file is made by asking.
    memo = DataMemo(tmp_path / "postgresql:" / "prize@localhost")
    memo.open()
    calls = []

    async def compute():
        calls.append(1)
        return 1

    for _ in range(2):
        assert await memo.get("n", compute) == 1
    assert calls == [1, 1]
    assert list(tmp_path.iterdir()) == []
