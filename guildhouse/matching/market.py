"""The market the solvers see: a score source minus locked and excluded pairs.

Locked pairs (a coordinator's decision) take their mentee out of the market
and use up one seat of their mentor. Excluded pairs are removed from the
allowed mask. :meth:`Market.pairs` streams the remaining *eligible* pairs
block by block (and records the locked pairs' scores on the way), and
:func:`collect_top_k` makes the first pass every mode starts with: each
mentee's best ``k`` eligible mentors, optionally each mentor's best mentees
and every eligible pair, plus the score range.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from guildhouse.matching.source import ScoreSource

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Chunk:
    """One block, restricted to the market.

    Scores keep the source's float dtype (often float32): converting whole
    blocks to float64 costs more than the pricing arithmetic. Callers convert
    the entries they keep.
    """

    rows: IntArray
    cols: IntArray
    scores: npt.NDArray[np.floating]
    eligible: BoolArray
    mentor_scores: npt.NDArray[np.floating]


def _pair_array(pairs: Sequence[tuple[int, int]], name: str) -> IntArray:
    arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if len(arr) != len({(int(a), int(b)) for a, b in arr}):
        raise ValueError(f"{name} pairs contain duplicates")
    return arr


class Market:
    """Capacities, locked and excluded pairs checked against a source."""

    def __init__(
        self,
        source: ScoreSource,
        capacity: npt.ArrayLike,
        *,
        locked: Sequence[tuple[int, int]],
        excluded: Sequence[tuple[int, int]],
    ) -> None:
        self.source = source
        self.n = int(source.n_mentees)
        self.m = int(source.n_mentors)
        cap = np.asarray(capacity)
        if cap.shape != (self.m,):
            raise ValueError(f"capacity must have shape ({self.m},), got {cap.shape}")
        if not np.issubdtype(cap.dtype, np.integer):
            raise ValueError(f"capacity must be integers, got dtype {cap.dtype}")
        if (cap < 0).any():
            raise ValueError(
                f"capacity must be non-negative; mentor {int(np.argmin(cap))} has {int(cap.min())}"
            )
        self.locked = _pair_array(locked, "locked")
        self.excluded = _pair_array(excluded, "excluded")
        for name, arr in (("locked", self.locked), ("excluded", self.excluded)):
            bad = (arr[:, 0] < 0) | (arr[:, 0] >= self.n) | (arr[:, 1] < 0) | (arr[:, 1] >= self.m)
            if bad.any():
                i, j = arr[np.argmax(bad)]
                raise ValueError(f"{name} pair ({i}, {j}) is out of range")
        self._check_locked(cap.astype(np.int64))
        self.capacity = cap.astype(np.int64) - np.bincount(self.locked[:, 1], minlength=self.m)
        self.active = np.ones(self.n, dtype=np.bool_)
        self.active[self.locked[:, 0]] = False
        self.locked_scores = np.full(len(self.locked), np.nan)
        self._row_pos = np.full(self.n, -1, dtype=np.int64)
        self._col_pos = np.full(self.m, -1, dtype=np.int64)

    def _check_locked(self, cap: IntArray) -> None:
        mentees, counts = np.unique(self.locked[:, 0], return_counts=True)
        if (counts > 1).any():
            raise ValueError(
                f"mentee {int(mentees[np.argmax(counts > 1)])} is locked to two mentors"
            )
        over = np.bincount(self.locked[:, 1], minlength=self.m) > cap
        if over.any():
            j = int(np.argmax(over))
            raise ValueError(f"locked pairs exceed the capacity {int(cap[j])} of mentor {j}")
        both = {(int(a), int(b)) for a, b in self.locked} & {
            (int(a), int(b)) for a, b in self.excluded
        }
        if both:
            i, j = min(both)
            raise ValueError(f"pair ({i}, {j}) is both locked and excluded")

    def assignment_with_locked(self) -> IntArray:
        assignment = np.full(self.n, -1, dtype=np.int64)
        assignment[self.locked[:, 0]] = self.locked[:, 1]
        return assignment

    def pairs(self) -> Iterator[Chunk]:
        """Every block of the source, with the eligible mask applied."""
        for block in self.source.blocks():
            rows = np.asarray(block.rows, dtype=np.int64)
            cols = np.asarray(block.cols, dtype=np.int64)
            scores = np.asarray(block.scores)
            allowed = np.asarray(block.allowed, dtype=np.bool_)
            eligible = allowed & self.active[rows][:, None] & (self.capacity[cols] > 0)[None, :]
            self._row_pos[rows] = np.arange(len(rows))
            self._col_pos[cols] = np.arange(len(cols))
            try:
                self._drop(eligible, self.excluded)
                self._record_locked(allowed, scores)
            finally:
                self._row_pos[rows] = -1
                self._col_pos[cols] = -1
            mentor_scores = (
                scores if block.mentor_scores is None else np.asarray(block.mentor_scores)
            )
            yield Chunk(rows, cols, scores, eligible, mentor_scores)

    def _local(self, pairs: IntArray) -> tuple[IntArray, IntArray, BoolArray]:
        r = self._row_pos[pairs[:, 0]]
        c = self._col_pos[pairs[:, 1]]
        return r, c, (r >= 0) & (c >= 0)

    def _drop(self, eligible: BoolArray, pairs: IntArray) -> None:
        r, c, inside = self._local(pairs)
        eligible[r[inside], c[inside]] = False

    def _record_locked(self, allowed: BoolArray, scores: npt.NDArray[np.floating]) -> None:
        r, c, inside = self._local(self.locked)
        ok = np.zeros(len(self.locked), dtype=np.bool_)
        ok[inside] = allowed[r[inside], c[inside]]
        self.locked_scores[ok] = scores[r[ok], c[ok]].astype(np.float64)

    def check_locked_allowed(self) -> None:
        """Raise if a locked pair was in no block's allowed mask (call after a pass)."""
        missing = np.isnan(self.locked_scores)
        if missing.any():
            i, j = self.locked[np.argmax(missing)]
            raise ValueError(f"locked pair ({i}, {j}) is not an allowed pair")


