"""Stable mode against the `matching` library, and the blocking-pair count."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from guildhouse.matching import DenseSource, Mode, StableCertificate, solve
from guildhouse.matching import stable as stable_module
from guildhouse.matching.market import Market
from guildhouse.matching.stable import blocking_pairs
from tests.matching.oracles import Small, assert_feasible, resident_optimal, small_instances

MATCHING = settings.get_profile("matching")


@MATCHING
@given(small_instances(max_mentees=10, max_mentors=4), st.booleans())
def test_stable_equals_resident_optimal_library_result(instance: Small, in_memory: bool) -> None:
    source = DenseSource(instance.scores, instance.allowed, instance.mentor_scores, chunk_rows=3)
    # top_k=1 makes most mentees run out of their first list and need a refill,
    # from the pairs kept in memory or, for big markets, from another pass.
    keep_all = stable_module._KEEP_ALL if in_memory else 0
    with patch.object(stable_module, "_KEEP_ALL", keep_all):
        result = solve(source, instance.capacity, mode=Mode.STABLE, top_k=1)
    assert isinstance(result.certificate, StableCertificate)
    assert result.assignment.tolist() == resident_optimal(instance).tolist()
    assert_feasible(result.assignment, instance.allowed, instance.capacity)
    market = Market(source, instance.capacity, locked=(), excluded=())
    assert blocking_pairs(market, result.assignment) == 0


def test_mentor_scores_default_to_scores() -> None:
    scores = np.array([[0.9, 0.1], [0.8, 0.7]])
    allowed = np.ones((2, 2), dtype=bool)
    result = solve(DenseSource(scores, allowed), np.array([1, 1]), mode=Mode.STABLE)
    # Both want mentor 0; it prefers mentee 0 (0.9 > 0.8).
    assert result.assignment.tolist() == [0, 1]
    assert result.total_score == 0.9 + 0.7
    assert isinstance(result.certificate, StableCertificate)
    assert result.certificate.proposals == 3


def test_ties_go_to_the_lower_index() -> None:
    scores = np.full((2, 2), 0.5)
    result = solve(DenseSource(scores, np.ones((2, 2), bool)), np.array([1, 1]), mode=Mode.STABLE)
    # Both mentees rank mentor 0 first; mentor 0 keeps mentee 0.
    assert result.assignment.tolist() == [0, 1]


def test_blocking_pairs_are_counted_exactly() -> None:
    scores = np.array([[0.9, 0.2], [0.8, 0.7], [0.1, 0.6]])
    source = DenseSource(scores, np.ones((3, 2), dtype=bool))
    market = Market(source, np.array([1, 1]), locked=(), excluded=())
    # Mentee 0 holds mentor 1, mentee 1 mentor 0, mentee 2 is unmatched.
    # Blocking: (0, 0), since 0.9 > 0.2 for the mentee and 0.9 > 0.8 for the
    # mentor; and (2, 1), since mentor 1 would rather have mentee 2 (0.6 > 0.2).
    assert blocking_pairs(market, np.array([1, 0, -1])) == 2
    # The stable assignment: mentor 1 prefers mentee 1 (0.7) to mentee 2 (0.6).
    assert blocking_pairs(market, np.array([0, 1, -1])) == 0
    # Mentor 1 has a free seat, and both unmatched mentees would take it.
    assert blocking_pairs(market, np.array([0, -1, -1])) == 2


def test_stable_equals_the_library_on_a_medium_instance_with_ties() -> None:
    rng = np.random.default_rng(9)
    instance = Small(
        scores=np.round(rng.random((300, 40)), 1),
        allowed=rng.random((300, 40)) < 0.5,
        capacity=rng.integers(0, 8, size=40).astype(np.int64),
        mentor_scores=np.round(rng.random((300, 40)), 1),
    )
    source = DenseSource(instance.scores, instance.allowed, instance.mentor_scores, chunk_rows=64)
    result = solve(source, instance.capacity, mode=Mode.STABLE, top_k=2)
    assert result.assignment.tolist() == resident_optimal(instance).tolist()
    market = Market(source, instance.capacity, locked=(), excluded=())
    assert blocking_pairs(market, result.assignment) == 0
