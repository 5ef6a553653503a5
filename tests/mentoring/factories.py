"""Mentoring factories: plain functions with sensible defaults, written through the ORM."""

from __future__ import annotations

import datetime
from typing import Any

from guildhouse.core.models import Institution, Membership, User
from guildhouse.mentoring.models import Application, MentoringProgramme


def mentoring_programme_make(*, institution: Institution, **fields: Any) -> MentoringProgramme:
    values: dict[str, Any] = {
        "name": "Peer mentoring for first years",
        "goals": "Help first-year learners settle in and plan their studies.",
        "cohort_start": datetime.date(2026, 9, 1),
        "cohort_end": datetime.date(2027, 5, 31),
        **fields,
    }
    return MentoringProgramme.objects.create(institution=institution, **values)


def recruiting_programme_make(*, institution: Institution, **fields: Any) -> MentoringProgramme:
    """A recruiting programme with its built-in enrolment questions, as the service makes it."""
    from guildhouse.mentoring import services

    actor = Membership.objects.filter(institution=institution, role="coordinator").first()
    user = (
        actor.user if actor else User.objects.create_user("maker@example.org", "x", full_name="M")
    )
    values: dict[str, Any] = {
        "name": "Peer mentoring for first years",
        "goals": "Help first-year learners settle in and plan their studies.",
        "cohort_start": datetime.date(2026, 9, 1),
        "cohort_end": datetime.date(2027, 5, 31),
        **fields,
    }
    programme = services.mentoring_programme_create(actor=user, institution=institution, **values)
    return services.mentoring_programme_transition(actor=user, programme=programme, to="recruiting")


ANSWERS: dict[str, Any] = {
    "interests": ["trade_skills", "career"],
    "career_goal": "I want to install solar panels and start my own business.",
    "style": "direct",
    "experience": "1",
    "availability": [4, 10],
    "languages": ["fi", "en"],
    "home_language": "fi",
}


def application_make(
    *,
    programme: MentoringProgramme,
    membership: Membership,
    side: str = "mentee",
    status: str = "accepted",
    answers: dict[str, Any] | None = None,
    capacity: int = 1,
    accessibility_needs: str = "",
) -> Application:
    return Application.objects.create(
        programme=programme,
        membership=membership,
        side=side,
        mentor_kind=("industry" if membership.role == "partner" else "peer")
        if side == "mentor"
        else "",
        status=status,
        answers=ANSWERS if answers is None else answers,
        capacity=capacity,
        accessibility_needs=accessibility_needs,
    )
