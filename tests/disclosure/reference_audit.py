"""The LP audit as first written, kept as a reference for the faster one.

One GLOP model per connected component, two solves (minimum and maximum) for every
component a target touches, target by target: slow on big tables with many hidden
margins (the full audit of the 4-D benchmark table did not finish in 25 minutes)
but plain. ``tests/disclosure/test_audit.py`` checks that
:func:`guildhouse.disclosure.audit._lp_audit` gives exactly the same intervals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from ortools.linear_solver import pywraplp

from guildhouse.disclosure.audit import (
    Interval,
    cell_pairs,
    grows_without_bound,
)
from guildhouse.disclosure.policy import Policy
from guildhouse.disclosure.table import Table

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def reference_lp_audit(
    table: Table,
    published: Bools,
    targets: Sequence[tuple[int, ...]],
    policy: Policy | None,
) -> list[Interval]:
    values = table.extended().ravel()
    pub = published.ravel()
    leaf_ext = np.flatnonzero(table.leaf_mask().ravel())  # ext flat index of each leaf
    ext_idx, leaf_idx = cell_pairs(table)
    n_leaves = int(np.prod(table.shape))
    leaf_pub = pub[leaf_ext]
    leaf_val = values[leaf_ext].astype(np.float64)
    # Bounds of every leaf: fixed when published (a range when rounded), else [0, inf).
    lo = np.zeros(n_leaves)
    hi = np.full(n_leaves, math.inf)
    if policy is None:
        lo[leaf_pub] = hi[leaf_pub] = leaf_val[leaf_pub]
    else:
        for leaf in np.flatnonzero(leaf_pub):
            lo[leaf], hi[leaf] = policy.rounding_range(policy.round(int(leaf_val[leaf])))
    variable = lo < hi
    fixed_val = np.where(variable, 0.0, lo)
    # Constraints: published cells that are not leaves.
    is_leaf_cell = table.leaf_mask().ravel()
    keep = pub[ext_idx] & ~is_leaf_cell[ext_idx]
    c_ext, c_leaf = ext_idx[keep], leaf_idx[keep]
    constant = np.bincount(c_ext, weights=fixed_val[c_leaf], minlength=len(values)).astype(
        np.float64
    )
    vkeep = variable[c_leaf]
    c_ext, c_leaf = c_ext[vkeep], c_leaf[vkeep]
    components = _components(n_leaves, variable, c_ext, c_leaf)
    # Members (variable leaves) and constant part of each target.
    target_flat = [int(np.ravel_multi_index(c, table.extended_shape)) for c in targets]
    target_set = np.zeros(len(values), dtype=bool)
    target_set[target_flat] = True
    tmask = target_set[ext_idx]
    t_ext, t_leaf = ext_idx[tmask], leaf_idx[tmask]
    t_const = np.bincount(t_ext, weights=fixed_val[t_leaf], minlength=len(values))
    tv = variable[t_leaf]
    t_ext, t_leaf = t_ext[tv], t_leaf[tv]
    order = np.argsort(t_ext, kind="stable")
    t_ext, t_leaf = t_ext[order], t_leaf[order]
    starts = np.searchsorted(t_ext, target_flat)
    ends = np.searchsorted(t_ext, target_flat, side="right")

    models: dict[int, _Component] = {}
    out: list[Interval] = []
    for cell, flat, s, e in zip(targets, target_flat, starts, ends, strict=True):
        members = t_leaf[s:e]
        low = high = float(t_const[flat])
        comp_of = components[members]
        for comp in np.unique(comp_of).tolist():
            if comp not in models:
                models[comp] = _Component(
                    comp, components, lo, hi, c_ext, c_leaf, values, constant, policy
                )
            part_low, part_high = models[comp].bounds(members[comp_of == comp])
            low += part_low
            high += part_high
        out.append(Interval(tuple(cell), _clean(low), _clean(high)))
    return out


def _clean(x: float) -> float:
    if math.isinf(x):
        return x
    r = round(x)
    return float(r) if abs(x - r) < 1e-6 else round(x, 6)


def _components(n: int, variable: Bools, c_ext: Ints, c_leaf: Ints) -> Ints:
    """Label each leaf with its connected component (leaves linked by a constraint)."""
    label = np.arange(n, dtype=np.int64)
    if len(c_ext) == 0:
        return label
    # Min-label propagation over the bipartite leaf-constraint graph.
    _, c_row = np.unique(c_ext, return_inverse=True)
    while True:
        row_min = np.full(int(c_row.max()) + 1, n, dtype=np.int64)
        np.minimum.at(row_min, c_row, label[c_leaf])
        new = label.copy()
        np.minimum.at(new, c_leaf, row_min[c_row])
        new = new[new]  # pointer jumping speeds up long chains
        if np.array_equal(new, label):
            return label
        label = new


class _Component:
    """One GLOP model over a component's variable leaves, reused for every objective."""

    def __init__(
        self,
        comp: int,
        components: Ints,
        lo: npt.NDArray[np.float64],
        hi: npt.NDArray[np.float64],
        c_ext: Ints,
        c_leaf: Ints,
        values: Ints,
        constant: npt.NDArray[np.float64],
        policy: Policy | None,
    ) -> None:
        solver = pywraplp.Solver.CreateSolver("GLOP")
        assert solver is not None
        self.solver = solver
        leaves = np.flatnonzero(components == comp)
        self.var = {
            int(leaf): solver.NumVar(float(lo[leaf]), float(hi[leaf]), "") for leaf in leaves
        }
        in_comp = components[c_leaf] == comp
        rows, cols = c_ext[in_comp], c_leaf[in_comp]
        order = np.argsort(rows, kind="stable")
        rows, cols = rows[order], cols[order]
        bounds = np.flatnonzero(np.diff(rows)) + 1
        groups = np.split(cols, bounds) if len(rows) else []
        self.rows: list[list[int]] = []
        self.hi = hi
        for row_cols, row in zip(groups, rows[np.r_[0, bounds]] if len(rows) else [], strict=True):
            self.rows.append(row_cols.tolist())
            value = int(values[row])
            if policy is None:
                rlo = rhi = float(value)
            else:
                a, b = policy.rounding_range(policy.round(value))
                rlo, rhi = float(a), float(b)
            c = float(constant[row])
            constraint = solver.Constraint(rlo - c, rhi - c)
            for leaf in row_cols.tolist():
                constraint.SetCoefficient(self.var[leaf], 1.0)
        self.objective = solver.Objective()

    def bounds(self, members: Ints) -> tuple[float, float]:
        variables = [self.var[int(m)] for m in members]
        for v in variables:
            self.objective.SetCoefficient(v, 1.0)
        self.objective.SetMinimization()
        low = self._solve()
        if math.isnan(low):
            raise RuntimeError("audit LP failed on a feasible problem")
        self.objective.SetMaximization()
        high = self._solve()
        if math.isnan(high):  # GLOP reports some unbounded problems as infeasible
            high = self._recession(members)
        for v in variables:
            self.objective.SetCoefficient(v, 0.0)
        return low, high

    def _solve(self) -> float:
        status = self.solver.Solve()
        if status == pywraplp.Solver.UNBOUNDED:
            return math.inf
        if status != pywraplp.Solver.OPTIMAL:
            return math.nan
        return float(self.objective.Value())

    def _recession(self, members: Ints) -> float:
        free = [leaf for leaf in self.var if math.isinf(self.hi[leaf])]
        if grows_without_bound(free, self.rows, [int(m) for m in members]):
            return math.inf
        raise RuntimeError("audit LP failed on a bounded problem")
