"""Writes for peer mentoring. Each is the only way its change is made: it validates, saves
in one durable transaction with an audit row, and does side effects after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guildhouse.core.audit import audit_record
from guildhouse.core.models import Institution, Programme, User
from guildhouse.mentoring.models import TRANSITIONS, MentoringProgramme, State

PROGRAMME_FIELDS = (
    "name",
    "goals",
    "cohort_start",
    "cohort_end",
    "cadence",
    "cadence_days",
    "meeting_minutes",
    "peer_mentors",
    "alumni_mentors",
    "industry_mentors",
    "min_year",
    "max_year",
    "default_capacity",
    "format",
    "skills",
    "matching_mode",
    "same_study_programme",
    "weight_interests",
    "weight_goals",
    "weight_style",
    "weight_experience",
    "weight_language",
)


def _plain(value: Any) -> Any:
    """A JSON-friendly copy of a field value for the audit row."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def mentoring_programme_create(
    *,
    actor: User,
    institution: Institution,
    eligible_programmes: Iterable[Programme] = (),
    **fields: Any,
) -> MentoringProgramme:
    """Create a programme in the draft state. Raises ``ValidationError`` for bad input."""
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"unknown programme fields: {sorted(unknown)}")
    programme = MentoringProgramme(institution=institution, created_by=actor, **fields)
    programme.full_clean()
    eligible = _eligible(institution, eligible_programmes)
    with transaction.atomic(durable=True):
        programme.save()
        programme.eligible_programmes.set(eligible)
        audit_record(
            actor=actor,
            institution=institution,
            action="create",
            obj=programme,
            changes={"name": programme.name, "state": programme.state},
        )
    return programme


def mentoring_programme_update(
    *,
    actor: User,
    programme: MentoringProgramme,
    eligible_programmes: Iterable[Programme] | None = None,
    **fields: Any,
) -> MentoringProgramme:
    """Change the given fields (and the eligible study programmes, if given)."""
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"unknown programme fields: {sorted(unknown)}")
    with transaction.atomic(durable=True):
        locked = MentoringProgramme.objects.select_for_update().get(pk=programme.pk)
        changes = {}
        for name, value in fields.items():
            if getattr(locked, name) != value:
                changes[name] = _plain(value)
                setattr(locked, name, value)
        locked.full_clean()
        locked.save()
        if eligible_programmes is not None:
            eligible = _eligible(locked.institution, eligible_programmes)
            before = set(locked.eligible_programmes.values_list("pk", flat=True))
            if before != {p.pk for p in eligible}:
                locked.eligible_programmes.set(eligible)
                changes["eligible_programmes"] = sorted(p.code for p in eligible)
        if changes:
            audit_record(
                actor=actor,
                institution=locked.institution,
                action="update",
                obj=locked,
                changes=changes,
            )
    return locked


def mentoring_programme_transition(
    *, actor: User, programme: MentoringProgramme, to: str
) -> MentoringProgramme:
    """Move the programme to state ``to``; raises ``ValidationError`` if not allowed from here.

    The row is locked, so two coordinators clicking at once cannot skip a state.
    """
    with transaction.atomic(durable=True):
        locked = MentoringProgramme.objects.select_for_update().get(pk=programme.pk)
        if to not in TRANSITIONS[locked.state]:
            raise ValidationError(
                _("A programme that is %(now)s cannot become %(to)s.")
                % {
                    "now": State(locked.state).label.lower(),
                    "to": State(to).label.lower() if to in State.values else to,
                }
            )
        before = locked.state
        locked.state = to
        locked.save(update_fields=["state"])
        audit_record(
            actor=actor,
            institution=locked.institution,
            action="state_change",
            obj=locked,
            changes={"state": [before, to]},
        )
    return locked


def _eligible(institution: Institution, programmes: Iterable[Programme]) -> list[Programme]:
    chosen = list(programmes)
    if any(p.institution_id != institution.pk for p in chosen):
        raise ValidationError(_("Choose study programmes of your own institution."))
    return chosen
