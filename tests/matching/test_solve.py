"""The exact modes against independent oracles, plus locked/excluded pairs."""

from __future__ import annotations

import importlib
from unittest.mock import patch

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from guildhouse.matching import DenseSource, Mode, solve
from guildhouse.matching.solve import Certificate
from tests.matching.oracles import (
    Small,
    assert_feasible,
    brute_force,
    optimum,
    small_instances,
)

MATCHING = settings.get_profile("matching")
# The package re-exports the function `solve`, which hides the module of the
# same name from attribute access.
solve_module = importlib.import_module("guildhouse.matching.solve")

# Three mentees, mentor 0 with one seat, mentor 1 with two: each mode picks a
# different assignment (worked out by hand in the comments).
EXAMPLE_SCORES = np.array([[10.0, 9.0], [8.0, -0.5], [7.0, -1.0]])
EXAMPLE_CAPACITY = np.array([1, 2])


def example() -> DenseSource:
    return DenseSource(EXAMPLE_SCORES, np.ones((3, 2), dtype=bool))


@pytest.mark.parametrize(
    ("mode", "assignment", "total"),
    [
        # 9 + 8, mentee 2 unmatched rather than take -1
        (Mode.OPTIMAL, [1, 0, -1], 17.0),
        # all three matched: 9 + 8 - 1 beats 9 - 0.5 + 7 and 10 - 0.5 - 1
        (Mode.PARTICIPATION, [1, 0, 1], 16.0),
        # all three matched, worst pair -0.5 instead of -1
        (Mode.FAIR, [1, 1, 0], 15.5),
        # everyone asks mentor 0 first; it keeps mentee 0 (score 10)
        (Mode.STABLE, [0, 1, 1], 8.5),
    ],
)
def test_each_mode_on_a_worked_example(mode: Mode, assignment: list[int], total: float) -> None:
    result = solve(example(), EXAMPLE_CAPACITY, mode=mode)
    assert result.mode is mode
    assert result.assignment.tolist() == assignment
    assert result.total_score == total
    assert result.matched == sum(a >= 0 for a in assignment)


@MATCHING
@given(small_instances(), st.sampled_from([1, 2, 3, 4, 16]), st.integers(1, 3))
def test_optimal_equals_scipy_oracle(instance: Small, top_k: int, chunk_rows: int) -> None:
    source = DenseSource(instance.scores, instance.allowed, chunk_rows=chunk_rows)
    result = solve(source, instance.capacity, mode=Mode.OPTIMAL, top_k=top_k)
    expected = optimum(instance.scores, instance.allowed, instance.capacity)
    assert result.total_score == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert_feasible(result.assignment, instance.allowed, instance.capacity)
    matched = result.assignment >= 0
    assert (instance.scores[matched, result.assignment[matched]] > 0).all()
    assert isinstance(result.certificate, Certificate)
    assert result.certificate.proven


@MATCHING
@given(small_instances(max_mentees=5, max_mentors=3), st.sampled_from([1, 2, 4]))
def test_participation_and_fair_equal_brute_force(instance: Small, top_k: int) -> None:
    source = DenseSource(instance.scores, instance.allowed)
    best = brute_force(instance.scores, instance.allowed, instance.capacity)

    participation = solve(source, instance.capacity, mode=Mode.PARTICIPATION, top_k=top_k)
    assert (participation.matched, round(participation.total_score, 9)) == best.participation
    assert_feasible(participation.assignment, instance.allowed, instance.capacity)

    fair = solve(source, instance.capacity, mode=Mode.FAIR, top_k=top_k)
    matched = fair.assignment >= 0
    worst = float(instance.scores[matched, fair.assignment[matched]].min(initial=np.inf))
    assert (fair.matched, worst, round(fair.total_score, 9)) == best.fair
    assert_feasible(fair.assignment, instance.allowed, instance.capacity)


