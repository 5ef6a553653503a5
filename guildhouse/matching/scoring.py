"""From participant profiles to pair scores and the pairs that are allowed at all.

A pair (mentee, mentor) is *allowed* only if every `HardRule` holds. Allowed or not,
every candidate pair gets a *score* in [0, 1]: the weighted average of the soft
`Criterion` values, each in [0, 1], with weights that a programme may set for itself.
A criterion that depends on something a participant left blank (a career goal, a
wish list) is left out of that pair's average instead of counting as 0.

`ProfileScoreSource` streams the score matrix to the solver one block at a time: a
block is the mentees of one programme against the mentors of that programme and of
any allowed partner programme, cut into row chunks of bounded size. Mentors from
other programmes are not candidates and appear in no block. Per-person features are
prepared once, so that a block is three matrix products and a few element-wise
passes, with no Python loop over pairs.

The same numbers are available pair by pair, in float64, for explanations:
`criteria_for_pairs`, `rule_failures_for_pairs` and `hard_rule_failures`.
"""

from __future__ import annotations

import enum
import math
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, fields, replace
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from guildhouse.matching.profiles import STYLE_COMPATIBILITY, Cohort, Preference
from guildhouse.matching.source import Block
from guildhouse.matching.text import DEFAULT_DIM, text_vectors

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

_T = TypeVar("_T", bound=np.generic)
_F = TypeVar("_F", bound=np.floating)

DEFAULT_MAX_BLOCK_PAIRS = 1 << 20
_PAIR_CHUNK = 8192  # pairs per step in the pair-wise functions
WISH_RANKS = 5  # wish rank 1 scores 1.0, each later rank 1/5 less, rank 6 and on 0


class Criterion(enum.StrEnum):
    """Soft criteria, each scored in [0, 1] for a pair."""

    INTERESTS = "interests"  # Jaccard overlap of interest sets
    GOALS = "goals"  # cosine similarity of career-goal texts (only if both wrote one)
    STYLE = "style"  # STYLE_COMPATIBILITY of communication styles
    EXPERIENCE = "experience"  # `experience_fit` of mentor level - mentee level
    LANGUAGE = "language"  # share of the mentee's languages the mentor speaks
    WISHES = "wishes"  # the mentee's own ranking (only if they gave one)


class HardRule(enum.StrEnum):
    """Rules a pair must meet to be allowed, in the order explanations name them."""

    PROGRAMME = "programme"  # same programme, or an allowed cross-programme pair
    AVAILABILITY = "availability"  # at least one weekly slot in common
    SAME_GENDER = "same_gender"  # someone asked for a mentor/mentee of their gender
    SHARED_LANGUAGE = "shared_language"  # someone asked for their home language
    SHARED_BACKGROUND = "shared_background"  # someone asked for a shared background
    CONFLICT = "conflict_of_interest"  # declared by either side
    TRAINING = "training"  # the mentor has not completed mentor training


@dataclass(frozen=True, kw_only=True)
class Weights:
    """How much each criterion counts; non-negative, not all zero."""

    interests: float = 1.0
    goals: float = 1.0
    style: float = 0.5
    experience: float = 1.0
    language: float = 0.5
    wishes: float = 1.5

    def __post_init__(self) -> None:
        values = [getattr(self, f.name) for f in fields(self)]
        if any(not math.isfinite(v) or v < 0 for v in values) or sum(values) <= 0:
            raise ValueError(f"weights must be finite, non-negative and not all zero: {self}")

    def of(self, criterion: Criterion) -> float:
        """The weight of `criterion`."""
        return float(getattr(self, criterion.value))


def experience_fit(gap: npt.ArrayLike) -> F64:
    """Score for a mentor `gap` levels ahead of the mentee.

    One or two levels ahead is ideal (1.0); the same level is a weaker fit (0.5); a
    mentor behind the mentee scores 0; beyond two levels the fit decays by a quarter
    per level (3 ahead: 0.75, 4 ahead: 0.5625), since a distant mentor remembers
    less of the mentee's situation.
    """
    gap_arr = np.asarray(gap, dtype=np.float64)
    decayed = 0.75 ** np.maximum(gap_arr - 2, 0)
    fit = np.where(gap_arr >= 1, np.where(gap_arr <= 2, 1.0, decayed), 0.0)
    return np.where(gap_arr == 0, 0.5, fit)


