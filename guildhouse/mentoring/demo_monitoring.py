"""Demo monitoring and KPIs at Riverside, on top of the programmes ``demo.py`` loads.

- *Peer mentoring 2025-26* (running): the pairs started seven days after the cohort did;
  most meet every two weeks, one pair missed its last two meetings, one has never met,
  and one mentee raised an urgent wellbeing flag. The coordinator has logged contacts
  with some pairs; the daily check has run, so the board and the overdue list show them.
- *Peer mentoring 2024-25* (closed): a full year of meetings, so its key figures are
  complete, and notes of an interview and a focus group with their themes.

Meeting history is written with the ORM (a meeting in the past cannot be planned through
the service); flags and coordinators' actions go through the services.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from guildhouse.core.models import Institution, User
from guildhouse.mentoring import services_kpis, services_monitoring
from guildhouse.mentoring.models import (
    ActionKind,
    Application,
    CloseReason,
    Meeting,
    MeetingStatus,
    MentoringProgramme,
    Relationship,
    RelationshipStatus,
    State,
)

SEED = 2026
TOPICS = (
    "Settling in",
    "Exam planning",
    "Work placement",
    "Feedback from the workshop teacher",
    "Timetable and workload",
    "Applying for a summer job",
)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _history(
    pair: Relationship,
    rng: random.Random,
    *,
    start: datetime.date,
    end: datetime.date,
    every: int,
    missed_last: int = 0,
) -> list[Meeting]:
    meetings = []
    day = start + datetime.timedelta(days=3)
    while day < end:
        meetings.append(
            Meeting(
                relationship=pair,
                proposed_by=pair.mentee.membership,
                starts_at=_at(day, 14),
                minutes=45,
                mode="in_person",
                place="Library, room 2",
                status=MeetingStatus.HELD if rng.random() < 0.9 else MeetingStatus.MISSED,
                logged_by=pair.mentor.membership,
                topics=rng.choice(TOPICS),
                created_at=_at(day - datetime.timedelta(days=4), 10),
            )
        )
        day += datetime.timedelta(days=every + rng.choice((-1, 0, 0, 1)))
    for meeting in meetings:
        if meeting.status == MeetingStatus.HELD:
            meeting.held_minutes = rng.choice((40, 45, 45, 50, 60))
    for meeting in meetings[len(meetings) - missed_last :] if missed_last else []:
        meeting.status, meeting.held_minutes = MeetingStatus.MISSED, None
    return Meeting.objects.bulk_create(meetings)


def _backdate(pair: Relationship, started: datetime.date) -> None:
    moment = _at(started, 12)
    Relationship.objects.filter(pk=pair.pk).update(
        published_at=moment - datetime.timedelta(days=2),
        mentee_accepted_at=moment,
        mentor_accepted_at=moment - datetime.timedelta(days=1),
    )
    Application.objects.filter(pk__in=[pair.mentee_id, pair.mentor_id]).update(
        decided_at=moment - datetime.timedelta(days=9)
    )
    pair.refresh_from_db()


def _pairs(programme: MentoringProgramme, status: str) -> list[Relationship]:
    return list(
        Relationship.objects.filter(programme=programme, status=status)
        .select_related(
            "programme__institution", "mentee__membership__user", "mentor__membership__user"
        )
        .order_by("pk")
    )


def load(*, institution: Institution, coordinator: User, today: datetime.date) -> None:
    rng = random.Random(SEED)
    running = MentoringProgramme.objects.filter(
        institution=institution, state=State.RUNNING
    ).first()
    closed = MentoringProgramme.objects.filter(institution=institution, state=State.CLOSED).first()
    if running is not None:
        _running(running, coordinator, today, rng)
    if closed is not None:
        _closed(closed, coordinator, rng)
    services_monitoring.monitoring_check(institution=institution, now=timezone.now())


def _running(
    programme: MentoringProgramme, coordinator: User, today: datetime.date, rng: random.Random
) -> None:
    started = programme.cohort_start + datetime.timedelta(days=7)
    pairs = _pairs(programme, RelationshipStatus.ACTIVE)
    for n, pair in enumerate(pairs):
        _backdate(pair, started)
        if n == 1:  # missed the last two
            _history(pair, rng, start=started, end=today, every=14, missed_last=2)
        elif n == 2:  # never met
            continue
        else:
            _history(pair, rng, start=started, end=today, every=14)
        if n % 2 == 0:
            # Two contacts in the first month, as the standard asks; the others are late.
            for days in (10, 25):
                services_monitoring.monitoring_action_log(
                    actor=coordinator,
                    relationship=pair,
                    kind=ActionKind.CONTACT_BOTH,
                    note="Checked in after a meeting; all fine.",
                    taken_on=started + datetime.timedelta(days=days),
                )
    if len(pairs) > 3:
        worried = pairs[3]
        services_monitoring.flag_raise(
            actor=worried.mentee.membership.user,
            relationship=worried,
            topic="wellbeing",
            urgent=True,
            message="I have not slept well for weeks and I am behind with everything.",
        )
    if len(pairs) > 4:
        services_monitoring.flag_raise(
            actor=pairs[4].mentor.membership.user,
            relationship=pairs[4],
            topic="scheduling",
            urgent=False,
            message="Our timetables changed and we cannot find a common afternoon.",
        )


def _closed(programme: MentoringProgramme, coordinator: User, rng: random.Random) -> None:
    started = programme.cohort_start + datetime.timedelta(days=10)
    pairs = _pairs(programme, RelationshipStatus.CLOSED)
    for n, pair in enumerate(pairs):
        _backdate(pair, started)
        ends = programme.cohort_end - datetime.timedelta(days=5)
        early = n == len(pairs) - 1 and len(pairs) > 2
        if early:  # one pair lost contact half-way
            ends = started + datetime.timedelta(days=90)
        _history(pair, rng, start=started, end=ends, every=14)
        Relationship.objects.filter(pk=pair.pk).update(
            closed_at=_at(ends, 16),
            close_reason=CloseReason.NO_CONTACT if early else CloseReason.COMPLETED,
        )
    services_kpis.evidence_note_add(
        actor=coordinator,
        programme=programme,
        kind="focus_group",
        held_on=programme.cohort_end - datetime.timedelta(days=10),
        title="End-of-year focus group with mentees",
        text="Most said their mentor helped them feel at home in the first weeks. Several "
        "wanted more help before the first work placement. Two found the fortnightly "
        "rhythm hard to keep in spring.",
        tags=["belonging", "work placement", "scheduling"],
    )
    services_kpis.evidence_note_add(
        actor=coordinator,
        programme=programme,
        kind="interview",
        held_on=programme.cohort_end - datetime.timedelta(days=20),
        title="Interview with a mentor",
        text="Being a mentor made them plan their own studies better; the training on "
        "active listening was the most useful module.",
        tags=["confidence", "training"],
    )
