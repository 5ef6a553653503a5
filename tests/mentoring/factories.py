"""Mentoring factories: plain functions with sensible defaults, written through the ORM."""

from __future__ import annotations

import datetime
from typing import Any

from guildhouse.core.models import Institution
from guildhouse.mentoring.models import MentoringProgramme


def mentoring_programme_make(*, institution: Institution, **fields: Any) -> MentoringProgramme:
    values: dict[str, Any] = {
        "name": "Peer mentoring for first years",
        "goals": "Help first-year learners settle in and plan their studies.",
        "cohort_start": datetime.date(2026, 9, 1),
        "cohort_end": datetime.date(2027, 5, 31),
        **fields,
    }
    return MentoringProgramme.objects.create(institution=institution, **values)
