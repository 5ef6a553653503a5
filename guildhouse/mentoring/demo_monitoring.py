"""Demo monitoring and KPIs at Riverside, on top of the programmes ``demo.py`` loads.

- *Peer mentoring 2025-26* (running), on top of the lifecycle demo's meetings and
  check-ins: the struggling pair missed its last two meetings (and its check-ins are
  low), the last pair cancelled its recent meetings, one mentee raised an urgent
  wellbeing flag and a mentor a scheduling one. The coordinator has contacted half the
  pairs twice; the daily check has run, so the board and the overdue list show them.
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
    """Builds on the lifecycle demo's meetings (weeks 6, 4 and 2 ago; pair 1 struggling)."""
    pairs = sorted(_pairs(programme, RelationshipStatus.ACTIVE), key=_demo_learner_first)
    for n, pair in enumerate(pairs):
        if not Meeting.objects.filter(relationship=pair).exists():
            started = timezone.localdate(pair.mentee_accepted_at or pair.published_at)
            _history(pair, rng, start=started, end=today, every=14)
        if n == 1:  # the struggling pair missed again last week: two in a row
            Meeting.objects.create(
                relationship=pair,
                proposed_by=pair.mentor.membership,
                starts_at=timezone.now() - datetime.timedelta(days=6, hours=2),
                minutes=45,
                mode="online",
                link="https://meet.example.org/riverside-buddies",
                status=MeetingStatus.MISSED,
                logged_by=pair.mentor.membership,
            )
        if n == len(pairs) - 1 and n > 4:  # the last pair cancelled twice: no meeting for weeks
            Meeting.objects.filter(
                relationship=pair, starts_at__gte=timezone.now() - datetime.timedelta(days=35)
            ).update(status=MeetingStatus.CANCELLED, held_minutes=None)
        if n % 2 == 0:
            # Two contacts in the first month, as the standard asks; the others are late.
            started = timezone.localdate(pair.mentee_accepted_at or pair.published_at)
            for days in (10, 25):
                services_monitoring.monitoring_action_log(
                    actor=coordinator,
                    relationship=pair,
                    kind=ActionKind.CONTACT_BOTH,
                    note="Checked in after a meeting; all fine.",
                    taken_on=min(today, started + datetime.timedelta(days=days)),
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


def _demo_learner_first(pair: Relationship) -> tuple[bool, int]:
    return (pair.mentee.membership.user.email != "learner@riverside.demo", pair.pk)


def _closed(programme: MentoringProgramme, coordinator: User, rng: random.Random) -> None:
    started = programme.cohort_start + datetime.timedelta(days=10)
    pairs = _pairs(programme, RelationshipStatus.CLOSED)
    for n, pair in enumerate(pairs):
        _backdate(pair, started)
        ends = programme.cohort_end - datetime.timedelta(days=5 + n % 3)
        _history(pair, rng, start=started, end=ends, every=14)
        Relationship.objects.filter(pk=pair.pk).update(closed_at=_at(ends, 16))
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
