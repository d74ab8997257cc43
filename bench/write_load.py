"""Jurors autosaving while readers load /practices: saves done, lost, and how long (prints figures).

    python bench/write_load.py [--seconds 60] [--jurors 50] [--every 5] [--connections 16]
                               [--db URL] [--workers N]

The site runs as an operator runs it, `prize serve --workers N` (one worker by default),
on the demo data: a temporary SQLite file unless `--db` names a database (a path, a
`sqlite:///` URL or a `postgresql://` URL, passed through PRIZE_DB). Before it starts,
`--jurors` bench jurors (bench-juror-N@bench.invalid) are added to the demo's judging
edition, each assigned one eligible entry (again on a database that has them already:
nothing changes).

Each juror signs in over HTTP and opens its score sheet, then autosaves it every
`--every` seconds for `--seconds` seconds (their starts spread over the first period),
as static/autosave.js does: the form's CSRF token, the version the last save returned,
Accept: application/json. Each save sends the whole comment typed so far, which grows
by one mark per save ("s1 s2 s3 ..."); meanwhile wrk loads /practices with
`--connections` connections. At the end, each juror's comment is read from the database:
a save answered 200 whose mark is not there is a lost save.

Before the measured `--seconds`, a warm-up of 4 s: the readers, and one save per juror
(on a new database its sheet's first, an INSERT), reported apart; a worker's first
seconds (templates compiled on first use, the first garbage collections) are not the
autosave under load the goal is about. Their saves count in the failed and lost ones
all the same.

Prints the saves done and failed, the lost saves, autosave p50/p99 and the readers'
req/s. Goal (issue 18): zero lost saves and autosave p99 under 100 ms. Never run as a
test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
JUROR_EMAIL = "bench-juror-{n}@bench.invalid"
GOAL_P99_MS = 100
WARM_UP_SECONDS = 4

# Run with PRIZE_DB set: adds the bench jurors and their assignments (the test suite's
# factories, which keep up with the schema), or nothing when they are there.
SEED_SCRIPT = textwrap.dedent("""
    import asyncio, sys
    from prize.settings import load_settings
    from prize.store import users
    from prize.store.db import Database
    from tests import factories

    async def main(count):
        async with Database(load_settings().database) as db:
            edition_id = await db.fetch_value(
                "SELECT id FROM editions WHERE status = 'judging' ORDER BY year DESC")
            if edition_id is None:
                sys.exit("no edition in judging: load the demo data first")
            entry_ids = [row[0] for row in await db.fetch_all(
                "SELECT id FROM entries WHERE edition_id = ? AND status = 'eligible'"
                " ORDER BY id", (edition_id,))]
            for n in range(1, count + 1):
                email = "{email}".format(n=n)
                if await users.by_email(db, email) is not None:
                    continue
                juror = await factories.user(db, role="juror", email=email,
                                             name=f"Bench Juror {{n}}")
                await factories.assignment(db, edition_id=edition_id, juror_id=juror.id,
                                           entry_id=entry_ids[n % len(entry_ids)])

    asyncio.run(main(int(sys.argv[1])))
""").format(email=JUROR_EMAIL)

# Run with PRIZE_DB set: prints each bench juror's email and comment, one per line pair.
READ_SCRIPT = textwrap.dedent("""
    import asyncio
    from prize.settings import load_settings
    from prize.store.db import Database

    async def main():
        async with Database(load_settings().database) as db:
            rows = await db.fetch_all(
                "SELECT u.email, s.overall_comment FROM score_sheets s"
                " JOIN users u ON u.id = s.juror_id WHERE u.email LIKE 'bench-juror-%'")
        for email, comment in rows:
            print(email)
            print(" ".join(comment.split()))

    asyncio.run(main())
