"""A crash (SIGKILL) in the middle of many score saves loses no acknowledged save, on
the tests' engine (SQLite's file, or PostgreSQL when PRIZE_TEST_DB names a server)."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import httpx

from prize.store.db import Database
from tests import pg
from tests.reliability import live

JURORS = 8
ENTRIES = 4
#: The server is killed right after this many acknowledgements, with others in flight.
KILL_AFTER = 200
MAX_SAVES_PER_SHEET = 60
JSON = {"Accept": "application/json"}


@dataclass
class SheetLog:
    """What one sheet's writer sent and what the server acknowledged."""

    juror: int
    entry_id: int
    submit_at: int | None
    sent: list[int] = field(default_factory=list)
    acked: int = 0
    submitted: bool = False

    def text(self, save: int) -> str:
        return f"juror {self.juror}, entry {self.entry_id}, save {save:03d}"


@dataclass
class Crash:
    """Counts shared by the writers, and the kill itself."""

    server: live.LiveServer
    acknowledged: int = 0
    in_flight: int = 0
    in_flight_at_kill: int | None = None
    cut: int = 0
    killed: threading.Event = field(default_factory=threading.Event)

    def kill_after(self, acknowledgements: int) -> threading.Thread:
        """SIGKILL from a thread of its own: it acts while the writers wait for answers,
        so that requests are inside the server (some committed, not answered) when it dies."""

        def watch() -> None:
            while self.acknowledged < acknowledgements and self.server.process.poll() is None:
                time.sleep(0.001)
            self.in_flight_at_kill = self.in_flight
            os.kill(self.server.process.pid, signal.SIGKILL)
            self.killed.set()

        killer = threading.Thread(target=watch, daemon=True)
        killer.start()
        return killer


async def write_sheet(client: httpx.AsyncClient, token: str, jury: live.Jury, log: SheetLog,
                      crash: Crash) -> None:
    """Save the sheet again and again (each save on the version the last one returned)."""
    path = f"/jury/entries/{log.entry_id}/sheet"
    version = 0
    for save in range(1, MAX_SAVES_PER_SHEET + 1):
        if crash.killed.is_set():
            return
        submit = save == log.submit_at
        form = live.sheet_form(jury, log.text(save), version, token=token, submit=submit)
        log.sent.append(save)
        crash.in_flight += 1
        try:
            # A submission is the plain form POST (303); saves are the autosave's JSON.
            response = await client.post(path, data=form, headers={} if submit else JSON)
        except httpx.TransportError:
            assert crash.killed.is_set(), "the connection failed before the kill"
            crash.cut += 1
            return
        finally:
            crash.in_flight -= 1
        if submit:
            assert response.status_code == 303, response.text
            log.acked, log.submitted = save, True
            crash.acknowledged += 1
            return
        assert response.status_code == 200, response.text
        version = response.json()["version"]
        assert version == save
        log.acked = save
        crash.acknowledged += 1


async def juror_at_work(crash: Crash, jury: live.Jury, juror: int,
                        logs: list[SheetLog]) -> None:
    async with crash.server.client() as client:
        await live.log_in(client, jury.juror_emails[juror])
        token = await live.csrf_token(client, f"/jury/entries/{jury.entry_ids[0]}/sheet")
        await asyncio.gather(*(write_sheet(client, token, jury, log, crash) for log in logs))


SHEETS_SQL = ("SELECT s.id, u.email, s.entry_id, s.status, s.version, s.overall_comment"
              " FROM score_sheets s JOIN users u ON u.id = s.juror_id")
SCORES_SQL = "SELECT sheet_id, justification FROM scores"


def as_found(sheets, scores) -> dict[tuple[str, int], dict]:
    """Each sheet (the rows of SHEETS_SQL) with the justifications of its scores (SCORES_SQL)."""
    justifications = defaultdict(set)
    for sheet_id, justification in scores:
        justifications[sheet_id].add(justification)
    return {(email, entry_id): {"status": status, "version": version, "comment": comment,
                                "justifications": justifications[sheet_id]}
            for sheet_id, email, entry_id, status, version, comment in sheets}


