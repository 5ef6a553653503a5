"""Writes for programme alignment: a programme's sectors and placement year, and its
curriculum review notes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction

from guildhouse.core.audit import audit_record
from guildhouse.core.models import FieldOfEducation, Programme, User
from guildhouse.partners.models import CurriculumReview, ProgrammeAlignment, ProgrammeSector


def alignment_save(
    *, actor: User, programme: Programme, sectors: Iterable[str], placement_year: int | None
) -> ProgrammeAlignment:
    """Set the sectors a programme prepares for and its placement year of study."""
    chosen = sorted(set(sectors))
    unknown = [s for s in chosen if s not in FieldOfEducation.values]
    if unknown:
        raise ValueError(f"Unknown sectors: {unknown}")
    with transaction.atomic(durable=True):
        alignment, _created = ProgrammeAlignment.objects.select_for_update().get_or_create(
            programme=programme
        )
        alignment.placement_year = placement_year
        alignment.full_clean()
        alignment.save()
        ProgrammeSector.objects.filter(programme=programme).exclude(sector__in=chosen).delete()
        have = set(
            ProgrammeSector.objects.filter(programme=programme).values_list("sector", flat=True)
        )
        ProgrammeSector.objects.bulk_create(
            [ProgrammeSector(programme=programme, sector=s) for s in chosen if s not in have]
        )
        audit_record(
            actor=actor,
            institution=programme.institution,
            action="partners_alignment_save",
            obj=programme,
            changes={"sectors": chosen, "placement_year": placement_year},
        )
    return alignment


def review_add(
    *,
    actor: User,
    programme: Programme,
    held_on: datetime.date,
    participants: str,
    decisions: str,
    skill_needs: str = "",
) -> CurriculumReview:
    """Record a curriculum review of ``programme``: who took part and what was decided."""
    review = CurriculumReview(
        programme=programme,
        held_on=held_on,
        participants=participants.strip(),
        skill_needs=skill_needs.strip(),
        decisions=decisions.strip(),
        created_by=actor,
    )
    review.full_clean()
    with transaction.atomic(durable=True):
        review.save()
        audit_record(
            actor=actor,
            institution=programme.institution,
            action="create",
            obj=review,
            changes={"programme": programme.pk, "held_on": str(held_on)},
        )
    return review
