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
best mentors) and then prove that the pruning lost nothing: the candidate
solution comes with LP duals ``u`` (mentee) and ``v`` (mentor), and one pass
over every allowed pair checks ``weight - u - v <= 0``. Violating pairs join
the candidate graph and it is solved again, until the check passes.

Scores are turned into int64 weights ``round(score * scale)`` for OR-Tools.
``scale`` is the largest that OR-Tools accepts without overflow for this
graph size (about 1e12 for scores in [0, 1] at 10,000 mentees), so each pair
is off by at most ``0.5 / scale`` and the total by ``matched * 0.5 / scale``:
far below 1e-9 relative for any realistic score range. The check above is
exact in those integer weights, so the result is a proven optimum of the
rounded problem.
"""

from __future__ import annotations

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
# Reduced profit given to ineligible pairs: far below any real one, and safe
# to negate (np.iinfo(np.int64).min is not).
_NOT_ELIGIBLE = -(2**62)


class Mode(StrEnum):
    OPTIMAL = "optimal"  # maximum total score
    PARTICIPATION = "participation"  # most mentees matched, then maximum total score
    FAIR = "fair"  # most matched, then the best worst pair, then maximum total
    STABLE = "stable"  # mentee-optimal stable assignment (deferred acceptance)


@dataclass(frozen=True)
class Certificate:
    """Evidence that an exact mode's result is optimal.

    ``max_reduced_profit`` is the largest ``weight - u - v`` over *every*
    eligible pair in the final pricing pass, in weight units; ``<= 0`` proves
    optimality (LP duality). ``iterations`` counts candidate-graph solves,
    ``candidate_pairs`` the final graph size, ``pairs_priced`` the eligible
    pairs checked in the final pass. ``threshold`` is the proven best worst
    pair score in fair mode.
    """

    iterations: int
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
    start = time.perf_counter()
    market = Market(source, capacity, locked=locked, excluded=excluded)
    certificate: Certificate | StableCertificate
    if mode is Mode.STABLE:
        from guildhouse.matching.stable import deferred_acceptance

        assignment, certificate = deferred_acceptance(market, top_k=top_k)
    else:
        assignment, certificate = _solve_exact(market, mode=Mode(mode), top_k=top_k)
    market.check_locked_allowed()
    total = _total_score(market, assignment)
    return Result(
        mode=Mode(mode),
        assignment=assignment,
        total_score=total,
        matched=int((assignment >= 0).sum()),
        seconds=time.perf_counter() - start,
        certificate=certificate,
    )


def _total_score(market: Market, assignment: IntArray) -> float:
    """Sum of the chosen pairs' scores, read back from the source."""
    total = 0.0
    pos = np.full(market.m, -1, dtype=np.int64)
    for block in market.source.blocks():
        mentors = assignment[block.rows]
        pos[block.cols] = np.arange(len(block.cols))
        local = np.where(mentors >= 0, pos[np.maximum(mentors, 0)], -1)
        pos[block.cols] = -1
        hit = local >= 0
        if hit.any():
            total += float(
                np.asarray(block.scores, np.float64)[np.nonzero(hit)[0], local[hit]].sum()
            )
    return total


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

    def of(self, scores: FloatArray) -> IntArray:
        return self.bonus + np.rint(scores * self.scale).astype(np.int64)


def _weights(market: Market, *, mode: Mode, low: float, high: float) -> _Weights:
    limit = flow.max_weight(n_nodes=market.n + market.m)
    if not math.isfinite(low):
        return _Weights(scale=1.0, bonus=0, floor=-math.inf)
    if mode is Mode.OPTIMAL:
        scale = limit / (max(abs(high), abs(low)) or 1.0)
        return _Weights(scale=scale, bonus=0, floor=-math.inf)
    # bonus = (pairs + 1) * span + |min| + 1 must stay below the limit.
    pairs = min(int(market.active.sum()), int(market.capacity.sum()))
    span = max(high - low, abs(low), abs(high)) or 1.0
    scale = limit / ((pairs + 4) * span)
    lo, hi = round(low * scale), round(high * scale)
    bonus = (pairs + 1) * (hi - lo) + abs(lo) + 1
    return _Weights(scale=scale, bonus=bonus, floor=-math.inf)


