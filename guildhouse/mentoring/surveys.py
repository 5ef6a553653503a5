"""The built-in surveys of every programme and when each one is due.

Surveys are data (``Survey`` and ``SurveyQuestion`` rows, created for each programme by
``surveys_ensure``); the built-in questions carry a key and take their wording from
``BUILTIN_SURVEYS`` below, so both languages ship with the code. When a survey is due
is computed from the pair, never stored:

* relationship check-in (``quality``), one version for mentees and one for mentors:
  first ``first_after_days`` (30) after the pair started, then every ``every_days``
  (60) while the pair is open; a round not answered before the next one is due lapses;
* meeting rating: after each meeting logged as held, one tap from 1 to 5;
* skills self-assessment (mentees): retrospective, before and now for each of the
  programme's skills, from ``END_WINDOW_DAYS`` before the cohort ends or when the pair
  reaches its planned end;
* end-of-programme survey (both sides): the same moment;
* exit survey (both sides): after an early closure.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guildhouse.mentoring.models import (
    CloseReason,
    Meeting,
    MeetingStatus,
    MentoringProgramme,
    Relationship,
    RelationshipStatus,
    Side,
    Survey,
    SurveyKind,
    SurveyQuestion,
    SurveyQuestionKind,
    SurveyResponse,
)

FIRST_CHECKIN_DAYS = 30
CHECKIN_EVERY_DAYS = 60
END_WINDOW_DAYS = 14
# Pairs ended early (not at the planned end, not declined) get the exit survey.
EARLY_REASONS = frozenset(
    {CloseReason.NO_CONTACT, CloseReason.LEFT_SCHOOL, CloseReason.POOR_FIT, CloseReason.OTHER}
)


@dataclass(frozen=True)
class BuiltinQuestion:
    key: str
    kind: str
    text: str | Promise
    required: bool = True


S, T, K = SurveyQuestionKind.SCALE, SurveyQuestionKind.TEXT, SurveyQuestionKind.SKILLS
COMMENT = BuiltinQuestion(
    "comment", T, _("Anything you would like the coordinator to know?"), required=False
)

BUILTIN_SURVEYS: dict[tuple[str, str], list[BuiltinQuestion]] = {
    (SurveyKind.QUALITY, Side.MENTEE): [
        BuiltinQuestion("comfort", S, _("I feel comfortable talking with my mentor.")),
        BuiltinQuestion("useful", S, _("Our meetings help me move forward.")),
        BuiltinQuestion("listened", S, _("My mentor listens to me and takes me seriously.")),
        BuiltinQuestion("direction", S, _("We agree on what we are working on.")),
        COMMENT,
    ],
    (SurveyKind.QUALITY, Side.MENTOR): [
        BuiltinQuestion("comfort", S, _("I feel comfortable talking with my mentee.")),
        BuiltinQuestion("useful", S, _("I think our meetings help my mentee move forward.")),
        BuiltinQuestion("engaged", S, _("My mentee comes to our meetings ready to take part.")),
        BuiltinQuestion("direction", S, _("We agree on what we are working on.")),
        BuiltinQuestion("supported", S, _("I get the support I need as a mentor.")),
        COMMENT,
    ],
    (SurveyKind.MEETING, Side.MENTEE): [
        BuiltinQuestion("rating", S, _("How useful was the meeting?")),
    ],
    (SurveyKind.MEETING, Side.MENTOR): [
        BuiltinQuestion("rating", S, _("How useful was the meeting?")),
    ],
    (SurveyKind.SKILLS, Side.MENTEE): [
        BuiltinQuestion(
            "skills", K, _("For each skill: where were you before the programme, and where now?")
        ),
    ],
    (SurveyKind.END, Side.MENTEE): [
        BuiltinQuestion("worth", S, _("Taking part was worth my time.")),
        BuiltinQuestion("goals", S, _("I reached the goals I set with my mentor.")),
        BuiltinQuestion("recommend", S, _("I would recommend a mentor to a friend.")),
        BuiltinQuestion("change", T, _("What should we change next time?"), required=False),
    ],
    (SurveyKind.END, Side.MENTOR): [
        BuiltinQuestion("worth", S, _("Mentoring was worth my time.")),
        BuiltinQuestion("prepared", S, _("The training prepared me for mentoring.")),
        BuiltinQuestion("again", S, _("I would mentor again.")),
        BuiltinQuestion("change", T, _("What should we change next time?"), required=False),
    ],
    (SurveyKind.EXIT, Side.MENTEE): [
        BuiltinQuestion("helped", S, _("The mentoring helped me while it lasted.")),
        BuiltinQuestion("why", T, _("Why did it end early, in your own words?"), required=False),
        BuiltinQuestion("better", T, _("What could we have done better?"), required=False),
    ],
    (SurveyKind.EXIT, Side.MENTOR): [
        BuiltinQuestion("helped", S, _("I think the mentoring helped my mentee while it lasted.")),
        BuiltinQuestion("why", T, _("Why did it end early, in your own words?"), required=False),
        BuiltinQuestion("better", T, _("What could we have done better?"), required=False),
    ],
}


def question_text(question: SurveyQuestion, side: str, kind: str) -> str:
    if question.builtin:
        for builtin in BUILTIN_SURVEYS.get((kind, side), []):
            if builtin.key == question.key:
                return str(builtin.text)
    return question.text


def surveys_ensure(programme: MentoringProgramme) -> dict[tuple[str, str], Survey]:
    """The programme's surveys by (kind, side), creating the built-in ones once.

    Idempotent and safe under concurrency (unique constraints, conflicts ignored), so
    programmes made before surveys existed get theirs on first use.
    """
    existing = {(s.kind, s.side): s for s in Survey.objects.filter(programme=programme)}
    if len(existing) == len(BUILTIN_SURVEYS):
        return existing
    with transaction.atomic():
        Survey.objects.bulk_create(
            [
                Survey(
                    programme=programme,
                    kind=kind,
                    side=side,
                    first_after_days=FIRST_CHECKIN_DAYS if kind == SurveyKind.QUALITY else None,
                    every_days=CHECKIN_EVERY_DAYS if kind == SurveyKind.QUALITY else None,
                )
                for kind, side in BUILTIN_SURVEYS
                if (kind, side) not in existing
            ],
            ignore_conflicts=True,
        )
        surveys = {(s.kind, s.side): s for s in Survey.objects.filter(programme=programme)}
        SurveyQuestion.objects.bulk_create(
            [
                SurveyQuestion(
                    survey=surveys[kind, side],
                    key=q.key,
                    builtin=True,
                    kind=q.kind,
                    required=q.required,
                    position=n,
                )
                for (kind, side), questions in BUILTIN_SURVEYS.items()
                if (kind, side) not in existing
                for n, q in enumerate(questions)
            ],
            ignore_conflicts=True,
        )
    return surveys


def pair_start(relationship: Relationship) -> datetime.date | None:
    """The day the pair started: when the second person accepted the match and agreement."""
    if relationship.mentee_accepted_at is None or relationship.mentor_accepted_at is None:
        return None
    if relationship.status == RelationshipStatus.PROPOSED:
        return None
    return max(relationship.mentee_accepted_at, relationship.mentor_accepted_at).date()


@dataclass(frozen=True)
class Due:
    """A survey someone may answer now."""

    survey: Survey
    relationship: Relationship
    side: str
    round: int
    due_on: datetime.date
    meeting: Meeting | None = None

    @property
    def kind(self) -> str:
        return self.survey.kind


def checkin_round(survey: Survey, start: datetime.date, today: datetime.date) -> int | None:
    """The check-in round due on ``today`` for a pair started on ``start``, if any."""
    first, every = survey.first_after_days or 0, survey.every_days or 1
    days = (today - start).days - first
    if days < 0:
        return None
    return days // every


def _at_end(relationship: Relationship, today: datetime.date) -> bool:
    if relationship.status == RelationshipStatus.CLOSED:
        return relationship.close_reason == CloseReason.COMPLETED
    if relationship.status == RelationshipStatus.PROPOSED:
        return False
    end = relationship.programme.cohort_end
    return today >= end - datetime.timedelta(days=END_WINDOW_DAYS)


def due_for(
    *,
    relationship: Relationship,
    side: str,
    today: datetime.date,
    surveys: dict[tuple[str, str], Survey],
    answered: set[tuple[int, int, int | None]],
    held: list[Meeting],
) -> list[Due]:
    """What ``side`` of the pair may answer on ``today``.

    ``answered`` holds (survey id, round, meeting id) of this person's responses for the
    pair; ``held`` the pair's meetings logged as held.
    """
    due: list[Due] = []
    start = pair_start(relationship)
    quality = surveys.get((SurveyKind.QUALITY, side))
    if quality and start and relationship.is_open:
        n = checkin_round(quality, start, today)
        if n is not None and (quality.pk, n, None) not in answered:
            first, every = quality.first_after_days or 0, quality.every_days or 1
            on = start + datetime.timedelta(days=first + n * every)
            due.append(Due(quality, relationship, side, n, on))
    rating = surveys.get((SurveyKind.MEETING, side))
    if rating:
        for meeting in held:
            if (rating.pk, 0, meeting.pk) not in answered:
                due.append(Due(rating, relationship, side, 0, meeting.starts_at.date(), meeting))
    closed_on = relationship.closed_at.date() if relationship.closed_at else today
    if _at_end(relationship, today):
        end_on = min(relationship.programme.cohort_end, closed_on)
        for kind in (SurveyKind.SKILLS, SurveyKind.END):
            survey = surveys.get((kind, side))
            if kind == SurveyKind.SKILLS and not relationship.programme.skills:
                continue
            if survey and (survey.pk, 0, None) not in answered:
                due.append(Due(survey, relationship, side, 0, end_on))
    if relationship.close_reason in EARLY_REASONS:
        exit_survey = surveys.get((SurveyKind.EXIT, side))
        if exit_survey and (exit_survey.pk, 0, None) not in answered:
            due.append(Due(exit_survey, relationship, side, 0, closed_on))
    return due


def due_surveys(
    *, relationship: Relationship, side: str, respondent_id: int, today: datetime.date
) -> list[Due]:
    """The surveys the pair's ``side`` (person ``respondent_id``) may answer on ``today``."""
    surveys = surveys_ensure(relationship.programme)
    answered: set[tuple[int, int, int | None]] = set(
        SurveyResponse.objects.filter(
            relationship=relationship, respondent_id=respondent_id
        ).values_list("survey_id", "round", "meeting_id")
    )
    held = list(
        Meeting.objects.filter(relationship=relationship, status=MeetingStatus.HELD).order_by(
            "-starts_at"
        )[:10]
    )
    return due_for(
        relationship=relationship,
        side=side,
        today=today,
        surveys=surveys,
        answered=answered,
        held=held,
    )
