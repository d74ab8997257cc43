"""Benchmark: aggregating and ranking a large edition (a script, never a test).

Builds a synthetic edition (default 5000 entries x 3 submitted sheets x 8 criteria,
500 jurors, scale 0-5, seeded, with juror biases), then times
``prize.domain.scoring.aggregate`` followed by both rankings: the first run (cold) and
the best of the runs, peak memory under tracemalloc, and ratios to baselines measured
in the same run on the same machine, so the figures can be compared across machines:

* building the input (the sheets as Python objects, what the store would hand over);
* reading the scores into a numpy array (the Python-level floor for any aggregation
  over these objects);
* a plain numpy mean over that array.

Goal: aggregation (with both rankings) under 0.5 s.

Second section, "deliberation page rendered from the database": the same edition is
written into a temporary SQLite database (entries, submitted sheets, scores), the app is
built in-process and ``GET /admin/editions/{year}/deliberation`` is timed through
httpx's ASGITransport, logged in as an admin. Goal: under 1 s. ``--skip-page`` leaves
it out.

Run from the repository root::

    python -m bench.ranking [--entries 5000] [--jurors 500] [--sheets 3] [--seed 0] [--skip-page]

(or ``python bench/ranking.py`` once the project is installed with ``pip install -e .``).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sqlite3
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from prize.domain.editions import DEFAULT_CRITERIA
from prize.domain.scoring import ScoringCriterion, Sheet, aggregate, ranking

GOAL_SECONDS = 0.5
PAGE_GOAL_SECONDS = 1.0
BENCH_YEAR = 2030
RUNS = 3


def build_synthetic_edition(
    n_entries: int, n_jurors: int, sheets_per_entry: int, seed: int
) -> tuple[list[ScoringCriterion], list[Sheet]]:
    """Return the default criteria and one submitted sheet per (entry, assigned juror).

    Every entry gets ``sheets_per_entry`` distinct jurors and loads are balanced (they
    differ by at most one). A score is ``2.5 + quality of the entry + bias of the juror
    + noise per criterion``, rounded and clipped to 0-5, so harsh and lenient jurors
    exist and juror normalisation has something to undo. Same seed, same edition.
    """
    if not 1 <= sheets_per_entry <= n_jurors:
        raise ValueError("sheets_per_entry must be between 1 and the number of jurors")
    rng = np.random.default_rng(seed)
    # The prize's default criteria and weights (see DOMAIN-FACTS.md), scale 0-5.
    criteria = [ScoringCriterion(c.key, c.weight, c.scale_min, c.scale_max)
                for c in DEFAULT_CRITERIA]
    keys = [criterion.key for criterion in criteria]

    # Consecutive slots of a shuffled juror cycle: distinct jurors within an entry as
    # long as sheets_per_entry <= n_jurors, and loads balanced without a solver.
    juror_order = rng.permutation(n_jurors)
    slots = np.arange(n_entries * sheets_per_entry).reshape(n_entries, sheets_per_entry)
    assigned = juror_order[slots % n_jurors]

    quality = rng.normal(0.0, 0.8, n_entries)
    bias = rng.normal(0.0, 0.6, n_jurors)
    noise = rng.normal(0.0, 0.7, (n_entries, sheets_per_entry, len(keys)))
    raw = 2.5 + quality[:, None, None] + bias[assigned][:, :, None] + noise
    scores = np.clip(np.rint(raw), 0, 5).astype(int).tolist()

    sheets = [
        Sheet(
            juror_id=int(assigned[entry, slot]) + 1,
            entry_id=entry + 1,
            scores=dict(zip(keys, scores[entry][slot], strict=True)),
            submitted=True,
        )
        for entry in range(n_entries)
        for slot in range(sheets_per_entry)
    ]
    return criteria, sheets


@dataclass(frozen=True)
class Timing:
    first: float
    best: float


def time_runs(work: Callable[[], object], runs: int = RUNS) -> Timing:
    """Wall-clock seconds of the first run and the best of ``runs`` runs of ``work``."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return Timing(first=seconds[0], best=min(seconds))


