"""The one bridge from mentoring data to the matching engine (which knows no Django).

``build_round`` reads a programme's accepted applications and turns them into engine
profiles; ``explanation_data`` turns the engine's explanations back into plain JSON
that refers to applications by id. Everything the engine sees comes from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from guildhouse.core.models import Gender, SpecialCategoryData
from guildhouse.matching.explain import Explanations
from guildhouse.matching.profiles import (
    Cohort,
    CommunicationStyle,
    MenteeProfile,
    MentorProfile,
    Preference,
)
from guildhouse.matching.scoring import ProfileScoreSource, Weights
from guildhouse.mentoring.intake import Interest, Language
from guildhouse.mentoring.models import (
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    CloseReason,
    MatchingPreference,
    MentoringProgramme,
    PairRule,
    PairRuleKind,
    Relationship,
    RelationshipStatus,
    Side,
)
from guildhouse.mentoring.selectors import trained_membership_ids

INTERESTS = list(Interest.values)
LANGUAGES = list(Language.values)
GENDERS = list(Gender.values)
# Engine programme of mentors who are no learners (partner contacts, alumni) when the
# programme pairs learners of the same study programme only: they meet every programme.
OUTSIDE = -1
# Closure reasons after which a mentee is not proposed a new mentor.
NO_REMATCH = (CloseReason.COMPLETED, CloseReason.LEFT_SCHOOL)


@dataclass
class Round:
    """A programme's matching round: applications in engine order and the score source."""

    mentees: list[Application]
    mentors: list[Application]
    source: ProfileScoreSource
    capacity: npt.NDArray[np.int64]  # free seats per mentor
    trained: npt.NDArray[np.bool_]
    locked: list[tuple[int, int]]
    excluded: list[tuple[int, int]]


def build_round(programme: MentoringProgramme) -> Round:
    """Accepted mentees without an open pair, against accepted mentors with a free seat.

    Pairs that were declined or closed before are conflicts, so a rematch never
    proposes them again. Gender and background reach the engine only for people who
    gave consent with a matching preference.
    """
    accepted = Application.objects.filter(
        programme=programme, status=ApplicationStatus.ACCEPTED
    ).select_related("membership__learner_profile")
    paired = set(
        Relationship.objects.filter(programme=programme, status__in=OPEN_STATUSES).values_list(
            "mentee_id", flat=True
        )
    )
    # A pair closed at its planned end, or because someone left the institution, is done:
    # its mentee is not rematched. Declined and other early closures are (docs/mentoring.md).
    finished = set(
        Relationship.objects.filter(
            programme=programme, status=RelationshipStatus.CLOSED, close_reason__in=NO_REMATCH
        ).values_list("mentee_id", flat=True)
    )
    mentees = [
        a for a in accepted if a.side == Side.MENTEE and a.pk not in paired and a.pk not in finished
    ]
    mentors = [a for a in accepted if a.side == Side.MENTOR and a.seats_taken < a.capacity]
    people = mentees + mentors
    preferences = {
        p.application_id: p
        for p in MatchingPreference.objects.filter(application__in=[a.pk for a in people])
    }
    special = {
        s.membership_id: s
        for s in SpecialCategoryData.objects.filter(
            membership_id__in=[a.membership_id for a in people if a.pk in preferences]
        )
    }
    backgrounds: dict[str, int] = {}
    trained_ids = trained_membership_ids(
        programme=programme, membership_ids=[a.membership_id for a in mentors]
    )
    mentee_index = {a.pk: i for i, a in enumerate(mentees)}
    mentor_index = {a.pk: j for j, a in enumerate(mentors)}
    conflicts: dict[int, set[int]] = {}
    for mentee_id, mentor_id in Relationship.objects.filter(
        programme=programme, status=RelationshipStatus.CLOSED
    ).values_list("mentee_id", "mentor_id"):
        if mentee_id in mentee_index and mentor_id in mentor_index:
            conflicts.setdefault(mentee_index[mentee_id], set()).add(mentor_index[mentor_id])

    def fields(application: Application) -> dict[str, Any]:
        answers = application.answers
        preference = preferences.get(application.pk)
        data = special.get(application.membership_id)
        requested = Preference.NONE
        gender = background = None
        if preference is not None:
            if preference.same_gender:
                requested |= Preference.SAME_GENDER
            if preference.shared_background:
                requested |= Preference.SHARED_BACKGROUND
            if preference.shared_language:
                requested |= Preference.SHARED_LANGUAGE
            if data is not None and data.gender in GENDERS:
                gender = GENDERS.index(data.gender)
            if data is not None and data.background.strip():
                key = " ".join(data.background.lower().split())
                background = backgrounds.setdefault(key, len(backgrounds))
        home = answers.get("home_language")
        return {
            "programme": _engine_programme(programme, application),
            "availability": frozenset(int(s) for s in answers.get("availability", [])),
            "interests": frozenset(
                INTERESTS.index(i) for i in answers.get("interests", []) if i in INTERESTS
            ),
            "goal": str(answers.get("career_goal", "")),
            "style": _style(answers.get("style")),
            "level": _level(application),
            "languages": frozenset(
                LANGUAGES.index(x) for x in answers.get("languages", []) if x in LANGUAGES
            ),
            "home_language": LANGUAGES.index(home) if home in LANGUAGES else None,
            "gender": gender,
            "background": background,
            "requested": requested,
        }

    mentee_profiles = [
        MenteeProfile(**fields(a), conflicts=frozenset(conflicts.get(i, ())))
        for i, a in enumerate(mentees)
    ]
    trained = np.array([a.membership_id in trained_ids for a in mentors], dtype=bool)
    capacity = np.array([a.capacity - a.seats_taken for a in mentors], dtype=np.int64)
    mentor_profiles = [
        MentorProfile(**fields(a), trained=bool(trained[j]), capacity=int(capacity[j]))
        for j, a in enumerate(mentors)
    ]
    programmes = {p.programme for p in mentee_profiles}
    source = ProfileScoreSource(
        Cohort.from_profiles(mentee_profiles),
        Cohort.from_profiles(mentor_profiles),
        weights=Weights(
            interests=programme.weight_interests,
            goals=programme.weight_goals,
            style=programme.weight_style,
            experience=programme.weight_experience,
            language=programme.weight_language,
            wishes=0.0,
        ),
        cross_programme=[(p, OUTSIDE) for p in programmes if p != OUTSIDE],
    )
    rules = PairRule.objects.filter(programme=programme)
    locked: list[tuple[int, int]] = []
    excluded: list[tuple[int, int]] = []
    for rule in rules:
        i, j = mentee_index.get(rule.mentee_id), mentor_index.get(rule.mentor_id)
        if i is None or j is None:
            continue
        (locked if rule.kind == PairRuleKind.LOCK else excluded).append((i, j))
    return Round(
        mentees=mentees,
        mentors=mentors,
        source=source,
        capacity=capacity,
        trained=trained,
        locked=sorted(locked),
        excluded=sorted(excluded),
    )


