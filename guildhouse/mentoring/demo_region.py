"""Peer mentoring across the region's schools, in bulk: the benchmark dataset of the
monitoring board, the programme page and the KPI page.

Each regional school (core's ``load_region``) gets a running programme (600 pairs,
started over the first weeks of the cohort, 200 days ago) and last year's closed
programme (400 pairs), so the region holds 20,000 pairs and over 300,000 meetings.
Pairs meet every two weeks, most of the time; some stopped meeting, some missed their
last two meetings. Deterministic for a given seed and day. Each school is one
transaction; the daily monitoring check runs for it at the end.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from guildhouse.core.models import AuditEvent, Institution, Membership, Role
from guildhouse.mentoring import services_monitoring
from guildhouse.mentoring.intake import Interest, Style
from guildhouse.mentoring.models import (
    Application,
    ApplicationStatus,
    CloseReason,
    Meeting,
    MeetingStatus,
    MentoringProgramme,
    Relationship,
    RelationshipStatus,
    Side,
    State,
)

REGION_SEED = 2027
RUNNING_PAIRS, CLOSED_PAIRS = 600, 400
BATCH = 5000


@dataclass(frozen=True)
class MentoringRegionSummary:
    schools: int
    pairs: int
    meetings: int
    seconds: float


def load_region(
    *,
    progress: Callable[[str], None] | None = None,
    seed: int = REGION_SEED,
    today: datetime.date | None = None,
    running_pairs: int = RUNNING_PAIRS,
    closed_pairs: int = CLOSED_PAIRS,
) -> MentoringRegionSummary:
    """Add two mentoring programmes with their pairs and meetings to every regional school
    that has none yet (so a load that stopped half-way can be run again)."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    schools = list(Institution.objects.filter(slug__startswith="region-").order_by("pk"))
    pairs = meetings = 0
    for index, school in enumerate(schools):
        if MentoringProgramme.objects.filter(institution=school).exists():
            continue
        rng = random.Random(seed * 1000 + index)
        made = _school(school, rng=rng, today=today, running=running_pairs, closed=closed_pairs)
        pairs += made[0]
        meetings += made[1]
        if progress is not None:
            progress(
                f"mentoring {index + 1}/{len(schools)}: {school.short_name}, "
                f"{made[0]} pairs, {made[1]} meetings"
            )
    return MentoringRegionSummary(
        len(schools), pairs, meetings, round(time.perf_counter() - started, 2)
    )


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _answers(rng: random.Random) -> dict[str, object]:
    return {
        "interests": rng.sample(list(Interest.values), 3),
        "style": rng.choice(list(Style.values)),
        "experience": str(rng.randint(1, 3)),
        "availability": sorted(rng.sample(range(15), 3)),
        "languages": ["fi", "en"],
    }


def _school(
    school: Institution, *, rng: random.Random, today: datetime.date, running: int, closed: int
) -> tuple[int, int]:
    learners = list(
        Membership.objects.filter(institution=school, role=Role.LEARNER, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)[: (running + closed) * 3 // 2]
    )
    coordinator = (
        Membership.objects.filter(institution=school, role=Role.COORDINATOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    actor = coordinator.user if coordinator else None
    with transaction.atomic(durable=True):
        now_programme = MentoringProgramme.objects.create(
            institution=school,
            name=f"Peer mentoring {today.year}",
            goals="Every first-year learner has a senior learner to turn to.",
            state=State.RUNNING,
            cohort_start=today - datetime.timedelta(days=200),
            cohort_end=today + datetime.timedelta(days=100),
            created_by=actor,
        )
        last_programme = MentoringProgramme.objects.create(
            institution=school,
            name=f"Peer mentoring {today.year - 1}",
            goals="Every first-year learner has a senior learner to turn to.",
            state=State.CLOSED,
            cohort_start=today - datetime.timedelta(days=565),
            cohort_end=today - datetime.timedelta(days=265),
            created_by=actor,
        )
        split = running * 3 // 2
        made_now = _pairs(
            now_programme, learners[:split], count=running, rng=rng, today=today, open_=True
        )
        made_last = _pairs(
            last_programme, learners[split:], count=closed, rng=rng, today=today, open_=False
        )
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    institution=school,
                    actor=actor,
                    actor_label=actor.email if actor else "system",
                    action="create",
                    object_type="mentoring.mentoringprogramme",
                    object_id=str(p.pk),
                    object_label=p.name,
                )
                for p in (now_programme, last_programme)
            ]
        )
    services_monitoring.monitoring_check(institution=school, now=timezone.now())
    return made_now[0] + made_last[0], made_now[1] + made_last[1]


