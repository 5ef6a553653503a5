"""Assign mentees to mentors: exact optimisation modes and the stable mode.

Semantics every mode shares:

* each mentee gets at most one mentor; mentor ``j`` gets at most
  ``capacity[j]`` mentees (group mentoring is capacity > 1);
* only allowed pairs (those in some block's ``allowed`` mask) are used;
  ``excluded`` pairs never are, ``locked`` pairs always are (they use up a
  seat and take their mentee out of the optimisation);
* a mentee may stay unmatched (``-1``). In ``optimal`` mode this is also a
  choice: an unmatched mentee contributes 0, so a pair with a negative score
  is never used there.

The exact modes solve on a pruned candidate graph (each mentee's ``top_k``
best mentors, each mentor's best few mentees) and then prove that the
pruning lost nothing: the candidate solution comes with LP duals ``u``
(mentee) and ``v`` (mentor), and a pass over every eligible pair checks
``weight - u - v <= 0``. Violating pairs join the candidate graph and it is
solved again, until the check passes (see ``_price_and_solve``).

Scores are turned into int64 weights ``round(score * scale)`` for OR-Tools.
``scale`` is the largest that OR-Tools accepts without overflow for this
graph size (for scores in [0, 1], about 9e13 at 10,000 x 2,500 and 9e12 at
100,000 x 25,000), so each pair is off by at most ``0.5 / scale`` and the
total by ``matched * 0.5 / scale``: far below 1e-9 relative for any
realistic score range. The check is exact in those integer weights, so the
result is a proven optimum of the rounded problem.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from guildhouse.matching import flow
from guildhouse.matching.market import Market, collect_top_k
from guildhouse.matching.source import ScoreSource

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

DEFAULT_TOP_K = 16


class Mode(StrEnum):
    OPTIMAL = "optimal"  # maximum total score
    PARTICIPATION = "participation"  # most mentees matched, then maximum total score
    FAIR = "fair"  # most matched, then the best worst pair, then maximum total
    STABLE = "stable"  # mentee-optimal stable assignment (deferred acceptance)


@dataclass(frozen=True)
class Certificate:
    """Evidence that an exact mode's result is optimal.

    ``max_reduced_profit`` is an upper bound on ``weight - u - v`` over
    *every* eligible pair, in weight units (``round(score * scale)`` plus a
    participation bonus); ``<= 0`` proves optimality by LP duality. It is
    exact when the last pricing pass ran after the last solve, and a bound
    from the dual shift otherwise (see ``_price_and_solve``).
    ``iterations`` counts candidate-graph solves, ``pricing_passes`` full
    passes over the source after the first, ``candidate_pairs`` the final
    graph size, ``pairs_priced`` the eligible pairs checked per pass.
    ``threshold`` is the proven best worst pair score in fair mode.
    """

    iterations: int
    pricing_passes: int
    candidate_pairs: int
    pairs_priced: int
    max_reduced_profit: float
    scale: float
    threshold: float | None = None

    @property
    def proven(self) -> bool:
        return self.max_reduced_profit <= 0


@dataclass(frozen=True)
class StableCertificate:
    """How deferred acceptance ran: proposal rounds and proposals made."""

    rounds: int
    proposals: int
    refills: int


@dataclass(frozen=True)
class Result:
    """``assignment[i]`` is mentee ``i``'s mentor index, or -1 if unmatched.

    ``total_score`` and ``matched`` include locked pairs; ``seconds`` is wall
    time inside :func:`solve`.
    """

    mode: Mode
    assignment: IntArray
    total_score: float
    matched: int
    seconds: float
    certificate: Certificate | StableCertificate


def solve(
    source: ScoreSource,
    capacity: npt.ArrayLike,
    *,
    mode: Mode,
    locked: Sequence[tuple[int, int]] = (),
    excluded: Sequence[tuple[int, int]] = (),
    top_k: int = DEFAULT_TOP_K,
) -> Result:
    """Solve the matching problem in ``mode``; see the module docstring.

    Raises ``ValueError`` for a bad capacity vector, out-of-range, duplicate,
    not-allowed or over-capacity locked pairs, or a pair both locked and
    excluded. Deterministic: the same input gives the same assignment.
    """
    if top_k < 1:
        raise ValueError(f"top_k must be at least 1, got {top_k}")
    mode = Mode(mode)  # also accepts the plain string, e.g. from a form
    start = time.perf_counter()
    market = Market(source, capacity, locked=locked, excluded=excluded)
    certificate: Certificate | StableCertificate
    if mode is Mode.STABLE:
        from guildhouse.matching.stable import deferred_acceptance

        assignment, scores, certificate = deferred_acceptance(market, top_k=top_k)
    else:
        assignment, scores, certificate = _solve_exact(market, mode=mode, top_k=top_k)
    market.check_locked_allowed()
    # Chosen pairs' scores as float64 copies of the source's values, summed
    # in a fixed order so the total is reproducible.
    total = math.fsum(scores.tolist()) + math.fsum(market.locked_scores.tolist())
    return Result(
        mode=mode,
        assignment=assignment,
        total_score=total,
        matched=int((assignment >= 0).sum()),
        seconds=time.perf_counter() - start,
        certificate=certificate,
    )


@dataclass(frozen=True)
class _Weights:
    """Score -> int64 weight: ``bonus + round(score * scale)`` on eligible pairs.

    ``bonus`` is 0 in optimal mode. In the participation-first modes it is
    larger than any difference in total rounded score between two matchings,
    so one more matched pair always outweighs any change in score.
    """

    scale: float
    bonus: int
    floor: float  # pairs scoring below this are not eligible (fair threshold)
    span: float  # weight difference between the best and worst eligible pair

    def of(self, scores: FloatArray) -> IntArray:
        return self.bonus + np.rint(scores * self.scale).astype(np.int64)


def _weights(market: Market, *, mode: Mode, low: float, high: float) -> _Weights:
    limit = flow.max_weight(n_nodes=market.n + market.m)
    if not (math.isfinite(low) and math.isfinite(high)):  # nothing eligible
        return _Weights(scale=1.0, bonus=0, floor=-math.inf, span=1.0)
    if mode is Mode.OPTIMAL:
        scale = limit / (max(abs(high), abs(low)) or 1.0)
        return _Weights(scale=scale, bonus=0, floor=-math.inf, span=(high - low) * scale)
    # bonus = (pairs + 1) * span + |min| + 1 must stay below the limit.
    pairs = min(int(market.active.sum()), int(market.capacity.sum()))
    span = max(high - low, abs(low), abs(high)) or 1.0
    scale = limit / ((pairs + 4) * span)
    lo, hi = round(low * scale), round(high * scale)
    bonus = (pairs + 1) * (hi - lo) + abs(lo) + 1
    return _Weights(scale=scale, bonus=bonus, floor=-math.inf, span=(high - low) * scale)


@dataclass
class _Candidates:
    """The candidate graph's pairs, each at most once."""

    rows: IntArray
    cols: IntArray
    scores: FloatArray
    n_cols: int

    def __post_init__(self) -> None:
        self._keys = np.sort(self.rows * self.n_cols + self.cols)

    def add(self, rows: IntArray, cols: IntArray, scores: FloatArray) -> None:
        keys = rows * self.n_cols + cols
        at = np.minimum(np.searchsorted(self._keys, keys), max(len(self._keys) - 1, 0))
        new = self._keys[at] != keys if len(self._keys) else np.ones(len(keys), np.bool_)
        self.rows = np.concatenate([self.rows, rows[new]])
        self.cols = np.concatenate([self.cols, cols[new]])
        self.scores = np.concatenate([self.scores, scores[new]])
        self._keys = np.sort(np.concatenate([self._keys, keys[new]]))

    def where(self, keep: npt.NDArray[np.bool_]) -> _Candidates:
        return _Candidates(self.rows[keep], self.cols[keep], self.scores[keep], self.n_cols)


