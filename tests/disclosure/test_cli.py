"""The command line, through a subprocess as users and the benchmark run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

TABLE = {
    "dimensions": [["Electrical", "Health", "ICT"], ["female", "male", "other"]],
    "counts": [[3, 10, 12], [8, 15, 20], [11, 9, 25]],
}


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guildhouse.disclosure", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_protect_writes_the_result_json(tmp_path: Path) -> None:
    table, out = tmp_path / "table.json", tmp_path / "result.json"
    table.write_text(json.dumps(TABLE))
    done = run("protect", table, "--k", "5", "--out", out)
    assert (done.returncode, done.stderr) == (0, "")
    result = json.loads(out.read_text())
    assert list(result) == ["cells", "margins", "reasons", "audit"]
    assert result["cells"] == [[None, None, 12], [8, 15, 20], [None, None, 25]]
    assert result["reasons"] == [
        ["small", "complementary", "published"],
        ["published", "published", "published"],
        ["complementary", "complementary", "published"],
    ]
    assert result["margins"] == [
        {"dims": [0], "key": [0], "value": 25},
        {"dims": [0], "key": [1], "value": 43},
        {"dims": [0], "key": [2], "value": 45},
        {"dims": [1], "key": [0], "value": 22},
        {"dims": [1], "key": [1], "value": 34},
        {"dims": [1], "key": [2], "value": 57},
        {"dims": [], "key": [], "value": 113},
    ]
    assert result["audit"] == [
        {"cell": [0, 0], "low": 0, "high": 13},
        {"cell": [0, 1], "low": 0, "high": 13},
        {"cell": [2, 0], "low": 1, "high": 14},
        {"cell": [2, 1], "low": 6, "high": 19},
    ]


def test_protection_and_rounding_options(tmp_path: Path) -> None:
    table, out = tmp_path / "table.json", tmp_path / "result.json"
    table.write_text(json.dumps(TABLE))
    done = run("protect", table, "--k", "5", "--protection", "14", "--round", "5", "--out", out)
    assert (done.returncode, done.stderr) == (0, "")
    result = json.loads(out.read_text())
    small = next(a for a in result["audit"] if a["cell"] == [0, 0])
    assert small["high"] is None or small["high"] - small["low"] >= 14
    published = [v for row in result["cells"] for v in row if v is not None]
    assert published
    assert all(v % 5 == 0 for v in published)
    assert result["margins"][-1] == {"dims": [], "key": [], "value": 115}  # 113 rounds to 115


def test_margins_named_in_the_file_are_the_only_ones_published(tmp_path: Path) -> None:
    table, out = tmp_path / "table.json", tmp_path / "result.json"
    table.write_text(json.dumps({**TABLE, "margins": [[0], []]}))
    done = run("protect", table, "--k", "5", "--out", out)
    assert (done.returncode, done.stderr) == (0, "")
    result = json.loads(out.read_text())
    assert [m["dims"] for m in result["margins"]] == [[0], [0], [0], []]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            {**TABLE, "counts": [[3, -1, 12], [8, 15, 20], [11, 9, 25]]},
            "'counts' at [0, 1] is negative: -1",
        ),
        (
            {**TABLE, "counts": [[3, 1.5, 12], [8, 15, 20], [11, 9, 25]]},
            "'counts' at [0, 1] is not an integer: 1.5",
        ),
        (
            {**TABLE, "counts": [[3, "2", 12], [8, 15, 20], [11, 9, 25]]},
            "'counts' at [0, 1] is not an integer: \"2\"",
        ),
        (
            {**TABLE, "counts": [[3, 10, 12], [8, 15, 20]]},
            "'counts' has 2 entries, dimension 0 has 3 labels",
        ),
        (
            {**TABLE, "counts": [[3, 10], [8, 15, 20], [11, 9, 25]]},
            "'counts' at [0] has 2 entries, dimension 1 has 3 labels",
        ),
        ({**TABLE, "counts": [3, 8, 11]}, "'counts' at [0] should be a list of 3, got 3"),
        (
            {"dimensions": [["a"], ["b"], ["c"], ["d"], ["e"]], "counts": [[[[[1]]]]]},
            "a table has at most 4 dimensions, got 5",
        ),
        ({"dimensions": [["a", "a"]], "counts": [1, 2]}, "dimension 0 has a label twice"),
        ({"dimensions": [[]], "counts": []}, "dimension 0 must be a non-empty list of labels"),
        ({"counts": [1]}, "{path}: missing 'dimensions'"),
        ([1, 2], "{path}: expected a JSON object"),
        ({**TABLE, "margins": [[0, 5]]}, "'margins' entry [0, 5] is not a list of indexes 0..1"),
    ],
)
def test_invalid_tables_fail_with_one_line(tmp_path: Path, payload: object, message: str) -> None:
    table, out = tmp_path / "table.json", tmp_path / "result.json"
    table.write_text(json.dumps(payload))
    done = run("protect", table, "--k", "5", "--out", out)
    assert done.returncode == 2
    assert done.stderr == f"error: {message.format(path=table)}\n"
    assert not out.exists()


def test_bad_files_and_options_fail_with_one_line(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    missing = tmp_path / "missing.json"
    done = run("protect", missing, "--k", "5", "--out", out)
    assert (done.returncode, done.stderr) == (2, f"error: {missing}: no such file\n")
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    done = run("protect", junk, "--k", "5", "--out", out)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {junk}: not valid JSON (")
    assert done.stderr.count("\n") == 1
    table = tmp_path / "table.json"
    table.write_text(json.dumps(TABLE))
    done = run("protect", table, "--k", "2", "--out", out)
    assert (done.returncode, done.stderr) == (
        2,
        "error: the threshold k must be at least 3, got 2\n",
    )
    assert not out.exists()
