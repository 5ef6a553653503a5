"""Scoring: hard rules, soft criteria, weights, and the blocked stream against a reference."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guildhouse.matching.generate import generate_instance
from guildhouse.matching.profiles import (
    STYLE_COMPATIBILITY,
    Cohort,
    CommunicationStyle,
    MenteeProfile,
    MentorProfile,
    Preference,
    slot,
)
from guildhouse.matching.scoring import (
    Criterion,
    HardRule,
    ProfileScoreSource,
    Weights,
    experience_fit,
    wish_score,
)
from guildhouse.matching.text import normalise, text_vectors

MATCHING = settings.get_profile("matching")
TUE_AFTERNOON = slot(1, 1)
THU_EVENING = slot(3, 2)
GOAL = "I want to become a certified electrician"


def mentee(**changes: Any) -> MenteeProfile:
    base = MenteeProfile(programme=0, availability=frozenset({TUE_AFTERNOON}))
    return replace(base, **changes)


def mentor(**changes: Any) -> MentorProfile:
    base = MentorProfile(programme=0, availability=frozenset({TUE_AFTERNOON}), level=2)
    return replace(base, **changes)


def source_for(
    mentees: list[MenteeProfile], mentors: list[MentorProfile], **options: Any
) -> ProfileScoreSource:
    return ProfileScoreSource(
        Cohort.from_profiles(mentees), Cohort.from_profiles(mentors), **options
    )


def dense(
    source: ProfileScoreSource,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
    shape = (source.n_mentees, source.n_mentors)
    scores, mentor_scores = np.full(shape, np.nan), np.full(shape, np.nan)
    allowed = np.zeros(shape, dtype=bool)
    for block in source.blocks():
        at = np.ix_(block.rows, block.cols)
        assert np.isnan(scores[at]).all(), "a pair appeared in two blocks"
        scores[at], allowed[at] = block.scores, block.allowed
        assert block.mentor_scores is not None
        mentor_scores[at] = block.mentor_scores
    return scores, allowed, mentor_scores


def rules(source: ProfileScoreSource, mentor_index: int = 0) -> list[HardRule]:
    return source.hard_rule_failures(mentee=0, mentor=mentor_index)


# -- hard rules ---------------------------------------------------------------------


def test_a_plain_pair_breaks_no_rule_and_is_allowed() -> None:
    source = source_for([mentee()], [mentor()])
    assert rules(source) == []
    assert dense(source)[1].tolist() == [[True]]


def test_other_programme_is_excluded_unless_the_pair_of_programmes_is_allowed() -> None:
    people = ([mentee(programme=0)], [mentor(programme=1)])
    assert rules(source_for(*people)) == [HardRule.PROGRAMME]
    scores, allowed, _ = dense(source_for(*people))
    assert np.isnan(scores).all()  # not a candidate: in no block at all
    assert not allowed.any()

    crossing = source_for(*people, cross_programme=[(1, 0)])  # order does not matter
    assert rules(crossing) == []
    assert dense(crossing)[1].tolist() == [[True]]


def test_no_common_slot_is_excluded() -> None:
    source = source_for([mentee()], [mentor(availability=frozenset({THU_EVENING}))])
    assert rules(source) == [HardRule.AVAILABILITY]
    assert dense(source)[1].tolist() == [[False]]


@pytest.mark.parametrize("asker", ["mentee", "mentor"])
def test_same_gender_request_is_honoured_whoever_asked(asker: str) -> None:
    ask = {"requested": Preference.SAME_GENDER}
    m = mentee(gender=0, **(ask if asker == "mentee" else {}))
    mentors = [
        mentor(gender=1, **(ask if asker == "mentor" else {})),
        mentor(gender=0, **(ask if asker == "mentor" else {})),
        mentor(gender=None, **(ask if asker == "mentor" else {})),
    ]
    source = source_for([m], mentors)
    assert [rules(source, j) for j in range(3)] == [
        [HardRule.SAME_GENDER],
        [],
        [HardRule.SAME_GENDER],
    ]
    assert dense(source)[1].tolist() == [[False, True, False]]


def test_unrequested_gender_difference_is_fine() -> None:
    source = source_for([mentee(gender=0)], [mentor(gender=1)])
    assert rules(source) == []


def test_shared_language_request_means_the_other_speaks_the_home_language() -> None:
    asks = mentee(
        languages=frozenset({0, 3}), home_language=3, requested=Preference.SHARED_LANGUAGE
    )
    mentors = [mentor(languages=frozenset({0})), mentor(languages=frozenset({0, 3}))]
    source = source_for([asks], mentors)
    assert [rules(source, 0), rules(source, 1)] == [[HardRule.SHARED_LANGUAGE], []]
    assert dense(source)[1].tolist() == [[False, True]]


def test_shared_language_request_without_home_language_accepts_any_listed_language() -> None:
    asker = mentor(languages=frozenset({2, 5}), requested=Preference.SHARED_LANGUAGE)
    mentees = [mentee(languages=frozenset({0})), mentee(languages=frozenset({0, 5}))]
    source = source_for(mentees, [asker])
    failures = [source.hard_rule_failures(mentee=i, mentor=0) for i in range(2)]
    assert failures == [[HardRule.SHARED_LANGUAGE], []]
    assert dense(source)[1].tolist() == [[False], [True]]


def test_shared_background_request() -> None:
    asks = mentee(background=2, requested=Preference.SHARED_BACKGROUND)
    source = source_for([asks], [mentor(background=1), mentor(background=2), mentor()])
    assert [rules(source, j) for j in range(3)] == [
        [HardRule.SHARED_BACKGROUND],
        [],
        [HardRule.SHARED_BACKGROUND],
    ]


def test_conflicts_declared_by_either_side_are_excluded() -> None:
    mentees = [mentee(conflicts=frozenset({1})), mentee()]
    mentors = [mentor(), mentor(conflicts=frozenset({1}))]
    source = source_for(mentees, mentors)
    failures = [[source.hard_rule_failures(mentee=i, mentor=j) for j in range(2)] for i in range(2)]
    assert failures == [[[], [HardRule.CONFLICT]], [[], [HardRule.CONFLICT]]]
    assert dense(source)[1].tolist() == [[True, False], [True, False]]


def test_untrained_mentor_is_excluded() -> None:
    source = source_for([mentee()], [mentor(trained=False)])
    assert rules(source) == [HardRule.TRAINING]
    assert dense(source)[1].tolist() == [[False]]


def test_every_broken_rule_is_named_in_rule_order() -> None:
    source = source_for(
        [mentee(conflicts=frozenset({0}), requested=Preference.SAME_GENDER, gender=0)],
        [mentor(programme=4, availability=frozenset({THU_EVENING}), trained=False, gender=1)],
    )
    assert rules(source) == [
        HardRule.PROGRAMME,
        HardRule.AVAILABILITY,
        HardRule.SAME_GENDER,
        HardRule.CONFLICT,
        HardRule.TRAINING,
    ]


# -- soft criteria --------------------------------------------------------------------


def criteria(m: MenteeProfile, t: MentorProfile, **options: Any) -> dict[Criterion, float]:
    source = source_for([m], [t], **options)
    values = source.criteria_for_pairs(mentee_idx=[0], mentor_idx=[0]).values
    return {criterion: float(v[0]) for criterion, v in values.items()}


def test_interests_score_is_the_jaccard_overlap() -> None:
    values = criteria(
        mentee(interests=frozenset({1, 2, 70})), mentor(interests=frozenset({2, 70, 9}))
    )
    assert values[Criterion.INTERESTS] == 0.5  # 2 shared of 4 named between them


def test_identical_goals_score_one_and_unrelated_goals_little() -> None:
    same = criteria(mentee(goal=GOAL), mentor(goal=GOAL.upper() + "!"))
    assert same[Criterion.GOALS] == pytest.approx(1.0, abs=1e-6)
    unrelated = criteria(mentee(goal=GOAL), mentor(goal="open a hair salon"))
    assert 0 <= unrelated[Criterion.GOALS] < 0.2


def test_goal_similarity_is_the_dot_product_of_the_text_vectors() -> None:
    goals = ["I want to become an electrician", "I hope to work as an electrical installer"]
    vectors = text_vectors(goals)
    values = criteria(mentee(goal=goals[0]), mentor(goal=goals[1]))
    assert values[Criterion.GOALS] == pytest.approx(float(vectors[0] @ vectors[1]), abs=1e-6)
    assert 0.1 < values[Criterion.GOALS] < 0.9


def test_style_score_comes_from_the_compatibility_table() -> None:
    for a in CommunicationStyle:
        for b in CommunicationStyle:
            values = criteria(mentee(style=a), mentor(style=b))
            assert values[Criterion.STYLE] == pytest.approx(float(STYLE_COMPATIBILITY[a, b]))
    assert criteria(
        mentee(style=CommunicationStyle.DIRECT), mentor(style=CommunicationStyle.REFLECTIVE)
    )[Criterion.STYLE] == pytest.approx(0.3)


def test_experience_prefers_a_mentor_one_or_two_levels_ahead() -> None:
    expected = {0: 0.0, 1: 0.5, 2: 1.0, 3: 1.0, 4: 0.75, 5: 0.5625}
    got = {
        lvl: criteria(mentee(level=1), mentor(level=lvl))[Criterion.EXPERIENCE] for lvl in expected
    }
    assert got == expected
    assert experience_fit([-2, 0, 1, 2, 3, 6]).tolist() == [0.0, 0.5, 1.0, 1.0, 0.75, 0.31640625]


def test_language_score_is_the_share_of_the_mentees_languages_the_mentor_speaks() -> None:
    bilingual = mentee(languages=frozenset({0, 4}))
    assert criteria(bilingual, mentor(languages=frozenset({0})))[Criterion.LANGUAGE] == 0.5
    assert criteria(bilingual, mentor(languages=frozenset({0, 4, 7})))[Criterion.LANGUAGE] == 1.0
    assert criteria(mentee(), mentor())[Criterion.LANGUAGE] == 0.0  # no languages given


def test_wishes_score_by_rank() -> None:
    mentors = [mentor() for _ in range(7)]
    source = source_for([mentee(wishes=(3, 1, 0, 6, 5, 4))], mentors)
    values = source.criteria_for_pairs(mentee_idx=[0] * 7, mentor_idx=range(7)).values
    assert values[Criterion.WISHES].tolist() == pytest.approx([0.6, 0.8, 0.0, 1.0, 0.0, 0.2, 0.4])
    assert wish_score([1, 2, 5, 6, 0]).tolist() == pytest.approx([1.0, 0.8, 0.2, 0.0, 0.0])


# -- weights and the total ------------------------------------------------------------


def test_score_is_the_weighted_average_of_the_criteria_that_apply() -> None:
    m = mentee(
        interests=frozenset({1, 2}),
        style=CommunicationStyle.DIRECT,
        languages=frozenset({0, 4}),
        goal=GOAL,
        wishes=(0,),
    )
    t = mentor(
        interests=frozenset({2}),
        style=CommunicationStyle.STRUCTURED,
        languages=frozenset({0}),
        goal=GOAL,
    )
    weights = Weights(interests=2, goals=1, style=1, experience=0.5, language=1, wishes=3)
    source = source_for([m], [t], weights=weights)
    pair = source.criteria_for_pairs(mentee_idx=[0], mentor_idx=[0])
    # interests 0.5, goals 1, style 0.7, experience (level 1 -> 2) 1, language 0.5, wish 1
    expected = (2 * 0.5 + 1 * 1 + 1 * 0.7 + 0.5 * 1 + 1 * 0.5 + 3 * 1) / 8.5
    assert pair.score[0] == pytest.approx(expected, abs=1e-6)
    assert dense(source)[0][0, 0] == pytest.approx(expected, abs=1e-6)
    assert {c: float(w[0]) for c, w in pair.weights.items()} == {
        Criterion.INTERESTS: 2,
        Criterion.GOALS: 1,
        Criterion.STYLE: 1,
        Criterion.EXPERIENCE: 0.5,
        Criterion.LANGUAGE: 1,
        Criterion.WISHES: 3,
    }


def test_blank_goal_and_missing_wish_list_are_left_out_not_counted_as_zero() -> None:
    m = mentee(interests=frozenset({1}), style=CommunicationStyle.FLEXIBLE)
    t = mentor(interests=frozenset({1}), goal=GOAL)  # the mentee wrote no goal
    source = source_for([m], [t])
    pair = source.criteria_for_pairs(mentee_idx=[0], mentor_idx=[0])
    assert pair.weights[Criterion.GOALS][0] == 0
    assert pair.weights[Criterion.WISHES][0] == 0
    # interests 1 (w 1), style 1 (w .5), experience 1 (w 1), language 0 (w .5)
    assert pair.score[0] == pytest.approx(2.5 / 3.0, abs=1e-6)
    assert dense(source)[0][0, 0] == pytest.approx(2.5 / 3.0, abs=1e-6)


def test_programme_weights_apply_to_mentees_of_that_programme() -> None:
    only_interests = Weights(interests=1, goals=0, style=0, experience=0, language=0, wishes=0)
    mentees = [
        mentee(programme=0, interests=frozenset({1})),
        mentee(programme=1, interests=frozenset({1})),
    ]
    mentors = [mentor(programme=0, interests=frozenset({1}), level=5)]
    source = source_for(
        mentees, mentors, cross_programme=[(0, 1)], programme_weights={1: only_interests}
    )
    scores = source.criteria_for_pairs(mentee_idx=[0, 1], mentor_idx=[0, 0]).score
    # programme 0: interests 1, style 1, experience(4 ahead) .5625, language 0
    assert scores.tolist() == pytest.approx([(1 + 0.5 + 0.5625) / 3.0, 1.0])
    assert dense(source)[0][:, 0].tolist() == pytest.approx(scores.tolist(), abs=1e-6)
    assert source.weights_for(1) is only_interests
    assert source.weights_for(0) == Weights()


@pytest.mark.parametrize("bad", [{"goals": -1.0}, {"style": float("nan")}])
def test_weights_must_be_finite_and_not_negative(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="weights must be"):
        Weights(**bad)


def test_weights_cannot_all_be_zero() -> None:
    with pytest.raises(ValueError, match="not all zero"):
        Weights(interests=0, goals=0, style=0, experience=0, language=0, wishes=0)


def test_mentor_scores_use_the_mentors_wish_list_instead_of_the_mentees() -> None:
    mentees = [mentee(wishes=(1,)), mentee()]
    mentors = [mentor(wishes=(1,)), mentor()]
    source = source_for(mentees, mentors)
    scores, _, mentor_scores = dense(source)
    # Without wishes: style 1 (.5), experience 1 (1), interests 0 (1), language 0 (.5).
    plain, w = 1.5 / 3.0, 1.5
    np.testing.assert_allclose(
        scores, [[1.5 / (3 + w), (1.5 + w) / (3 + w)], [plain, plain]], atol=1e-6
    )
    np.testing.assert_allclose(
        mentor_scores, [[1.5 / (3 + w), plain], [(1.5 + w) / (3 + w), plain]], atol=1e-6
    )


# -- the blocked stream ---------------------------------------------------------------


@pytest.fixture(scope="module")
def generated() -> ProfileScoreSource:
    instance = generate_instance(mentees=1500, mentors=120, capacity=2, seed=11)
    return ProfileScoreSource(
        instance.mentees,
        instance.mentors,
        cross_programme=[(0, 1)],
        programme_weights={1: Weights(interests=3, goals=0, style=1, experience=1, language=0)},
    )


def reference_pair(
    source: ProfileScoreSource,
    goals: npt.NDArray[np.float32],
    i: int,
    j: int,
    *,
    mentor_view: bool = False,
) -> tuple[bool, float]:
    """Allowed and score of one pair, written out plainly from the cohorts."""
    a, b = source.mentee_cohort, source.mentor_cohort
    programmes = (int(a.programme[i]), int(b.programme[j]))
    allowed = programmes[0] == programmes[1] or programmes in source.cross_programme
    allowed &= int(a.availability[i]) & int(b.availability[j]) != 0
    allowed &= b.trained is None or bool(b.trained[j])
    allowed &= (i, j) not in {tuple(c) for c in a.conflicts.tolist()}
    allowed &= (j, i) not in {tuple(c) for c in b.conflicts.tolist()}
    for me, other, k, o in ((a, b, i, j), (b, a, j, i)):
        asked = int(me.requested[k])
        if asked & Preference.SAME_GENDER:
            allowed &= me.gender[k] >= 0 and me.gender[k] == other.gender[o]
        if asked & Preference.SHARED_BACKGROUND:
            allowed &= me.background[k] >= 0 and me.background[k] == other.background[o]
        if asked & Preference.SHARED_LANGUAGE:
            home = int(me.home_language[k])
            wanted = 1 << home if home >= 0 else int(me.languages[k])
            allowed &= int(other.languages[o]) & wanted != 0

    w = source.weights_for(programmes[0])
    mine, theirs = bits(a.interests[i]), bits(b.interests[j])
    languages_a, languages_b = int(a.languages[i]), int(b.languages[j])
    parts = [
        (w.interests, len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0),
        (w.style, float(STYLE_COMPATIBILITY[a.style[i], b.style[j]])),
        (w.experience, float(experience_fit(int(b.level[j]) - int(a.level[i])))),
        (w.language, (languages_a & languages_b).bit_count() / max(languages_a.bit_count(), 1)),
    ]
    if normalise(a.goals[i]) and normalise(b.goals[j]):  # punctuation alone is blank
        parts.append((w.goals, max(0.0, float(goals[i] @ goals[len(a) + j]))))
    # The mentee's view uses the mentee's wish list, the mentor's view the mentor's.
    wisher, wished = (b.wishes[j], i) if mentor_view else (a.wishes[i], j)
    wishes = [int(x) for x in wisher if x >= 0]
    if wishes:
        rank0 = wishes.index(wished) if wished in wishes else 5
        parts.append((w.wishes, max(0.0, 1 - rank0 / 5)))
    return allowed, sum(wt * v for wt, v in parts) / sum(wt for wt, _ in parts)


def bits(words: npt.NDArray[np.uint64]) -> set[int]:
    return {
        w * 64 + bit
        for w, value in enumerate(words.tolist())
        for bit in range(64)
        if value >> bit & 1
    }


def test_blocks_match_a_plain_pair_by_pair_reference(generated: ProfileScoreSource) -> None:
    scores, allowed, _ = dense(generated)
    rng = np.random.default_rng(0)
    candidates = np.argwhere(~np.isnan(scores))
    sample = candidates[rng.choice(len(candidates), 400, replace=False)]
    # Make sure the rare cases are in the sample, not just likely to be.
    special = [
        *generated.mentee_cohort.conflicts.tolist(),
        *(c[::-1] for c in generated.mentor_cohort.conflicts.tolist()),
        *(
            [i, int(w)]
            for i, row in enumerate(generated.mentee_cohort.wishes)
            for w in row
            if w >= 0
        ),
        *(
            [i, j]
            for i in np.flatnonzero(generated.mentee_cohort.requested)[:30]
            for j in range(0, 120, 17)
        ),
    ]
    goals = text_vectors(generated.mentee_cohort.goals + generated.mentor_cohort.goals)
    for i, j in [*sample.tolist(), *special]:
        expected_allowed, expected_score = reference_pair(generated, goals, i, j)
        assert allowed[i, j] == expected_allowed, (i, j)
        if not np.isnan(scores[i, j]):
            assert scores[i, j] == pytest.approx(expected_score, abs=1e-5), (i, j)
    assert not allowed[np.isnan(scores)].any()


def test_generated_pairs_outside_the_blocks_break_the_programme_rule(
    generated: ProfileScoreSource,
) -> None:
    scores, _, _ = dense(generated)
    i, j = np.nonzero(np.isnan(scores))
    failures = generated.rule_failures_for_pairs(mentee_idx=i, mentor_idx=j)
    assert len(i) > 0
    assert failures[HardRule.PROGRAMME].all()


def test_blocks_agree_with_pair_wise_criteria(generated: ProfileScoreSource) -> None:
    scores, allowed, _ = dense(generated)
    i, j = np.nonzero(~np.isnan(scores))
    pairs = generated.criteria_for_pairs(mentee_idx=i, mentor_idx=j)
    np.testing.assert_allclose(scores[i, j], pairs.score, atol=1e-6)
    failures = generated.rule_failures_for_pairs(mentee_idx=i, mentor_idx=j)
    broken = np.any(np.stack(list(failures.values())), axis=0)
    assert (allowed[i, j] == ~broken).all()
    assert 0.3 < allowed[i, j].mean() < 0.9  # the rules bite, but not everywhere


@pytest.mark.parametrize("cap", [97, 500, 4096, 10**7])
def test_any_block_size_gives_the_same_matrices(generated: ProfileScoreSource, cap: int) -> None:
    reference = dense(generated)
    chunked = ProfileScoreSource(
        generated.mentee_cohort,
        generated.mentor_cohort,
        cross_programme=[(0, 1)],
        programme_weights=generated.programme_weights,
        max_block_pairs=cap,
    )
    got = dense(chunked)
    np.testing.assert_array_equal(got[1], reference[1])
    np.testing.assert_allclose(got[0], reference[0], atol=1e-6)
    np.testing.assert_allclose(got[2], reference[2], atol=1e-6)
    sizes = [block.scores.size for block in chunked.blocks()]
    assert max(sizes) <= cap


def test_blocks_are_bounded_typed_and_the_same_every_time(generated: ProfileScoreSource) -> None:
    first, second = list(generated.blocks()), list(generated.blocks())
    assert len(first) == len(second) > 1
    for a, b in zip(first, second, strict=True):
        assert a.scores.size <= generated.max_block_pairs
        assert a.rows.dtype == np.int64
        assert a.cols.dtype == np.int64
        assert a.scores.dtype == np.float32
        assert a.allowed.dtype == np.bool_
        assert a.scores.shape == a.allowed.shape == (len(a.rows), len(a.cols))
        assert np.isfinite(a.scores).all()
        assert a.scores.min() >= 0
        assert a.scores.max() <= 1 + 1e-6
        np.testing.assert_array_equal(a.scores, b.scores)
        np.testing.assert_array_equal(a.allowed, b.allowed)


def test_blocks_containing_some_mentees_are_those_of_the_full_pass(
    generated: ProfileScoreSource,
) -> None:
    mentees = [3, 700, 701]
    everything = [b for b in generated.blocks() if np.isin(b.rows, mentees).any()]
    some = list(generated.blocks_containing(mentees))
    assert 0 < len(some) == len(everything) < len(list(generated.blocks()))
    for a, b in zip(some, everything, strict=True):
        np.testing.assert_array_equal(a.rows, b.rows)
        np.testing.assert_array_equal(a.cols, b.cols)
        np.testing.assert_array_equal(a.scores, b.scores)
        np.testing.assert_array_equal(a.allowed, b.allowed)


def test_threaded_prefetch_yields_the_same_blocks(generated: ProfileScoreSource) -> None:
    threaded = ProfileScoreSource(
        generated.mentee_cohort,
        generated.mentor_cohort,
        cross_programme=[(0, 1)],
        programme_weights=generated.programme_weights,
        max_block_pairs=50_000,
        workers=2,
    )
    serial = replace_workers(threaded, 1)
    for a, b in zip(threaded.blocks(), serial.blocks(), strict=True):
        np.testing.assert_array_equal(a.rows, b.rows)
        np.testing.assert_array_equal(a.scores, b.scores)


def replace_workers(source: ProfileScoreSource, workers: int) -> ProfileScoreSource:
    source_copy = ProfileScoreSource(
        source.mentee_cohort,
        source.mentor_cohort,
        cross_programme=[(0, 1)],
        programme_weights=source.programme_weights,
        max_block_pairs=source.max_block_pairs,
        workers=workers,
    )
    return source_copy


# -- goal texts -------------------------------------------------------------------------


def test_text_vectors_are_unit_length_and_blank_text_is_zero() -> None:
    vectors = text_vectors(["I want to weld ships!", "", "i WANT to weld   ships", "?!"])
    assert vectors.shape == (4, 256)
    assert vectors.dtype == np.float32
    norms = np.linalg.norm(vectors, axis=1)
    np.testing.assert_allclose(norms, [1, 0, 1, 0], atol=1e-6)
    np.testing.assert_array_equal(vectors[0], vectors[2])  # case and punctuation ignored


def test_text_vectors_of_only_blank_texts() -> None:
    assert not text_vectors(["", "  "], dim=64).any()


def test_text_vector_size_must_be_a_power_of_two() -> None:
    with pytest.raises(ValueError, match="power of two"):
        text_vectors(["x"], dim=100)


# -- property: any small round, any block size ----------------------------------------

SMALL_GOALS = ["", "I want to weld ships", "weld ships and travel", "open a hair salon", "?!"]


@st.composite
def small_rounds(draw: st.DrawFn) -> ProfileScoreSource:
    """Up to 6 x 5 people over 3 programmes, every field from a small domain."""
    n_mentees, n_mentors = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    ids = st.frozensets(st.integers(0, 3), max_size=3)

    def common() -> dict[str, Any]:
        return {
            "programme": draw(st.integers(0, 2)),
            "availability": draw(st.frozensets(st.integers(0, 3), min_size=1, max_size=2)),
            "interests": draw(st.frozensets(st.sampled_from([0, 1, 2, 65, 130]), max_size=3)),
            "goal": draw(st.sampled_from(SMALL_GOALS)),
            "style": draw(st.sampled_from(list(CommunicationStyle))),
            "level": draw(st.integers(1, 5)),
            "languages": draw(ids),
            "home_language": draw(st.none() | st.integers(0, 3)),
            "gender": draw(st.none() | st.integers(0, 1)),
            "background": draw(st.none() | st.integers(0, 1)),
            "requested": Preference(draw(st.integers(0, 7)))
            if draw(st.booleans())
            else Preference(0),
        }

    mentees = [
        MenteeProfile(
            **common(),
            wishes=tuple(draw(st.lists(st.integers(0, n_mentors - 1), max_size=3))),
            conflicts=draw(st.frozensets(st.integers(0, n_mentors - 1), max_size=1)),
        )
        for _ in range(n_mentees)
    ]
    mentors = [
        MentorProfile(
            **common(),
            trained=draw(st.booleans()),
            wishes=tuple(draw(st.lists(st.integers(0, n_mentees - 1), max_size=2))),
            conflicts=draw(st.frozensets(st.integers(0, n_mentees - 1), max_size=1)),
        )
        for _ in range(n_mentors)
    ]
    weights = Weights(
        interests=draw(st.sampled_from([0.0, 1.0, 2.5])),
        goals=draw(st.sampled_from([0.0, 1.0])),
        wishes=draw(st.sampled_from([0.0, 1.5])),
    )
    source = source_for(
        mentees,
        mentors,
        cross_programme=[(0, 1)] if draw(st.booleans()) else [],
        programme_weights={2: weights},
        max_block_pairs=draw(st.integers(1, 12)),
    )
    return source


@MATCHING
@given(small_rounds())
def test_blocks_equal_the_reference_for_any_small_round(source: ProfileScoreSource) -> None:
    scores, allowed, mentor_scores = dense(source)
    goals = text_vectors(source.mentee_cohort.goals + source.mentor_cohort.goals)
    for i in range(source.n_mentees):
        for j in range(source.n_mentors):
            expected_allowed, expected_score = reference_pair(source, goals, i, j)
            assert allowed[i, j] == expected_allowed, (i, j)
            assert (source.hard_rule_failures(mentee=i, mentor=j) == []) == expected_allowed
            programmes = (source.mentee_cohort.programme[i], source.mentor_cohort.programme[j])
            candidate = programmes[0] == programmes[1] or programmes in source.cross_programme
            assert np.isnan(scores[i, j]) == (not candidate)
            if candidate:
                assert scores[i, j] == pytest.approx(expected_score, abs=1e-5), (i, j)
                _, mentor_view = reference_pair(source, goals, i, j, mentor_view=True)
                assert mentor_scores[i, j] == pytest.approx(mentor_view, abs=1e-5), (i, j)
    assert all(b.scores.size <= source.max_block_pairs for b in source.blocks())
