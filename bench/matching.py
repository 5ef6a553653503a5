"""Benchmark of the matching engine against scipy, greedy and the `matching` library.

    .venv/bin/python bench/matching.py            # everything, regional run included
    .venv/bin/python bench/matching.py --quick    # skip the 100,000 x 25,000 run

Every measurement runs in its own subprocess, so ``peak MB`` is that process's
peak resident set size (``VmHWM``): the interpreter, numpy and OR-Tools
(~100 MB), the synthetic profiles and whatever the method allocates. Guildhouse
is timed from the profiles, so its seconds *include scoring* (it streams the
generator's blocks); the other methods need the dense score matrix, and their
seconds include building it (``dense s`` says how much of that was scoring).
The `matching` library runs with a 3-minute timeout. Workers run with
``OPENBLAS_NUM_THREADS=1`` (see the scoring section of docs/matching.md). Results go to
bench/results/matching.json and a table to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path, and this file
# is called matching.py: it would shadow the `matching` library.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from guildhouse.matching import Mode, solve  # noqa: E402
from guildhouse.matching.market import Market  # noqa: E402
from guildhouse.matching.stable import blocking_pairs  # noqa: E402

SIZES = ((1_000, 250), (5_000, 1_250), (10_000, 2_500))
STABLE_SIZE = (2_000, 500)
REGIONAL = (100_000, 25_000)
CAPACITY = 4
SEED = 20_26
LIBRARY_TIMEOUT = 180
GUILDHOUSE = ("optimal", "participation", "fair", "stable")
BASELINES = ("scipy", "greedy", "matching-lib")
Assignment = npt.NDArray[np.int64]


# --- worker side: one method on one instance, in a fresh process ---------------


def _instance(mentees: int, mentors: int) -> Any:
    from guildhouse.matching.generate import generate_instance

    return generate_instance(mentees=mentees, mentors=mentors, capacity=CAPACITY, seed=SEED)


def _scipy(scores: Any, allowed: Any, capacity: Assignment) -> Assignment:
    from scipy.optimize import linear_sum_assignment

    # One column per seat. The generator's scores are >= 0, so a disallowed
    # pair scoring 0 is the same as leaving the mentee unmatched.
    seats = np.repeat(np.arange(len(capacity)), capacity)
    expanded = np.where(allowed, scores, 0.0)[:, seats]
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    assignment = np.full(scores.shape[0], -1, dtype=np.int64)
    keep = allowed[rows, seats[cols]]
    assignment[rows[keep]] = seats[cols[keep]]
    return assignment


def _greedy(scores: Any, allowed: Any, capacity: Assignment) -> Assignment:
    rows, cols = np.nonzero(allowed & (scores > 0))
    order = np.argsort(-scores[rows, cols], kind="stable")
    assignment = np.full(scores.shape[0], -1, dtype=np.int64)
    seats = capacity.copy()
    for i, j in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
        if assignment[i] < 0 and seats[j] > 0:
            assignment[i] = j
            seats[j] -= 1
    return assignment


def _library(scores: Any, allowed: Any, mentor_scores: Any, capacity: Assignment) -> Assignment:
    import warnings

    from matching.games import HospitalResident

    n, m = scores.shape
    residents, hospitals = {}, {}
    for i in range(n):
        js = np.flatnonzero(allowed[i])
        js = js[np.lexsort((js, -scores[i, js]))]  # the engine's tie-break
        if len(js):
            residents[i] = js.tolist()
    for j in range(m):
        is_ = np.flatnonzero(allowed[:, j])
        is_ = is_[np.lexsort((is_, -mentor_scores[is_, j]))]
        if len(is_) and capacity[j] > 0:
            hospitals[j] = is_.tolist()
    residents = {i: [j for j in js if j in hospitals] for i, js in residents.items()}
    residents = {i: js for i, js in residents.items() if js}
    capacities = {j: int(capacity[j]) for j in hospitals}
    box: dict[str, Any] = {}

    def run() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
            box["solution"] = game.solve(optimal="resident")

    # The library deep-copies its player graph recursively; give it the
    # recursion depth and a thread stack big enough for real sizes.
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 30)
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    solution = box["solution"]
    assignment = np.full(n, -1, dtype=np.int64)
    for hospital, matched in solution.items():
        for resident in matched:
            assignment[int(resident.name)] = int(hospital.name)
    return assignment


def worker(method: str, mentees: int, mentors: int, out: Path) -> None:
    """Run one method and write {seconds, dense_seconds, peak_mb, ...} + assignment."""
    inst = _instance(mentees, mentors)
    info: dict[str, Any] = {"dense_seconds": None}
    start = time.perf_counter()
    if method in GUILDHOUSE:
        result = solve(inst.source, inst.capacity, mode=Mode(method))
        assignment = result.assignment
        info["certificate"] = {k: str(v) for k, v in result.certificate.__dict__.items()}
    else:
        scores, allowed, mentor_scores = inst.dense()
        info["dense_seconds"] = time.perf_counter() - start
        if method == "scipy":
            assignment = _scipy(scores, allowed, inst.capacity)
        elif method == "greedy":
            assignment = _greedy(scores, allowed, inst.capacity)
        else:
            assignment = _library(scores, allowed, mentor_scores, inst.capacity)
    info["seconds"] = time.perf_counter() - start
    info["peak_mb"] = _peak_mb()
    np.save(out, assignment)
    print(json.dumps(info))


def _peak_mb() -> float:
    """This process's peak resident set size, in MB.

    VmHWM belongs to the process's current memory map, which exec replaced.
    ru_maxrss does not reset at exec: a worker forked from a parent holding a
    big dense matrix would report the parent's size.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- parent side --------------------------------------------------------------