def _solve_exact(
    market: Market, *, mode: Mode, top_k: int
) -> tuple[IntArray, FloatArray, Certificate]:
    top = collect_top_k(
        market,
        k=top_k,
        positive_only=mode is Mode.OPTIMAL,
        mentor_k=top_k // _MENTOR_SHARE * _max_seats(market),
    )
    rows, cols, scores, _ = top.pairs()
    candidates = _Candidates(rows, cols, scores, market.m)
    if top.by_mentor is not None:
        candidates.add(*top.by_mentor)
    weights = _weights(market, mode=mode, low=top.low, high=top.high)
    assignment, scores, certificate = _price_and_solve(market, candidates, weights, top_k=top_k)
    if mode is Mode.FAIR and certificate.candidate_pairs:
        from guildhouse.matching.fair import best_threshold

        matched = assignment >= 0
        matched[market.locked[:, 0]] = False
        size = int(matched.sum())
        floor = best_threshold(market, candidates, size=size, top_k=top_k)
        fair_weights = dataclasses.replace(weights, floor=floor)
        assignment, scores, certificate = _price_and_solve(
            market, candidates.where(candidates.scores >= floor), fair_weights, top_k=top_k
        )
        certificate = dataclasses.replace(certificate, threshold=floor)
    return assignment, scores, certificate


