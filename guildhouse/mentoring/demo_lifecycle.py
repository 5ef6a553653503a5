"""Demo of a pair's life at Riverside: agreements, goals, meetings, surveys and closure.

Called at the end of ``demo.load_demo``, once the programmes exist:

- *Peer mentoring 2025-26* (running): pairs started about seven weeks ago (the start
  is moved back, as if they had accepted then), with held and missed meetings, meeting
  ratings, check-ins answered (one pair low), goals with milestones and progress; the
  demo learner has a check-in due and a meeting tomorrow (so a reminder goes out);
  one pair ended early as not a good fit, with an exit survey, and its mentee waits
  for a rematch.
- *Peer mentoring 2024-25* (closed): every pair reached the planned end, with the
  closure checklist, future-contact choices, the skills self-assessment (before and
  now) and the end-of-programme survey.

History (past meetings, earlier starts) is written with the ORM, as the services refuse
the past; everything a person does now goes through the services.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from guildhouse.core.models import Institution, User
from guildhouse.mentoring import services_lifecycle, services_meetings, services_surveys
from guildhouse.mentoring.demo import COORDINATOR, DEMO_LEARNER, SEED
from guildhouse.mentoring.models import (
    CloseReason,
    Meeting,
    MeetingMode,
    MeetingStatus,
    MentoringProgramme,
    Relationship,
    RelationshipStatus,
    SurveyKind,
)
from guildhouse.mentoring.services_matching import relationship_close
from guildhouse.mentoring.surveys import surveys_ensure

GOALS = (
    ("Find a work placement for the spring", ["Write a CV", "Apply to three companies"]),
    ("Pass the first-year maths module", ["Go to the maths workshop twice", "Retake test 2"]),
    ("Feel at home at school", ["Join a club", "Eat lunch with classmates"]),
)
TOPICS = ("Study plan", "Work placement", "Timetable worries", "Job interview practice")


def load_lifecycle_demo(*, riverside: Institution, today: datetime.date) -> None:
    rng = random.Random(SEED + 10)
    coordinator = User.objects.get(email=COORDINATOR)
    running = MentoringProgramme.objects.get(institution=riverside, name="Peer mentoring 2025-26")
    closed = MentoringProgramme.objects.get(institution=riverside, name="Peer mentoring 2024-25")
    _running(coordinator, running, today, rng)
    _closed(coordinator, closed, rng)


def _pairs(programme: MentoringProgramme, status: str) -> list[Relationship]:
    pairs = Relationship.objects.filter(programme=programme, status=status).select_related(
        "programme__institution", "mentee__membership__user", "mentor__membership__user"
    )
    return sorted(pairs, key=lambda p: (p.mentee.membership.user.email != DEMO_LEARNER, p.pk))


def _running(
    coordinator: User, programme: MentoringProgramme, today: datetime.date, rng: random.Random
) -> None:
    surveys_ensure(programme)
    started = timezone.now() - datetime.timedelta(days=50)
    pairs = _pairs(programme, RelationshipStatus.ACTIVE)
    Relationship.objects.filter(pk__in=[p.pk for p in pairs]).update(
        mentee_accepted_at=started, mentor_accepted_at=started
    )
    for n, pair in enumerate(pairs):
        pair.refresh_from_db()
        mentee, mentor = pair.mentee.membership.user, pair.mentor.membership.user
        low = n == 1  # one pair is struggling: low check-ins, a missed meeting
        for week in (6, 4, 2):
            when = timezone.now() - datetime.timedelta(weeks=week, hours=rng.randint(0, 5))
            missed = low and week == 2
            Meeting.objects.create(
                relationship=pair,
                proposed_by=pair.mentee.membership,
                starts_at=when,
                minutes=45,
                mode=MeetingMode.IN_PERSON,
                place="Library, group room 2",
                status=MeetingStatus.MISSED if missed else MeetingStatus.HELD,
                held_minutes=None if missed else rng.choice((35, 45, 50, 60)),
                topics="" if missed else rng.choice(TOPICS),
                notes="" if missed else "We made a plan for the next two weeks.",
                notes_shared=week == 6,
                logged_by=pair.mentor.membership,
            )
        latest = Meeting.objects.filter(relationship=pair, status=MeetingStatus.HELD).last()
        if latest is not None and n != 0:
            for person in (mentee, mentor):
                services_surveys.survey_submit(
                    actor=person,
                    relationship=pair,
                    kind=SurveyKind.MEETING,
                    answers={"rating": 2 if low else rng.choice((4, 5))},
                    meeting=latest,
                )
        choices = (1, 2, 2) if low else (4, 4, 5)

        def score(choices: tuple[int, ...] = choices) -> int:
            return rng.choice(choices)

        services_surveys.survey_submit(
            actor=mentor,
            relationship=pair,
            kind=SurveyKind.QUALITY,
            answers={
                "comfort": score(),
                "useful": score(),
                "engaged": score(),
                "direction": score(),
                "supported": 4,
                "comment": "We keep missing each other." if low else "",
            },
        )
        if n != 0:  # the demo learner still has her check-in to answer
            services_surveys.survey_submit(
                actor=mentee,
                relationship=pair,
                kind=SurveyKind.QUALITY,
                answers={
                    "comfort": score(),
                    "useful": score(),
                    "listened": score(),
                    "direction": score(),
                },
            )
        title, milestones = GOALS[n % len(GOALS)]
        goal = services_lifecycle.goal_add(
            actor=mentee,
            relationship=pair,
            title=title,
            description="",
            target_date=programme.cohort_end - datetime.timedelta(days=30),
        )
        for k, step in enumerate(milestones):
            milestone = services_lifecycle.milestone_add(
                actor=mentee,
                goal=goal,
                title=step,
                target_date=today + datetime.timedelta(days=14 * (k + 1)),
            )
            if k == 0 and not low:
                services_lifecycle.milestone_done(actor=mentee, milestone=milestone, done=True)
        services_lifecycle.goal_progress(
            actor=mentee,
            goal=goal,
            progress=10 if low else 40,
            note="" if low else "First step done; the next one is booked.",
            status="open",
        )
    if pairs:
        aino = pairs[0]
        tomorrow = timezone.localtime() + datetime.timedelta(days=1)
        services_meetings.meeting_propose(
            actor=aino.mentee.membership.user,
            relationship=aino,
            starts_at=tomorrow.replace(hour=14, minute=0, second=0, microsecond=0),
            minutes=45,
            mode=MeetingMode.ONLINE,
            link="https://meet.riverside.demo/mentoring-aino",
        )
    if len(pairs) > 3:
        ended = pairs[-1]
        relationship_close(
            actor=coordinator,
            relationship=ended,
            reason=CloseReason.POOR_FIT,
            note="Different expectations about how often to meet.",
        )
        ended.refresh_from_db()
        services_surveys.survey_submit(
            actor=ended.mentee.membership.user,
            relationship=ended,
            kind=SurveyKind.EXIT,
            answers={
                "helped": 3,
                "why": "We wanted different things from the meetings.",
                "better": "Ask about meeting times before matching.",
            },
        )


def _closed(coordinator: User, programme: MentoringProgramme, rng: random.Random) -> None:
    surveys_ensure(programme)
    for n, pair in enumerate(_pairs(programme, RelationshipStatus.CLOSED)):
        if pair.close_reason != CloseReason.COMPLETED:
            continue
        mentee, mentor = pair.mentee.membership.user, pair.mentor.membership.user
        services_lifecycle.closure_update(
            actor=coordinator,
            membership=coordinator.memberships.get(institution=programme.institution),
            relationship=pair,
            checklist={
                "final_meeting": True,
                "goals_reviewed": True,
                "achievements_recognised": n % 3 != 0,
                "next_steps": True,
            },
        )
        for person, choice in ((mentee, "yes"), (mentor, "yes" if n % 2 == 0 else "no")):
            services_lifecycle.closure_update(
                actor=person,
                membership=person.memberships.get(institution=programme.institution),
                relationship=pair,
                contact=choice,
            )
        services_surveys.survey_submit(
            actor=mentee,
            relationship=pair,
            kind=SurveyKind.SKILLS,
            answers={
                "skills": {
                    skill: [rng.randint(1, 3), rng.randint(3, 5)] for skill in programme.skills
                }
            },
        )
        services_surveys.survey_submit(
            actor=mentee,
            relationship=pair,
            kind=SurveyKind.END,
            answers={"worth": rng.randint(3, 5), "goals": rng.randint(3, 5), "recommend": 5},
        )
        services_surveys.survey_submit(
            actor=mentor,
            relationship=pair,
            kind=SurveyKind.END,
            answers={"worth": 5, "prepared": rng.randint(3, 5), "again": rng.randint(4, 5)},
        )
