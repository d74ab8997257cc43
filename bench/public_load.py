"""Load on the public catalogue compared with a bare Starlette "hello" (prints figures).

    python bench/public_load.py [--seconds 5] [--connections 64] [--autosaves N]
                                [--db URL] [--workers N]

Starts, each in a subprocess on a free 127.0.0.1 port with N uvicorn workers (one by
default; httptools + uvloop): the site on the demo data and a bare Starlette app
answering "hello". The site's database is a temporary SQLite file unless `--db` names
one (a path, a `sqlite:///` URL or a `postgresql://` URL,
passed through PRIZE_DB); `prize demo` loads the demo data into it either way (it
changes nothing when they are there already). Drives each URL with the
same bounded load (wrk when installed, else an asyncio httpx client), prints
requests per second and p50/p99 latency with the ratio to hello and the server's CPU
time per request (all its workers, from /proc), and checks that
every public page with its CSS stays under 60 KB. Never run as a test.

With `--autosaves N`, `/practices` is measured once more while a demo juror autosaves
a draft score sheet N times a second over HTTP (signed in, with the form's CSRF token
and version, as static/sheet-autosave.js does), and the figures are compared with the
quiet ones: the goal is p99 under 1.5 times the quiet p99 and req/s within 10 %.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PAGE_LIMIT = 60 * 1024
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
DEMO_JUROR = "juror1@demo.prize"
DEMO_PASSWORD = "demo-password"
HELLO_APP = textwrap.dedent("""
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    async def hello(request):
        return PlainTextResponse("hello")

    app = Starlette(routes=[Route("/", hello)])
""")
SITE_APP = textwrap.dedent("""
    from prize.settings import load_settings
    from prize.web.app import create_app

    app = create_app(load_settings())