def _price_and_solve(
    market: Market, candidates: _Candidates, weights: _Weights, *, top_k: int
) -> tuple[IntArray, FloatArray, Certificate]:
    """Solve on the candidates, price every pair, repeat until nothing violates.

    A pricing pass also returns the *near* pairs, those within a margin of
    violating, and they join the graph. For the pairs it left out it bounds
    the reduced profit per mentee and per mentor; after re-solving, the new
    reduced profit of a left-out pair is its old one minus the dual changes
    ``du[i] + dv[j]``, so if :func:`_shifted_bound` shows that none can be
    positive, no further pass over the source is needed. ``candidates`` grows
    in place.
    """
    margin = max(1, round(_NEAR_MARGIN * weights.span))
    iterations = 1
    solution = _solve_candidates(market, candidates, weights)
    pricing = _price(market, weights, solution.u, solution.v, margin=margin)
    bound = pricing.max_reduced_profit
    passes = 1
    while bound > 0:
        candidates.add(pricing.rows, pricing.cols, pricing.scores)
        iterations += 1
        previous, solution = solution, _solve_candidates(market, candidates, weights)
        bound = _shifted_bound(pricing.left_out, solution, previous)
        if bound <= 0:
            break  # proven without another pass
        pricing = _price(market, weights, solution.u, solution.v, margin=margin)
        bound = pricing.max_reduced_profit
        passes += 1
    assignment = market.assignment_with_locked()
    chosen = solution.matched
    assignment[candidates.rows[chosen]] = candidates.cols[chosen]
    certificate = Certificate(
        iterations=iterations,
        pricing_passes=passes,
        candidate_pairs=len(candidates.rows),
        pairs_priced=pricing.priced,
        max_reduced_profit=float(bound),
        scale=weights.scale,
    )
    return assignment, candidates.scores[chosen], certificate


def _shifted_bound(left_out: _LeftOut, new: flow.BMatching, old: flow.BMatching) -> int:
    """Upper bound on the reduced profit, under the new duals, of left-out pairs.

    A left-out pair (i, j) had reduced profit at most ``min(rows[i],
    cols[j])``; now it has that minus ``du[i] + dv[j]``. A mentee is *open*
    if its bound is still positive against the smallest ``dv``, a mentor if
    its bound is against the smallest ``du``; only pairs open on both sides
    can be positive, and they are bounded pair by pair.
    """
    du, dv = new.u - old.u, new.v - old.v
    none = np.iinfo(np.int64).min
    by_row = np.where(left_out.rows > none, left_out.rows - du - dv.min(initial=0), none)
    by_col = np.where(left_out.cols > none, left_out.cols - dv - du.min(initial=0), none)
    open_rows, open_cols = np.nonzero(by_row > 0)[0], np.nonzero(by_col > 0)[0]
    # Every left-out pair is bounded by both its row's and its column's value.
    overall = min(int(by_row.max(initial=none)), int(by_col.max(initial=none)))
    if overall <= 0 or len(open_rows) * len(open_cols) > _MAX_OPEN_PAIRS:
        return overall
    both = np.minimum(left_out.rows[open_rows][:, None], left_out.cols[open_cols][None, :])
    shifted = both - du[open_rows][:, None] - dv[open_cols][None, :]
    # A pair with a closed side is only known to be <= 0.
    return max(int(shifted.max()), 0)