""")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_script(script: str, env: dict[str, str], *args: str) -> str:
    return subprocess.run([sys.executable, "-c", script, *args], env=env, cwd=ROOT,
                          check=True, capture_output=True, text=True).stdout


def serve(env: dict[str, str], workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "prize", "serve", "--port", str(port), "--workers",
         str(workers)], env={**env, "PRIZE_BASE_URL": base}, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise SystemExit("prize serve did not start")


@dataclass
class Juror:
    email: str
    client: httpx.AsyncClient
    path: str = ""
    token: str = ""
    version: int = 0
    marks: list[str] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    failed: int = 0
    warm_up_latencies: list[float] = field(default_factory=list)
    warm_up_failed: int = 0
    #: What the failed saves got: a status and the page's message, or the client's error.
    failures: list[str] = field(default_factory=list)

    async def sign_in_and_open_sheet(self, password: str) -> None:
        login = await self.client.get("/login")
        answer = await self.client.post("/login", data={
            "email": self.email, "password": password,
            "csrf_token": CSRF.search(login.text).group(1)})
        if answer.status_code != 303:
            raise SystemExit(f"{self.email} cannot sign in: {answer.status_code}")
        dashboard = (await self.client.get("/jury")).text
        match = re.search(r'href="/jury/entries/(\d+)', dashboard)
        if match is None:
            raise SystemExit(f"{self.email} has no entry on the dashboard")
        self.path = f"/jury/entries/{match.group(1)}/sheet"
        sheet = await self.client.get(self.path)
        if sheet.status_code != 200 or 'name="overall_comment"' not in sheet.text:
            raise SystemExit(f"{self.email}: the score sheet does not open ({sheet.status_code})")
        self.token = CSRF.search(sheet.text).group(1)
        self.version = int(VERSION.search(sheet.text).group(1))

    async def save(self) -> None:
        # Like the page: what is typed stays typed, and the next save sends it all again.
        self.marks.append(f"s{len(self.marks) + 1}")
        started = time.perf_counter()
        try:
            answer = await self.client.post(self.path, headers={"Accept": "application/json"},
                                            data={"csrf_token": self.token, "action": "save",
                                                  "version": str(self.version),
                                                  "overall_comment": " ".join(self.marks)})
            ok = answer.status_code == 200
            if ok:
                self.version = answer.json()["version"]
            else:
                self.failures.append(f"{answer.status_code} {answer.text[:120]}")
        except httpx.HTTPError as error:
            ok = False
            self.failures.append(type(error).__name__)
        self.latencies.append((time.perf_counter() - started) * 1000)
        if ok:
            self.acknowledged.append(self.marks[-1])
        else:
            self.failed += 1

    async def autosave(self, seconds: float, every: float) -> None:
        loop = asyncio.get_running_loop()
        due = loop.time() + random.uniform(0, every)
        end = loop.time() + seconds
        while due < end:
            await asyncio.sleep(max(0.0, due - loop.time()))
            await self.save()
            due += every


def wrk_command(url: str, seconds: float, connections: int) -> list[str]:
    return ["wrk", "-t", "2", "-c", str(connections), "-d", f"{int(seconds)}s", "--latency",
            url]


def readers_figures(output: str) -> tuple[float, float]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    match = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)", output, re.M)
    value, unit = float(match.group(1)), match.group(2)
    p99 = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"readers: {errors.group(1)} error responses")
    return rps, p99


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values) or [0.0]
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def run(base: str, args: argparse.Namespace) -> list[Juror]:
    # uvicorn closes a connection idle for 5 s: a save sent on it at that moment would meet
    # a closed socket (a browser sends it again on a new one; httpx does not). So the
    # client lets its idle connection go first.
    limits = httpx.Limits(max_connections=1, keepalive_expiry=4)
    jurors = [Juror(JUROR_EMAIL.format(n=n),
                    httpx.AsyncClient(base_url=base, timeout=30, limits=limits))
              for n in range(1, args.jurors + 1)]
    try:
        password = run_script("from tests.factories import PASSWORD; print(PASSWORD)",
                              os.environ.copy()).strip()
        # One after the other: sign-ins from one address at once would meet the login
        # throttle (an attempt counts as a failure until its password is found right).
        for juror in jurors:
            await juror.sign_in_and_open_sheet(password)
        # Warm-up, not measured: the readers for a few seconds and each juror's first save
        # (the sheet's INSERT, once in its life), so that the figures are those of a site
        # running, not of its workers' first requests (templates compiled on first use,
        # the first collections of the garbage collector). Those saves are still checked.
        warm_readers = await asyncio.create_subprocess_exec(
            *wrk_command(base + "/practices", WARM_UP_SECONDS, args.connections),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        await asyncio.gather(*(juror.autosave(WARM_UP_SECONDS - 1, WARM_UP_SECONDS - 1)
                               for juror in jurors))
        await warm_readers.wait()
        for juror in jurors:
            juror.warm_up_latencies, juror.latencies = juror.latencies, []
            juror.warm_up_failed, juror.failed = juror.failed, 0
        readers = await asyncio.create_subprocess_exec(
            *wrk_command(base + "/practices", args.seconds, args.connections),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        await asyncio.gather(*(juror.autosave(args.seconds, args.every) for juror in jurors))
        output, _errors = await readers.communicate()
        args.readers = readers_figures(output.decode())
    finally:
        for juror in jurors:
            await juror.client.aclose()
    return jurors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--jurors", type=int, default=50)
    parser.add_argument("--every", type=float, default=5, help="seconds between two saves")
    parser.add_argument("--connections", type=int, default=16, help="wrk's, on /practices")
    parser.add_argument("--db", help="the database URL or path (default: a temporary file)")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (Debian: apt-get install wrk)")
    if not 1 <= args.workers <= 64:
        raise SystemExit("--workers: between 1 and 64")
    # Stopped from outside, it still stops the server it started (the `finally` below).
    signal.signal(signal.SIGTERM, lambda _signal, _frame: sys.exit("stopped"))
    if args.jurors < 1 or args.seconds < 1 or args.every <= 0:
        raise SystemExit("--jurors, --seconds and --every must be positive")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PRIZE_DB": args.db or str(Path(tmp) / "prize.db"),
               "PYTHONPATH": str(ROOT)}
        env.pop("PRIZE_SMTP_URL", None)
        subprocess.run([sys.executable, "-m", "prize", "demo"], env=env, cwd=ROOT, check=True,
                       capture_output=True)
        run_script(SEED_SCRIPT, env, str(args.jurors))
        site, base = serve(env, args.workers)
        try:
            jurors = asyncio.run(run(base, args))
        finally:
            site.terminate()
            site.wait(30)
        stored_lines = run_script(READ_SCRIPT, env).splitlines()
    stored = dict(zip(stored_lines[::2], stored_lines[1::2], strict=True))
    done = sum(len(juror.acknowledged) for juror in jurors)
    failed = sum(juror.failed + juror.warm_up_failed for juror in jurors)
    lost = sum(1 for juror in jurors for mark in juror.acknowledged
               if mark not in stored.get(juror.email, "").split())
    latencies = [latency for juror in jurors for latency in juror.latencies]
    warm_up = [latency for juror in jurors for latency in juror.warm_up_latencies]
    rps, readers_p99 = args.readers
    database = "temporary SQLite file" if not args.db else args.db.split("@")[-1]
    print(f"{args.jurors} jurors autosaving every {args.every:g} s for {args.seconds:g} s, "
          f"wrk {args.connections} connections on /practices; {args.workers} worker(s), "
          f"{database}")
    print(f"saves done {done} (warm-up {len(warm_up)}, then {len(latencies)} measured),"
          f" failed {failed}, lost {lost}")
    for failure, count in Counter(f for juror in jurors for f in juror.failures).most_common(5):
        print(f"  failed {count}x: {failure}")
    print(f"autosave p50 {percentile(latencies, 0.5):.1f} ms, "
          f"p99 {percentile(latencies, 0.99):.1f} ms, max {max(latencies, default=0):.1f} ms")
    print(f"warm-up saves (one per juror, in the site's first {WARM_UP_SECONDS} s, not measured): "
          f"p50 {percentile(warm_up, 0.5):.1f} ms, max {max(warm_up, default=0):.1f} ms")
    print(f"readers /practices {rps:.0f} req/s, p99 {readers_p99:.1f} ms")
    goal = lost == 0 and failed == 0 and percentile(latencies, 0.99) < GOAL_P99_MS
    print(f"goal (no lost or failed save, autosave p99 < {GOAL_P99_MS} ms): "
          f"{'met' if goal else 'NOT met'}")


if __name__ == "__main__":
    main()