async def stored_sheets(db_path) -> tuple[dict[tuple[str, int], dict], str, list]:
    """Each sheet as a fresh connection reads it, with the integrity and foreign-key checks."""
    if pg.ENABLED:
        return await _stored_on_postgresql(live.settings(db_path, test_engine=True).database)
    conn = sqlite3.connect(db_path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        foreign_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
        sheets = as_found(conn.execute(SHEETS_SQL).fetchall(),
                          conn.execute(SCORES_SQL).fetchall())
    finally:
        conn.close()
    return sheets, integrity, foreign_keys


async def _stored_on_postgresql(url: str) -> tuple[dict[tuple[str, int], dict], str, list]:
    """The same from a new pool. PostgreSQL has no file to check: "ok" once no score
    has lost its sheet (the server checks its foreign keys at each commit; this looks)."""
    async with Database(url) as db:
        orphans = await db.fetch_value(
            "SELECT COUNT(*) FROM scores WHERE sheet_id NOT IN (SELECT id FROM score_sheets)")
        sheets = as_found(await db.fetch_all(SHEETS_SQL), await db.fetch_all(SCORES_SQL))
    return sheets, "ok" if orphans == 0 else f"{orphans} scores without a sheet", []


async def test_every_acknowledged_save_survives_a_sigkill_mid_load(tmp_path):
    # Given a judging edition with 8 jurors each assigned 4 released entries, on a live server
    db_path = tmp_path / "crash.db"
    jury = await live.seed_judging(db_path, jurors=JURORS, entries=ENTRIES, test_engine=True)
    server = await live.start(db_path, test_engine=True)
    crash = Crash(server)
    logs = {
        juror: [
            SheetLog(juror, entry_id,
                     submit_at=3 + (juror + index) % 8 if (juror + index) % 3 == 0 else None)
            for index, entry_id in enumerate(jury.entry_ids)
        ]
        for juror in range(JURORS)
    }
    killer = crash.kill_after(KILL_AFTER)
    try:
        # When every juror saves every sheet repeatedly, some submitting, and the server is
        # killed with SIGKILL after KILL_AFTER acknowledgements
        await asyncio.wait_for(asyncio.gather(
            *(juror_at_work(crash, jury, juror, logs[juror]) for juror in logs)
        ), timeout=45)
        killer.join(timeout=10)
        assert crash.killed.is_set(), "the load ended before the kill"
        assert server.process.wait(timeout=10) == -signal.SIGKILL
    finally:
        server.stop()

    # Then a fresh connection finds every acknowledged save, or a later one that was in flight
    sheets, integrity, foreign_keys = await stored_sheets(db_path)
    assert integrity == "ok"
    assert foreign_keys == []
    found = landed_in_flight = 0
    for log in (log for juror_logs in logs.values() for log in juror_logs):
        stored = sheets.get((jury.juror_emails[log.juror], log.entry_id))
        if log.acked == 0:
            assert stored is None or stored["comment"] == log.text(log.sent[-1])
            continue
        assert stored is not None, f"acknowledged sheet lost: {log}"
        save = stored["version"]
        assert save >= log.acked, f"older text than acknowledged: {log}, {stored}"
        assert save in log.sent
        # The sheet and its scores were written in one transaction: never half of a save.
        assert stored["comment"] == log.text(save)
        assert stored["justifications"] == {log.text(save)}
        if log.submitted:
            assert stored["status"] == "submitted"
        found += log.acked
        landed_in_flight += save > log.acked
    all_logs = [log for juror_logs in logs.values() for log in juror_logs]
    acknowledged = sum(log.acked for log in all_logs)
    # The logs account for every acknowledgement the server gave (saves 1..acked of each
    # sheet), and the kill came only after as many as planned.
    assert acknowledged == crash.acknowledged >= KILL_AFTER
    # The database holds a sheet for every writer that was answered, and none that nobody sent.
    def pair(log: SheetLog) -> tuple[str, int]:
        return jury.juror_emails[log.juror], log.entry_id

    assert {pair(log) for log in all_logs if log.acked} <= set(sheets)
    assert set(sheets) <= {pair(log) for log in all_logs if log.sent}
    # A save stored but never answered was inside the server when it died.
    assert landed_in_flight <= crash.in_flight_at_kill
    print(f"\ncrash: {acknowledged} saves acknowledged, {crash.in_flight_at_kill} requests in"
          f" flight at the kill ({crash.cut} never answered),"
          f" {found} acknowledged saves found afterwards,"
          f" {landed_in_flight} unacknowledged in-flight saves stored too,"
          f" {sum(log.submitted for ls in logs.values() for log in ls)} submissions")
