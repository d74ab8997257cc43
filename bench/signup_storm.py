"""How a storm of sign-ups slows everyone else's pages (prints figures).

    python bench/signup_storm.py [--signups 40] [--rounds 3]

Starts `prize serve` on a free 127.0.0.1 port with a temporary PRIZE_DB, at the
production password cost (argon2id, 3 passes over 64 MiB), and with
PRIZE_TRUSTED_PROXIES=127.0.0.1 so that each sign-up can come from an address of its
own (an `X-Forwarded-For` from 198.51.100.0/24) and no sign-up limit is reached. Each
round fetches the forms' CSRF tokens first, then sends the sign-ups all at once while
one client asks `/healthz` in a loop; it prints the quiet and the stormy `/healthz`
latency (median, 95th percentile, maximum), their ratio, and how long the storm took.
Never run as a test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "PRIZE_DB": str(folder / "prize.db"),
        "PRIZE_TRUSTED_PROXIES": "127.0.0.1",
        "PRIZE_BASE_URL": f"http://127.0.0.1:{port}",
    }
    env.pop("PRIZE_SMTP_URL", None)  # mail stays in the outbox
    process = subprocess.Popen(
        [sys.executable, "-m", "prize", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def summary(latencies: list[float]) -> tuple[float, float, float]:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered), p95, ordered[-1]


async def healthz_until(base: str, done: asyncio.Event) -> list[float]:
    latencies = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while not done.is_set():
            started = time.perf_counter()
            response = await client.get("/healthz")
            latencies.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            await asyncio.sleep(0.01)
    return latencies


async def quiet_healthz(base: str, count: int = 50) -> list[float]:
    done = asyncio.Event()
    task = asyncio.create_task(healthz_until(base, done))
    await asyncio.sleep(count * 0.011)
    done.set()
    return await task


async def storm(base: str, signups: int, round_number: int) -> tuple[list[float], float, int]:
    clients = [
        httpx.AsyncClient(base_url=base, timeout=120,
                          headers={"X-Forwarded-For": f"198.51.100.{n % 250 + 1}"})
        for n in range(signups)
    ]
    try:
        tokens = []
        for client in clients:
            page = await client.get("/signup")
            tokens.append(CSRF.search(page.text).group(1))

        async def sign_up(n: int) -> int:
            response = await clients[n].post("/signup", data={
                "csrf_token": tokens[n], "name": f"Person {n}",
                "email": f"storm{round_number}-{n}@example.org",
                "password": "a long enough password", "password_confirm": "a long enough password",
                "privacy": "on",
            })
            return response.status_code

        done = asyncio.Event()
        probe = asyncio.create_task(healthz_until(base, done))
        started = time.perf_counter()
        statuses = await asyncio.gather(*(sign_up(n) for n in range(signups)))
        took = time.perf_counter() - started
        done.set()
        latencies = await probe
        return latencies, took, sum(status == 303 for status in statuses)
    finally:
        for client in clients:
            await client.aclose()


async def main(signups: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        process, base = start_server(Path(folder))
        try:
            quiet = await quiet_healthz(base)
            q50, q95, qmax = summary(quiet)
            print(f"quiet /healthz: median {q50:.1f} ms, p95 {q95:.1f} ms, max {qmax:.1f} ms")
            for round_number in range(1, rounds + 1):
                latencies, took, accepted = await storm(base, signups, round_number)
                s50, s95, smax = summary(latencies)
                print(
                    f"round {round_number}: {accepted}/{signups} sign-ups in {took:.2f} s;"
                    f" /healthz ({len(latencies)} asked) median {s50:.1f} ms ({s50 / q50:.0f}x),"
                    f" p95 {s95:.1f} ms ({s95 / q95:.0f}x), max {smax:.1f} ms"
                )
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signups", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.signups, arguments.rounds))
