"""Stable mode: mentee-proposing deferred acceptance with mentor capacities.

Preferences, made strict by a fixed tie-break:

* a mentee ranks its eligible mentors by ``scores`` descending, ties to the
  lower mentor index; every eligible mentor is acceptable, whatever its score;
* a mentor ranks mentees by ``mentor_scores`` (``scores`` if the source has
  none) descending, ties to the lower mentee index.

With strict preferences the mentee-optimal stable assignment is unique, and
proposing in rounds (all free mentees at once) reaches it like one-at-a-time
Gale-Shapley does. Each round is a few sorts over the current proposals and
the seats they compete for, so there is no Python loop over mentees or pairs.
A mentee also skips, without proposing, mentors that are full of mentees
they prefer: they would reject it now and at any later point.

Mentee lists start as each mentee's ``top_k`` best mentors; a mentee rejected
by all of them gets the rest of its list, from the eligible pairs kept in
memory during the first pass or, for very large markets, from another pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from guildhouse.matching.flow import segments
from guildhouse.matching.market import BoolArray, FloatArray, IntArray, Market, collect_top_k
from guildhouse.matching.solve import StableCertificate


@dataclass
class _Lists:
    """All mentees' preference lists in one flat array, a segment per mentee."""

    cols: IntArray
    scores: FloatArray
    mentor_scores: FloatArray
    next: IntArray  # next position to propose to, per mentee
    end: IntArray
    # Entries scoring at most bound[i] are not loaded yet (-inf: list complete).
    bound: FloatArray

    def append(
        self, rows: IntArray, cols: IntArray, scores: FloatArray, mentor_scores: FloatArray
    ) -> None:
        """Add sorted segments for ``rows`` (whose old segments are used up)."""
        order = np.lexsort((cols, -scores, rows))
        rows = rows[order]
        base = len(self.cols)
        self.cols = np.concatenate([self.cols, cols[order]])
        self.scores = np.concatenate([self.scores, scores[order]])
        self.mentor_scores = np.concatenate([self.mentor_scores, mentor_scores[order]])
        uniq, first, counts = np.unique(rows, return_index=True, return_counts=True)
        self.next[uniq] = base + first
        self.end[uniq] = base + first + counts


# Up to this many eligible pairs, the first pass keeps them all in memory
# (32 bytes a pair: 128 MB at most) and refills never go back to the source.
_KEEP_ALL = 4_000_000

Pairs = tuple[IntArray, IntArray, FloatArray, FloatArray]


class _Reserve:
    """Every eligible pair, grouped by mentee, for refills without a pass."""

    def __init__(self, pairs: Pairs, n: int) -> None:
        rows, cols, scores, mentor_scores = pairs
        # Grouping only needs a stable sort by mentee; numpy radix-sorts
        # 16-bit integers, much faster than its merge sort on int64.
        keys = rows.astype(np.uint16) if n <= np.iinfo(np.uint16).max else rows
        order = np.argsort(keys, kind="stable")
        self.rows, self.cols = rows[order], cols[order]
        self.scores, self.mentor_scores = scores[order], mentor_scores[order]
        self.indptr = np.searchsorted(self.rows, np.arange(n + 1))

    def of(self, mentees: IntArray) -> Pairs:
        at = segments(self.indptr, mentees)
        return self.rows[at], self.cols[at], self.scores[at], self.mentor_scores[at]


def _initial_lists(market: Market, top_k: int) -> tuple[_Lists, _Reserve | None]:
    top = collect_top_k(market, k=top_k, positive_only=False, keep_all=_KEEP_ALL)
    # argpartition keeps an arbitrary subset of entries tied at the k-th
    # score, so drop that score entirely; those entries arrive with the rest
    # of the list, correctly ordered, if the mentee ever gets that far.
    kth = np.where(top.cols >= 0, top.scores, np.inf).min(axis=1)
    bound = np.where(top.n_eligible > top_k, kth, -np.inf)
    rows, cols, scores, mentor_scores = top.pairs()
    keep = scores > bound[rows]
    empty = np.zeros(market.n, dtype=np.int64)
    lists = _Lists(
        cols=np.zeros(0, np.int64),
        scores=np.zeros(0),
        mentor_scores=np.zeros(0),
        next=empty,
        end=empty.copy(),
        bound=bound,
    )
    lists.append(rows[keep], cols[keep], scores[keep], mentor_scores[keep])
    reserve = None if top.everything is None else _Reserve(top.everything, market.n)
    return lists, reserve


