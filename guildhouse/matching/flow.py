"""Exact b-matching on a sparse candidate graph, with LP duals.

OR-Tools' ``SimpleMinCostFlow`` finds an optimal flow but does not expose node
potentials, and the certificate in :mod:`guildhouse.matching.solve` needs
them. We recover them with a second, auxiliary OR-Tools solve: shortest paths
on the residual graph of the optimal flow (which has no negative cycle,
because the flow is optimal) from a virtual root joined to every node by a
zero-cost arc. Any optimal flow of that auxiliary problem only uses arcs that
are tight for the shortest-path distances, so the distances follow by walking
the flow-carrying arcs outwards from the root. Everything is in int64, so the
duals are exact for the integer weights.
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
    dist = _residual_potentials(tails, heads, caps, costs, flow, n_nodes=nr + nc + 1)
    dist -= dist[sink]
    # See the BMatching docstring; clipping only affects unmatched rows and
    # empty columns, where the LP dual must be 0 and feasibility still holds.
    u[row_ids] = np.maximum(dist[:nr], 0)
    v[col_ids] = np.maximum(-dist[nr : nr + nc], 0)
    return BMatching(matched=flow[: len(r)] > 0, u=u, v=v)


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


def _residual_potentials(
    tails: IntArray,
    heads: IntArray,
    caps: IntArray,
    costs: IntArray,
    flow: IntArray,
    *,
    n_nodes: int,
) -> IntArray:
    """Shortest-path distances on the residual graph from a virtual root."""
    fwd = flow < caps
    bwd = flow > 0
    root = n_nodes
    res_tails = np.concatenate([tails[fwd], heads[bwd], np.full(n_nodes, root)])
    res_heads = np.concatenate([heads[fwd], tails[bwd], np.arange(n_nodes)])
    res_costs = np.concatenate([costs[fwd], -costs[bwd], np.zeros(n_nodes, dtype=np.int64)])
    supplies = np.full(n_nodes + 1, -1, dtype=np.int64)
    supplies[root] = n_nodes
    caps_sp = np.full(len(res_tails), n_nodes, dtype=np.int64)
    sp_flow = _min_cost_flow(res_tails, res_heads, caps_sp, res_costs, supplies)
    used = sp_flow > 0
    return _propagate(res_tails[used], res_heads[used], res_costs[used], root, n_nodes + 1)


def _propagate(
    tails: IntArray, heads: IntArray, costs: IntArray, root: int, n_nodes: int
) -> IntArray:
    """Distances along tight arcs, level by level from ``root``."""
    order = np.argsort(tails, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    indptr = np.searchsorted(tails, np.arange(n_nodes + 1))
    dist = np.zeros(n_nodes, dtype=np.int64)
    seen = np.zeros(n_nodes, dtype=np.bool_)
    seen[root] = True
    frontier = np.array([root], dtype=np.int64)
    while len(frontier):
        starts = indptr[frontier]
        counts = indptr[frontier + 1] - starts
        offsets = np.cumsum(counts) - counts
        arc = np.arange(counts.sum()) - np.repeat(offsets, counts) + np.repeat(starts, counts)
        new = ~seen[heads[arc]]
        arc = arc[new]
        # A node can be reached by two tight arcs in the same level; both give
        # the same distance, so whichever write wins is correct.
        dist[heads[arc]] = dist[tails[arc]] + costs[arc]
        seen[heads[arc]] = True
        frontier = np.unique(heads[arc])
    if not seen.all():
        raise SolverError("shortest-path tree does not reach every node")
    return dist[:-1]


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
