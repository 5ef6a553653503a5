"""Primary and complementary suppression.

**Primary**: every shown cell (leaf, margin or sub-total) whose count is
1..k-1 -- or 0 when the policy hides zeros -- is hidden and *sensitive*.

**Complementary**, heuristic mode (any size): every sensitive cell gets a
*witness*, a generalised hypercube. Along each dimension pick a vector over that
dimension's nodes that respects its sums: swap the cell's node with a sibling
(+1 / -1), or move it together with all its totals (+1 on the node and every
ancestor, and down to one leaf when the node is a sub-total). The tensor
product of one such vector per dimension is a change ``y`` to the extended
array that keeps every margin equation true. Hiding every shown cell where
``y != 0`` makes ``a + t*y`` (for ``t`` up to the smallest leaf where ``y < 0``)
and ``a - t*y`` (for ``t`` up to the smallest leaf where ``y > 0``) tables that
publish exactly the same figures, so the sensitive cell's feasible range is at
least ``t_up + t_down`` wide. The cheapest witness wide enough (fewest newly
hidden cells, margins weighing more) is chosen; moving the cell with all its
totals always works, so a witness always exists. Witnesses stay valid as more
cells are hidden, and :meth:`Protected.check` re-verifies every one of them in
exact integer arithmetic.

**Exact** mode (small tables): a CP-SAT master chooses the fewest extra cells;
each candidate pattern is audited by linear programming, and a sensitive cell
that is too narrow yields a cut -- at least one published figure carrying its
LP bound (a non-zero dual) must be hidden. Hiding anything else leaves that
dual bound in place, so the cut never removes a valid pattern, and the loop
ends with a pattern that is optimal and passes the audit.
"""

from __future__ import annotations

import enum
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt

from guildhouse.disclosure.audit import Interval, audit_cells, cell_pairs, grows_without_bound
from guildhouse.disclosure.policy import Policy
from guildhouse.disclosure.table import Table, View

__all__ = ["Mode", "Protected", "Reason", "Witness", "protect"]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
EXACT_LIMIT = 40  # shown cells: at most this many and "auto" solves exactly
TOP_SWAPS = 3  # sibling swaps kept per dimension when searching witnesses


class Mode(enum.StrEnum):
    AUTO = "auto"
    EXACT = "exact"
    HEURISTIC = "heuristic"


class Reason(enum.StrEnum):
    PUBLISHED = "published"
    SMALL = "small"
    ZERO = "zero"
    COMPLEMENTARY = "complementary"
    NOT_SHOWN = "not shown"


@dataclass(frozen=True)
class Witness:
    """A change to the table that publishes the same figures (see module doc).

    ``vectors[k]`` lists (node, sign) along dimension ``k``; the change is their
    tensor product. ``up``/``down``: how far it moves the cell each way.
    """

    cell: tuple[int, ...]
    vectors: tuple[tuple[tuple[int, int], ...], ...]
    up: float
    down: float


