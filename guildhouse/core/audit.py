"""The audit log: every service write records who, what, which object, when and where."""

from __future__ import annotations

from typing import Any

from django.db import models

from guildhouse.core.models import AuditEvent, Institution, User


def audit_record(
    *,
    actor: User | None,
    institution: Institution | None,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Call inside the service's transaction, so both land or neither.

    ``changes`` holds field names and new values; never put secrets or special-category
    values in it (callers pass field names only for those).
    """
    return AuditEvent.objects.create(
        institution=institution,
        actor=actor,
        actor_label=actor.email if actor is not None else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        object_label=str(obj)[:254],
        changes=changes or {},
    )