""")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(module_dir: Path, module: str, env: dict[str, str],
          workers: int = 1) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", f"{module}:app", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--http", "httptools",
         "--loop", "uvloop",
         "--log-level", "warning", "--no-access-log"],
        cwd=module_dir, env={**env, "PYTHONPATH": f"{module_dir}:{ROOT}"},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/", timeout=1)
            return process, base
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{module} did not start")


def run_wrk(url: str, seconds: int, connections: int) -> tuple[float, float, float]:
    output = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout

    def millis(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses")
    return rps, millis("50"), millis("99")


async def run_httpx(url: str, seconds: int, connections: int) -> tuple[float, float, float]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        stop = time.monotonic() + seconds

        async def worker() -> None:
            while time.monotonic() < stop:
                started = time.perf_counter()
                response = await client.get(url)
                response.raise_for_status()
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.monotonic() - started
    latencies.sort()
    return (len(latencies) / elapsed, latencies[len(latencies) // 2],
            latencies[int(len(latencies) * 0.99)])


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children alive now (the workers),
    from /proc: on a machine shared with other work, the server's CPU per request varies
    far less than its requests per second."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, ... utime and stime are the 12th and 13th.
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def measure(url: str, seconds: int, connections: int) -> tuple[float, float, float]:
    if shutil.which("wrk"):
        return run_wrk(url, seconds, connections)
    return asyncio.run(run_httpx(url, seconds, connections))


class Autosaver:
    """A demo juror autosaving draft score sheets `rate` times a second, in threads.

    Like the browser, one sheet never has two saves on their way at once (each names
    the version the last one returned); to keep the rate while the server is loaded,
    the saves go round the juror's editable sheets, one thread per sheet.
    """

    def __init__(self, base: str, rate: float, sheets: int = 4) -> None:
        self.rate = rate
        self.client = httpx.Client(base_url=base, timeout=10,
                                   limits=httpx.Limits(max_connections=sheets))
        self.sheets = self.sign_in_and_open_sheets(sheets)
        self.latencies: list[float] = []
        self.saved = self.failed = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,), daemon=True)
                        for n in range(len(self.sheets))]

    def sign_in_and_open_sheets(self, wanted: int) -> list[list]:
        login = self.client.get("/login")
        token = CSRF.search(login.text).group(1)
        answer = self.client.post("/login", data={
            "email": DEMO_JUROR, "password": DEMO_PASSWORD, "csrf_token": token})
        if answer.status_code != 303:
            raise SystemExit(f"autosaves: cannot sign in as {DEMO_JUROR}: {answer.status_code}")
        dashboard = self.client.get("/jury").text
        sheets = []
        for entry_id in dict.fromkeys(re.findall(r'href="/jury/entries/(\d+)', dashboard)):
            path = f"/jury/entries/{entry_id}/sheet"
            page = self.client.get(path)
            editable = 'name="overall_comment"' in page.text and "disabled" not in page.text
            if page.status_code == 200 and editable:
                version = int(VERSION.search(page.text).group(1))
                sheets.append([path, CSRF.search(page.text).group(1), version])
            if len(sheets) == wanted:
                return sheets
        if not sheets:
            raise SystemExit(f"autosaves: {DEMO_JUROR} has no draft sheet to autosave")
        return sheets

    def save_once(self, sheet: list, count: int) -> None:
        path, token, version = sheet
        started = time.perf_counter()
        try:
            answer = self.client.post(path, headers={"Accept": "application/json"}, data={
                "csrf_token": token, "version": str(version), "action": "save",
                "overall_comment": f"Draft comment, autosave {count}."})
            ok = answer.status_code == 200
            if ok:
                sheet[2] = answer.json()["version"]
        except httpx.HTTPError:
            ok = False
        with self.lock:
            self.latencies.append((time.perf_counter() - started) * 1000)
            if ok:
                self.saved += 1
            else:
                self.failed += 1

    def run(self, n: int) -> None:
        period = len(self.sheets) / self.rate
        due = time.monotonic() + n / self.rate  # staggered: one save every 1/rate overall
        count = 0
        while not self.stop.wait(max(0.0, due - time.monotonic())):
            count += 1
            self.save_once(self.sheets[n], count)
            due += period

    def __enter__(self) -> Autosaver:
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(10)
        self.elapsed = time.monotonic() - self.started
        self.client.close()


def check_sizes(base: str) -> list[str]:
    css = len(httpx.get(base + "/static/site.css").content)
    listing = httpx.get(base + "/practices?per_page=100").text
    slugs = sorted(set(re.findall(r'href="/practices/([a-z0-9-]+)"', listing)))
    paths = ["/", "/practices", "/practices?per_page=100", "/editions/2021", "/editions/2024",
             "/login", "/signup"] + [f"/practices/{slug}" for slug in slugs]
    problems = []
    largest = (0, "")
    for path in paths:
        size = len(httpx.get(base + path).content) + css
        largest = max(largest, (size, path))
        if size >= PAGE_LIMIT:
            problems.append(f"{path}: {size} bytes with CSS")
    print(f"page sizes: {len(paths)} pages checked, largest {largest[1]} "
          f"{largest[0] / 1024:.1f} KB with CSS (limit 60 KB)")
    return problems


def compare_with_autosaves(url: str, args: argparse.Namespace) -> None:
    """`/practices` quiet and during autosaves, in the order quiet, busy, busy, quiet, so
    that a change of the machine's load during the run weighs on both alike."""
    quiet: list[tuple[float, float, float]] = []
    busy: list[tuple[float, float, float]] = []
    saved = failed = 0
    elapsed = 0.0
    latencies: list[float] = []
    for runs in (quiet, busy, busy, quiet):
        if runs is quiet:
            runs.append(measure(url, args.seconds, args.connections))
            continue
        with Autosaver(url.rsplit("/", 1)[0], args.autosaves) as autosaver:
            runs.append(measure(url, args.seconds, args.connections))
        saved, failed = saved + autosaver.saved, failed + autosaver.failed
        elapsed += autosaver.elapsed
        latencies += autosaver.latencies
        sheets = len(autosaver.sheets)
    latencies = sorted(latencies) or [0.0]
    print(f"/practices during autosaves: {saved} saved, {failed} failed, "
          f"{(saved + failed) / elapsed:.1f} a second (asked {args.autosaves:g}) on {sheets} "
          f"sheets, autosave p50 {latencies[len(latencies) // 2]:.0f} ms, "
          f"max {latencies[-1]:.0f} ms")

    def mean(runs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
        return tuple(sum(run[n] for run in runs) / len(runs) for n in range(3))

    quiet_mean, busy_mean = mean(quiet), mean(busy)
    print(f"{'mean of 2 runs each':42} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for name, (rps, p50, p99) in (("/practices quiet", quiet_mean),
                                  ("/practices autosaving", busy_mean)):
        print(f"{name:42} {rps:9.0f} {p50:8.2f} {p99:8.2f}")
    rps_ratio, p50_ratio, p99_ratio = (b / q for b, q in zip(busy_mean, quiet_mean, strict=True))
    print(f"{'autosaving / quiet':42} {rps_ratio:9.0%} {p50_ratio:7.2f}x {p99_ratio:7.2f}x")
    goal = p99_ratio < 1.5 and rps_ratio >= 0.9 and failed == 0
    print(f"goal (p99 < 1.5x quiet, req/s within 10 %, no failed autosave): "
          f"{'met' if goal else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--autosaves", type=float, default=0,
                        help="also measure /practices during N juror autosaves a second")
    parser.add_argument("--db", help="the database URL or path (default: a temporary file)")
    parser.add_argument("--workers", type=int, default=1,
                        help="uvicorn worker processes for the site and for hello")
    args = parser.parse_args()
    if not 1 <= args.workers <= 64:
        raise SystemExit("--workers: between 1 and 64")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        (workdir / "hello_app.py").write_text(HELLO_APP)
        (workdir / "site_app.py").write_text(SITE_APP)
        env = {**os.environ, "PRIZE_DB": args.db or str(workdir / "prize.db")}
        env.pop("PRIZE_SMTP_URL", None)
        subprocess.run([sys.executable, "-m", "prize", "demo"], env=env, cwd=ROOT, check=True,
                       capture_output=True)
        site, site_base = serve(workdir, "site_app", env, args.workers)
        hello, hello_base = serve(workdir, "hello_app", env, args.workers)
        try:
            targets = [
                ("hello", hello_base + "/"),
                ("/practices", site_base + "/practices"),
                ("/practices?q=young+people&country=IE",
                 site_base + "/practices?q=young+people&country=IE"),
                ("/api/v1/practices", site_base + "/api/v1/practices"),
            ]
            tool = "wrk" if shutil.which("wrk") else "httpx"
            database = "temporary SQLite file" if not args.db else args.db.split("@")[-1]
            print(f"{args.connections} connections, {args.seconds} s each, "
                  f"{args.workers} worker(s), {tool}, {database}")
            results = {}
            cpu_per_request = {}
            for name, url in targets:
                measure(url, 1, args.connections)  # warm up
                server = hello if name == "hello" else site
                cpu_before = cpu_seconds(server.pid)
                results[name] = measure(url, args.seconds, args.connections)
                requests = results[name][0] * args.seconds
                cpu_per_request[name] = (cpu_seconds(server.pid) - cpu_before) / requests * 1e6
            hello_rps = results["hello"][0]
            print(f"{'target':42} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs hello':>9}"
                  f" {'CPU us/req':>11}")
            for name, (rps, p50, p99) in results.items():
                print(f"{name:42} {rps:9.0f} {p50:8.2f} {p99:8.2f} {rps / hello_rps:8.0%}"
                      f" {cpu_per_request[name]:11.0f}")
            if args.autosaves:
                compare_with_autosaves(site_base + "/practices", args)
            problems = check_sizes(site_base)
            rps, _p50, p99 = results["/practices"]
            goal = rps >= 0.4 * hello_rps and p99 < 100
            verdict = "met" if goal else "NOT met"
            print(f"goal (/practices >= 40% of hello, p99 < 100 ms): {verdict}")
            for problem in problems:
                print("too large:", problem)
        finally:
            for process in (site, hello):
                process.terminate()
                process.wait(10)


if __name__ == "__main__":
    main()