def _solve_candidates(market: Market, candidates: _Candidates, weights: _Weights) -> flow.BMatching:
    """Optimal b-matching of the candidate graph; ``matched`` indexes candidates.

    Pairs of weight 0 or less are left out: they can only tie with leaving the
    mentee unmatched, and optimal mode promises never to use them.
    """
    w = weights.of(candidates.scores)
    useful = w > 0
    solution = flow.max_weight_b_matching(
        rows=candidates.rows[useful],
        cols=candidates.cols[useful],
        weights=w[useful],
        n_rows=market.n,
        capacity=market.capacity,
    )
    matched = np.zeros(len(w), dtype=np.bool_)
    matched[useful] = solution.matched
    return dataclasses.replace(solution, matched=matched)


@dataclass(frozen=True)
class _Pricing:
    """Near pairs (reduced profit > -margin) found by one pass, and its maximum."""

    rows: IntArray
    cols: IntArray
    scores: FloatArray
    priced: int
    max_reduced_profit: float
    left_out: _LeftOut  # bounds for the eligible pairs not returned


# Each mentor's best mentees join the first candidate graph too,
# top_k // _MENTOR_SHARE of them per seat: a mentor nobody ranks in their
# top_k is otherwise missing, and a pricing pass would have to find it.
_MENTOR_SHARE = 4


def _max_seats(market: Market) -> int:
    return int(market.capacity.max(initial=0))


# How close to violating (in weight units, as a share of the score span) a
# pair must be to join the candidate graph with the violators; see
# _price_and_solve.
_NEAR_MARGIN = 0.1
# Beyond this many near pairs, keep only the most violating per mentee.
_MAX_NEAR = 2_000_000
# Largest open-mentee x open-mentor table _shifted_bound checks pair by pair.
_MAX_OPEN_PAIRS = 4_000_000

# Relative slack of the float pre-filter in _price. Float32 sums are off by
# ~1e-7 relative, so 1e-5 never hides a pair that the exact check would flag.
_FILTER_SLACK = 1e-5


def _price(market: Market, weights: _Weights, u: IntArray, v: IntArray, *, margin: int) -> _Pricing:
    """Check ``weight - u - v <= 0`` on every eligible pair.

    A pair can only come within ``margin`` of violating if
    ``score >= (u - bonus + v + 0.5 - margin) / scale``.
    That bound is tested for all pairs in the block's own float dtype, with a
    safety slack, and the few pairs passing it are checked exactly in int64.
    Matched pairs (reduced profit 0) always pass the filter, so the reported
    maximum is exact. For the pairs not returned, the largest reduced profit
    per mentee and per mentor is bounded from above (``_LeftOut``).
    """
    row_bar = (u - weights.bonus + 0.5 - margin) / weights.scale
    col_bar = v / weights.scale
    # Each term is lowered by a slack relative to its own size: float32
    # rounding of a sum is relative to the terms, not to the result.
    row_bar -= _FILTER_SLACK * (np.abs(row_bar) + 1)
    col_bar -= _FILTER_SLACK * (np.abs(col_bar) + 1)
    found: list[tuple[IntArray, IntArray, FloatArray, IntArray]] = []
    left_out = _LeftOut.empty(market.n, market.m)
    priced = 0
    best = -math.inf
    for chunk in market.pairs():
        eligible = chunk.eligible
        if weights.floor > -math.inf:
            eligible = eligible & (chunk.scores >= weights.floor)
        dtype = chunk.scores.dtype
        bar = row_bar[chunk.rows].astype(dtype)[:, None] + col_bar[chunk.cols].astype(dtype)
        gap = chunk.scores - bar
        near = gap >= 0
        near &= eligible
        priced += int(np.count_nonzero(eligible))
        left_out.add_gaps(chunk.rows, chunk.cols, np.where(eligible & ~near, gap, -np.inf))
        r, c = np.nonzero(near)
        if len(r) == 0:
            continue
        scores = chunk.scores[r, c].astype(np.float64)
        rows, cols = chunk.rows[r], chunk.cols[c]
        reduced = weights.of(scores) - u[rows] - v[cols]
        best = max(best, float(reduced.max()))
        near_ = reduced > -margin
        found.append((rows[near_], cols[near_], scores[near_], reduced[near_]))
        left_out.add_exact(rows[~near_], cols[~near_], reduced[~near_])
    left_out.finish(scale=weights.scale, margin=margin)
    return _near_pairs(found, priced=priced, best=best, left_out=left_out)


