"""Reads for peer mentoring. Each returns data of one institution only."""

from __future__ import annotations

from django.db.models import QuerySet

from guildhouse.core.models import Institution
from guildhouse.mentoring.models import MentoringProgramme


def mentoring_programme_list(*, institution: Institution) -> QuerySet[MentoringProgramme]:
    return MentoringProgramme.objects.of(institution).order_by("-cohort_start", "name", "pk")