@dataclass(frozen=True, eq=False)
class Protected:
    """A protected table: what is shown, what is hidden and why.

    Cells are extended-array coordinates (see :mod:`guildhouse.disclosure.table`).
    """

    table: Table
    policy: Policy
    shown: Bools
    hidden: Bools
    reasons: npt.NDArray[np.int8]
    witnesses: tuple[Witness, ...]
    protects: dict[tuple[int, ...], tuple[int, ...]] = field(default_factory=dict)
    mode: Mode = Mode.HEURISTIC
    seconds: float = 0.0

    @property
    def threshold(self) -> int:
        return self.policy.threshold(self.table.special_category)

    @property
    def width(self) -> int:
        return self.policy.width(self.table.special_category)

    @cached_property
    def values(self) -> Ints:
        return self.table.extended()

    @property
    def published(self) -> Bools:
        return self.shown & ~self.hidden

    def reason(self, cell: Sequence[int]) -> Reason:
        return _REASONS[int(self.reasons[tuple(cell)])]

    def value(self, cell: Sequence[int]) -> int | None:
        """The figure to show (rounded by the policy), or ``None`` when hidden."""
        key = tuple(cell)
        if not self.shown[key]:
            raise ValueError(f"cell {list(key)} is in no view")
        if self.hidden[key]:
            return None
        return self.policy.round(int(self.values[key]))

    def hidden_cells(self) -> list[tuple[int, ...]]:
        return [tuple(int(i) for i in c) for c in np.argwhere(self.hidden)]

    def sensitive(self) -> Bools:
        return _sensitive(self.values, self.shown, self.policy, self.threshold)

    @property
    def extra_hidden(self) -> int:
        """Cells hidden only to protect others (complementary suppressions)."""
        return int((self.reasons == _CODE[Reason.COMPLEMENTARY]).sum())

    def audit(self, cells: Sequence[Sequence[int]] | None = None) -> list[Interval]:
        """Feasible range of each hidden cell (or of ``cells``) given what is published."""
        targets = [tuple(c) for c in cells] if cells is not None else self.hidden_cells()
        return audit_cells(self.table, self.published, targets, policy=self.policy)

    def check(self) -> None:
        """Raise ``AssertionError`` unless every sensitive cell is provably protected.

        Heuristic results re-verify each witness in integer arithmetic; exact
        results (which have none) are audited.
        """
        sensitive = self.sensitive()
        if (sensitive & ~self.hidden).any():
            raise AssertionError("a sensitive cell is published")
        if self.mode is Mode.EXACT:
            cells = [tuple(int(i) for i in c) for c in np.argwhere(sensitive)]
            for interval in self.audit(cells):
                if interval.width < self.width - 1e-6:
                    raise AssertionError(f"cell {interval.cell} is only {interval.width} wide")
            return
        covered = {w.cell for w in self.witnesses}
        for c in np.argwhere(sensitive):
            if tuple(int(i) for i in c) not in covered:
                raise AssertionError(f"sensitive cell {c.tolist()} has no witness")
        leaf = self.table.leaf_mask()
        for w in self.witnesses:
            corners, signs = _corners(w.vectors)
            published = self.published[corners]
            if published.any():
                raise AssertionError(f"witness of {w.cell} changes a published figure")
            on_leaf = leaf[corners]
            up = _min_or_inf(self.values[corners][on_leaf & (signs < 0)])
            down = _min_or_inf(self.values[corners][on_leaf & (signs > 0)])
            if (up, down) != (w.up, w.down) or up + down < self.width:
                raise AssertionError(f"witness of {w.cell} moves it only {up} + {down}")


_REASONS = list(Reason)
_CODE = {r: np.int8(i) for i, r in enumerate(_REASONS)}


def _min_or_inf(values: Ints) -> float:
    return float(values.min()) if values.size else math.inf


def _corners(
    vectors: tuple[tuple[tuple[int, int], ...], ...],
) -> tuple[tuple[Ints, ...], Ints]:
    nodes = [np.array([n for n, _ in v], dtype=np.int64) for v in vectors]
    signs = [np.array([s for _, s in v], dtype=np.int64) for v in vectors]
    grids = np.meshgrid(*nodes, indexing="ij")
    sign = np.ones(grids[0].shape, dtype=np.int64)
    for k, s in enumerate(signs):
        shape = [1] * len(signs)
        shape[k] = len(s)
        sign = sign * s.reshape(shape)
    return tuple(g.ravel() for g in grids), sign.ravel()


def _sensitive(values: Ints, shown: Bools, policy: Policy, k: int) -> Bools:
    small = (values >= 1) & (values < k)
    if policy.hide_zeros:
        small |= values == 0
    return shown & small


