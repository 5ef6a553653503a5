"""Writes for the engagement process around the items: assemblies and workshops, their
decisions, who is responsible, staff training and the stakeholder register."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from guildhouse.core.audit import audit_record
from guildhouse.core.models import STAFF_ROLES, Membership, Programme, User
from guildhouse.voice.models import (
    Assembly,
    Decision,
    Involvement,
    Item,
    Responsibility,
    Stakeholder,
    StakeholderInvolvement,
    TrainingSession,
)


def assembly_save(
    *, actor: User, assembly: Assembly, creator: Membership | None = None
) -> Assembly:
    """Create or change an assembly; a change raises its calendar sequence."""
    creating = assembly.pk is None
    if creating:
        assembly.created_by = creator
    else:
        assembly.sequence += 1
    assembly.full_clean()
    with transaction.atomic(durable=True):
        assembly.save()
        audit_record(
            actor=actor,
            institution=assembly.institution,
            action="create" if creating else "update",
            obj=assembly,
            changes={"starts_at": assembly.starts_at.isoformat(), "kind": assembly.kind},
        )
    return assembly


def decision_add(*, actor: User, assembly: Assembly, text: str, items: list[Item]) -> Decision:
    """Record a decision of an assembly and the items it answers."""
    if not text.strip():
        raise ValidationError({"text": _("Write the decision.")})
    for item in items:
        if item.institution_id != assembly.institution_id or item.batch_id is None:
            raise ValidationError({"items": _("Choose released items of this institution.")})
    with transaction.atomic(durable=True):
        last = assembly.decisions.aggregate(last=Max("position"))["last"] or 0
        decision = Decision.objects.create(assembly=assembly, text=text.strip(), position=last + 1)
        decision.items.set(items)
        audit_record(
            actor=actor,
            institution=assembly.institution,
            action="voice_decision",
            obj=assembly,
            changes={"items": len(items)},
        )
    return decision


def responsibility_add(
    *,
    actor: User,
    membership: Membership,
    kind: str,
    programme: Programme | None,
    note: str = "",
) -> Responsibility:
    if membership.role not in STAFF_ROLES:
        raise ValidationError({"membership": _("Choose a staff member.")})
    if programme is not None and programme.institution_id != membership.institution_id:
        raise ValidationError({"programme": _("Choose a programme of this institution.")})
    responsibility = Responsibility(
        institution=membership.institution,
        membership=membership,
        kind=kind,
        programme=programme,
        note=note.strip(),
    )
    try:
        with transaction.atomic(durable=True):
            responsibility.save()
            audit_record(
                actor=actor,
                institution=membership.institution,
                action="create",
                obj=responsibility,
                changes={"kind": kind},
            )
    except IntegrityError:
        raise ValidationError(_("This person already has this responsibility.")) from None
    return responsibility


def responsibility_remove(*, actor: User, responsibility: Responsibility) -> None:
    with transaction.atomic(durable=True):
        audit_record(
            actor=actor,
            institution=responsibility.institution,
            action="delete",
            obj=responsibility,
            changes={"kind": responsibility.kind},
        )
        responsibility.delete()


def training_save(
    *, actor: User, training: TrainingSession, attendees: list[Membership]
) -> TrainingSession:
    for person in attendees:
        if person.institution_id != training.institution_id:
            raise ValidationError({"attendees": _("Choose staff of this institution.")})
    creating = training.pk is None
    training.full_clean()
    with transaction.atomic(durable=True):
        training.save()
        training.attendees.set(attendees)
        audit_record(
            actor=actor,
            institution=training.institution,
            action="create" if creating else "update",
            obj=training,
            changes={"attendees": len(attendees)},
        )
    return training


def stakeholder_save(*, actor: User, stakeholder: Stakeholder) -> Stakeholder:
    creating = stakeholder.pk is None
    stakeholder.full_clean()
    with transaction.atomic(durable=True):
        stakeholder.save()
        audit_record(
            actor=actor,
            institution=stakeholder.institution,
            action="create" if creating else "update",
            obj=stakeholder,
            changes={"kind": stakeholder.kind},
        )
    return stakeholder


def involvement_add(
    *,
    actor: User,
    stakeholder: Stakeholder,
    level: str,
    on: datetime.date,
    assembly: Assembly | None = None,
    note: str = "",
) -> StakeholderInvolvement:
    if level not in Involvement.values:
        raise ValidationError({"level": _("Choose invited, attended or contributed.")})
    if assembly is not None and assembly.institution_id != stakeholder.institution_id:
        raise ValidationError({"assembly": _("Choose an assembly of this institution.")})
    involvement = StakeholderInvolvement(
        stakeholder=stakeholder, assembly=assembly, level=level, on=on, note=note.strip()
    )
    involvement.full_clean()
    with transaction.atomic(durable=True):
        involvement.save()
        audit_record(
            actor=actor,
            institution=stakeholder.institution,
            action="voice_involvement",
            obj=stakeholder,
            changes={"level": level},
        )
    return involvement


def assembly_window(assembly: Assembly) -> tuple[datetime.datetime, datetime.datetime]:
    return assembly.starts_at, assembly.ends_at
