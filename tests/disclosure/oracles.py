"""Independent answers the engine is checked against, and small-table strategies.

The oracle audit is written from the definition, without the engine's code: the
feasible tables are every non-negative leaf table that reproduces each published
figure; scipy's ``linprog`` (HiGHS) gives the smallest and largest value of a
cell over them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from hypothesis import strategies as st
from scipy.optimize import linprog

from guildhouse.disclosure import Dimension, Policy, Table

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Cell = tuple[int, ...]


def leaves_of(table: Table, cell: Cell) -> list[Cell]:
    """The leaf cells an extended cell adds up, from each dimension's tree."""
    per_dim = []
    for dim, node in zip(table.dimensions, cell, strict=True):
        below = []
        for leaf in range(dim.size):
            up = leaf
            while up != -1 and up != node:
                up = int(dim.parent[up])
            if up == node:
                below.append(leaf)
        per_dim.append(below)
    return list(itertools.product(*per_dim))


def oracle_intervals(
    table: Table,
    published: Bools,
    targets: Sequence[Cell],
    policy: Policy | None = None,
) -> list[tuple[float, float]]:
    """(low, high) of each target by linprog; high is inf when unbounded."""
    leaves = list(np.ndindex(*table.shape))
    column = {leaf: i for i, leaf in enumerate(leaves)}
    values = table.extended()

    def row(cell: Cell) -> npt.NDArray[np.float64]:
        r = np.zeros(len(leaves))
        for leaf in leaves_of(table, cell):
            r[column[leaf]] = 1.0
        return r

    eq_rows, eq_rhs, ub_rows, ub_rhs = [], [], [], []
    for cell in map(tuple, np.argwhere(published)):
        r, v = row(cell), int(values[cell])
        if policy is None or policy.rounding <= 1:
            eq_rows.append(r)
            eq_rhs.append(v)
        else:
            low, high = policy.rounding_range(policy.round(v))
            ub_rows += [r, -r]
            ub_rhs += [high, -low]
    out = []
    for target in targets:
        c = row(tuple(target))
        bounds = []
        for sign in (1.0, -1.0):
            res = linprog(
                sign * c,
                A_eq=np.array(eq_rows) if eq_rows else None,
                b_eq=np.array(eq_rhs) if eq_rhs else None,
                A_ub=np.array(ub_rows) if ub_rows else None,
                b_ub=np.array(ub_rhs) if ub_rhs else None,
                bounds=(0, None),
                method="highs",
            )
            if res.status == 3:
                bounds.append(math.inf)
            else:
                assert res.status == 0, res.message
                bounds.append(sign * res.fun)
        out.append((bounds[0], bounds[1]))
    return out


def brute_force_extra(table: Table, sensitive: Bools, width: int) -> int:
    """Fewest extra shown cells to hide so that every sensitive cell is wide enough."""
    values = table.extended()
    others = [tuple(c) for c in np.argwhere(~sensitive)]
    targets = [tuple(c) for c in np.argwhere(sensitive)]
    del values
    for size in range(len(others) + 1):
        for extra in itertools.combinations(others, size):
            hidden = sensitive.copy()
            for c in extra:
                hidden[c] = True
            intervals = oracle_intervals(table, ~hidden, targets)
            if all(high - low >= width - 1e-7 for low, high in intervals):
                return size
    raise AssertionError("hiding everything always protects")


def skewed_counts(rng: np.random.Generator, shape: tuple[int, ...]) -> Ints:
    """Many small cells, some zeros, a few large ones."""
    return rng.negative_binomial(1, rng.choice([0.1, 0.2, 0.4]), size=shape).astype(np.int64)


def plain_dims(shape: Sequence[int]) -> list[Dimension]:
    return [Dimension.of(f"d{k}", [f"d{k}v{i}" for i in range(n)]) for k, n in enumerate(shape)]


@st.composite
def tables(draw: st.DrawFn, *, max_dims: int = 3, max_size: int = 4) -> Table:
    d = draw(st.integers(1, max_dims))
    shape = tuple(draw(st.integers(1 if d > 1 else 2, max_size)) for _ in range(d))
    seed = draw(st.integers(0, 2**32 - 1))
    counts = skewed_counts(np.random.default_rng(seed), shape)
    return Table.from_counts(plain_dims(shape), counts)