def protect(
    table: Table,
    policy: Policy | None = None,
    *,
    views: Sequence[View] | None = None,
    shown: Bools | None = None,
    mode: Mode = Mode.AUTO,
    prune: bool = True,
) -> Protected:
    """Hide what must be hidden in ``table`` as shown by ``views`` (linked together).

    Without views or ``shown`` every cell, margin and sub-total is shown. The
    same table, policy and views always give the same pattern. ``prune`` (the
    heuristic's second pass) publishes again extra cells that turn out not to be
    needed.
    """
    started = time.perf_counter()
    policy = policy or Policy()
    if shown is None:
        if views:
            shown = np.zeros(table.extended_shape, dtype=bool)
            for view in views:
                shown |= view.mask(table)
        else:
            shown = table.all_margins()
    if shown.shape != table.extended_shape:
        raise ValueError(f"shown has shape {shown.shape}, expected {table.extended_shape}")
    k = policy.threshold(table.special_category)
    values = table.extended()
    sensitive = _sensitive(values, shown, policy, k)
    reasons = np.full(table.extended_shape, _CODE[Reason.PUBLISHED], dtype=np.int8)
    reasons[~shown] = _CODE[Reason.NOT_SHOWN]
    reasons[sensitive] = _CODE[Reason.SMALL]
    if policy.hide_zeros:
        reasons[sensitive & (values == 0)] = _CODE[Reason.ZERO]
    if mode is Mode.AUTO:
        mode = Mode.EXACT if int(shown.sum()) <= EXACT_LIMIT else Mode.HEURISTIC
    width = policy.width(table.special_category)
    if mode is Mode.EXACT:
        hidden = _exact(table, values, shown, sensitive, width)
        witnesses: tuple[Witness, ...] = ()
        protects = _who_protects(table, hidden & ~sensitive, sensitive)
    else:
        search = _WitnessSearch(table, values, shown, sensitive.copy(), width, prune)
        witnesses = tuple(search.run())
        hidden, protects = search.hidden, search.protects
    reasons[hidden & ~sensitive] = _CODE[Reason.COMPLEMENTARY]
    return Protected(
        table=table,
        policy=policy,
        shown=shown.copy(),
        hidden=hidden,
        reasons=reasons,
        witnesses=witnesses,
        protects=protects,
        mode=mode,
        seconds=time.perf_counter() - started,
    )


# --- heuristic: generalised hypercubes -------------------------------------------------