def wish_score(rank: npt.ArrayLike) -> F64:
    """Score for being at 1-based `rank` on a wish list (0 or less: not on it)."""
    rank_arr = np.asarray(rank, dtype=np.float64)
    score = np.clip(1 - (rank_arr - 1) / WISH_RANKS, 0, 1)
    return np.where(rank_arr >= 1, score, 0.0)


@dataclass(frozen=True)
class _Side:
    """Per-person arrays of one cohort, prepared once for pair computations."""

    programme: npt.NDArray[np.int32]
    availability: npt.NDArray[np.uint32]
    interests: npt.NDArray[np.uint64]  # (n, words)
    n_interests: F32
    goal: F32  # (n, dim), L2-normalised
    has_goal: Bools
    style: npt.NDArray[np.intp]
    level: npt.NDArray[np.intp]  # code into the source's experience table
    languages: npt.NDArray[np.uint64]
    n_languages: F32
    language_target: npt.NDArray[np.uint64]  # what SHARED_LANGUAGE asks the other to speak
    gender: npt.NDArray[np.int8]
    background: npt.NDArray[np.int16]
    requested: npt.NDArray[np.uint8]
    wishes: I64  # (n, k), -1 padded
    has_wishes: Bools
    trained: Bools

    def take(self, index: I64 | slice) -> _Side:
        return _Side(*(getattr(self, f.name)[index] for f in fields(self)))

    def requesting(self, preference: Preference) -> I64:
        return np.flatnonzero(self.requested & np.uint8(preference)).astype(np.int64)


def _side(cohort: Cohort, *, words: int, goal: F32, level_code: npt.NDArray[np.intp]) -> _Side:
    interests = np.zeros((len(cohort), words), dtype=np.uint64)
    interests[:, : cohort.interest_words] = cohort.interests
    home_bit = np.left_shift(np.uint64(1), np.maximum(cohort.home_language, 0).astype(np.uint64))
    return _Side(
        programme=cohort.programme,
        availability=cohort.availability,
        interests=interests,
        n_interests=np.bitwise_count(interests).sum(axis=1, dtype=np.int32).astype(np.float32),
        goal=goal,
        has_goal=np.linalg.norm(goal, axis=1) > 0,
        style=cohort.style.astype(np.intp),
        level=level_code,
        languages=cohort.languages,
        n_languages=np.bitwise_count(cohort.languages).astype(np.float32),
        # Someone who asks for a shared language but gave no home language is
        # content with any of the languages they listed.
        language_target=np.where(cohort.home_language >= 0, home_bit, cohort.languages),
        gender=cohort.gender,
        background=cohort.background,
        requested=cohort.requested,
        wishes=cohort.wishes,
        has_wishes=np.any(cohort.wishes >= 0, axis=1),
        trained=np.ones(len(cohort), dtype=bool) if cohort.trained is None else cohort.trained,
    )


@dataclass(frozen=True)
class _Group:
    """The mentees of one programme and every mentor they may be paired with.

    Everything a block needs is laid out here once, in group order, so that a block
    only slices: the linear criteria (goals, style, experience, language) become two
    matrix products, the interest overlap a third.
    """

    programme: int
    rows: I64  # mentee indices, ascending
    cols: I64  # mentor indices, ascending
    mentees: _Side  # taken at `rows`
    mentors: _Side  # taken at `cols`
    weights: Weights
    mentee_goal: F32  # (rows, dim)
    mentor_goal_t: F32  # (dim, cols), times the goals weight
    mentee_linear: F32  # (rows, k): weighted style, experience and language features
    mentor_linear_t: F32  # (k, cols): the one-hot features they are multiplied with
    mentee_interests: F32  # (rows, v) one-hot over interests some mentor here has
    mentor_interests_t: F32  # (v, cols)
    mentee_interest_count: F32  # at least 0.5, so that a union is never 0
    mentor_interest_count: F32
    mentor_availability: npt.NDArray[np.uint32]  # 0 for untrained mentors
    conflicts: I64  # (k, 2): (position in rows, position in cols)
    mentee_wishes: I64  # (k, 3): (position in rows, position in cols, rank)
    mentor_wishes: I64  # (k, 3): (position in rows, position in cols, rank)


