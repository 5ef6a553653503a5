"""Explanations on a hand-built round, checked for their exact contents.

Four mentees, four mentors (three in programme 0, one in programme 1), default
weights (interests 1, goals 1, style 0.5, experience 1, language 0.5, wishes 1.5):

- Ana (mentee 0) shares Sam's goal and three interests and wished for Sam;
- Ben (mentee 1) would score best with Sam, but Sam takes one mentee, and Jo,
  who would also beat his match, has not completed mentor training;
- Cas (mentee 2) asked for a mentor of her own gender and declared a conflict
  with Ali, so nobody is suitable;
- Dee (mentee 3) could take Sam or Ali, but both are full.

The optimal matching is Ana-Sam (0.9545) and Ben-Ali (0.7278): 1.6823, against
1.5545 for Ana-Sam and Dee-Ali, or 1.3833 for Ben-Sam and Ana-Ali.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from guildhouse.matching import Mode, solve
from guildhouse.matching.explain import (
    Explanations,
    PairExplanation,
    Reason,
    UnmatchedReason,
    explain_assignment,
)
from guildhouse.matching.profiles import (
    Cohort,
    CommunicationStyle,
    Labels,
    MenteeProfile,
    MentorProfile,
    Preference,
    slot,
)
from guildhouse.matching.scoring import Criterion, HardRule, ProfileScoreSource

TUE, THU = slot(1, 1), slot(3, 2)
GOAL = "I want to become a certified electrician"
CAPACITY = [1, 1, 2, 1]
LABELS = Labels(
    interests=("football", "wiring", "solar panels", "EV chargers", "gaming", "music"),
    languages=("English", "Arabic", "Polish", "Turkish", "Somali"),
    levels={1: "year 1", 2: "year 2", 3: "year 3", 5: "industry"},
    mentors=("Sam", "Ali", "Jo", "Kim"),
)


def hand_built() -> ProfileScoreSource:
    mentees = [
        MenteeProfile(  # Ana
            programme=0,
            availability=frozenset({TUE, THU}),
            interests=frozenset({1, 2, 3, 4}),
            style=CommunicationStyle.DIRECT,
            languages=frozenset({0}),
            goal=GOAL,
            wishes=(0,),
        ),
        MenteeProfile(  # Ben
            programme=0,
            availability=frozenset({TUE}),
            interests=frozenset({1, 2, 3}),
            style=CommunicationStyle.DIRECT,
            languages=frozenset({0, 4}),
            home_language=4,
        ),
        MenteeProfile(  # Cas
            programme=0,
            availability=frozenset({TUE}),
            level=2,
            gender=0,
            requested=Preference.SAME_GENDER,
            conflicts=frozenset({1}),
        ),
        MenteeProfile(  # Dee
            programme=0,
            availability=frozenset({TUE}),
            interests=frozenset({5}),
            style=CommunicationStyle.REFLECTIVE,
            languages=frozenset({0}),
        ),
    ]
    mentors = [
        MentorProfile(  # Sam
            programme=0,
            availability=frozenset({TUE, THU}),
            level=3,
            interests=frozenset({1, 2, 3}),
            style=CommunicationStyle.DIRECT,
            languages=frozenset({0}),
            goal=GOAL,
            gender=1,
            capacity=1,
        ),
        MentorProfile(  # Ali
            programme=0,
            availability=frozenset({TUE}),
            level=2,
            interests=frozenset({1}),
            style=CommunicationStyle.STRUCTURED,
            languages=frozenset({0, 4}),
            gender=0,
            capacity=1,
        ),
        MentorProfile(  # Jo
            programme=0,
            availability=frozenset({TUE}),
            level=5,
            interests=frozenset({1, 2, 3}),
            style=CommunicationStyle.DIRECT,
            languages=frozenset({0}),
            gender=0,
            trained=False,
            capacity=2,
        ),
        MentorProfile(programme=1, availability=frozenset({TUE}), level=3),  # Kim
    ]
    return ProfileScoreSource(Cohort.from_profiles(mentees), Cohort.from_profiles(mentors))


@pytest.fixture(scope="module")
def source() -> ProfileScoreSource:
    return hand_built()


@pytest.fixture(scope="module")
def explained(source: ProfileScoreSource) -> Explanations:
    result = solve(source, CAPACITY, mode=Mode.OPTIMAL)
    assert result.assignment.tolist() == [0, 1, -1, -1]
    return explain_assignment(
        source=source, assignment=result.assignment, capacity=CAPACITY, labels=LABELS
    )


def parts(pair: PairExplanation) -> dict[str, tuple[float, float, float, bool]]:
    """(value, weight, contribution, counted) per criterion, rounded to 9 places."""
    return {
        p.criterion.value: (round(p.value, 9), p.weight, round(p.contribution, 9), p.counted)
        for p in pair.criteria
    }


def third(n: float) -> float:
    return round(n / 3, 9)


def test_the_best_pair_is_explained_criterion_by_criterion(explained: Explanations) -> None:
    ana = explained.pairs[0]
    assert (ana.mentee, ana.mentor, ana.rank, ana.suitable_mentors) == (0, 0, 1, 2)
    assert ana.score == pytest.approx(5.25 / 5.5)
    assert parts(ana) == {
        "interests": (0.75, 1.0, 0.75, True),
        "goals": (1.0, 1.0, 1.0, True),
        "style": (1.0, 0.5, 0.5, True),
        "experience": (1.0, 1.0, 1.0, True),
        "language": (1.0, 0.5, 0.5, True),
        "wishes": (1.0, 1.5, 1.5, True),
    }
    assert sum(p.share for p in ana.criteria) == pytest.approx(ana.score)
    assert ana.common_times == ("Tue afternoon", "Thu evening")
    assert (ana.higher_scoring, ana.alternatives, ana.locked) == (0, (), False)
    assert ana.sentences == (
        "The best-scoring of 2 suitable mentors.",
        "Shares 3 of the 4 interests they named between them: "
        "wiring, solar panels and EV chargers.",
        "Their career goals are very similar.",
        "Both prefer a direct way of talking things through.",
        "The mentor (year 3) is 2 steps ahead of the mentee (year 1): the ideal gap.",
        "Both speak English.",
        "The mentee put this mentor 1st on their wish list.",
        "Available together on Tue afternoon and Thu evening.",
    )


def test_a_second_choice_names_the_full_and_the_untrained_mentor(
    explained: Explanations,
) -> None:
    ben = explained.pairs[1]
    assert (ben.mentee, ben.mentor, ben.rank, ben.suitable_mentors) == (1, 1, 2, 2)
    # interests 1/3, style 0.7, experience 1, language 2/2; no goal, no wish list
    assert ben.score == pytest.approx((1 / 3 + 0.35 + 1 + 0.5) / 3)
    assert parts(ben) == {
        "interests": (third(1), 1.0, third(1), True),
        "goals": (0.0, 0.0, 0.0, False),
        "style": (0.7, 0.5, 0.35, True),
        "experience": (1.0, 1.0, 1.0, True),
        "language": (1.0, 0.5, 0.5, True),
        "wishes": (0.0, 0.0, 0.0, False),
    }
    assert ben.higher_scoring == 2
    sam, jo = ben.alternatives
    assert (sam.mentor, sam.reason, sam.rules) == (0, Reason.FULL, ())
    assert sam.score == pytest.approx(
        2.75 / 3, abs=1e-6
    )  # interests 1, style, experience, half the languages
    assert (jo.mentor, jo.reason, jo.rules) == (2, Reason.RULE, (HardRule.TRAINING,))
    assert jo.score == pytest.approx((1 + 0.5 + 0.5625 + 0.25) / 3, abs=1e-6)
    assert ben.sentences == (
        "Ranked 2nd of 2 suitable mentors by score.",
        "Shares 1 of the 3 interests they named between them: wiring.",
        "Career goals not compared: neither wrote one.",
        "The mentee prefers a direct style, the mentor a structured one: a good fit.",
        "The mentor (year 2) is 1 step ahead of the mentee (year 1): the ideal gap.",
        "Both speak English and Somali.",
        "The mentee made no wish list.",
        "Available together on Tue afternoon.",
        "Sam scored higher (92%) but is already full with 1 other mentee.",
        "Jo scored higher (77%) but cannot be paired: has not completed mentor training.",
    )


def test_nobody_suitable_counts_the_first_rule_for_every_mentor(
    explained: Explanations,
) -> None:
    cas = explained.unmatched[0]
    assert (cas.mentee, cas.reason, cas.suitable_mentors) == (
        2,
        UnmatchedReason.NO_SUITABLE_MENTOR,
        0,
    )
    # Kim: other programme; Sam: a man; Ali: conflict; Jo: untrained.
    assert cas.rule_counts == {
        HardRule.PROGRAMME: 1,
        HardRule.SAME_GENDER: 1,
        HardRule.CONFLICT: 1,
        HardRule.TRAINING: 1,
    }
    assert cas.sentence == (
        "No suitable mentor: 1 is in another programme, 1 does not meet a same-gender "
        "request, 1 has a declared conflict of interest and 1 has not completed mentor training."
    )


def test_everyone_suitable_full(explained: Explanations) -> None:
    dee = explained.unmatched[1]
    assert (dee.mentee, dee.reason, dee.suitable_mentors) == (
        3,
        UnmatchedReason.ALL_SUITABLE_FULL,
        2,
    )
    assert dee.rule_counts == {}  # counted only when nobody is suitable
    assert dee.sentence == "Both suitable mentors are already full."


def test_to_dict_is_plain_json(explained: Explanations) -> None:
    data = json.loads(json.dumps(explained.to_dict()))
    ben = data["pairs"][1]
    assert ben["alternatives"][1] == {
        "mentor": 2,
        "score": pytest.approx(0.7708333, abs=1e-6),
        "reason": "rule",
        "rules": ["training"],
        "sentence": (
            "Jo scored higher (77%) but cannot be paired: has not completed mentor training."
        ),
    }
    assert ben["criteria"][2] == {
        "criterion": "style",
        "value": pytest.approx(0.7),
        "weight": 0.5,
        "contribution": pytest.approx(0.35),
        "share": pytest.approx(0.35 / 3),
        "counted": True,
        "sentence": "The mentee prefers a direct style, the mentor a structured one: a good fit.",
    }
    assert data["unmatched"][1] == {
        "mentee": 3,
        "reason": "all_suitable_full",
        "suitable_mentors": 2,
        "rule_counts": {},
        "excluded_by_coordinator": 0,
        "sentence": "Both suitable mentors are already full.",
    }


def test_coordinator_exclusions_and_locks_are_named(source: ProfileScoreSource) -> None:
    explained = explain_assignment(
        source=source,
        assignment=[0, 1, -1, -1],
        capacity=CAPACITY,
        locked=[(1, 1)],
        excluded=[(1, 0), (3, 0), (3, 1)],
        labels=LABELS,
    )
    ben = explained.pairs[1]
    assert ben.locked
    assert ben.sentences[1] == "A coordinator fixed this pair."
    assert ben.suitable_mentors == 1  # Sam is excluded for him
    assert ben.rank == 1
    assert [a.reason for a in ben.alternatives] == [Reason.EXCLUDED, Reason.RULE]
    assert (
        ben.alternatives[0].sentence
        == "Sam scored higher (92%) but a coordinator excluded this pair."
    )
    dee = explained.unmatched[1]
    assert (dee.reason, dee.excluded_by_coordinator) == (UnmatchedReason.NO_SUITABLE_MENTOR, 2)
    assert dee.sentence == (
        "No suitable mentor: 1 is in another programme, 1 has not completed mentor training "
        "and 2 excluded by a coordinator."
    )


def test_a_mentor_with_room_who_was_not_chosen(source: ProfileScoreSource) -> None:
    # Not what the solver does: a hand-made assignment that leaves Sam empty.
    explained = explain_assignment(
        source=source, assignment=[1, -1, -1, -1], capacity=CAPACITY, labels=LABELS, top=1
    )
    ana = explained.pairs[0]
    assert (ana.rank, ana.higher_scoring) == (2, 2)  # Sam, and untrained Jo
    (sam,) = ana.alternatives  # top=1
    assert (sam.mentor, sam.reason) == (0, Reason.NOT_CHOSEN)
    assert (
        sam.sentence == "Sam scored higher (95%) and had room, but the matching chose differently."
    )
    ben = explained.unmatched[0]
    assert (ben.reason, ben.sentence) == (
        UnmatchedReason.NOT_CHOSEN,
        "1 suitable mentor still had room, but the matching left this mentee out.",
    )


def test_only_the_requested_mentees_are_explained(source: ProfileScoreSource) -> None:
    explained = explain_assignment(
        source=source, assignment=[0, 1, -1, -1], capacity=CAPACITY, mentees=[3, 1]
    )
    assert [p.mentee for p in explained.pairs] == [1]
    assert [u.mentee for u in explained.unmatched] == [3]
    # Without labels, mentors get neutral names.
    assert explained.pairs[0].alternatives[0].sentence.startswith("Mentor 0 scored higher")


def test_generated_round_explains_every_mentee_consistently() -> None:
    from guildhouse.matching.generate import generate_instance

    instance = generate_instance(mentees=600, mentors=150, capacity=3, seed=5)
    result = solve(instance.source, instance.capacity, mode=Mode.OPTIMAL)
    explained = explain_assignment(
        source=instance.source,
        assignment=result.assignment,
        capacity=instance.capacity,
        labels=instance.labels,
    )
    assert len(explained.pairs) == result.matched
    assert len(explained.pairs) + len(explained.unmatched) == 600
    load = np.bincount(result.assignment[result.assignment >= 0], minlength=150)
    for pair in explained.pairs:
        assert 1 <= pair.rank <= pair.suitable_mentors
        assert sum(p.share for p in pair.criteria) == pytest.approx(pair.score)
        assert len(pair.alternatives) == min(5, pair.higher_scoring)
        for alternative in pair.alternatives:
            # An optimal matching never passes over a better mentor with room.
            assert alternative.reason in (Reason.RULE, Reason.FULL)
            if alternative.reason is Reason.FULL:
                assert load[alternative.mentor] == 3
            else:
                assert alternative.rules
    for unmatched in explained.unmatched:
        assert unmatched.reason is not UnmatchedReason.NOT_CHOSEN
        assert unmatched.sentence
    assert {Criterion(p.criterion) for p in explained.pairs[0].criteria} == set(Criterion)