class _WitnessSearch:
    def __init__(
        self, table: Table, values: Ints, shown: Bools, hidden: Bools, width: int, prune: bool
    ):
        self.table, self.width, self.prune = table, width, prune
        self.shape = table.extended_shape
        self.d = len(self.shape)
        self.strides = np.array(
            [int(np.prod(self.shape[k + 1 :])) for k in range(self.d)], dtype=np.int64
        )
        self.values = values.ravel()
        self.shown = shown.ravel()
        self.hidden_flat = hidden.ravel().copy()
        self.sensitive = hidden.copy()
        self.leaf = table.leaf_mask().ravel()
        sizes = np.array([dim.size for dim in table.dimensions]).reshape([-1] + [1] * self.d)
        nonleaf_coords = (np.indices(self.shape) >= sizes).sum(axis=0)
        # Hiding a margin loses more than hiding a cell; the grand total most of all.
        self.weight = (1 + nonleaf_coords).ravel().astype(np.int64)
        self.protects: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._options: dict[tuple[int, int], tuple[Ints, Ints, Bools]] = {}
        self._down = [self._down_paths(k) for k in range(self.d)]
        self._paths = []
        for down in self._down:
            depth = 1 + max(len(path) for path in down)
            paths = np.full((len(down), depth), -1, dtype=np.int64)
            for node, path in enumerate(down):
                paths[node, : 1 + len(path)] = [node, *path]
            self._paths.append(paths)

    @property
    def hidden(self) -> Bools:
        return self.hidden_flat.reshape(self.shape)

    def _down_paths(self, k: int) -> list[list[int]]:
        """From each node, the path down to a leaf through the largest child."""
        dim = self.table.dimensions[k]
        index: list[int | slice] = [d.total for d in self.table.dimensions]
        index[k] = slice(None)
        marginal = self.values.reshape(self.shape)[tuple(index)]
        paths: list[list[int]] = []
        for node in range(len(dim.nodes)):
            path: list[int] = []
            while dim.children[node]:
                node = max(dim.children[node], key=lambda c: (int(marginal[c]), -c))
                path.append(node)
            paths.append(path)
        return paths

    def options(self, k: int, p: int) -> tuple[Ints, Ints, Bools]:
        """Vectors through node ``p`` of dimension ``k``: (nodes, signs, is_chain), padded."""
        key = (k, p)
        if key in self._options:
            return self._options[key]
        dim = self.table.dimensions[k]
        down = self._down[k]
        paths = self._paths[k]  # node and its path down, padded with -1
        ancestors = [p]
        while dim.parent[ancestors[-1]] >= 0:
            ancestors.append(int(dim.parent[ancestors[-1]]))
        chains = []
        if dim.children[p]:
            chains = [[*ancestors, c, *down[c]] for c in dim.children[p]]
        else:
            chains = [ancestors]
        parent = int(dim.parent[p])
        siblings = np.array(
            [b for b in (dim.children[parent] if parent >= 0 else ()) if b != p], dtype=np.int64
        )
        depth = paths.shape[1]
        width = max(2 * depth, *(len(c) for c in chains))
        n = len(siblings) + len(chains)
        nodes_arr = np.full((n, width), -1, dtype=np.int64)
        signs_arr = np.zeros((n, width), dtype=np.int64)
        # Swaps: the node's path +1, a sibling's path -1.
        nodes_arr[: len(siblings), :depth] = paths[p]
        nodes_arr[: len(siblings), depth : 2 * depth] = paths[siblings]
        signs_arr[: len(siblings), :depth] = 1
        signs_arr[: len(siblings), depth : 2 * depth] = -1
        for i, nodes in enumerate(chains, start=len(siblings)):
            nodes_arr[i, : len(nodes)] = nodes
            signs_arr[i, : len(nodes)] = 1
        signs_arr[nodes_arr < 0] = 0
        chain = np.arange(n) >= len(siblings)
        self._options[key] = (nodes_arr, signs_arr, chain)
        return self._options[key]

    def run(self) -> list[Witness]:
        cells = np.argwhere(self.sensitive)
        level = (cells >= np.array([d.size for d in self.table.dimensions])).sum(axis=1)
        flat = np.ravel_multi_index(tuple(cells.T), self.shape) if len(cells) else cells[:, 0]
        order = np.lexsort((flat, self.values[flat], -level))
        witnesses: list[Witness] = []
        corners: list[Ints] = []
        for i in order:
            witness, corner = self._search(tuple(int(x) for x in cells[i]))
            self.hidden_flat[corner[self.shown[corner]]] = True
            witnesses.append(witness)
            corners.append(corner)
        if self.prune:
            self._prune(witnesses, corners)
        for witness, corner in zip(witnesses, corners, strict=True):
            for c in corner[self.shown[corner] & ~self.sensitive.ravel()[corner]].tolist():
                key = tuple(int(i) for i in np.unravel_index(c, self.shape))
                self.protects.setdefault(key, witness.cell)
        return witnesses

    def _prune(self, witnesses: list[Witness], corners: list[Ints]) -> None:
        """Publish again each extra cell whose witnesses can all do without it.

        Largest cells first (they say the most). A cell is published again only if
        every witness through it is replaced by one that hides nothing new.
        """
        users: dict[int, set[int]] = {}
        for i, corner in enumerate(corners):
            for c in corner[self.shown[corner]].tolist():
                users.setdefault(c, set()).add(i)
        extra = np.flatnonzero(self.hidden_flat & ~self.sensitive.ravel())
        for c in extra[np.lexsort((extra, -self.values[extra]))].tolist():
            self.hidden_flat[c] = False
            found = []
            for i in sorted(users.get(c, ())):
                witness, corner = self._search(witnesses[i].cell)
                if (self.shown[corner] & ~self.hidden_flat[corner]).any():
                    self.hidden_flat[c] = True
                    break
                found.append((i, witness, corner))
            else:
                for i, witness, corner in found:
                    for old in corners[i][self.shown[corners[i]]].tolist():
                        users[old].discard(i)
                    witnesses[i], corners[i] = witness, corner
                    for new in corner[self.shown[corner]].tolist():
                        users.setdefault(new, set()).add(i)

    def _search(self, cell: tuple[int, ...]) -> tuple[Witness, Ints]:
        """The cheapest wide-enough witness for ``cell`` and its corner cells (flat)."""
        s_flat = int(np.dot(cell, self.strides))
        chosen: list[tuple[Ints, Ints]] = []
        for k in range(self.d):
            nodes, signs, chain = self.options(k, cell[k])
            base = s_flat - cell[k] * int(self.strides[k])
            line = base + np.where(nodes >= 0, nodes, 0) * int(self.strides[k])
            valid = nodes >= 0
            open_ = valid & self.shown[line] & ~self.hidden_flat[line] & (line != s_flat)
            cost = (open_ * self.weight[line]).sum(axis=1)
            neg = valid & (signs < 0) & self.leaf[line]
            cap = np.where(neg, self.values[line], np.iinfo(np.int64).max).min(axis=1)
            cap = np.minimum(cap, self.width)
            idx = np.arange(len(nodes))
            swaps = idx[~chain][np.lexsort((idx[~chain], -cap[~chain], cost[~chain]))][:TOP_SWAPS]
            chains = idx[chain][np.lexsort((idx[chain], cost[chain]))][:1]
            keep = np.concatenate([swaps, chains])
            chosen.append(_compact(nodes[keep], signs[keep]))
        return self._best_cube(cell, s_flat, chosen)

    def _best_cube(
        self, cell: tuple[int, ...], s_flat: int, chosen: list[tuple[Ints, Ints]]
    ) -> tuple[Witness, Ints]:
        d = self.d
        n_opts = [len(n) for n, _ in chosen]
        lens = [n.shape[1] for n, _ in chosen]
        # Broadcast shape: (O_1..O_d, L_1..L_d).
        flat = np.zeros([*n_opts, *lens], dtype=np.int64)
        sign = np.ones([*n_opts, *lens], dtype=np.int64)
        valid = np.ones([*n_opts, *lens], dtype=bool)
        for k, (nodes, signs) in enumerate(chosen):
            shape = [1] * (2 * d)
            shape[k], shape[d + k] = nodes.shape
            flat = flat + np.where(nodes >= 0, nodes, 0).reshape(shape) * int(self.strides[k])
            sign = sign * signs.reshape(shape)
            valid = valid & (nodes >= 0).reshape(shape)
        axes = tuple(range(d, 2 * d))
        open_ = valid & self.shown[flat] & ~self.hidden_flat[flat] & (flat != s_flat)
        cost = (open_ * self.weight[flat]).sum(axis=axes)
        new_value = (open_ * self.values[flat]).sum(axis=axes)
        on_leaf = valid & self.leaf[flat]
        big = np.iinfo(np.int64).max
        vals = self.values[flat]
        up = np.where(on_leaf & (sign < 0), vals, big).min(axis=axes)
        down = np.where(on_leaf & (sign > 0), vals, big).min(axis=axes)
        upf = np.where(up == big, math.inf, up.astype(np.float64))
        downf = np.where(down == big, math.inf, down.astype(np.float64))
        ok = (upf + downf) >= self.width
        cost_r, new_r, ok_r = cost.ravel(), new_value.ravel(), ok.ravel()
        candidates = np.flatnonzero(ok_r)
        best = int(candidates[np.lexsort((candidates, new_r[candidates], cost_r[candidates]))[0]])
        pick = np.unravel_index(best, n_opts)
        vectors = tuple(
            tuple(
                (int(n), int(s))
                for n, s in zip(chosen[k][0][pick[k]], chosen[k][1][pick[k]], strict=True)
                if n >= 0
            )
            for k in range(d)
        )
        corner_flat = flat[pick].ravel()[valid[pick].ravel()]
        return Witness(cell, vectors, float(upf[pick]), float(downf[pick])), corner_flat