@dataclass(frozen=True)
class TopK:
    """Each mentee's best ``k`` eligible mentors, from one pass over the market.

    ``cols[i]`` / ``scores[i]`` hold them in no particular order, padded with
    -1 / -inf. ``n_eligible[i]`` counts all eligible mentors of mentee ``i``.
    ``low`` is the lowest eligible score, ``high`` the highest kept one
    (``nan`` if none).
    """

    cols: IntArray
    scores: FloatArray
    mentor_scores: FloatArray
    n_eligible: IntArray
    low: float
    high: float
    # Every eligible (row, col, score, mentor score), when there were at most
    # ``keep_all`` of them; None otherwise.
    everything: tuple[IntArray, IntArray, FloatArray, FloatArray] | None = None
    # Each mentor's best kept mentees as flat (rows, cols, scores), if asked.
    by_mentor: tuple[IntArray, IntArray, FloatArray] | None = None

    def pairs(self) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
        """Flat (rows, cols, scores, mentor_scores) of the kept entries."""
        rows, slot = np.nonzero(self.cols >= 0)
        return (
            rows.astype(np.int64),
            self.cols[rows, slot],
            self.scores[rows, slot],
            (self.mentor_scores[rows, slot]),
        )


def collect_top_k(
    market: Market, *, k: int, positive_only: bool, keep_all: int = 0, mentor_k: int = 0
) -> TopK:
    """One pass: per-mentee top-``k`` eligible pairs (by score) and the score range.

    With ``positive_only`` only pairs scoring above 0 are kept (they are the
    only ones the optimal mode can use); the range still covers all eligible
    pairs. With ``keep_all`` > 0, all eligible pairs are also returned when
    there are no more than that many (memory stays bounded by it). With
    ``mentor_k`` > 0, each mentor's best ``mentor_k`` mentees are collected too
    (``TopK.by_mentor``).
    """
    by_mentor_r = np.full((market.m, max(mentor_k, 1)), -1, dtype=np.int64)
    by_mentor_s = np.full((market.m, max(mentor_k, 1)), -np.inf)
    kept: list[tuple[IntArray, IntArray, FloatArray, FloatArray]] = []
    n_kept = 0
    best_c = np.full((market.n, k), -1, dtype=np.int64)
    best_s = np.full((market.n, k), -np.inf)
    best_ms = np.full((market.n, k), -np.inf)
    n_eligible = np.zeros(market.n, dtype=np.int64)
    low, high = np.inf, -np.inf
    for chunk in market.pairs():
        if not chunk.eligible.any():
            continue
        keep = chunk.eligible & (chunk.scores > 0) if positive_only else chunk.eligible
        np.add.at(n_eligible, chunk.rows, chunk.eligible.sum(axis=1))
        if n_kept <= keep_all:
            r, c = np.nonzero(chunk.eligible)
            n_kept += len(r)
            if n_kept <= keep_all:
                s = chunk.scores[r, c].astype(np.float64)
                ms = chunk.mentor_scores[r, c].astype(np.float64)
                kept.append((chunk.rows[r], chunk.cols[c], s, ms))
            else:
                kept.clear()
        masked = np.where(chunk.eligible, chunk.scores, np.inf)
        low = min(low, float(masked.min()))
        masked = np.where(keep, chunk.scores, -np.inf)
        high = max(high, float(masked.max()))
        width = min(k, masked.shape[1])
        top = np.argpartition(-masked, width - 1, axis=1)[:, :width]
        top_s = np.take_along_axis(masked, top, axis=1).astype(np.float64)
        top_c = np.where(np.isfinite(top_s), chunk.cols[top], -1)
        top_ms = np.take_along_axis(chunk.mentor_scores, top, axis=1).astype(np.float64)
        _merge(best_c, best_s, best_ms, chunk.rows, top_c, top_s, top_ms)
        if mentor_k:
            by_col = masked.T
            width = min(mentor_k, by_col.shape[1])
            top = np.argpartition(-by_col, width - 1, axis=1)[:, :width]
            top_s = np.take_along_axis(by_col, top, axis=1).astype(np.float64)
            top_r = np.where(np.isfinite(top_s), chunk.rows[top], -1)
            _merge(by_mentor_r, by_mentor_s, None, chunk.cols, top_r, top_s, None)
    if not (np.isfinite(low) and np.isfinite(high)):
        low = high = float("nan")
    everything = None
    if n_kept <= keep_all:
        empty = np.zeros(0, dtype=np.int64)
        parts = kept or [(empty, empty, np.zeros(0), np.zeros(0))]
        r, c, s, ms = (np.concatenate(part) for part in zip(*parts, strict=True))
        everything = (r, c, s, ms)
    by_mentor = None
    if mentor_k:
        cols, slot = np.nonzero(by_mentor_r >= 0)
        by_mentor = (by_mentor_r[cols, slot], cols.astype(np.int64), by_mentor_s[cols, slot])
    return TopK(best_c, best_s, best_ms, n_eligible, float(low), float(high), everything, by_mentor)


def _merge(
    best_c: IntArray,
    best_s: FloatArray,
    best_ms: FloatArray | None,
    rows: IntArray,
    new_c: IntArray,
    new_s: FloatArray,
    new_ms: FloatArray | None,
) -> None:
    """Fold a block's per-row top entries into the running per-row top-k."""
    k = best_c.shape[1]
    all_c = np.concatenate([best_c[rows], new_c], axis=1)
    all_s = np.concatenate([best_s[rows], new_s], axis=1)
    top = np.argpartition(-all_s, k - 1, axis=1)[:, :k]
    best_c[rows] = np.take_along_axis(all_c, top, axis=1)
    best_s[rows] = np.take_along_axis(all_s, top, axis=1)
    if best_ms is not None and new_ms is not None:
        all_ms = np.concatenate([best_ms[rows], new_ms], axis=1)
        best_ms[rows] = np.take_along_axis(all_ms, top, axis=1)