def _run(method: str, mentees: int, mentors: int, tmp: Path, timeout: float) -> dict[str, Any]:
    out = tmp / f"{method}-{mentees}.npy"
    cmd = [sys.executable, __file__, "worker", method, str(mentees), str(mentors), str(out)]
    # One BLAS thread, as docs/matching.md recommends for scoring large rounds:
    # the blocks' matrix products are small and spinning BLAS threads only
    # compete for the two cores.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, check=False, env=env
        )
    except subprocess.TimeoutExpired:
        return {"method": method, "status": "timeout", "timeout_seconds": timeout}
    if done.returncode != 0:
        return {"method": method, "status": "error", "stderr": done.stderr.strip()[-500:]}
    info: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    info.update(method=method, status="ok", assignment=np.load(out))
    return info


def _quality(runs: list[dict[str, Any]], mentees: int, mentors: int) -> None:
    """Add total score, % of the proven optimum, matched and blocking pairs."""
    inst = _instance(mentees, mentors)
    scores, allowed, _ = inst.dense()
    market = Market(inst.source, inst.capacity, locked=(), excluded=())
    totals = {}
    for run in runs:
        if run["status"] != "ok":
            continue
        a = run.pop("assignment")
        run["_assignment"] = a
        hit = a >= 0
        assert allowed[hit, a[hit]].all(), f"{run['method']} used a disallowed pair"
        assert (np.bincount(a[hit], minlength=mentors) <= inst.capacity).all()
        run["total_score"] = float(scores[hit, a[hit]].astype(np.float64).sum())
        run["matched"] = int(hit.sum())
        run["blocking_pairs"] = blocking_pairs(market, a)
        totals[run["method"]] = run["total_score"]
    best = totals.get("optimal") or _proven_optimum(inst)
    stable = next(
        (r["_assignment"] for r in runs if r["method"] == "stable" and "_assignment" in r), None
    )
    for run in runs:
        if run["status"] != "ok":
            continue
        run["pct_of_optimum"] = 100 * run["total_score"] / best
        a = run.pop("_assignment")
        if run["method"] == "matching-lib" and stable is not None:
            run["same_as_guildhouse_stable"] = bool((a == stable).all())


def _proven_optimum(inst: Any) -> float:
    return solve(inst.source, inst.capacity, mode=Mode.OPTIMAL).total_score


def _row(size: str, run: dict[str, Any]) -> str:
    if run["status"] != "ok":
        return f"| {size} | {run['method']} | {run['status']} | | | | | |"
    dense = "" if run["dense_seconds"] is None else f"{run['dense_seconds']:.2f}"
    return (
        f"| {size} | {run['method']} | {run['seconds']:.2f} | {dense} | {run['peak_mb']:.0f} "
        f"| {run.get('pct_of_optimum', float('nan')):.4f} | {run['matched']} "
        f"| {run['blocking_pairs']} |"
    )


HEADER = (
    "| size | method | seconds | dense s | peak MB | % of optimum | matched | blocking |\n"
    "|---|---|---|---|---|---|---|---|"
)


def _regional(tmp: Path) -> dict[str, Any]:
    mentees, mentors = REGIONAL
    run = _run("optimal", mentees, mentors, tmp, timeout=1800)
    if run["status"] == "ok":
        a = run.pop("assignment")
        run["matched"] = int((a >= 0).sum())
    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip the regional run")
    parser.add_argument(
        "--sizes", default="all", help="'all' or comma-separated mentee counts, e.g. 1000,5000"
    )
    args = parser.parse_args()
    tmp = ROOT / "bench" / "results" / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    sizes = [s for s in SIZES if args.sizes == "all" or str(s[0]) in args.sizes.split(",")]
    report: dict[str, Any] = {
        "command": " ".join(["bench/matching.py", *sys.argv[1:]]),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "sizes": {},
    }
    print(HEADER)
    for mentees, mentors in sizes:
        runs = [_run(m, mentees, mentors, tmp, 600) for m in GUILDHOUSE + BASELINES[:2]]
        runs.append(_run("matching-lib", mentees, mentors, tmp, LIBRARY_TIMEOUT))
        _quality(runs, mentees, mentors)
        for run in runs:
            print(_row(f"{mentees}x{mentors}", run), flush=True)
        report["sizes"][f"{mentees}x{mentors}"] = runs

    mentees, mentors = STABLE_SIZE
    stable = [_run("stable", mentees, mentors, tmp, 600)]
    stable.append(_run("matching-lib", mentees, mentors, tmp, LIBRARY_TIMEOUT))
    _quality(stable, mentees, mentors)
    for run in stable:
        print(_row(f"{mentees}x{mentors}", run), flush=True)
    if all(r["status"] == "ok" for r in stable):
        speedup = stable[1]["seconds"] / stable[0]["seconds"]
        same = stable[1].get("same_as_guildhouse_stable")
        print(
            f"stable speed-up over the matching library at {mentees}: {speedup:.0f}x "
            f"(identical assignment: {same})"
        )
        report["stable_speedup"] = speedup
    report["stable_vs_library"] = stable

    if not args.quick:
        regional = _regional(tmp)
        report["regional"] = regional
        if regional["status"] == "ok":
            print(
                f"regional {REGIONAL[0]}x{REGIONAL[1]} optimal: {regional['seconds']:.1f} s, "
                f"peak {regional['peak_mb']:.0f} MB, matched {regional['matched']}, "
                f"certificate {regional['certificate']}"
            )
        else:
            print(f"regional: {regional['status']}")
    report["load_average_at_end"] = os.getloadavg()
    out = ROOT / "bench" / "results" / "matching.json"
    out.write_text(json.dumps(report, indent=2, default=str) + "\n")
    for leftover in tmp.glob("*.npy"):
        leftover.unlink()
    tmp.rmdir()
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))
    else:
        main()