def _compact(nodes: Ints, signs: Ints) -> tuple[Ints, Ints]:
    """Move each row's nodes to the front and drop columns that are padding only."""
    order = np.argsort(nodes < 0, axis=1, kind="stable")
    nodes = np.take_along_axis(nodes, order, axis=1)
    signs = np.take_along_axis(signs, order, axis=1)
    width = int((nodes >= 0).sum(axis=1).max())
    return nodes[:, :width], signs[:, :width]


# --- exact: CP-SAT master, LP cuts ----------------------------------------------------


def _exact(table: Table, values: Ints, shown: Bools, sensitive: Bools, width: int) -> Bools:
    from ortools.linear_solver import pywraplp
    from ortools.sat.python import cp_model

    shape = table.extended_shape
    cells = [tuple(int(i) for i in c) for c in np.argwhere(shown)]
    flat_of = {c: int(np.ravel_multi_index(c, shape)) for c in cells}
    ext_idx, leaf_idx = cell_pairs(table)
    members: dict[int, list[int]] = {}
    for e, leaf in zip(ext_idx.tolist(), leaf_idx.tolist(), strict=True):
        members.setdefault(e, []).append(leaf)
    n_leaves = int(np.prod(table.shape))
    flat_values = values.ravel()
    sens = [c for c in cells if sensitive[c]]

    model = cp_model.CpModel()
    z = {c: model.new_bool_var("") for c in cells}
    for c in sens:
        model.add(z[c] == 1)
    loss = int(flat_values[[flat_of[c] for c in cells]].sum()) + 1
    model.minimize(
        sum(z[c] * (loss + int(flat_values[flat_of[c]])) for c in cells if not sensitive[c])
    )
    hidden = sensitive.copy()
    while True:
        lp = pywraplp.Solver.CreateSolver("GLOP")
        assert lp is not None
        x = [lp.NumVar(0.0, lp.infinity(), "") for _ in range(n_leaves)]
        rows = {}
        for c in cells:
            if not hidden[c]:
                v = float(flat_values[flat_of[c]])
                row = lp.Constraint(v, v)
                for leaf in members[flat_of[c]]:
                    row.SetCoefficient(x[leaf], 1.0)
                rows[c] = row
        cuts: list[list[tuple[int, ...]]] = []
        for s in sens:
            objective = lp.Objective()
            objective.Clear()
            for leaf in members[flat_of[s]]:
                objective.SetCoefficient(x[leaf], 1.0)
            support: set[tuple[int, ...]] = set()
            bounds = []
            for maximise in (True, False):
                objective.SetOptimizationDirection(maximise)
                status = lp.Solve()
                if status != pywraplp.Solver.OPTIMAL and maximise:
                    leaves = members[flat_of[s]]
                    row_leaves = [members[flat_of[c]] for c in rows]
                    if grows_without_bound(range(n_leaves), row_leaves, leaves):
                        bounds.append(math.inf)
                        break
                if status != pywraplp.Solver.OPTIMAL:
                    raise RuntimeError(f"exact mode LP failed with status {status}")
                bounds.append(objective.Value())
                support |= {c for c, row in rows.items() if abs(row.dual_value()) > 1e-9}
            if len(bounds) == 2 and bounds[0] - bounds[1] < width - 1e-6:
                cuts.append(sorted(support))
        if not cuts:
            return hidden
        for cut in cuts:
            model.add_bool_or([z[c] for c in cut])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        status = solver.solve(model)
        if status != cp_model.OPTIMAL:
            raise RuntimeError("exact mode: the master problem has no solution")
        hidden = np.zeros(shape, dtype=bool)
        for c in cells:
            hidden[c] = bool(solver.value(z[c]))


def _who_protects(
    table: Table, extra: Bools, sensitive: Bools
) -> dict[tuple[int, ...], tuple[int, ...]]:
    """For explanations of exact results: the nearest sensitive cell to each extra one."""
    sens = np.argwhere(sensitive)
    out: dict[tuple[int, ...], tuple[int, ...]] = {}
    for c in np.argwhere(extra):
        distance = (sens != c).sum(axis=1)
        nearest = sens[int(np.argmin(distance))]
        out[tuple(int(i) for i in c)] = tuple(int(i) for i in nearest)
    return out