def _refill(market: Market, lists: _Lists, needy: IntArray, reserve: _Reserve | None) -> None:
    """Load the rest of the lists of mentees in ``needy`` (a pass, or from memory)."""
    found: list[Pairs] = []
    if reserve is not None:
        found.append(reserve.of(needy))
    else:
        wanted = np.zeros(market.n, dtype=np.bool_)
        wanted[needy] = True
        for chunk in market.pairs():
            sel = wanted[chunk.rows]
            if not sel.any():
                continue
            r, c = np.nonzero(chunk.eligible[sel])
            scores = chunk.scores[sel][r, c].astype(np.float64)
            mentor_scores = chunk.mentor_scores[sel][r, c].astype(np.float64)
            found.append((chunk.rows[sel][r], chunk.cols[c], scores, mentor_scores))
    lists.next[needy] = lists.end[needy]  # an empty remainder stays empty
    if not found:
        lists.bound[needy] = -np.inf
        return
    rows, cols, scores, mentor_scores = (
        np.concatenate(parts) for parts in zip(*found, strict=True)
    )
    rest = scores <= lists.bound[rows]
    lists.bound[needy] = -np.inf
    lists.append(rows[rest], cols[rest], scores[rest], mentor_scores[rest])


# How far down its list a free mentee looks, per round, for a mentor that
# would not reject it outright.
_LOOKAHEAD = 8


@dataclass
class _Seats:
    """What each mentor holds: how many, and its worst held mentee.

    A mentor's worst held mentee only improves during deferred acceptance, so
    a proposal it would reject now it would reject at any later point too;
    mentees skip such mentors without proposing.
    """

    load: IntArray
    worst_key: FloatArray
    worst_who: IntArray

    def would_take(
        self, market: Market, mentors: IntArray, keys: FloatArray, who: IntArray
    ) -> BoolArray:
        wk, ww = self.worst_key[mentors], self.worst_who[mentors]
        better = (keys > wk) | ((keys == wk) & (who < ww))
        full = self.load[mentors] >= market.capacity[mentors]
        takes: BoolArray = ~full | better
        return takes


def deferred_acceptance(
    market: Market, *, top_k: int
) -> tuple[IntArray, FloatArray, StableCertificate]:
    """The mentee-optimal stable assignment (locked pairs added) and its pair scores."""
    lists, reserve = _initial_lists(market, top_k)
    held = np.full(market.n, -1, dtype=np.int64)
    held_at = np.full(market.n, -1, dtype=np.int64)  # list position of the held proposal
    seats = _Seats(
        load=np.zeros(market.m, dtype=np.int64),
        worst_key=np.full(market.m, -np.inf),
        worst_who=np.zeros(market.m, dtype=np.int64),
    )
    rounds = proposals = refills = 0
    while True:
        free = market.active & (held < 0)
        looking = np.nonzero(free & (lists.next < lists.end))[0]
        if len(looking) == 0:
            needy = np.nonzero(free & (lists.bound > -np.inf))[0]
            if len(needy) == 0:
                break
            _refill(market, lists, needy, reserve)
            refills += 1
            continue
        rounds += 1
        proposing, at = _next_proposals(market, lists, seats, looking)
        proposals += len(proposing)
        if len(proposing):
            _round(market, lists, seats, held, held_at, proposing, at)
    assignment = market.assignment_with_locked()
    matched = held >= 0
    assignment[matched] = held[matched]
    certificate = StableCertificate(rounds=rounds, proposals=proposals, refills=refills)
    return assignment, lists.scores[held_at[matched]], certificate


