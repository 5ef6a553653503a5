"""The audit: how far an attacker can narrow each hidden cell.

Given everything published (shown cells that are not hidden, with their exact
values, or with the range of true values their rounded figure allows), the
feasible tables are the non-negative leaf tables that reproduce every published
figure. For each hidden cell the audit reports the smallest and largest value
it takes over that set -- two linear programmes (OR-Tools GLOP) over the hidden
leaves, split into independent components. One- and two-dimensional tables
without sub-totals and without rounding are a circulation network (rows,
columns and totals are nodes, cells are arcs), and there the two bounds are
max-flow problems (OR-Tools), which is much faster and exact in integers.

This is the linear relaxation: the interval is over real-valued tables. Integer
feasibility can make the true range narrower only inside the LP interval (its
end points are integers on network tables); see docs/disclosure.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import max_flow
from ortools.linear_solver import pywraplp

from guildhouse.disclosure.policy import Policy
from guildhouse.disclosure.table import Table

__all__ = ["Interval", "audit_cells", "cell_pairs", "grows_without_bound"]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
EPS = 1e-7


@dataclass(frozen=True)
class Interval:
    """Feasible range of a hidden cell; ``high`` is ``math.inf`` when unbounded."""

    cell: tuple[int, ...]
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


def cell_pairs(table: Table) -> tuple[Ints, Ints]:
    """Every (extended cell, leaf) pair where the cell adds up the leaf, as flat indexes."""
    dims = table.dimensions
    per_dim = [np.nonzero(d.aggregation) for d in dims]
    grids_e = np.meshgrid(*[p[0] for p in per_dim], indexing="ij", copy=False)
    grids_l = np.meshgrid(*[p[1] for p in per_dim], indexing="ij", copy=False)
    ext = np.ravel_multi_index(tuple(g.ravel() for g in grids_e), table.extended_shape)
    leaf = np.ravel_multi_index(tuple(g.ravel() for g in grids_l), table.shape)
    return ext.astype(np.int64), leaf.astype(np.int64)


def audit_cells(
    table: Table,
    published: Bools,
    targets: Sequence[tuple[int, ...]],
    *,
    policy: Policy | None = None,
) -> list[Interval]:
    """Feasible interval of each target cell given the ``published`` extended cells.

    With a rounding policy the published figures are ranges, not values.
    """
    if not targets:
        return []
    rounding = policy is not None and policy.rounding > 1
    if not rounding and not table.hierarchical and len(table.dimensions) <= 2:
        return _network_audit(table, published, targets)
    return _lp_audit(table, published, targets, policy if rounding else None)


# --- one and two dimensions: a circulation network ------------------------------------


def _arcs(table: Table) -> tuple[Ints, Ints, int]:
    """Tail and head node of every extended cell (flat order), and the node count."""
    if len(table.dimensions) == 1:
        n = table.shape[0]
        tails = np.zeros(n + 1, dtype=np.int64)
        heads = np.ones(n + 1, dtype=np.int64)
        tails[n], heads[n] = 1, 0  # the total flows back
        return tails, heads, 2
    n, m = table.shape
    s, t = n + m, n + m + 1
    tails = np.empty((n + 1, m + 1), dtype=np.int64)
    heads = np.empty((n + 1, m + 1), dtype=np.int64)
    tails[:n, :m] = np.arange(n)[:, None]
    heads[:n, :m] = n + np.arange(m)[None, :]
    tails[:n, m], heads[:n, m] = s, np.arange(n)  # row totals
    tails[n, :m], heads[n, :m] = n + np.arange(m), t  # column totals
    tails[n, m], heads[n, m] = t, s  # grand total
    return tails.ravel(), heads.ravel(), n + m + 2


def _network_audit(
    table: Table, published: Bools, targets: Sequence[tuple[int, ...]]
) -> list[Interval]:
    values = table.extended().ravel()
    tails, heads, _ = _arcs(table)
    free = np.flatnonzero(~published.ravel())
    inf = 2 * (int(values[free].sum()) + 1)
    graph = max_flow.SimpleMaxFlow()
    # Forward arcs: the cell may grow without bound; backward: shrink down to 0.
    fwd = graph.add_arcs_with_capacity(tails[free], heads[free], np.full(len(free), inf))
    bwd = graph.add_arcs_with_capacity(heads[free], tails[free], values[free])
    position = {int(c): i for i, c in enumerate(free)}
    out: list[Interval] = []
    for cell in targets:
        flat = int(np.ravel_multi_index(cell, table.extended_shape))
        i = position[flat]
        a = int(values[flat])
        graph.set_arc_capacity(int(fwd[i]), 0)
        graph.set_arc_capacity(int(bwd[i]), 0)
        up = _flow(graph, int(heads[flat]), int(tails[flat]))
        down = _flow(graph, int(tails[flat]), int(heads[flat]))
        graph.set_arc_capacity(int(fwd[i]), inf)
        graph.set_arc_capacity(int(bwd[i]), a)
        high = math.inf if up >= inf else float(a + up)
        out.append(Interval(tuple(cell), float(a - min(a, down)), high))
    return out


def _flow(graph: max_flow.SimpleMaxFlow, source: int, sink: int) -> int:
    if source == sink:  # a cell whose arc is a loop cannot happen; guard anyway
        return 0
    status = graph.solve(source, sink)
    if status != graph.OPTIMAL:
        raise RuntimeError(f"max flow failed with status {status}")
    return int(graph.optimal_flow())


# --- the general case: linear programmes per connected component ----------------------


def _lp_audit(
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
    # Each distinct target as a sum of variable leaves plus a constant.
    target_flat = np.array(
        [int(np.ravel_multi_index(c, table.extended_shape)) for c in targets], dtype=np.int64
    )
    distinct, which = np.unique(target_flat, return_inverse=True)
    position = np.full(len(values), -1, dtype=np.int64)
    position[distinct] = np.arange(len(distinct))
    tmask = position[ext_idx] >= 0
    t_pos, t_leaf = position[ext_idx[tmask]], leaf_idx[tmask]
    low = np.bincount(t_pos, weights=fixed_val[t_leaf], minlength=len(distinct))
    tv = variable[t_leaf]
    t_pos, t_leaf = t_pos[tv], t_leaf[tv]
    comp_of = components[t_leaf]
    # A leaf in no published sum ranges over its own bounds, independently of the
    # rest: its part of the minimum and maximum needs no LP.
    constrained = np.zeros(n_leaves, dtype=bool)
    constrained[components[c_leaf]] = True
    alone = ~constrained[comp_of]
    high = low + np.bincount(t_pos[alone], weights=hi[t_leaf[alone]], minlength=len(distinct))
    low = low + np.bincount(t_pos[alone], weights=lo[t_leaf[alone]], minlength=len(distinct))
    # The rest: one LP model per component, one min and one max per distinct
    # (component, members) part; many margins share a part.
    t_pos, t_leaf, comp_of = t_pos[~alone], t_leaf[~alone], comp_of[~alone]
    order = np.lexsort((t_leaf, comp_of, t_pos))
    t_pos, t_leaf, comp_of = t_pos[order], t_leaf[order], comp_of[order]
    breaks = np.flatnonzero((np.diff(t_pos) != 0) | (np.diff(comp_of) != 0)) + 1
    models = _models(components, constrained, lo, hi, c_ext, c_leaf, values, constant, policy)
    solved: dict[tuple[int, bytes], tuple[float, float]] = {}
    for s, e in zip(np.r_[0, breaks], np.r_[breaks, len(t_pos)], strict=True):
        if s == e:
            continue
        comp, members = int(comp_of[s]), t_leaf[s:e]
        key = (comp, members.tobytes())
        if key not in solved:
            solved[key] = models[comp].bounds(members)
        part_low, part_high = solved[key]
        low[t_pos[s]] += part_low
        high[t_pos[s]] += part_high
    return [
        Interval(tuple(cell), _clean(float(low[i])), _clean(float(high[i])))
        for cell, i in zip(targets, which.tolist(), strict=True)
    ]


def _models(
    components: Ints,
    constrained: Bools,
    lo: npt.NDArray[np.float64],
    hi: npt.NDArray[np.float64],
    c_ext: Ints,
    c_leaf: Ints,
    values: Ints,
    constant: npt.NDArray[np.float64],
    policy: Policy | None,
) -> dict[int, _Component]:
    """A GLOP model for each component that is in at least one published sum."""
    leaves = np.flatnonzero(constrained[components])
    leaves = leaves[np.argsort(components[leaves], kind="stable")]
    leaf_breaks = np.flatnonzero(np.diff(components[leaves])) + 1
    c_comp = components[c_leaf]
    order = np.lexsort((c_leaf, c_ext, c_comp))
    c_ext, c_leaf, c_comp = c_ext[order], c_leaf[order], c_comp[order]
    entry_breaks = np.flatnonzero(np.diff(c_comp)) + 1
    models: dict[int, _Component] = {}
    for comp_leaves, rows, cols in zip(
        np.split(leaves, leaf_breaks),
        np.split(c_ext, entry_breaks),
        np.split(c_leaf, entry_breaks),
        strict=True,
    ):
        if len(comp_leaves):
            comp = int(components[comp_leaves[0]])
            models[comp] = _Component(comp_leaves, lo, hi, rows, cols, values, constant, policy)
    return models


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
        leaves: Ints,
        lo: npt.NDArray[np.float64],
        hi: npt.NDArray[np.float64],
        rows: Ints,
        cols: Ints,
        values: Ints,
        constant: npt.NDArray[np.float64],
        policy: Policy | None,
    ) -> None:
        """``rows``/``cols``: the component's (published sum, leaf) entries, by sum."""
        solver = pywraplp.Solver.CreateSolver("GLOP")
        assert solver is not None
        self.solver = solver
        self.var = {
            int(leaf): solver.NumVar(float(lo[leaf]), float(hi[leaf]), "") for leaf in leaves
        }
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


def grows_without_bound(
    free: Sequence[int], rows: Sequence[Sequence[int]], members: Sequence[int]
) -> bool:
    """Whether a sum of leaves can grow without bound, by a direction LP.

    The feasible set is never empty (the true table is in it), so the maximum
    is unbounded exactly when some direction ``d >= 0`` on the ``free`` leaves
    keeps every published sum (each row of leaves adds up to 0) and raises the
    sum of ``members``. GLOP reports some unbounded problems as infeasible, so
    callers ask this when a maximum fails.
    """
    solver = pywraplp.Solver.CreateSolver("GLOP")
    assert solver is not None
    d = {leaf: solver.NumVar(0.0, 1.0, "") for leaf in free}
    for row in rows:
        constraint = solver.Constraint(0.0, 0.0)
        for leaf in row:
            if leaf in d:
                constraint.SetCoefficient(d[leaf], 1.0)
    objective = solver.Objective()
    for m in members:
        if m in d:
            objective.SetCoefficient(d[m], 1.0)
    objective.SetMaximization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        raise RuntimeError("the direction LP failed")
    return bool(objective.Value() > 1e-9)