@dataclass
class _LeftOut:
    """Upper bounds on the reduced profit of the pairs a pricing pass left out.

    ``rows[i]`` bounds every left-out pair of mentee ``i``, ``cols[j]`` every
    left-out pair of mentor ``j`` (int64 weight units; the minimum int64 when
    there is none). While a pass runs, ``row_gap`` / ``col_gap`` collect the
    largest float gap ``score - bar`` of pairs that failed the filter; they are
    turned into weight units by :meth:`finish`.
    """

    rows: IntArray
    cols: IntArray
    row_gap: FloatArray
    col_gap: FloatArray

    @classmethod
    def empty(cls, n: int, m: int) -> _LeftOut:
        none = np.iinfo(np.int64).min
        return cls(
            rows=np.full(n, none, dtype=np.int64),
            cols=np.full(m, none, dtype=np.int64),
            row_gap=np.full(n, -np.inf),
            col_gap=np.full(m, -np.inf),
        )

    def add_gaps(self, rows: IntArray, cols: IntArray, gaps: npt.NDArray[np.floating]) -> None:
        if gaps.size:
            np.maximum.at(self.row_gap, rows, gaps.max(axis=1))
            np.maximum.at(self.col_gap, cols, gaps.max(axis=0))

    def add_exact(self, rows: IntArray, cols: IntArray, reduced: IntArray) -> None:
        np.maximum.at(self.rows, rows, reduced)
        np.maximum.at(self.cols, cols, reduced)

    def finish(self, *, scale: float, margin: int) -> None:
        """Fold the float gaps in as weight-unit bounds.

        A pair that failed the filter has ``score - true_bar <= gap - margin /
        scale`` (the bar's slack covers its own rounding), and the float32
        subtraction is off by at most 1e-7 of ``gap``, so its reduced profit
        is at most ``scale * gap * (1 - 1e-6) - margin + 1`` (the 1 for
        rounding the weight); 1 more absorbs the float64 product's rounding.
        """
        for exact, gap in ((self.rows, self.row_gap), (self.cols, self.col_gap)):
            seen = np.isfinite(gap)
            bound = np.ceil(scale * gap[seen] * (1 - 1e-6) - margin + 2).astype(np.int64)
            exact[seen] = np.maximum(exact[seen], bound)


def _near_pairs(
    found: list[tuple[IntArray, IntArray, FloatArray, IntArray]],
    *,
    priced: int,
    best: float,
    left_out: _LeftOut,
) -> _Pricing:
    """All near pairs, or, past ``_MAX_NEAR``, the most violating ones per mentee.

    Near pairs that are cut count as left out.
    """
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return _Pricing(empty, empty, np.zeros(0), priced, best, left_out)
    rows, cols, scores, reduced = (np.concatenate(part) for part in zip(*found, strict=True))
    if len(rows) <= _MAX_NEAR:
        return _Pricing(rows, cols, scores, priced, best, left_out)
    per_row = max(1, _MAX_NEAR // len(np.unique(rows)))
    order = np.lexsort((cols, -reduced, rows))
    rows, cols, scores, reduced = rows[order], cols[order], scores[order], reduced[order]
    starts = np.ones(len(rows), dtype=np.bool_)
    np.not_equal(rows[1:], rows[:-1], out=starts[1:])
    first = np.maximum.accumulate(np.where(starts, np.arange(len(rows)), 0))
    keep = np.arange(len(rows)) - first < per_row
    left_out.add_exact(rows[~keep], cols[~keep], reduced[~keep])
    return _Pricing(rows[keep], cols[keep], scores[keep], priced, best, left_out)
