"""Demo peer mentoring at Riverside: a programme in every state, written through the services.

- *First-year buddies* is recruiting: a few learners have applied; the demo learner
  (learner@riverside.demo) can still apply.
- *Work placement mentoring* is matching: applications screened, mentors trained (one
  not yet, so the explanation shows the training gate), a partner contact as industry
  mentor, and a finished run waiting for review.
- *Peer mentoring 2025-26* is running: pairs published and accepted, the demo learner
  among the mentees; one pair declined.
- *Peer mentoring 2024-25* is closed.

Everything goes through ``services`` so that the audit log reads like real use. The
loader runs once: it returns at once when Riverside already has mentoring programmes.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from guildhouse.core.demo import DEMO_INSTITUTIONS
from guildhouse.core.models import Institution, Membership, Role, User
from guildhouse.mentoring import demo_monitoring, services, services_matching
from guildhouse.mentoring.intake import Interest, Language, Style
from guildhouse.mentoring.models import (
    Application,
    ApplicationStatus,
    CloseReason,
    MatchingRun,
    MentoringProgramme,
    Relationship,
    Side,
    State,
)
from guildhouse.mentoring.training import MODULES

SEED = 2025
COORDINATOR = "coordinator@riverside.demo"
DEMO_LEARNER = "learner@riverside.demo"
DEMO_PARTNER = "partner@riverside.demo"
GOALS = (
    "I want to become an electrician and work on solar panels.",
    "I would like to run my own hair salon one day.",
    "I want a job in a hospital kitchen and later study to be a chef.",
    "I want to work with cars, maybe electric ones.",
    "I hope to find a work placement where I can learn carpentry.",
    "I want to get through my first year and feel at home here.",
    "",
)
SKILLS = ["Giving and taking feedback", "Planning your studies", "Talking with employers"]


def load_demo(*, today: datetime.date) -> None:
    riverside = Institution.objects.get(name=DEMO_INSTITUTIONS["Riverside"])
    if MentoringProgramme.objects.filter(institution=riverside).exists():
        return
    rng = random.Random(SEED)
    coordinator = User.objects.get(email=COORDINATOR)
    learners = (
        Membership.objects.filter(institution=riverside, role=Role.LEARNER, is_active=True)
        .exclude(user__email=DEMO_LEARNER)
        .select_related("user", "learner_profile")
        .order_by("pk")
    )
    first_years = [m for m in learners if m.learner_profile.year_of_study == 1]
    seniors = [m for m in learners if m.learner_profile.year_of_study >= 2]
    aino = Membership.objects.get(institution=riverside, user__email=DEMO_LEARNER)
    partner = Membership.objects.get(institution=riverside, user__email=DEMO_PARTNER)

    _recruiting(coordinator, riverside, today, rng, first_years[:5])
    _matching(coordinator, riverside, today, rng, first_years[5:17], seniors[:5], partner)
    _running(coordinator, riverside, today, rng, [aino, *first_years[17:27]], seniors[5:11])
    _closed(coordinator, riverside, today, rng, first_years[27:33], seniors[11:14])
    _lifecycle(riverside, today)
    # Monitoring and KPIs: meeting history, flags, contacts, the daily check, evidence.
    demo_monitoring.load(institution=riverside, coordinator=coordinator, today=today)


def _programme(
    actor: User, institution: Institution, name: str, start: datetime.date, **fields: Any
) -> MentoringProgramme:
    values: dict[str, Any] = {
        "goals": "Every new learner has a senior learner to turn to: settling in, study "
        "skills, and the first work placement. Pairs meet at least every two weeks.",
        "cohort_start": start,
        "cohort_end": start + datetime.timedelta(days=240),
        "skills": SKILLS,
        **fields,
    }
    programme = services.mentoring_programme_create(
        actor=actor, institution=institution, name=name, **values
    )
    return services.mentoring_programme_transition(
        actor=actor, programme=programme, to=State.RECRUITING
    )


def _answers(rng: random.Random, membership: Membership, side: str) -> dict[str, Any]:
    year = membership.learner_profile.year_of_study if membership.role == Role.LEARNER else 5
    # Learners are free mostly in the afternoon, working people in the evening.
    part = 1 if membership.role == Role.LEARNER else 2
    days = rng.sample(range(5), 2)
    answers: dict[str, Any] = {
        "interests": rng.sample(list(Interest.values), 3),
        "style": rng.choice(list(Style.values)),
        "experience": str(min(year, 5)),
        "availability": sorted(day * 3 + part for day in days),
        "languages": ["fi", "en"] if rng.random() < 0.7 else ["fi", rng.choice(Language.values)],
    }
    goal = rng.choice(GOALS) if side == Side.MENTEE else ""
    if goal:
        answers["career_goal"] = goal
    return answers


def _apply(
    actor: User,
    programme: MentoringProgramme,
    rng: random.Random,
    people: list[Membership],
    side: str,
) -> list[Application]:
    return [
        services.application_submit(
            actor=person.user,
            programme=programme,
            membership=person,
            side=side,
            answers=_answers(rng, person, side),
        )
        for person in people
    ]


def _accept(actor: User, applications: list[Application], *, capacity: int = 2) -> None:
    for application in applications:
        services.application_screen(
            actor=actor,
            application=application,
            decision=ApplicationStatus.ACCEPTED,
            capacity=capacity if application.side == Side.MENTOR else None,
        )


def _train(people: list[Membership]) -> None:
    for person in people:
        for module in MODULES:
            services.training_complete(
                actor=person.user,
                membership=person,
                module=module.key.value,
                answers=[q.correct for q in module.check],
            )


def _run(actor: User, programme: MentoringProgramme, mode: str) -> MatchingRun:
    # The demo computes the run here instead of queueing a job: no worker runs yet.
    run = MatchingRun.objects.create(programme=programme, mode=mode, started_by=actor)
    services_matching.matching_run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def _recruiting(
    actor: User,
    institution: Institution,
    today: datetime.date,
    rng: random.Random,
    mentees: list[Membership],
) -> None:
    programme = _programme(
        actor, institution, "First-year buddies", today + datetime.timedelta(days=30)
    )
    _apply(actor, programme, rng, mentees, Side.MENTEE)


def _matching(
    actor: User,
    institution: Institution,
    today: datetime.date,
    rng: random.Random,
    mentees: list[Membership],
    mentors: list[Membership],
    partner: Membership,
) -> None:
    programme = _programme(
        actor,
        institution,
        "Work placement mentoring",
        today + datetime.timedelta(days=14),
        industry_mentors=True,
        matching_mode="fair",
        default_capacity=3,
    )
    applied = _apply(actor, programme, rng, mentees, Side.MENTEE)
    applied += _apply(actor, programme, rng, [*mentors, partner], Side.MENTOR)
    _accept(actor, applied[:-1], capacity=3)
    services.application_screen(
        actor=actor,
        application=applied[-1],
        decision=ApplicationStatus.ACCEPTED,
        capacity=2,
    )
    _train([*mentors[:-1], partner])  # the last mentor has not trained yet
    services.mentoring_programme_transition(actor=actor, programme=programme, to=State.MATCHING)
    _run(actor, programme, "fair")


def _running(
    actor: User,
    institution: Institution,
    today: datetime.date,
    rng: random.Random,
    mentees: list[Membership],
    mentors: list[Membership],
) -> None:
    programme = _programme(
        actor, institution, "Peer mentoring 2025-26", today - datetime.timedelta(days=60)
    )
    applied = _apply(actor, programme, rng, mentees, Side.MENTEE)
    mentor_applications = _apply(actor, programme, rng, mentors, Side.MENTOR)
    _accept(actor, applied + mentor_applications)
    _train(mentors)
    services.mentoring_programme_transition(actor=actor, programme=programme, to=State.MATCHING)
    run = _run(actor, programme, "optimal")
    services_matching.matching_run_publish(actor=actor, run=run)
    pairs = _pairs(programme)
    for pair in pairs[:-1]:
        for person in (pair.mentee.membership, pair.mentor.membership):
            services_matching.relationship_accept(actor=person.user, relationship=pair)
    if len(pairs) > 1:
        last = pairs[len(pairs) - 1]
        services_matching.relationship_decline(
            actor=last.mentee.membership.user,
            relationship=last,
            reason="We could never find a time that suits us both.",
        )
    services.mentoring_programme_transition(actor=actor, programme=programme, to=State.RUNNING)


def _closed(
    actor: User,
    institution: Institution,
    today: datetime.date,
    rng: random.Random,
    mentees: list[Membership],
    mentors: list[Membership],
) -> None:
    programme = _programme(
        actor, institution, "Peer mentoring 2024-25", today - datetime.timedelta(days=400)
    )
    applied = _apply(actor, programme, rng, mentees, Side.MENTEE)
    applied += _apply(actor, programme, rng, mentors, Side.MENTOR)
    _accept(actor, applied)
    _train(mentors)
    services.mentoring_programme_transition(actor=actor, programme=programme, to=State.MATCHING)
    run = _run(actor, programme, "participation")
    services_matching.matching_run_publish(actor=actor, run=run)
    services.mentoring_programme_transition(actor=actor, programme=programme, to=State.RUNNING)
    for pair in _pairs(programme):
        for person in (pair.mentee.membership, pair.mentor.membership):
            services_matching.relationship_accept(actor=person.user, relationship=pair)
        services_matching.relationship_close(
            actor=actor, relationship=pair, reason=CloseReason.COMPLETED
        )
    services.mentoring_programme_transition(actor=actor, programme=programme, to=State.CLOSED)


def _pairs(programme: MentoringProgramme) -> list[Relationship]:
    pairs: QuerySet[Relationship] = Relationship.objects.filter(programme=programme).select_related(
        "mentee__membership__user", "mentor__membership__user"
    )
    # The demo learner's pair first, so that she always has an accepted one.
    return sorted(pairs, key=lambda p: (p.mentee.membership.user.email != DEMO_LEARNER, p.pk))


def _lifecycle(riverside: Institution, today: datetime.date) -> None:
    from guildhouse.mentoring.demo_lifecycle import load_lifecycle_demo

    load_lifecycle_demo(riverside=riverside, today=today)


def load_region(*, progress: Callable[[str], None]) -> object:
    """Mentoring across the regional schools (``demo_region``): 20,000 pairs, 300,000+ meetings."""
    from guildhouse.mentoring.demo_region import load_region as load_mentoring_region

    return load_mentoring_region(progress=progress)
