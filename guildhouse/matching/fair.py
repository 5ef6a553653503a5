"""The fair mode's threshold: the best worst pair among maximum matchings.

A threshold ``t`` is feasible when the pairs scoring at least ``t`` still
admit a matching of the maximum size. Feasibility is monotone in ``t``, so we
binary-search the distinct scores of the candidate graph with OR-Tools max
flow. The candidate graph is only part of the market, so the answer is then
proven on the whole market: the minimum cut of the candidate graph restricted
to pairs scoring *above* ``t`` must not be crossed by any eligible pair above
``t`` (then that cut bounds the full graph too, and nothing above ``t`` is
feasible). Crossing pairs join the candidates and the search resumes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from guildhouse.matching import flow
from guildhouse.matching.market import FloatArray, IntArray, Market

if TYPE_CHECKING:
    from guildhouse.matching.solve import _Candidates


def _feasible(market: Market, candidates: _Candidates, threshold: float, size: int) -> bool:
    keep = candidates.scores >= threshold
    found = flow.max_cardinality(
        rows=candidates.rows[keep],
        cols=candidates.cols[keep],
        n_rows=market.n,
        capacity=market.capacity,
    )
    return found.size >= size


def best_threshold(market: Market, candidates: _Candidates, *, size: int, top_k: int) -> float:
    """Largest ``t`` such that a matching of ``size`` pairs all score ``>= t``.

    ``size`` must be the proven maximum matching size and ``candidates`` must
    already admit a matching of that size; ``candidates`` grows in place.
    """
    floor = -np.inf
    while True:
        values = np.unique(candidates.scores)
        lo = int(np.searchsorted(values, floor))  # values[lo] is feasible
        hi = len(values) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _feasible(market, candidates, float(values[mid]), size):
                lo = mid
            else:
                hi = mid - 1
        floor = float(values[lo])
        crossing = _crossing_pairs(market, candidates, floor, per_row=top_k)
        if crossing is None:
            return floor
        candidates.add(*crossing)


def _crossing_pairs(
    market: Market, candidates: _Candidates, threshold: float, *, per_row: int
) -> tuple[IntArray, IntArray, FloatArray] | None:
    above = candidates.scores > threshold
    cut = flow.max_cardinality(
        rows=candidates.rows[above],
        cols=candidates.cols[above],
        n_rows=market.n,
        capacity=market.capacity,
    )
    found_r: list[IntArray] = []
    found_c: list[IntArray] = []
    found_s: list[FloatArray] = []
    for chunk in market.pairs():
        crossing = (
            chunk.eligible
            & (chunk.scores > threshold)
            & cut.row_side[chunk.rows][:, None]
            & ~cut.col_side[chunk.cols][None, :]
        )
        if not crossing.any():
            continue
        if per_row < crossing.shape[1]:
            masked = np.where(crossing, chunk.scores, -np.inf)
            top = np.argpartition(-masked, per_row - 1, axis=1)[:, :per_row]
            keep = np.zeros_like(crossing)
            np.put_along_axis(keep, top, True, axis=1)
            crossing &= keep
        r, c = np.nonzero(crossing)
        found_r.append(chunk.rows[r])
        found_c.append(chunk.cols[c])
        found_s.append(chunk.scores[r, c].astype(np.float64))
    if not found_r:
        return None
    return np.concatenate(found_r), np.concatenate(found_c), np.concatenate(found_s)
