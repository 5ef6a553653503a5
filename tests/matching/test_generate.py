"""The synthetic round generator: deterministic, well-formed, realistic in proportion."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from guildhouse.matching.generate import (
    LANGUAGE_NAMES,
    PROGRAMME_NAMES,
    GeneratedInstance,
    generate_instance,
    programme_count,
)
from guildhouse.matching.instance import load_instance
from guildhouse.matching.profiles import N_SLOTS, Cohort, Preference
from guildhouse.matching.scoring import HardRule


@pytest.fixture(scope="module")
def instance() -> GeneratedInstance:
    return generate_instance(mentees=6000, mentors=1500, capacity=3, seed=7)


def cohort_arrays(cohort: Cohort) -> dict[str, object]:
    return {f.name: getattr(cohort, f.name) for f in fields(cohort)}


def assert_same_cohort(a: Cohort, b: Cohort) -> None:
    for name, value in cohort_arrays(a).items():
        other = getattr(b, name)
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, other, err_msg=name)
        else:
            assert value == other, name


def test_the_same_seed_gives_the_same_round() -> None:
    a = generate_instance(mentees=800, mentors=200, capacity=2, seed=3)
    b = generate_instance(mentees=800, mentors=200, capacity=2, seed=3)
    assert_same_cohort(a.mentees, b.mentees)
    assert_same_cohort(a.mentors, b.mentors)
    for x, y in zip(a.dense(), b.dense(), strict=True):
        np.testing.assert_array_equal(x, y)


def test_another_seed_gives_another_round() -> None:
    a = generate_instance(mentees=800, mentors=200, capacity=2, seed=3)
    b = generate_instance(mentees=800, mentors=200, capacity=2, seed=4)
    assert not np.array_equal(a.mentees.availability, b.mentees.availability)
    assert a.mentees.goals != b.mentees.goals


@pytest.mark.parametrize(
    ("mentees", "expected"), [(1, 1), (499, 1), (1000, 2), (6000, 12), (10_000, 20), (10**5, 20)]
)
def test_programme_count_grows_with_size_up_to_twenty(mentees: int, expected: int) -> None:
    assert programme_count(mentees) == expected


def test_shapes_and_dtypes(instance: GeneratedInstance) -> None:
    mentees, mentors = instance.mentees, instance.mentors
    assert (len(mentees), len(mentors)) == (6000, 1500)
    assert (instance.source.n_mentees, instance.source.n_mentors) == (6000, 1500)
    expected = {
        "programme": np.int32,
        "availability": np.uint32,
        "interests": np.uint64,
        "style": np.int8,
        "level": np.int16,
        "languages": np.uint64,
        "home_language": np.int16,
        "gender": np.int8,
        "background": np.int16,
        "requested": np.uint8,
        "wishes": np.int64,
        "conflicts": np.int64,
    }
    for cohort in (mentees, mentors):
        for name, dtype in expected.items():
            assert getattr(cohort, name).dtype == dtype, name
    assert mentees.trained is None
    assert mentees.capacity is None
    assert mentors.trained is not None
    assert mentors.trained.dtype == np.bool_
    assert mentors.capacity is not None
    assert mentors.capacity.tolist() == [3] * 1500
    assert instance.capacity.dtype == np.int64
    assert instance.capacity.tolist() == [3] * 1500


def test_programmes_are_named_skewed_and_all_have_mentors(instance: GeneratedInstance) -> None:
    assert len(instance.programme_names) == 12
    assert set(instance.programme_names) <= set(PROGRAMME_NAMES)
    mentee_sizes = np.bincount(instance.mentees.programme, minlength=12)
    mentor_sizes = np.bincount(instance.mentors.programme, minlength=12)
    assert len(mentee_sizes) == len(mentor_sizes) == 12
    assert mentee_sizes.min() > 0
    assert mentor_sizes.min() > 0
    assert mentee_sizes.max() > 3 * mentee_sizes.min()  # a few large trades, a long tail


def test_values_stay_in_their_ranges(instance: GeneratedInstance) -> None:
    mentees, mentors = instance.mentees, instance.mentors
    assert set(np.unique(mentees.level).tolist()) == {1, 2, 3}
    assert set(np.unique(mentors.level).tolist()) == {2, 3, 4, 5}
    for cohort in (mentees, mentors):
        assert (cohort.availability > 0).all()  # free at least once a week
        assert (cohort.availability < 2**N_SLOTS).all()
        assert set(np.unique(cohort.style).tolist()) == {0, 1, 2, 3}
        assert (cohort.languages & np.uint64(1)).all()  # everyone speaks English
        assert cohort.languages.max() < 2 ** len(LANGUAGE_NAMES)
        assert ((cohort.home_language >= 0) & (cohort.home_language < len(LANGUAGE_NAMES))).all()
        assert set(np.unique(cohort.gender).tolist()) <= {-1, 0, 1, 2}
        assert np.isin(cohort.requested, [0, *map(int, Preference)]).all()
        assert (np.bitwise_count(cohort.interests).sum(axis=1) >= 1).all()


def test_proportions_are_realistic(instance: GeneratedInstance) -> None:
    mentees, mentors = instance.mentees, instance.mentors
    assert mentors.trained is not None
    assert 0.9 <= mentors.trained.mean() <= 0.96
    for cohort in (mentees, mentors):
        assert 0.04 <= (cohort.requested > 0).mean() <= 0.1
    assert 0.03 <= (mentees.wishes[:, 0] >= 0).mean() <= 0.07
    assert 5 <= len(mentees.conflicts) <= 40
    assert sum(goal == "" for goal in mentees.goals) < 0.1 * len(mentees)
    assert len(set(mentees.goals)) > 200  # composed, not a handful of canned sentences


def test_wishes_and_conflicts_stay_within_the_programme(instance: GeneratedInstance) -> None:
    mentees, mentors = instance.mentees, instance.mentors
    who, rank = np.nonzero(mentees.wishes >= 0)
    wished = mentees.wishes[who, rank]
    assert (mentors.programme[wished] == mentees.programme[who]).all()
    for row in mentees.wishes[(mentees.wishes >= 0).any(axis=1)]:
        listed = row[row >= 0].tolist()
        assert len(listed) == len(set(listed))  # no one listed twice
        assert row[: len(listed)].tolist() == listed  # padding only at the end
    own, other = mentees.conflicts.T
    assert (mentors.programme[other] == mentees.programme[own]).all()


def test_dense_matrices() -> None:
    small = generate_instance(mentees=1500, mentors=300, capacity=2, seed=1)
    scores, allowed, mentor_scores = small.dense()
    assert scores.shape == allowed.shape == mentor_scores.shape == (1500, 300)
    assert scores.dtype == mentor_scores.dtype == np.float64
    assert allowed.dtype == np.bool_
    assert scores.min() >= 0
    assert scores.max() <= 1 + 1e-6
    assert 0.2 < allowed.mean() < 0.9
    i, j = np.indices(scores.shape).reshape(2, -1)
    failures = small.source.rule_failures_for_pairs(mentee_idx=i, mentor_idx=j)
    other_programme = failures[HardRule.PROGRAMME].reshape(scores.shape)
    assert other_programme.any()
    assert not allowed[other_programme].any()
    assert (scores[other_programme] == 0).all()
    # Mentors' own wish lists make their view differ somewhere, but not everywhere.
    assert 0 < (mentor_scores != scores).mean() < 0.5


def test_save_npz_writes_what_the_command_line_reads(tmp_path: Path) -> None:
    small = generate_instance(mentees=300, mentors=80, capacity=2, seed=9)
    path = tmp_path / "round.npz"
    small.save_npz(path)
    with np.load(path) as data:
        assert sorted(data.files) == ["allowed", "capacity", "mentor_scores", "scores"]
        assert data["scores"].dtype == np.float64
        assert data["allowed"].dtype == np.bool_
        assert data["capacity"].dtype == np.int64
        assert data["mentor_scores"].dtype == np.float64
    loaded = load_instance(path)
    scores, allowed, mentor_scores = small.dense()
    np.testing.assert_array_equal(loaded.scores, scores)
    np.testing.assert_array_equal(loaded.allowed, allowed)
    np.testing.assert_array_equal(loaded.capacity, [2] * 80)
    assert loaded.mentor_scores is not None
    np.testing.assert_array_equal(loaded.mentor_scores, mentor_scores)


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate_instance(mentees=0, mentors=5, capacity=1, seed=0)