def peak_memory(work: Callable[[], object]) -> int:
    """Peak bytes allocated by Python while ``work`` runs (tracemalloc)."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def aggregate_and_rank(criteria: list[ScoringCriterion], sheets: list[Sheet]) -> None:
    """What the deliberation page and the ranking export compute from the sheets."""
    results = aggregate(sheets, criteria, spread_threshold=20.0)
    ranking(results, by="mean")
    ranking(results, by="normalised")


def write_edition_to_database(path: Path, criteria: list[ScoringCriterion],
                              sheets: list[Sheet]) -> None:
    """Migrate a new database at ``path`` and write the synthetic edition into it."""
    from prize.domain.editions import default_edition
    from prize.store import editions
    from prize.store.db import Database
    from prize.web.security import hash_password

    now = datetime(2030, 6, 1, tzinfo=UTC)
    stamp = "2030-06-01T00:00:00Z"

    async def migrate_and_create_edition() -> int:
        async with Database(path) as db:
            await db.migrate()
            edition = default_edition(BENCH_YEAR).model_copy(update={"status": "judging"})
            async with db.transaction() as conn:
                return await editions.insert(conn, edition, now)

    edition_id = asyncio.run(migrate_and_create_edition())
    juror_ids = sorted({sheet.juror_id for sheet in sheets})
    entry_ids = sorted({sheet.entry_id for sheet in sheets})
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO users (email, name, password_hash, role, email_verified_at, created_at)"
            " VALUES ('admin@bench.prize', 'Bench admin', ?, 'admin', ?, ?)",
            (hash_password("bench-password"), stamp, stamp))
        conn.executemany(
            "INSERT INTO users (id, email, name, role, created_at) VALUES (?, ?, ?, 'juror', ?)",
            [(1000 + j, f"juror{j}@bench.prize", f"Juror {j}", stamp) for j in juror_ids])
        owner = conn.execute("SELECT id FROM users WHERE role = 'admin'").fetchone()[0]
        conn.executemany(
            "INSERT INTO entries (id, edition_id, owner_id, reference, reference_number, status,"
            " title, organisation, country, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, 'eligible', ?, ?, 'IE', ?, ?)",
            [(e, edition_id, owner, f"EDPP-{BENCH_YEAR}-{e:05d}", e, f"Project {e}",
              f"Organisation {e}", stamp, stamp) for e in entry_ids])
        conn.executemany(
            "INSERT INTO score_sheets (id, entry_id, juror_id, status, overall_comment,"
            " created_at, updated_at, submitted_at) VALUES (?, ?, ?, 'submitted', ?, ?, ?, ?)",
            [(n, sheet.entry_id, 1000 + sheet.juror_id, "A comment.", stamp, stamp, stamp)
             for n, sheet in enumerate(sheets, start=1)])
        conn.executemany(
            "INSERT INTO scores (sheet_id, criterion_key, score, justification)"
            " VALUES (?, ?, ?, 'Why.')",
            [(n, key, score) for n, sheet in enumerate(sheets, start=1)
             for key, score in sheet.scores.items()])


def time_deliberation_page(path: Path, runs: int = RUNS) -> tuple[Timing, int]:
    """Time GET /admin/editions/{year}/deliberation in-process; returns timings and size."""
    import httpx

    from prize.settings import Settings
    from prize.web.app import create_app

    settings = Settings(db_path=path, secret_key="bench-secret", base_url="http://bench",
                        smtp_url=None, upload_dir=path.parent / "uploads")
    app = create_app(settings)

    async def measure() -> tuple[Timing, int]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                login = await client.get("/login")
                token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
                answer = await client.post("/login", data={
                    "email": "admin@bench.prize", "password": "bench-password",
                    "csrf_token": token})
                assert answer.status_code == 303, "bench admin could not log in"
                seconds, size = [], 0
                for _ in range(runs):
                    started = time.perf_counter()
                    response = await client.get(f"/admin/editions/{BENCH_YEAR}/deliberation")
                    seconds.append(time.perf_counter() - started)
                    assert response.status_code == 200, response.status_code
                    size = len(response.content)
                return Timing(first=seconds[0], best=min(seconds)), size

    return asyncio.run(measure())


def page_section(criteria: list[ScoringCriterion], sheets: list[Sheet]) -> None:
    print()
    print("deliberation page rendered from the database")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        started = time.perf_counter()
        write_edition_to_database(path, criteria, sheets)
        print(f"  loading the database {time.perf_counter() - started:8.1f} s (not timed below)")
        timing, size = time_deliberation_page(path)
    print(f"  first request {timing.first * 1000:8.1f} ms")
    print(f"  best of {RUNS}     {timing.best * 1000:8.1f} ms  ({size / 1024:.0f} KiB of HTML)")
    verdict = "met" if timing.best < PAGE_GOAL_SECONDS else "NOT MET"
    print(f"  goal < {PAGE_GOAL_SECONDS} s: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--jurors", type=int, default=500)
    parser.add_argument("--sheets", type=int, default=3, help="submitted sheets per entry")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-page", action="store_true",
                        help="leave out the deliberation page rendered from the database")
    options = parser.parse_args()

    def build() -> tuple[list[ScoringCriterion], list[Sheet]]:
        return build_synthetic_edition(
            options.entries, options.jurors, options.sheets, options.seed
        )

    build_time = time_runs(build)
    criteria, sheets = build()
    keys = [criterion.key for criterion in criteria]

    def read_scores() -> np.ndarray:
        return np.array([[sheet.scores[key] for key in keys] for sheet in sheets], dtype=float)

    score_array = read_scores()
    read_time = time_runs(read_scores)
    mean_time = time_runs(lambda: score_array.mean(axis=0))

    work_time = time_runs(lambda: aggregate_and_rank(criteria, sheets))
    peak = peak_memory(lambda: aggregate_and_rank(criteria, sheets))
    results = aggregate(sheets, criteria, spread_threshold=20.0)

    print(
        f"edition: {options.entries} entries x {options.sheets} sheets x {len(criteria)} "
        f"criteria, {len(results.jurors)} jurors, seed {options.seed} "
        f"({len(sheets)} sheets)"
    )
    print(
        f"  overall mean {results.overall_mean:.2f}, std {results.overall_std:.2f}, "
        f"alpha {results.alpha_overall:.3f}, "
        f"{sum(entry.discuss for entry in results.entries)} entries to discuss"
    )
    print()
    print("aggregate + ranking by mean + ranking by normalised")
    print(f"  first run   {work_time.first * 1000:8.1f} ms")
    print(f"  best of {RUNS}   {work_time.best * 1000:8.1f} ms")
    print(f"  peak memory {peak / 2**20:8.1f} MiB (tracemalloc)")
    verdict = "met" if work_time.best < GOAL_SECONDS else "NOT MET"
    print(f"  goal < {GOAL_SECONDS} s: {verdict}")
    print()
    print("baselines, same run (best of 3)            time      aggregation / baseline")
    for label, baseline in [
        ("build the input sheets (Python objects)", build_time.best),
        ("read scores into a numpy array", read_time.best),
        ("numpy mean over the score array", mean_time.best),
    ]:
        print(f"  {label:<40} {baseline * 1000:8.2f} ms  {work_time.best / baseline:10.1f}x")
    if not options.skip_page:
        page_section(criteria, sheets)


if __name__ == "__main__":
    main()
