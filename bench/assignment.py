"""Benchmark: jury assignment on synthetic editions (a script, never a test).

Builds the shared synthetic instances (``shared/bench/assignment_instances.py``: E entries,
J jurors, R = 3 jurors per entry, loads at most L = ceil(E*R/J) + 1, 5 % conflicts,
affinities with three decimals) and, for each size, runs in the same invocation:

* ``prize`` — our :func:`prize.domain.assignment.solve` (OR-Tools min-cost flow);
* ``highs`` — an exact reference: the same model as a linear programme solved by HiGHS
  through ``scipy.optimize.linprog`` with sparse matrices (the constraint matrix is
  totally unimodular, so the optimal vertex HiGHS returns is integral);
* ``openreview`` — openreview-matcher's MinMaxSolver, only when ``matcher`` is importable.

Every answer is checked with the generator's ``check()`` (valid, total_W = sum of
round(1000 * affinity)). Each solver runs in its own fresh process so that its peak
resident memory (VmHWM, reset after the instance is built when the kernel allows it)
covers the C++ memory of OR-Tools and HiGHS, which tracemalloc cannot see.

Goal: the optimal objective at every size; 5000 x 500 in under 2 s and under 500 MB.

Run from the repository root::

    python -m bench.assignment [--sizes 200x30,1000x100,5000x500] [--quick] [--seed 0]
                               [--runs 1] [--skip-reference-above 3000000]

The shared folder is found next to the repository (``../shared``), or wherever the
environment variable ``PRIZE_SHARED_DIR`` points.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = "200x30,1000x100,5000x500"
QUICK_SIZES = "200x30,1000x100"
GOAL_SECONDS = 2.0
GOAL_MEGABYTES = 500
GOAL_SIZE = (5000, 500)
# HiGHS needs about a minute and 2 GB for 5000 x 500 (2.5 million pairs) on 2 cores;
# beyond that it is skipped unless asked for.
DEFAULT_REFERENCE_LIMIT = 3_000_000
SOLVERS = ("prize", "highs", "openreview")


# --- locating the shared instance generator ----------------------------------------------


def shared_bench_dir() -> Path:
    shared = os.environ.get("PRIZE_SHARED_DIR")
    root = Path(shared) if shared else REPOSITORY.parent / "shared"
    return root / "bench"


def load_generator() -> ModuleType:
    """The shared instance generator, or exit with a message saying where it was sought."""
    path = shared_bench_dir() / "assignment_instances.py"
    if not path.is_file():
        sys.exit(
            f"bench/assignment.py: cannot find {path}.\n"
            "It is the shared instance generator; set PRIZE_SHARED_DIR to the folder that "
            "holds bench/assignment_instances.py."
        )
    spec = importlib.util.spec_from_file_location("assignment_instances", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- memory of this process ----------------------------------------------------------------


def _status_megabytes(field: str) -> float | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak_memory() -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0); False when the kernel refuses."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def peak_megabytes() -> float:
    peak = _status_megabytes("VmHWM")
    if peak is not None:
        return peak
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the solvers, run inside a child process -------------------------------------------------


def run_prize(instance: dict[str, Any]) -> np.ndarray:
    from prize.domain.assignment import solve

    pairs = solve(
        instance["aff"].T,
        per_entry=instance["R"],
        max_load=instance["L"],
        forbidden=instance["forbidden_pairs"],
    )
    # solve() gives (juror, entry); check() wants [entry, juror].
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)[:, ::-1]


def run_highs(instance: dict[str, Any]) -> np.ndarray:
    import scipy.sparse as sparse
    from scipy.optimize import linprog

    n_entries, n_jurors = instance["E"], instance["J"]
    entry_of, juror_of = np.nonzero(~instance["conflict"])
    n_pairs = len(entry_of)
    columns = np.arange(n_pairs)
    ones = np.ones(n_pairs)
    per_entry = sparse.csr_array((ones, (entry_of, columns)), shape=(n_entries, n_pairs))
    per_juror = sparse.csr_array((ones, (juror_of, columns)), shape=(n_jurors, n_pairs))
    result = linprog(
        -instance["W"][entry_of, juror_of].astype(np.float64),
        A_ub=per_juror,
        b_ub=np.full(n_jurors, instance["L"]),
        A_eq=per_entry,
        b_eq=np.full(n_entries, instance["R"]),
        bounds=(0, 1),
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"HiGHS: {result.message}")
    chosen = result.x > 0.5
    fractional = int(np.sum((result.x > 1e-6) & (result.x < 1 - 1e-6)))
    if fractional:
        raise RuntimeError(f"HiGHS returned {fractional} fractional values")
    return np.stack([entry_of[chosen], juror_of[chosen]], axis=1)


def run_openreview(instance: dict[str, Any]) -> np.ndarray:
    # Not exercised here (openreview-matcher is not on PyPI); written against its
    # MinMaxSolver(minimums, maximums, demands, encoder) with papers x reviewers
    # matrices, constraint -1 for a conflict, and an integer cost to minimise.
    from collections import namedtuple

    from matcher.solvers import MinMaxSolver

    encoder = namedtuple("Encoder", ["cost_matrix", "constraint_matrix"])(
        -instance["W"], np.where(instance["conflict"], -1, 0)
    )
    solver = MinMaxSolver(
        np.zeros(instance["J"], dtype=np.int64),
        np.full(instance["J"], instance["L"], dtype=np.int64),
        np.full(instance["E"], instance["R"], dtype=np.int64),
        encoder,
    )
    flow = np.asarray(solver.solve())
    return np.argwhere(flow > 0.5)


RUNNERS = {"prize": run_prize, "highs": run_highs, "openreview": run_openreview}
# Imported before the clock starts, so that no solver is timed loading its library.
MODULES = {"prize": "prize.domain.assignment", "highs": "scipy.optimize", "openreview": "matcher"}


def child(solver: str, n_entries: int, n_jurors: int, seed: int, runs: int) -> None:
    """Build the instance, run one solver ``runs`` times, print one JSON line."""
    generator = load_generator()
    instance = generator.make_instance(n_entries, n_jurors, seed=seed)
    # The contract's input form: forbidden (juror, entry) index pairs.
    instance["forbidden_pairs"] = np.argwhere(instance["conflict"].T)
    importlib.import_module(MODULES[solver])
    baseline = _status_megabytes("VmRSS") or 0.0
    peak_reset = reset_peak_memory()
    seconds, cpu_seconds = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        pairs = RUNNERS[solver](instance)
        seconds.append(time.perf_counter() - started)
        cpu_seconds.append(time.process_time() - cpu_started)
    report = generator.check(instance, pairs)
    report.update(
        seconds=min(seconds),
        cpu_seconds=min(cpu_seconds),
        peak_mb=peak_megabytes(),
        baseline_mb=baseline,
        peak_reset=peak_reset,
    )
    print(json.dumps(report))


# --- the parent: run everything, print the table ------------------------------------------------


def run_in_child(solver: str, size: tuple[int, int], seed: int, runs: int) -> dict[str, Any]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPOSITORY), environment.get("PYTHONPATH")])
    )
    command = [
        sys.executable, str(Path(__file__).resolve()), "--child", solver,
        str(size[0]), str(size[1]), "--seed", str(seed), "--runs", str(runs),
    ]  # fmt: skip
    finished = subprocess.run(
        command, capture_output=True, text=True, env=environment, cwd=REPOSITORY
    )
    if finished.returncode != 0:
        last = (finished.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": last}
    return json.loads(finished.stdout.strip().splitlines()[-1])


def parse_sizes(text: str) -> list[tuple[int, int]]:
    sizes = []
    for item in text.split(","):
        entries, _, jurors = item.strip().lower().partition("x")
        sizes.append((int(entries), int(jurors)))
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="ExJ,... (entries x jurors)")
    parser.add_argument("--quick", action="store_true", help=f"only {QUICK_SIZES}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=1, help="runs per solver; best is shown")
    parser.add_argument(
        "--skip-reference-above",
        type=int,
        default=DEFAULT_REFERENCE_LIMIT,
        metavar="PAIRS",
        help="skip the HiGHS and openreview references when E*J exceeds this",
    )
    parser.add_argument("--child", nargs=3, metavar=("SOLVER", "E", "J"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()

    if arguments.child:
        solver, n_entries, n_jurors = arguments.child
        child(solver, int(n_entries), int(n_jurors), arguments.seed, arguments.runs)
        return

    load_generator()  # fail early, with the message, when the generator is missing
    sizes = parse_sizes(QUICK_SIZES if arguments.quick else arguments.sizes)
    openreview_available = importlib.util.find_spec("matcher") is not None
    print(
        f"jury assignment benchmark: seed {arguments.seed}, {arguments.runs} run(s) each, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, "
        f"Python {sys.version.split()[0]}"
    )
    header = (
        f"{'size':>10} {'solver':>10} {'seconds':>8} {'cpu s':>7} {'peak MB':>8} {'base MB':>8} "
        f"{'total_W':>10} {'valid':>5} {'t/ref':>7} {'obj/ref':>9}"
    )
    print(header)
    print("-" * len(header))
    notes = []
    verdicts = []
    for size in sizes:
        results: dict[str, dict[str, Any]] = {}
        for solver in SOLVERS:
            label = f"{size[0]}x{size[1]}"
            if solver == "openreview" and not openreview_available:
                if size == sizes[0]:
                    notes.append("openreview: skipped, openreview-matcher is not importable")
                continue
            if solver != "prize" and size[0] * size[1] > arguments.skip_reference_above:
                notes.append(
                    f"{label} {solver}: skipped, {size[0] * size[1]} pairs > "
                    f"--skip-reference-above {arguments.skip_reference_above}"
                )
                continue
            result = results[solver] = run_in_child(solver, size, arguments.seed, arguments.runs)
            if "error" in result:
                print(f"{label:>10} {solver:>10}  failed: {result['error']}")
                continue
            if not result["peak_reset"]:
                notes.append(f"{label} {solver}: peak MB includes building the instance")
            ratios = ""
            reference = results.get("highs")
            if solver == "prize":
                ratios = " " * 17
            elif reference is not None and "error" not in reference:
                ours = results["prize"]
                if "error" not in ours:
                    ratios = (
                        f"{ours['seconds'] / result['seconds']:>7.3f} "
                        f"{ours['total_W'] / result['total_W']:>9.6f}"
                    )
            print(
                f"{label:>10} {solver:>10} {result['seconds']:>8.3f} {result['cpu_seconds']:>7.3f} "
                f"{result['peak_mb']:>8.0f} "
                f"{result['baseline_mb']:>8.0f} {result['total_W']:>10} "
                f"{'yes' if result['valid'] else 'NO':>5} {ratios}"
            )
        verdicts.append(verdict(size, results))
    print()
    print("t/ref and obj/ref: ours divided by that reference (obj/ref 1.000000 = optimal).")
    print("seconds: wall clock (best of the runs); cpu s: processor time of that process.")
    print("peak MB: highest resident memory of the solver's own process while solving;")
    print("base MB: its resident memory before (Python, numpy, the instance).")
    for note in notes:
        print(f"note: {note}")
    for line in filter(None, verdicts):
        print(line)


def verdict(size: tuple[int, int], results: dict[str, dict[str, Any]]) -> str:
    ours = results.get("prize", {})
    if "error" in ours or not ours:
        return f"{size[0]}x{size[1]}: our solver failed"
    parts = [f"{size[0]}x{size[1]}: valid {'yes' if ours['valid'] else 'NO'}"]
    reference = results.get("highs")
    if reference and "error" not in reference:
        optimal = ours["total_W"] == reference["total_W"]
        parts.append(f"optimal {'yes' if optimal else 'NO'} (HiGHS {reference['total_W']})")
    else:
        parts.append("optimality not checked (no reference)")
    if size == GOAL_SIZE:
        parts.append(
            f"{ours['seconds']:.2f} s (goal < {GOAL_SECONDS:g} s: "
            f"{'met' if ours['seconds'] < GOAL_SECONDS else 'MISSED'})"
        )
        parts.append(
            f"{ours['peak_mb']:.0f} MB (goal < {GOAL_MEGABYTES} MB: "
            f"{'met' if ours['peak_mb'] < GOAL_MEGABYTES else 'MISSED'})"
        )
    return ", ".join(parts)


if __name__ == "__main__":
    main()