def _next_proposals(
    market: Market, lists: _Lists, seats: _Seats, looking: IntArray
) -> tuple[IntArray, IntArray]:
    """Each looking mentee's next proposal within the lookahead, if any.

    Mentors that would reject the mentee are skipped (the list pointer moves
    past them); a mentee whose whole lookahead would reject it proposes
    nowhere this round.
    """
    at = lists.next[looking][:, None] + np.arange(_LOOKAHEAD)
    valid = at < lists.end[looking][:, None]
    at = np.where(valid, at, 0)
    who = np.broadcast_to(looking[:, None], at.shape)
    ok = valid & seats.would_take(market, lists.cols[at], lists.mentor_scores[at], who)
    found = ok.any(axis=1)
    first = np.argmax(ok, axis=1)
    step = np.where(found, first + 1, valid.sum(axis=1))
    lists.next[looking] += step
    return looking[found], at[found, first[found]]


def _round(
    market: Market,
    lists: _Lists,
    seats: _Seats,
    held: IntArray,
    held_at: IntArray,
    mentees: IntArray,
    at: IntArray,
) -> None:
    """Each mentor keeps its best ``capacity`` of current holds plus proposals."""
    asked = np.zeros(market.m, dtype=np.bool_)
    asked[lists.cols[at]] = True
    holders = np.nonzero((held >= 0) & asked[np.maximum(held, 0)])[0]
    who = np.concatenate([holders, mentees])
    pos = np.concatenate([held_at[holders], at])
    where = lists.cols[pos]
    key = lists.mentor_scores[pos]
    order = np.lexsort((who, -key, where))
    who, where, pos, key = who[order], where[order], pos[order], key[order]
    position = np.arange(len(where))
    starts = np.ones(len(where), dtype=np.bool_)
    np.not_equal(where[1:], where[:-1], out=starts[1:])
    rank = position - np.maximum.accumulate(np.where(starts, position, 0))
    capacity = market.capacity[where]
    accepted = rank < capacity
    held[who] = np.where(accepted, where, -1)
    held_at[who] = np.where(accepted, pos, -1)
    np.maximum.at(seats.load, where[accepted], rank[accepted] + 1)
    last = rank == capacity - 1  # the worst mentee a now-full mentor keeps
    seats.worst_key[where[last]] = key[last]
    seats.worst_who[where[last]] = who[last]


def blocking_pairs(market: Market, assignment: IntArray) -> int:
    """Count pairs that would both rather be together than where they are.

    Uses raw score comparisons (a tie is not a reason to block), among the
    market's eligible pairs and active mentees; mentor capacity is what the
    locked pairs leave. Two passes over the source.
    """
    own = np.full(market.n, -np.inf)  # mentee's score for its current mentor
    own_key = np.full(market.n, np.nan)  # mentor's score for that mentee
    pos = np.full(market.m, -1, dtype=np.int64)
    for chunk in market.pairs():
        mentors = assignment[chunk.rows]
        pos[chunk.cols] = np.arange(len(chunk.cols))
        local = np.where(mentors >= 0, pos[np.maximum(mentors, 0)], -1)
        pos[chunk.cols] = -1
        hit = np.nonzero((local >= 0) & market.active[chunk.rows])[0]
        own[chunk.rows[hit]] = chunk.scores[hit, local[hit]].astype(np.float64)
        own_key[chunk.rows[hit]] = chunk.mentor_scores[hit, local[hit]].astype(np.float64)
    holders = np.nonzero(market.active & (assignment >= 0))[0]
    load = np.bincount(assignment[holders], minlength=market.m)
    worst = np.full(market.m, np.inf)
    np.minimum.at(worst, assignment[holders], own_key[holders])
    # A mentor with a free seat accepts anyone eligible.
    worst[load < market.capacity] = -np.inf
    count = 0
    for chunk in market.pairs():
        blocking = (
            chunk.eligible
            & (chunk.scores > own[chunk.rows][:, None])
            & (chunk.mentor_scores > worst[chunk.cols][None, :])
        )
        count += int(blocking.sum())
    return count
