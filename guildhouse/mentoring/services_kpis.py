"""Writes for KPIs: qualitative evidence (interview and focus-group notes with themes)."""

from __future__ import annotations

import datetime

from django.db import transaction

from guildhouse.core.audit import audit_record
from guildhouse.core.models import User
from guildhouse.mentoring.models import EvidenceNote, MentoringProgramme


def evidence_note_add(
    *,
    actor: User,
    programme: MentoringProgramme,
    kind: str,
    held_on: datetime.date,
    title: str,
    text: str,
    tags: list[str],
) -> EvidenceNote:
    """Add notes of an interview, focus group or observation to a programme's evidence."""
    note = EvidenceNote(
        programme=programme,
        kind=kind,
        held_on=held_on,
        title=title.strip(),
        text=text.strip(),
        tags=tags,
        author=actor,
    )
    note.full_clean()
    with transaction.atomic(durable=True):
        note.save()
        audit_record(
            actor=actor,
            institution=programme.institution,
            action="mentoring_evidence_add",
            obj=note,
            changes={"kind": kind, "tags": ", ".join(tags)},
        )
    return note
