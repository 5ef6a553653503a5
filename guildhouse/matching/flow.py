"""Exact b-matching on a sparse candidate graph, with LP duals.

OR-Tools' ``SimpleMinCostFlow`` finds an optimal flow but does not expose node
potentials, and the certificate in :mod:`guildhouse.matching.solve` needs
them. We recover them from the optimal matching: they are shortest-path
potentials of its residual graph (no negative cycle, because the flow is
optimal), which for a bipartite b-matching reduce to a longest-path problem
over mentors; see :func:`_mentor_duals`. Everything is in int64, so the duals
are exact for the integer weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import max_flow, min_cost_flow

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# OR-Tools multiplies costs by (#nodes + 1) internally and rejects the problem
# (BAD_COST_RANGE) when that could overflow int64; measured on 9.15 the limit
# is about 2**63 / (2.6 * #nodes). A factor 8 leaves headroom for path sums.
_COST_HEADROOM = 8


def max_weight(*, n_nodes: int) -> int:
    """Largest arc weight we hand OR-Tools for a graph of ``n_nodes`` nodes."""
    return int((2**63 - 1) // (_COST_HEADROOM * (n_nodes + 3)))


@dataclass(frozen=True)
class BMatching:
    """An optimal b-matching of the candidate graph and a dual certificate.

    ``matched[k]`` says whether candidate pair ``k`` is used. ``u`` (per row)
    and ``v`` (per column) are non-negative integers with
    ``u[r] + v[c] >= weight`` on every candidate pair, equality on matched
    pairs, ``u[r] == 0`` for unmatched rows and ``v[c] == 0`` for columns
    below capacity: an LP-dual optimal solution.
    """

    matched: BoolArray
    u: IntArray
    v: IntArray


class SolverError(RuntimeError):
    """OR-Tools returned something other than an optimal solution."""


def _compress(values: IntArray) -> tuple[IntArray, IntArray]:
    """Unique values and, for each input, its index among them."""
    uniq, inverse = np.unique(values, return_inverse=True)
    return uniq.astype(np.int64), inverse.astype(np.int64)


def max_weight_b_matching(
    *,
    rows: IntArray,
    cols: IntArray,
    weights: IntArray,
    n_rows: int,
    capacity: IntArray,
) -> BMatching:
    """Maximise the total weight of a b-matching on the given pairs.

    Each row is used at most once, column ``c`` at most ``capacity[c]`` times.
    ``weights`` must be positive int64 no larger than :func:`max_weight`;
    ``(rows[k], cols[k])`` pairs must be distinct. Ties between optimal
    matchings are broken by OR-Tools, deterministically for the same input.
    """
    n_cols = len(capacity)
    u = np.zeros(n_rows, dtype=np.int64)
    v = np.zeros(n_cols, dtype=np.int64)
    if len(rows) == 0:
        return BMatching(matched=np.zeros(0, dtype=np.bool_), u=u, v=v)
    row_ids, r = _compress(rows)
    col_ids, c = _compress(cols)
    nr, nc = len(row_ids), len(col_ids)
    sink = nr + nc
    # Nodes: rows 0..nr-1, columns nr..nr+nc-1, sink. Every row sends one unit
    # to the sink, either through a column (cost -weight) or directly (cost 0,
    # "unmatched").
    tails = np.concatenate([r, np.arange(nr), nr + np.arange(nc)])
    heads = np.concatenate([nr + c, np.full(nr, sink), np.full(nc, sink)])
    # Row arcs get capacity 2 although a row only ever sends one unit (its
    # supply): then a used arc keeps a forward residual arc and the potentials
    # below are tight on it (complementary slackness), which a saturated arc
    # would not guarantee.
    caps = np.concatenate([np.full(len(r) + nr, 2, dtype=np.int64), capacity[col_ids]])
    costs = np.concatenate([-weights, np.zeros(nr + nc, dtype=np.int64)])
    supplies = np.zeros(nr + nc + 1, dtype=np.int64)
    supplies[:nr] = 1
    supplies[sink] = -nr

    flow = _min_cost_flow(tails, heads, caps, costs, supplies)
    matched = flow[: len(r)] > 0
    v_local = _mentor_duals(r, c, weights, matched, nr, nc)
    mate_col = np.full(nr, -1, dtype=np.int64)
    mate_weight = np.zeros(nr, dtype=np.int64)
    mate_col[r[matched]] = c[matched]
    mate_weight[r[matched]] = weights[matched]
    u_local = np.where(mate_col >= 0, mate_weight - v_local[mate_col], 0)
    if (u_local < 0).any():
        raise SolverError("recovered duals are infeasible (u < 0)")
    u[row_ids] = u_local
    v[col_ids] = v_local
    return BMatching(matched=matched, u=u, v=v)


def _min_cost_flow(
    tails: IntArray, heads: IntArray, caps: IntArray, costs: IntArray, supplies: IntArray
) -> IntArray:
    mcf = min_cost_flow.SimpleMinCostFlow()
    arcs = mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    mcf.set_nodes_supplies(np.arange(len(supplies)), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise SolverError(f"OR-Tools min-cost flow returned {status.name}")
    return np.asarray(mcf.flows(arcs), dtype=np.int64)


def _mentor_duals(
    r: IntArray, c: IntArray, w: IntArray, matched: BoolArray, nr: int, nc: int
) -> IntArray:
    """Smallest mentor duals ``v`` consistent with the optimal matching.

    With ``u[i] = w(i, mate) - v[mate]`` for matched rows and 0 otherwise, the
    dual constraints ``u[i] + v[j] >= w(i, j)`` on unmatched pairs become
    ``v[j] >= w(i, j)`` (row i unmatched) or ``v[j] >= v[mate(i)] + w(i, j) -
    w(i, mate)``: a longest-path problem over columns. The optimality of the
    flow means the path graph has no positive cycle, and the least solution
    also gives ``v = 0`` to columns below capacity and ``u >= 0`` (any dual
    optimum does, and the least solution is below it). Solved by
    label-correcting rounds that only revisit columns whose value rose.
    """
    mate = np.full(nr, -1, dtype=np.int64)
    mate_w = np.zeros(nr, dtype=np.int64)
    mate[r[matched]] = c[matched]
    mate_w[r[matched]] = w[matched]
    free = ~matched
    from_unmatched = free & (mate[r] < 0)
    v = np.zeros(nc, dtype=np.int64)
    np.maximum.at(v, c[from_unmatched], w[from_unmatched])
    chained = free & (mate[r] >= 0)
    tail = mate[r[chained]]
    head = c[chained]
    gain = w[chained] - mate_w[r[chained]]
    order = np.argsort(tail, kind="stable")
    tail, head, gain = tail[order], head[order], gain[order]
    indptr = np.searchsorted(tail, np.arange(nc + 1))
    frontier = np.unique(tail)
    for _ in range(nc + 1):
        if len(frontier) == 0:
            return v
        arc = segments(indptr, frontier)
        candidate = v[tail[arc]] + gain[arc]
        better = candidate > v[head[arc]]
        if not better.any():
            return v
        arc, candidate = arc[better], candidate[better]
        np.maximum.at(v, head[arc], candidate)
        frontier = np.unique(head[arc])
    raise SolverError("mentor duals did not converge (positive cycle)")


def segments(indptr: IntArray, nodes: IntArray) -> IntArray:
    """Positions of the segments of ``nodes`` in a CSR layout, concatenated.

    ``indptr[k]:indptr[k + 1]`` is node ``k``'s segment (its arcs, its pairs).
    """
    starts = indptr[nodes]
    counts = indptr[nodes + 1] - starts
    offsets = np.cumsum(counts) - counts
    within: IntArray = np.arange(counts.sum(), dtype=np.int64) - np.repeat(offsets, counts)
    arcs: IntArray = within + np.repeat(starts, counts)
    return arcs


@dataclass(frozen=True)
class MaxCardinality:
    """Maximum b-matching size and a minimum cut proving it.

    ``row_side[r]`` / ``col_side[c]`` say whether the node is on the source
    side of a minimum cut. No pair from a source-side row to a sink-side
    column exists in the graph, so any pair that crosses that way, found in a
    larger graph, is exactly what could make the matching bigger.
    """

    size: int
    row_side: BoolArray
    col_side: BoolArray


def max_cardinality(
    *, rows: IntArray, cols: IntArray, n_rows: int, capacity: IntArray
) -> MaxCardinality:
    """Largest b-matching on the given pairs (OR-Tools max flow)."""
    n_cols = len(capacity)
    source, sink = n_rows + n_cols, n_rows + n_cols + 1
    row_ids = np.unique(rows)
    tails = np.concatenate([np.full(len(row_ids), source), rows, n_rows + np.arange(n_cols)])
    heads = np.concatenate([row_ids, n_rows + cols, np.full(n_cols, sink)])
    caps = np.concatenate([np.ones(len(row_ids) + len(rows), dtype=np.int64), capacity])
    mf = max_flow.SimpleMaxFlow()
    mf.add_arcs_with_capacity(tails, heads, caps)
    status = mf.solve(source, sink)
    if status != mf.OPTIMAL:
        raise SolverError(f"OR-Tools max flow returned {status.name}")
    side = np.zeros(n_rows + n_cols + 2, dtype=np.bool_)
    side[np.asarray(mf.get_source_side_min_cut(), dtype=np.int64)] = True
    # Rows with no pair at all are not in the flow graph; they are trivially
    # on the source side (an unmatched row the source still reaches).
    row_side = side[:n_rows].copy()
    row_side[np.setdiff1d(np.arange(n_rows), row_ids)] = True
    return MaxCardinality(
        size=int(mf.optimal_flow()), row_side=row_side, col_side=side[n_rows : n_rows + n_cols]
    )