def test_top_k_of_one_needs_repricing_and_still_reaches_the_optimum() -> None:
    rng = np.random.default_rng(7)
    scores = rng.random((60, 12))
    allowed = rng.random((60, 12)) < 0.7
    capacity = np.full(12, 3)
    result = solve(DenseSource(scores, allowed), capacity, mode=Mode.OPTIMAL, top_k=1)
    assert isinstance(result.certificate, Certificate)
    assert result.certificate.iterations >= 2
    assert result.certificate.proven
    assert result.total_score == pytest.approx(optimum(scores, allowed, capacity), rel=1e-9)
    assert result.matched == 36


def test_capped_near_pairs_still_reach_the_optimum() -> None:
    rng = np.random.default_rng(11)
    scores = rng.random((80, 15))
    allowed = rng.random((80, 15)) < 0.8
    capacity = np.full(15, 4)
    # Room for one near pair per mentee: most mentees lose some, and their
    # margins shrink to what was cut.
    with patch.object(solve_module, "_MAX_NEAR", 80):
        result = solve(DenseSource(scores, allowed), capacity, mode=Mode.OPTIMAL, top_k=1)
    assert isinstance(result.certificate, Certificate)
    assert result.certificate.proven
    assert result.total_score == pytest.approx(optimum(scores, allowed, capacity), rel=1e-9)


@st.composite
def with_decisions(draw: st.DrawFn) -> tuple[Small, list[tuple[int, int]], list[tuple[int, int]]]:
    instance = draw(small_instances(max_mentees=6, max_mentors=3))
    n, m = instance.scores.shape
    seats = instance.capacity.copy()
    locked: list[tuple[int, int]] = []
    for i in range(n):
        options = [j for j in range(m) if instance.allowed[i, j] and seats[j] > 0]
        take = draw(st.booleans())
        if options and take:
            j = draw(st.sampled_from(options))
            seats[j] -= 1
            locked.append((i, j))
    free = [(i, j) for i in range(n) for j in range(m) if (i, j) not in locked]
    excluded = draw(st.lists(st.sampled_from(free), unique=True, max_size=4)) if free else []
    return instance, locked, excluded


@MATCHING
@given(with_decisions(), st.sampled_from(list(Mode)))
def test_locked_pairs_kept_and_excluded_pairs_avoided(
    case: tuple[Small, list[tuple[int, int]], list[tuple[int, int]]], mode: Mode
) -> None:
    instance, locked, excluded = case
    source = DenseSource(instance.scores, instance.allowed, instance.mentor_scores)
    result = solve(source, instance.capacity, mode=mode, locked=locked, excluded=excluded)
    for i, j in locked:
        assert result.assignment[i] == j
    for i, j in excluded:
        assert result.assignment[i] != j
    assert_feasible(result.assignment, instance.allowed, instance.capacity)
    if mode is Mode.OPTIMAL:
        allowed = instance.allowed.copy()
        for i, j in excluded:
            allowed[i, j] = False
        rows = np.setdiff1d(np.arange(len(allowed)), [i for i, _ in locked]).astype(int)
        seats = instance.capacity - np.bincount(
            [j for _, j in locked], minlength=len(instance.capacity)
        )
        fixed = sum(float(instance.scores[i, j]) for i, j in locked)
        expected = fixed + optimum(instance.scores[rows], allowed[rows], seats)
        assert result.total_score == pytest.approx(expected, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"locked": [(0, 1)], "capacity": [1, 0]},
            "locked pairs exceed the capacity 0 of mentor 1",
        ),
        ({"locked": [(0, 0), (0, 1)]}, "mentee 0 is locked to two mentors"),
        ({"locked": [(2, 1)]}, "locked pair (2, 1) is not an allowed pair"),
        ({"locked": [(0, 0)], "excluded": [(0, 0)]}, "pair (0, 0) is both locked and excluded"),
        ({"excluded": [(5, 0)]}, "excluded pair (5, 0) is out of range"),
        ({"excluded": [(0, 1), (0, 1)]}, "excluded pairs contain duplicates"),
        ({"capacity": [1, 1, 1]}, "capacity must have shape (2,), got (3,)"),
        ({"capacity": [1, -1]}, "capacity must be non-negative; mentor 1 has -1"),
        ({"top_k": 0}, "top_k must be at least 1, got 0"),
    ],
)
def test_bad_requests_are_refused_with_a_clear_message(
    kwargs: dict[str, object], message: str
) -> None:
    allowed = np.ones((3, 2), dtype=bool)
    allowed[2, 1] = False
    source = DenseSource(EXAMPLE_SCORES, allowed)
    capacity = np.asarray(kwargs.pop("capacity", [2, 2]))
    with pytest.raises(ValueError, match="^" + __import__("re").escape(message) + "$"):
        solve(source, capacity, mode=Mode.OPTIMAL, **kwargs)  # type: ignore[arg-type]