def _pairs(
    programme: MentoringProgramme,
    people: list[int],
    *,
    count: int,
    rng: random.Random,
    today: datetime.date,
    open_: bool,
) -> tuple[int, int]:
    mentees, mentors = people[:count], people[count : count + count // 2]
    count = min(len(mentees), 2 * len(mentors))
    decided = _at(programme.cohort_start - datetime.timedelta(days=14), 10)
    applications = Application.objects.bulk_create(
        [
            Application(
                programme=programme,
                membership_id=pk,
                side=Side.MENTEE,
                status=ApplicationStatus.ACCEPTED,
                answers=_answers(rng),
                decided_at=decided,
            )
            for pk in mentees[:count]
        ]
        + [
            Application(
                programme=programme,
                membership_id=pk,
                side=Side.MENTOR,
                mentor_kind="peer",
                status=ApplicationStatus.ACCEPTED,
                answers=_answers(rng),
                capacity=2,
                seats_taken=2 if open_ else 0,
                decided_at=decided,
            )
            for pk in mentors[: (count + 1) // 2]
        ],
        batch_size=BATCH,
    )
    mentee_apps, mentor_apps = applications[:count], applications[count:]
    end = min(today, programme.cohort_end)
    relationships = []
    for n, mentee in enumerate(mentee_apps):
        start = programme.cohort_start + datetime.timedelta(days=rng.randint(5, 25))
        fate = rng.random()
        closes = None
        reason = ""
        if not open_:
            reason = CloseReason.COMPLETED if fate < 0.85 else CloseReason.NO_CONTACT
            closes = end if fate < 0.85 else start + datetime.timedelta(days=rng.randint(40, 150))
        relationships.append(
            Relationship(
                programme=programme,
                mentor=mentor_apps[n // 2],
                mentee=mentee,
                status=RelationshipStatus.ACTIVE if open_ else RelationshipStatus.CLOSED,
                score=round(rng.uniform(0.4, 0.95), 3),
                published_at=_at(start - datetime.timedelta(days=3), 9),
                mentee_accepted_at=_at(start, 12),
                mentor_accepted_at=_at(start - datetime.timedelta(days=1), 12),
                closed_at=_at(closes, 16) if closes else None,
                close_reason=reason,
            )
        )
    relationships = Relationship.objects.bulk_create(relationships, batch_size=BATCH)
    meetings = []
    for pair in relationships:
        assert pair.mentee_accepted_at is not None
        day = timezone.localdate(pair.mentee_accepted_at) + datetime.timedelta(days=4)
        stop = timezone.localdate(pair.closed_at) if pair.closed_at else today
        fate = rng.random()
        if open_ and fate < 0.08:  # stopped meeting two months ago
            stop = today - datetime.timedelta(days=60)
        these = []
        while day < stop:
            held = rng.random() < 0.9
            these.append(
                Meeting(
                    relationship=pair,
                    proposed_by_id=pair.mentee.membership_id,
                    starts_at=_at(day, rng.choice((9, 14, 18))),
                    minutes=45,
                    mode="in_person",
                    place="Library",
                    status=MeetingStatus.HELD if held else MeetingStatus.MISSED,
                    held_minutes=rng.choice((30, 45, 45, 60)) if held else None,
                    logged_by_id=pair.mentor.membership_id,
                    created_at=_at(day - datetime.timedelta(days=5), 10),
                )
            )
            day += datetime.timedelta(days=rng.choice((13, 14, 14, 15)))
        if open_ and 0.08 <= fate < 0.13 and len(these) >= 2:  # missed the last two
            for meeting in these[-2:]:
                meeting.status, meeting.held_minutes = MeetingStatus.MISSED, None
        meetings += these
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    return len(relationships), len(meetings)
