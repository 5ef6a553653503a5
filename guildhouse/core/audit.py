"""The audit log: every service write records who, what, which object, when and where."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import AuditEvent, Institution, User

# How the audit page names each action; an action missing here is shown as recorded.
ACTION_LABELS: dict[str, Promise] = {
    "create": _("created"),
    "update": _("changed"),
    "deactivate": _("deactivated"),
    "change_role": _("changed the role of"),
    "invite": _("invited"),
    "accept": _("accepted"),
    "revoke": _("revoked"),
    "special_category_save": _("saved support information of"),
    "special_category_erase": _("erased support information of"),
    "demo_load": _("loaded the demo"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


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