def test_negative_scores_leave_mentees_unmatched_in_optimal_mode() -> None:
    scores = np.array([[-0.1, -2.0], [0.5, -1.0]])
    result = solve(DenseSource(scores, np.ones((2, 2), bool)), np.array([1, 1]), mode=Mode.OPTIMAL)
    assert result.assignment.tolist() == [-1, 0]
    assert result.total_score == 0.5


def test_mode_may_be_given_as_its_string_value() -> None:
    result = solve(example(), EXAMPLE_CAPACITY, mode="stable")  # type: ignore[arg-type]
    assert result.mode is Mode.STABLE
    assert result.assignment.tolist() == [0, 1, 1]


def test_results_are_deterministic() -> None:
    rng = np.random.default_rng(3)
    scores = np.round(rng.random((200, 30)), 1)  # many ties
    source = DenseSource(scores, rng.random((200, 30)) < 0.5, chunk_rows=37)
    capacity = np.full(30, 4)
    for mode in Mode:
        first = solve(source, capacity, mode=mode)
        second = solve(source, capacity, mode=mode)
        assert first.assignment.tolist() == second.assignment.tolist()


def _max_matching_size(allowed: npt.NDArray[np.bool_], capacity: npt.NDArray[np.int64]) -> int:
    """Maximum b-matching size by scipy's Hopcroft-Karp on one column per seat."""
    seats = np.repeat(np.arange(len(capacity)), capacity)
    graph = csr_matrix(allowed[:, seats].astype(np.int8))
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())


@pytest.mark.parametrize("seed", [5, 8])
def test_fair_threshold_is_the_best_possible_on_a_medium_instance(seed: int) -> None:
    # Popular mentors make everyone want the same seats. With seed 8 the
    # first threshold found on the candidate graph is not proven on the whole
    # market: a crossing pair joins the graph and the search resumes.
    rng = np.random.default_rng(seed)
    popularity = rng.random(12)
    scores = np.round(0.6 * popularity[None, :] + 0.4 * rng.random((60, 12)), 2)
    allowed = rng.random((60, 12)) < rng.choice([0.2, 0.4, 0.7])
    capacity = rng.integers(1, 4, size=12)
    source = DenseSource(scores, allowed, chunk_rows=16)
    participation = solve(source, capacity, mode=Mode.PARTICIPATION, top_k=1)
    fair = solve(source, capacity, mode=Mode.FAIR, top_k=1)
    assert participation.matched == fair.matched == _max_matching_size(allowed, capacity)
    matched = fair.assignment >= 0
    worst = scores[matched, fair.assignment[matched]].min()
    assert isinstance(fair.certificate, Certificate)
    assert fair.certificate.threshold == worst
    # Independent check: no maximum matching uses only pairs above `worst`.
    assert _max_matching_size(allowed & (scores > worst), capacity) < fair.matched
    assert_feasible(fair.assignment, allowed, capacity)