def _engine_programme(programme: MentoringProgramme, application: Application) -> int:
    if not programme.same_study_programme:
        return 0
    profile = getattr(application.membership, "learner_profile", None)
    if profile is None or profile.programme_id is None:
        return OUTSIDE
    return int(profile.programme_id)


def _style(value: object) -> CommunicationStyle:
    try:
        return CommunicationStyle[str(value).upper()]
    except KeyError:
        return CommunicationStyle.FLEXIBLE


def _level(application: Application) -> int:
    try:
        return int(application.answers.get("experience", ""))
    except ValueError:
        profile = getattr(application.membership, "learner_profile", None)
        return profile.year_of_study if profile else 1


def explanation_data(
    explained: Explanations, round_: Round
) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """Per mentee index, the pair's explanation and the unmatched one, as plain JSON.

    Mentors are referred to by application id; numbers are rounded for storage.
    """
    pairs: dict[int, dict[str, Any]] = {}
    for p in explained.pairs:
        pairs[p.mentee] = {
            "score": round(p.score, 4),
            "rank": p.rank,
            "suitable": p.suitable_mentors,
            "locked": p.locked,
            "criteria": [
                {
                    "criterion": c.criterion.value,
                    "value": round(c.value, 4),
                    "share": round(c.share, 4),
                }
                for c in p.criteria
                if c.counted
            ],
            "higher": p.higher_scoring,
            "alternatives": [
                {
                    "mentor": round_.mentors[a.mentor].pk,
                    "score": round(a.score, 4),
                    "reason": a.reason.value,
                    "rules": [r.value for r in a.rules],
                }
                for a in p.alternatives
            ],
        }
    unmatched: dict[int, dict[str, Any]] = {}
    for u in explained.unmatched:
        unmatched[u.mentee] = {
            "reason": u.reason.value,
            "suitable": u.suitable_mentors,
            "rule_counts": {rule.value: n for rule, n in u.rule_counts.items() if n},
            "excluded": u.excluded_by_coordinator,
        }
    return pairs, unmatched
