"""The command line, through a subprocess as users and the benchmark run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCORES = np.array([[10.0, 9.0], [8.0, -0.5], [7.0, -1.0]])
ALLOWED = np.ones((3, 2), dtype=bool)
CAPACITY = np.array([1, 2])


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guildhouse.matching", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("mode", "assignment", "total", "matched"),
    [
        ("optimal", [1, 0, -1], 17.0, 2),
        ("participation", [1, 0, 1], 16.0, 3),
        ("fair", [1, 1, 0], 15.5, 3),
        ("stable", [0, 1, 1], 8.5, 3),
    ],
)
def test_solve_writes_the_result_json(
    tmp_path: Path, mode: str, assignment: list[int], total: float, matched: int
) -> None:
    instance, out = tmp_path / "instance.npz", tmp_path / "result.json"
    np.savez(instance, scores=SCORES, allowed=ALLOWED, capacity=CAPACITY)
    done = run("solve", instance, "--mode", mode, "--out", out)
    assert (done.returncode, done.stderr) == (0, "")
    result = json.loads(out.read_text())
    assert list(result) == ["mode", "assignment", "total_score", "matched", "seconds"]
    assert result["mode"] == mode
    assert result["assignment"] == assignment
    assert result["total_score"] == total
    assert result["matched"] == matched
    assert 0 < result["seconds"] < 60


def _bad(**changes: object) -> dict[str, object]:
    arrays: dict[str, object] = {"scores": SCORES, "allowed": ALLOWED, "capacity": CAPACITY}
    arrays.update(changes)
    return {k: v for k, v in arrays.items() if v is not None}


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        (_bad(allowed=np.ones((3, 3), bool)), "'allowed' has shape (3, 3), 'scores' has (3, 2)"),
        (
            _bad(capacity=np.array([1, 1, 1])),
            "'capacity' has shape (3,), expected (2,) (one per mentor)",
        ),
        (_bad(capacity=np.array([1, -2])), "'capacity' is negative for mentor 1 (-2)"),
        (
            _bad(scores=np.array([[1.0, np.nan], [1, 1], [1, 1]])),
            "'scores' is not finite at (0, 1): nan",
        ),
        (_bad(scores=np.ones((3, 2), dtype=np.int64)), "'scores' must be floats, got int64"),
        (_bad(allowed=np.ones((3, 2), dtype=np.int8)), "'allowed' must be bool, got int8"),
        (_bad(capacity=np.array([1.0, 2.0])), "'capacity' must be integers, got float64"),
        (_bad(capacity=None), "{path}: missing array 'capacity'"),
        (
            _bad(mentor_scores=np.ones((2, 2))),
            "'mentor_scores' has shape (2, 2), 'scores' has (3, 2)",
        ),
        (_bad(scores=np.ones(6)), "'scores' must be 2-dimensional, got shape (6,)"),
    ],
)
def test_invalid_instances_fail_with_one_line(
    tmp_path: Path, arrays: dict[str, object], message: str
) -> None:
    instance, out = tmp_path / "instance.npz", tmp_path / "result.json"
    np.savez(instance, **arrays)  # type: ignore[arg-type]
    done = run("solve", instance, "--mode", "optimal", "--out", out)
    assert done.returncode == 2
    assert done.stderr == f"error: {message.format(path=instance)}\n"
    assert not out.exists()


def test_unreadable_and_missing_files_fail_with_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.npz"
    junk.write_text("not numpy at all")
    done = run("solve", junk, "--mode", "fair", "--out", tmp_path / "r.json")
    assert (done.returncode, done.stderr) == (2, f"error: {junk}: not an .npz archive\n")
    missing = tmp_path / "missing.npz"
    done = run("solve", missing, "--mode", "fair", "--out", tmp_path / "r.json")
    assert (done.returncode, done.stderr) == (2, f"error: {missing}: no such file\n")


@pytest.mark.parametrize("name", ["g.npz", "inst.json", "instance"])
def test_generate_writes_an_instance_solve_accepts(tmp_path: Path, name: str) -> None:
    instance, out = tmp_path / name, tmp_path / "r.json"
    done = run(
        "generate",
        "--mentees",
        "120",
        "--mentors",
        "30",
        "--capacity",
        "4",
        "--seed",
        "5",
        "--out",
        instance,
    )
    assert (done.returncode, done.stderr) == (0, "")
    # Exactly the path asked for: numpy would add ".npz" to a name without it.
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    with np.load(instance) as data:
        assert data["scores"].shape == (120, 30)
        assert data["allowed"].shape == (120, 30)
        assert data["capacity"].tolist() == [4] * 30
        assert data["mentor_scores"].shape == (120, 30)
    done = run("solve", instance, "--mode", "stable", "--out", out)
    assert (done.returncode, done.stderr) == (0, "")
    assert len(json.loads(out.read_text())["assignment"]) == 120
