"""Benchmark of the disclosure engine against a simple row-and-column baseline.

    .venv/bin/python bench/disclosure.py            # both tables, audit of the 4-D one included
    .venv/bin/python bench/disclosure.py --quick    # 4-D: audit a sample of 100 small cells

Tables are generated with a fixed seed: skewed programme (or institution) sizes
and skewed shares over groups and months, so that many cells are small, as in a
real school's breakdowns. For each table: the engine's time to protect, to
re-check every witness and to audit every hidden cell by LP / max-flow; cells
hidden for being small, extra cells hidden to protect them; and the same for the
baseline ("hide the next-smallest cell in the row and column": while a line of
the table -- a row, a column, any line along one dimension, with its total --
has exactly one hidden cell, hide the smallest other cell in it), with the
number of small cells the audit shows the baseline leaves too narrow (on the 4-D
table, in a fixed sample of 100 small cells: the baseline publishes many margins, so
its hidden leaves form one LP component of ~3,500 variables and ~5,000 equations, and
each exact minimum or maximum over it takes ~0.1 s). Results go
to bench/results/disclosure.json and a table to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guildhouse.disclosure import Dimension, Policy, Table, protect  # noqa: E402
from guildhouse.disclosure.audit import audit_cells  # noqa: E402

SEED = 20_26
SAMPLE = 100  # small cells audited when the whole audit is skipped
BASELINE_SAMPLE = 100  # small cells of the 4-D table audited under the baseline's pattern
Bools = npt.NDArray[np.bool_]


def skewed(rng: np.random.Generator, n: int, sigma: float) -> npt.NDArray[np.float64]:
    shares = rng.lognormal(0.0, sigma, size=n)
    return np.asarray(shares / shares.sum(), dtype=np.float64)


def programmes_by_group(rng: np.random.Generator) -> Table:
    """200 programmes x 12 groups: sizes 5..400, a few big groups and many rare ones."""
    sizes = np.clip(rng.lognormal(3.5, 1.0, size=200), 5, 400).astype(int)
    group_share = skewed(rng, 12, 1.2)
    counts = np.stack([rng.multinomial(n, rng.dirichlet(group_share * 30)) for n in sizes])
    dims = [
        Dimension.of("programme", [f"P{i:03d}" for i in range(200)]),
        Dimension.of("group", [f"G{j:02d}" for j in range(12)]),
    ]
    return Table.from_counts(dims, counts)


def institutions_by_month(rng: np.random.Generator) -> Table:
    """20 institutions (4 regions) x 8 programmes x 10 groups x 12 months (4 quarters)."""
    learners = np.clip(rng.lognormal(6.5, 0.6, size=20), 150, 3000)
    programme = skewed(rng, 8, 0.8)
    group = skewed(rng, 10, 1.2)
    month = skewed(rng, 12, 0.5)
    rate = 0.25  # one event (a placement start, say) per four learners a year
    mean = (
        rate
        * learners[:, None, None, None]
        * programme[None, :, None, None]
        * group[None, None, :, None]
        * month[None, None, None, :]
    )
    counts = rng.poisson(mean * rng.gamma(2.0, 0.5, size=mean.shape))
    regions = {f"Region {r}": [f"I{i:02d}" for i in range(5 * r, 5 * r + 5)] for r in range(4)}
    quarters = {f"Q{q + 1}": [f"M{m:02d}" for m in range(3 * q, 3 * q + 3)] for q in range(4)}
    dims = [
        Dimension.nested("institution", regions),
        Dimension.of("programme", [f"P{i}" for i in range(8)]),
        Dimension.of("group", [f"G{j}" for j in range(10)]),
        Dimension.nested("month", quarters),
    ]
    return Table.from_counts(dims, counts)


def baseline(table: Table, sensitive: Bools) -> Bools:
    """Hide the next-smallest cell of every line that has exactly one hidden cell."""
    values = table.extended()
    hidden = sensitive.copy()
    lines = []  # (dimension, node indexes of one parent and its children)
    for k, dim in enumerate(table.dimensions):
        for parent, kids in enumerate(dim.children):
            if kids:
                lines.append((k, [*kids, parent]))
    changed = True
    while changed:
        changed = False
        for k, nodes in lines:
            idx = np.array(nodes)
            sub_hidden = np.take(hidden, idx, axis=k)
            count = sub_hidden.sum(axis=k)
            for where in np.argwhere(count == 1):
                key: list[Any] = list(where)
                key.insert(k, idx)
                line_values = values[tuple(key)]
                line_hidden = hidden[tuple(key)]
                order = np.lexsort((np.arange(len(idx)), line_values))
                pick = next(int(i) for i in order if not line_hidden[i])
                key[k] = idx[pick]
                hidden[tuple(key)] = True
                changed = True
    return hidden


class Clock:
    """Wall and CPU seconds: the machine is shared, so CPU time is the fairer figure."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def run(
    name: str, table: Table, *, audit: bool, baseline_sample: int | None = None
) -> dict[str, Any]:
    policy = Policy(k=5)
    with Clock() as protect_t:
        result = protect(table, policy)
    with Clock() as check_t:
        result.check()
    audit_t = None
    if audit:
        with Clock() as audit_t:
            intervals = result.audit()
        sens = result.sensitive()
        narrow = sum(1 for iv in intervals if sens[iv.cell] and iv.width < result.width)
        assert narrow == 0, f"{narrow} sensitive cells too narrow"
    sensitive = result.sensitive()
    sample = None
    if not audit:  # a fixed sample of the small hidden cells, audited by LP
        small = np.argwhere(sensitive)
        pick = np.random.default_rng(SEED).choice(len(small), size=SAMPLE, replace=False)
        with Clock() as sample_t:
            ivs = result.audit([tuple(int(i) for i in small[j]) for j in sorted(pick)])
        sample = {
            "cells": SAMPLE,
            "narrower than required": sum(1 for iv in ivs if iv.width < result.width),
            "s (wall/cpu)": [round(sample_t.wall, 3), round(sample_t.cpu, 3)],
        }
    base = baseline(table, sensitive)
    base_narrow: int | str | None = None
    if audit:
        cells = [tuple(int(i) for i in c) for c in np.argwhere(sensitive)]
        if baseline_sample is not None:  # the baseline leaves one big LP component: sample
            pick = np.random.default_rng(SEED).choice(
                len(cells), size=baseline_sample, replace=False
            )
            cells = [cells[j] for j in sorted(pick)]
        ivs = audit_cells(table, ~base, cells)
        base_narrow = sum(1 for iv in ivs if iv.width < result.width)
        if baseline_sample is not None:
            base_narrow = f"{base_narrow} of a sample of {baseline_sample}"
    row = {
        "table": name,
        "shape": list(table.shape),
        "cells with margins": int(np.prod(table.extended_shape)),
        "small": int(sensitive.sum()),
        "extra hidden": result.extra_hidden,
        "protect s (wall/cpu)": [round(protect_t.wall, 3), round(protect_t.cpu, 3)],
        "check s (wall/cpu)": [round(check_t.wall, 3), round(check_t.cpu, 3)],
        "audit s (wall/cpu)": None
        if audit_t is None
        else [round(audit_t.wall, 3), round(audit_t.cpu, 3)],
        "protect+audit s (wall/cpu)": None
        if audit_t is None
        else [round(protect_t.wall + audit_t.wall, 3), round(protect_t.cpu + audit_t.cpu, 3)],
        "audit sample": sample,
        "baseline extra hidden": int((base & ~sensitive).sum()),
        "baseline small cells too narrow": base_narrow,
    }
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip the 4-D audit")
    args = parser.parse_args()
    protect(programmes_by_group(np.random.default_rng(1)))  # pay for importing OR-Tools first
    rows = [
        run("200 x 12", programmes_by_group(np.random.default_rng(SEED)), audit=True),
        run(
            "20 x 8 x 10 x 12 hierarchical",
            institutions_by_month(np.random.default_rng(SEED)),
            audit=not args.quick,
            baseline_sample=BASELINE_SAMPLE,
        ),
    ]
    out = ROOT / "bench" / "results" / "disclosure.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, indent=2) + "\n")
    for row in rows:
        print(json.dumps(row))
    print("load average", " ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