@dataclass
class _Candidates:
    rows: IntArray
    cols: IntArray
    scores: FloatArray

    def add(self, rows: IntArray, cols: IntArray, scores: FloatArray) -> None:
        self.rows = np.concatenate([self.rows, rows])
        self.cols = np.concatenate([self.cols, cols])
        self.scores = np.concatenate([self.scores, scores])

    def where(self, keep: npt.NDArray[np.bool_]) -> _Candidates:
        return _Candidates(self.rows[keep], self.cols[keep], self.scores[keep])


def _solve_exact(market: Market, *, mode: Mode, top_k: int) -> tuple[IntArray, Certificate]:
    top = collect_top_k(market, k=top_k, positive_only=mode is Mode.OPTIMAL)
    rows, cols, scores, _ = top.pairs()
    candidates = _Candidates(rows, cols, scores)
    weights = _weights(market, mode=mode, low=top.low, high=top.high)
    assignment, certificate = _price_and_solve(market, candidates, weights, top_k=top_k)
    if mode is Mode.FAIR and certificate.candidate_pairs:
        from guildhouse.matching.fair import best_threshold

        matched = assignment >= 0
        matched[market.locked[:, 0]] = False
        size = int(matched.sum())
        floor = best_threshold(market, candidates, size=size, top_k=top_k)
        fair_weights = _Weights(weights.scale, weights.bonus, floor)
        assignment, certificate = _price_and_solve(
            market, candidates.where(candidates.scores >= floor), fair_weights, top_k=top_k
        )
        certificate = Certificate(**{**certificate.__dict__, "threshold": floor})
    return assignment, certificate


def _price_and_solve(
    market: Market, candidates: _Candidates, weights: _Weights, *, top_k: int
) -> tuple[IntArray, Certificate]:
    """Solve on the candidates, price every pair, repeat until nothing violates.

    ``candidates`` grows in place with the pairs that had to be added.
    """
    iterations = 0
    while True:
        iterations += 1
        solution = flow.max_weight_b_matching(
            rows=candidates.rows,
            cols=candidates.cols,
            weights=weights.of(candidates.scores),
            n_rows=market.n,
            capacity=market.capacity,
        )
        pricing = _price(market, weights, solution.u, solution.v, per_row=top_k)
        if len(pricing.rows) == 0:
            break
        candidates.add(pricing.rows, pricing.cols, pricing.scores)
    assignment = market.assignment_with_locked()
    chosen = solution.matched
    assignment[candidates.rows[chosen]] = candidates.cols[chosen]
    return assignment, Certificate(
        iterations=iterations,
        candidate_pairs=len(candidates.rows),
        pairs_priced=pricing.priced,
        max_reduced_profit=pricing.max_reduced_profit,
        scale=weights.scale,
    )


@dataclass(frozen=True)
class _Pricing:
    rows: IntArray
    cols: IntArray
    scores: FloatArray
    priced: int
    max_reduced_profit: float


def _price(
    market: Market, weights: _Weights, u: IntArray, v: IntArray, *, per_row: int
) -> _Pricing:
    """Scan every eligible pair for ``weight - u - v > 0``.

    Returns at most ``per_row`` violating pairs per mentee and block (the most
    violating ones), enough to make progress without flooding the graph.
    """
    found_r: list[IntArray] = []
    found_c: list[IntArray] = []
    found_s: list[FloatArray] = []
    priced = 0
    best = -math.inf
    for chunk in market.pairs():
        eligible = chunk.eligible & (chunk.scores >= weights.floor)
        count = int(eligible.sum())
        if count == 0:
            continue
        priced += count
        reduced = weights.of(chunk.scores) - u[chunk.rows][:, None] - v[chunk.cols][None, :]
        reduced = np.where(eligible, reduced, _NOT_ELIGIBLE)
        best = max(best, float(reduced.max()))
        violating = reduced > 0
        if not violating.any():
            continue
        if per_row < reduced.shape[1]:
            top = np.argpartition(-reduced, per_row - 1, axis=1)[:, :per_row]
            keep = np.zeros_like(violating)
            np.put_along_axis(keep, top, True, axis=1)
            violating &= keep
        r, c = np.nonzero(violating)
        found_r.append(chunk.rows[r])
        found_c.append(chunk.cols[c])
        found_s.append(chunk.scores[r, c])
    empty_i = np.zeros(0, dtype=np.int64)
    return _Pricing(
        rows=np.concatenate(found_r) if found_r else empty_i,
        cols=np.concatenate(found_c) if found_c else empty_i,
        scores=np.concatenate(found_s) if found_s else np.zeros(0),
        priced=priced,
        max_reduced_profit=best,
    )