@dataclass(frozen=True)
class PairCriteria:
    """Soft-criterion values for a list of pairs, and which criteria counted.

    `values[c][k]` is criterion `c` for pair k, in [0, 1]; `weights[c][k]` is the
    weight it had in that pair's score (0 when the criterion did not apply);
    `score[k]` is the pair's score: what the blocks report, which are float32 and
    so agree to about 1e-7.
    """

    values: dict[Criterion, F64]
    weights: dict[Criterion, F64]
    score: F64


class ProfileScoreSource:
    """A `ScoreSource` computed from two cohorts, streamed in bounded blocks.

    Blocks come per mentee programme (in ascending programme id), each cut into
    row chunks (and column chunks, if one row of mentors alone would exceed the cap)
    so that no block has more than `max_block_pairs` pairs. Scores are float32 in
    [0, 1]; `mentor_scores` is the same score with the mentor's own wish list in
    place of the mentee's (see `Criterion.WISHES`). Cross-programme pairs are
    unordered: (p, q) lets mentees of p meet mentors of q and vice versa. A pair's
    weights are those of the mentee's programme.
    """

    def __init__(
        self,
        mentees: Cohort,
        mentors: Cohort,
        *,
        weights: Weights | None = None,
        programme_weights: Mapping[int, Weights] | None = None,
        cross_programme: Iterable[tuple[int, int]] = (),
        max_block_pairs: int = DEFAULT_MAX_BLOCK_PAIRS,
        goal_dim: int = DEFAULT_DIM,
        workers: int = 1,
    ) -> None:
        if max_block_pairs < 1:
            raise ValueError("max_block_pairs must be at least 1")
        self.mentee_cohort = mentees
        self.mentor_cohort = mentors
        self.n_mentees = len(mentees)
        self.n_mentors = len(mentors)
        self.weights = weights or Weights()
        self.programme_weights = dict(programme_weights or {})
        self.cross_programme = frozenset(
            pair for p, q in cross_programme for pair in ((p, q), (q, p))
        )
        self.max_block_pairs = max_block_pairs
        self.workers = workers

        goals = text_vectors(mentees.goals + mentors.goals, dim=goal_dim)
        levels, level_code = np.unique(
            np.concatenate([mentees.level, mentors.level]), return_inverse=True
        )
        level_code = level_code.astype(np.intp)
        # experience_fit for every (mentee level, mentor level) code pair; a mentee's
        # row of it is their feature in the blocks' linear product.
        self._experience = experience_fit(levels[None, :] - levels[:, None])
        words = max(mentees.interest_words, mentors.interest_words)
        self._mentees = _side(
            mentees,
            words=words,
            goal=goals[: self.n_mentees],
            level_code=level_code[: self.n_mentees],
        )
        self._mentors = _side(
            mentors,
            words=words,
            goal=goals[self.n_mentees :],
            level_code=level_code[self.n_mentees :],
        )
        # Rule checks never need goal vectors; these views skip gathering them.
        self._mentees_no_goal = replace(self._mentees, goal=self._mentees.goal[:, :0])
        self._mentors_no_goal = replace(self._mentors, goal=self._mentors.goal[:, :0])
        self._conflicts = _conflict_codes(mentees, mentors)
        self._language_bits = np.bitwise_or.reduce(
            np.concatenate([mentees.languages, mentors.languages, np.zeros(1, np.uint64)])
        )
        self._groups = self._make_groups()

    def weights_for(self, programme: int) -> Weights:
        """The weights used for mentees of `programme`."""
        return self.programme_weights.get(programme, self.weights)

    def candidates(self, mentee: int) -> I64:
        """The mentors whose pair with `mentee` appears in a block (allowed or not)."""
        for group in self._groups:
            if group.programme == self._mentees.programme[mentee]:
                return group.cols
        return np.zeros(0, dtype=np.int64)

    # -- streaming ---------------------------------------------------------------

    def blocks(self) -> Iterator[Block]:
        """Every candidate pair exactly once, in the same order on every call.

        With `workers` > 1, up to `workers` blocks are computed ahead on threads
        (numpy releases the GIL), so at most that many extra blocks are in memory.
        """
        spans = list(self._spans())
        if self.workers <= 1:
            for span in spans:
                yield self._block(*span)
            return
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            ahead: deque[Future[Block]] = deque()
            for span in spans:
                ahead.append(pool.submit(self._block, *span))
                if len(ahead) > self.workers:
                    yield ahead.popleft().result()
            while ahead:
                yield ahead.popleft().result()

    def blocks_containing(self, mentees: npt.ArrayLike) -> Iterator[Block]:
        """Only the blocks that hold a row of one of `mentees`, exactly as `blocks()`
        yields them; for looking at a few mentees without a full pass."""
        wanted = np.zeros(self.n_mentees, dtype=bool)
        wanted[np.asarray(mentees, dtype=np.int64)] = True
        for group, r0, r1, c0, c1 in self._spans():
            if wanted[group.rows[r0:r1]].any():
                yield self._block(group, r0, r1, c0, c1)

    def _spans(self) -> Iterator[tuple[_Group, int, int, int, int]]:
        """(group, first row, end row, first col, end col) of each block, in order."""
        for group in self._groups:
            n_rows, n_cols = len(group.rows), len(group.cols)
            col_step = min(n_cols, self.max_block_pairs)
            row_step = max(1, self.max_block_pairs // col_step)
            for c0 in range(0, n_cols, col_step):
                for r0 in range(0, n_rows, row_step):
                    yield group, r0, min(r0 + row_step, n_rows), c0, min(c0 + col_step, n_cols)

    def _make_groups(self) -> list[_Group]:
        groups = []
        for programme in np.unique(self._mentees.programme).tolist():
            partners = [programme, *(q for p, q in self.cross_programme if p == programme)]
            cols = np.flatnonzero(np.isin(self._mentors.programme, partners)).astype(np.int64)
            if len(cols) == 0:
                continue  # nobody to match with: these mentees appear in no block
            rows = np.flatnonzero(self._mentees.programme == programme).astype(np.int64)
            groups.append(self._make_group(programme, rows, cols))
        return groups

    def _make_group(self, programme: int, rows: I64, cols: I64) -> _Group:
        weights = self.weights_for(programme)
        r, c = self._mentees.take(rows), self._mentors.take(cols)
        f32 = np.float32
        row_of = np.full(self.n_mentees, -1, dtype=np.int64)
        row_of[rows] = np.arange(len(rows))
        col_of = np.full(self.n_mentors, -1, dtype=np.int64)
        col_of[cols] = np.arange(len(cols))

        style = weights.style * STYLE_COMPATIBILITY
        experience = weights.experience * self._experience
        language_bits = _one_hot_bits(self._language_bits, r.languages, c.languages)
        per_language = f32(weights.language) / np.maximum(r.n_languages, 1)[:, None]
        mentee_linear = np.hstack(
            [style[r.style], experience[r.level], language_bits[0] * per_language]
        )
        mentor_linear = np.hstack(
            [
                np.eye(len(style), dtype=f32)[c.style],
                np.eye(len(experience), dtype=f32)[c.level],
                language_bits[1],
            ]
        )
        # Interests no mentor here has cannot overlap, so they are left out of the product.
        present = np.bitwise_or.reduce(c.interests, axis=0)
        mentee_interests, mentor_interests = _one_hot_bits(present, r.interests, c.interests)

        mentee_wishes = _wish_entries(r.wishes, col_of)
        mentor_wishes = _wish_entries(c.wishes, row_of)[:, [1, 0, 2]]
        return _Group(
            programme=programme,
            rows=rows,
            cols=cols,
            mentees=r,
            mentors=c,
            weights=weights,
            mentee_goal=r.goal,
            mentor_goal_t=np.ascontiguousarray((f32(weights.goals) * c.goal).T),
            mentee_linear=mentee_linear.astype(f32),
            mentor_linear_t=np.ascontiguousarray(mentor_linear.T),
            mentee_interests=mentee_interests,
            mentor_interests_t=np.ascontiguousarray(mentor_interests.T),
            mentee_interest_count=np.maximum(r.n_interests, f32(0.5)),
            mentor_interest_count=c.n_interests,
            mentor_availability=np.where(c.trained, c.availability, np.uint32(0)),
            conflicts=self._group_conflicts(row_of, col_of),
            mentee_wishes=mentee_wishes,
            mentor_wishes=mentor_wishes,
        )

    def _group_conflicts(self, row_of: I64, col_of: I64) -> I64:
        mentee, mentor = np.divmod(self._conflicts, max(self.n_mentors, 1))
        local = np.stack([row_of[mentee], col_of[mentor]], axis=1)
        return local[(local >= 0).all(axis=1)]

    def _block(self, g: _Group, r0: int, r1: int, c0: int, c1: int) -> Block:
        rows, cols = g.rows[r0:r1], g.cols[c0:c1]
        w = g.weights
        total = np.matmul(g.mentee_goal[r0:r1], g.mentor_goal_t[:, c0:c1])
        np.clip(total, 0, w.goals, out=total)  # unrelated goals score 0, not below
        total += np.matmul(g.mentee_linear[r0:r1], g.mentor_linear_t[:, c0:c1])
        if w.interests > 0:
            total += _weighted_jaccard(g, r0, r1, c0, c1, w.interests)

        counted = np.float32(w.interests + w.style + w.experience + w.language)
        row_goal, col_goal = g.mentees.has_goal[r0:r1], g.mentors.has_goal[c0:c1]
        w_wish = np.float32(w.wishes)
        mentee_has = g.mentees.has_wishes[r0:r1]
        mentor_has = g.mentors.has_wishes[c0:c1]
        if not mentee_has.any() and not mentor_has.any():
            # No wish lists here: both sides see the same score.
            scores = _normalise(
                total, row=np.full(r1 - r0, counted), col=np.zeros(c1 - c0, np.float32),
                goal=w.goals, row_goal=row_goal, col_goal=col_goal,
            )  # fmt: skip
            mentor_scores = scores
        else:
            mentor_total = total.copy()
            _add_wishes(mentor_total, _entries_inside(g.mentor_wishes, r0, r1, c0, c1), w_wish)
            mentor_scores = _normalise(
                mentor_total, row=np.full(r1 - r0, counted), col=w_wish * mentor_has,
                goal=w.goals, row_goal=row_goal, col_goal=col_goal,
            )  # fmt: skip
            _add_wishes(total, _entries_inside(g.mentee_wishes, r0, r1, c0, c1), w_wish)
            scores = _normalise(
                total, row=counted + w_wish * mentee_has, col=np.zeros(c1 - c0, np.float32),
                goal=w.goals, row_goal=row_goal, col_goal=col_goal,
            )  # fmt: skip
        return Block(
            rows=rows,
            cols=cols,
            scores=scores,
            allowed=self._block_allowed(g, r0, r1, c0, c1),
            mentor_scores=mentor_scores,
        )

    def _block_allowed(self, g: _Group, r0: int, r1: int, c0: int, c1: int) -> Bools:
        r, c = g.mentees.take(slice(r0, r1)), g.mentors.take(slice(c0, c1))
        allowed: Bools = (r.availability[:, None] & g.mentor_availability[None, c0:c1]) != 0
        for preference, ok in _PREFERENCE_CHECKS.items():
            # Few people ask for anything, so only their rows and columns are checked.
            asking_rows = r.requesting(preference)
            if len(asking_rows):
                allowed[asking_rows] &= ok(r.take(asking_rows), c, True)
            asking_cols = c.requesting(preference)
            if len(asking_cols):
                allowed[:, asking_cols] &= ok(c.take(asking_cols), r, True).T
        conflicts = _entries_inside(g.conflicts, r0, r1, c0, c1)
        allowed[conflicts[:, 0], conflicts[:, 1]] = False
        return allowed

    # -- single pairs (explanations, tests) --------------------------------------

    def criteria_for_pairs(
        self, *, mentee_idx: npt.ArrayLike, mentor_idx: npt.ArrayLike
    ) -> PairCriteria:
        """Criterion values, weights and scores for the pairs (mentee_idx[k], mentor_idx[k]).

        Works for any pair, also pairs that appear in no block.
        """
        mentee = np.asarray(mentee_idx, dtype=np.int64).reshape(-1)
        mentor = np.asarray(mentor_idx, dtype=np.int64).reshape(-1)
        if len(mentee) > _PAIR_CHUNK:  # bounded memory: goal vectors are gathered per pair
            parts = [
                self.criteria_for_pairs(
                    mentee_idx=mentee[k : k + _PAIR_CHUNK], mentor_idx=mentor[k : k + _PAIR_CHUNK]
                )
                for k in range(0, len(mentee), _PAIR_CHUNK)
            ]
            return PairCriteria(
                values={c_: np.concatenate([p.values[c_] for p in parts]) for c_ in Criterion},
                weights={c_: np.concatenate([p.weights[c_] for p in parts]) for c_ in Criterion},
                score=np.concatenate([p.score for p in parts]),
            )
        r, c = self._mentees.take(mentee), self._mentors.take(mentor)
        values = {
            Criterion.INTERESTS: _jaccard_pairs(r, c),
            Criterion.GOALS: _cosine_pairs(r, c),
            Criterion.STYLE: STYLE_COMPATIBILITY[r.style, c.style],
            Criterion.EXPERIENCE: self._experience[r.level, c.level],
            Criterion.LANGUAGE: np.bitwise_count(r.languages & c.languages)
            / np.maximum(r.n_languages.astype(np.float64), 1),
            Criterion.WISHES: wish_score(_rank_of(r.wishes, mentor)),
        }
        applies = {
            Criterion.GOALS: r.has_goal & c.has_goal,
            Criterion.WISHES: r.has_wishes,
        }
        programmes, which = np.unique(r.programme, return_inverse=True)
        per_programme = [self.weights_for(int(p)) for p in programmes]
        weights = {
            criterion: np.array([w.of(criterion) for w in per_programme], dtype=np.float64)[which]
            * applies.get(criterion, True)
            for criterion in Criterion
        }
        as64 = {criterion: np.asarray(v, dtype=np.float64) for criterion, v in values.items()}
        numerator = sum((as64[c_] * weights[c_] for c_ in Criterion), np.zeros(len(mentee)))
        denominator = sum((weights[c_] for c_ in Criterion), np.zeros(len(mentee)))
        return PairCriteria(values=as64, weights=weights, score=_divide(numerator, denominator))

    def rule_failures_for_pairs(
        self, *, mentee_idx: npt.ArrayLike, mentor_idx: npt.ArrayLike
    ) -> dict[HardRule, Bools]:
        """For each hard rule, which of the pairs (mentee_idx[k], mentor_idx[k]) break it."""
        mentee = np.asarray(mentee_idx, dtype=np.int64).reshape(-1)
        mentor = np.asarray(mentor_idx, dtype=np.int64).reshape(-1)
        if len(mentee) > _PAIR_CHUNK:
            parts = [
                self.rule_failures_for_pairs(
                    mentee_idx=mentee[k : k + _PAIR_CHUNK], mentor_idx=mentor[k : k + _PAIR_CHUNK]
                )
                for k in range(0, len(mentee), _PAIR_CHUNK)
            ]
            return {rule: np.concatenate([p[rule] for p in parts]) for rule in HardRule}
        r, c = self._mentees_no_goal.take(mentee), self._mentors_no_goal.take(mentor)
        same = r.programme == c.programme
        pairs = np.stack([r.programme, c.programme], axis=1)
        crossing = np.zeros(len(pairs), dtype=bool)
        for cross in self.cross_programme:
            crossing |= (pairs == cross).all(axis=1)
        failures = {
            HardRule.PROGRAMME: ~(same | crossing),
            HardRule.AVAILABILITY: (r.availability & c.availability) == 0,
        }
        for preference, ok in _PREFERENCE_CHECKS.items():
            flag = np.uint8(preference)
            mentee_unmet = ((r.requested & flag) != 0) & ~ok(r, c, False)
            mentor_unmet = ((c.requested & flag) != 0) & ~ok(c, r, False)
            failures[_PREFERENCE_RULES[preference]] = mentee_unmet | mentor_unmet
        codes = mentee * max(self.n_mentors, 1) + mentor
        failures[HardRule.CONFLICT] = np.isin(codes, self._conflicts)
        failures[HardRule.TRAINING] = ~c.trained
        return {rule: failures[rule] for rule in HardRule}

    def hard_rule_failures(self, *, mentee: int, mentor: int) -> list[HardRule]:
        """The hard rules that exclude the pair, in `HardRule` order; empty if allowed."""
        failures = self.rule_failures_for_pairs(mentee_idx=[mentee], mentor_idx=[mentor])
        return [rule for rule, broken in failures.items() if broken[0]]


# A preference check answers "does `other` satisfy what `asker` asked for?" for the
# asker's rows against all of `other` (outer=True) or pair by pair (outer=False).
def _same_gender(asker: _Side, other: _Side, outer: bool) -> Bools:
    a, o = _shape(asker.gender, other.gender, outer)
    same: Bools = np.logical_and(a == o, a >= 0)
    return same


def _shared_language(asker: _Side, other: _Side, outer: bool) -> Bools:
    a, o = _shape(asker.language_target, other.languages, outer)
    shared: Bools = np.not_equal(a & o, 0)
    return shared


def _shared_background(asker: _Side, other: _Side, outer: bool) -> Bools:
    a, o = _shape(asker.background, other.background, outer)
    same: Bools = np.logical_and(a == o, a >= 0)
    return same


_PREFERENCE_CHECKS = {
    Preference.SAME_GENDER: _same_gender,
    Preference.SHARED_LANGUAGE: _shared_language,
    Preference.SHARED_BACKGROUND: _shared_background,
}
_PREFERENCE_RULES = {
    Preference.SAME_GENDER: HardRule.SAME_GENDER,
    Preference.SHARED_LANGUAGE: HardRule.SHARED_LANGUAGE,
    Preference.SHARED_BACKGROUND: HardRule.SHARED_BACKGROUND,
}


def _shape(
    a: npt.NDArray[_T], b: npt.NDArray[_T], outer: bool
) -> tuple[npt.NDArray[_T], npt.NDArray[_T]]:
    return (a[:, None], b[None, :]) if outer else (a, b)


def _jaccard_pairs(r: _Side, c: _Side) -> F64:
    shared = np.bitwise_count(r.interests & c.interests).sum(axis=1).astype(np.float64)
    return _divide(shared, r.n_interests.astype(np.float64) + c.n_interests - shared)


def _cosine_pairs(r: _Side, c: _Side) -> F64:
    # Re-normalised in float64, so that identical goals score exactly 1.
    a, b = r.goal.astype(np.float64), c.goal.astype(np.float64)
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    cosine: F64 = np.clip(_divide(np.einsum("kd,kd->k", a, b), norms), 0, 1)
    return cosine


def _rank_of(wishes: I64, wanted: I64) -> I64:
    """1-based position of wanted[k] in wishes[k], or 0 when it is not there."""
    hit = wishes == wanted[:, None]
    if hit.shape[1] == 0:
        return np.zeros(len(wanted), dtype=np.int64)
    return np.where(hit.any(axis=1), hit.argmax(axis=1) + 1, 0)


def _weighted_jaccard(g: _Group, r0: int, r1: int, c0: int, c1: int, weight: float) -> F32:
    """weight x |shared interests| / |interests of either| for a block."""
    shared = np.matmul(g.mentee_interests[r0:r1], g.mentor_interests_t[:, c0:c1])
    union = np.add.outer(g.mentee_interest_count[r0:r1], g.mentor_interest_count[c0:c1])
    union -= shared
    union *= np.float32(1 / weight)
    return np.divide(shared, union, out=shared)


def _one_hot_bits(present: npt.NDArray[np.uint64], *masks: npt.NDArray[np.uint64]) -> list[F32]:
    """Each bitmask array (n,) or (n, words) as float32 0/1 columns, one per bit of `present`."""
    wanted = _unpack(np.atleast_1d(present)[None, :])[0].astype(bool)
    return [_unpack(m.reshape(len(m), -1))[:, wanted].astype(np.float32) for m in masks]


def _unpack(words: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint8]:
    little = np.ascontiguousarray(words.astype("<u8")).view(np.uint8)
    return np.unpackbits(little, axis=1, bitorder="little")


def _wish_entries(wishes: I64, position: I64) -> I64:
    """(own row, other's position, rank) for each wish for someone in `position`.

    A person wished for twice keeps their best rank.
    """
    own, rank0 = np.nonzero(wishes >= 0)
    other = position[wishes[own, rank0]]
    entries = np.stack([own, other, rank0 + 1], axis=1).astype(np.int64)[other >= 0]
    if len(entries) == 0:
        return entries
    _, first = np.unique(entries[:, :2], axis=0, return_index=True)
    return entries[np.sort(first)]


def _entries_inside(entries: I64, r0: int, r1: int, c0: int, c1: int) -> I64:
    """The entries whose (row, col) lies in the block, moved to block coordinates."""
    row, col = entries[:, 0], entries[:, 1]
    inside = (row >= r0) & (row < r1) & (col >= c0) & (col < c1)
    moved = entries[inside].copy()
    moved[:, 0] -= r0
    moved[:, 1] -= c0
    return moved


def _conflict_codes(mentees: Cohort, mentors: Cohort) -> I64:
    """Sorted mentee * n_mentors + mentor codes of every declared conflict."""
    n = max(len(mentors), 1)
    by_mentee = mentees.conflicts[:, 0] * n + mentees.conflicts[:, 1]
    by_mentor = mentors.conflicts[:, 1] * n + mentors.conflicts[:, 0]
    return np.unique(np.concatenate([by_mentee, by_mentor]).astype(np.int64))


def _divide(numerator: npt.NDArray[_F], denominator: npt.ArrayLike) -> npt.NDArray[_F]:
    """numerator / denominator, 0 where the denominator is 0."""
    out = np.zeros(
        np.broadcast_shapes(numerator.shape, np.shape(denominator)), dtype=numerator.dtype
    )
    np.divide(numerator, denominator, out=out, where=np.asarray(denominator) > 0)
    return out


def _add_wishes(total: F32, entries: I64, weight: np.float32) -> None:
    total[entries[:, 0], entries[:, 1]] += (weight * wish_score(entries[:, 2])).astype(np.float32)


def _normalise(
    total: F32, *, row: F32, col: F32, goal: float, row_goal: Bools, col_goal: Bools
) -> F32:
    """total[i, j] / (row[i] + col[j] + goal * row_goal[i] * col_goal[j]), in place.

    That denominator is the weight that counted for the pair. Where it is 0 no
    criterion counted, the numerator is 0 too, and the result is left at 0.
    """
    # Rows whose mentee wrote no goal lack the goal term; they are few, so they are
    # set aside and divided separately instead of building a full denominator matrix.
    blank = np.flatnonzero(~row_goal)
    blank_totals = total[blank]
    col_weight = col + np.float32(goal) * col_goal
    if col_weight.size and (col_weight == col_weight[0]).all():
        total /= _nonzero(row + col_weight[0])[:, None]
    else:
        total /= _nonzero(np.add.outer(row, col_weight))
    total[blank] = blank_totals / _nonzero(np.add.outer(row[blank], col))
    return total


def _nonzero(weight: F32) -> F32:
    return np.where(weight > 0, weight, np.float32(1))
