"""The audit log: every service write records who, what, which object, when and where."""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import AuditEvent, Institution, SpecialCategoryData, User

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


# What kind of thing an event's object is; another app's types show their model's name.
OBJECT_TYPE_LABELS: dict[str, Promise] = {
    "core.institution": _("Institution"),
    "core.programme": _("Programme"),
    "core.user": _("Account"),
    "core.membership": _("Membership"),
    "core.invitation": _("Invitation"),
}
# ``changes`` keys that are not a field of the object they describe.
DETAIL_LABELS: dict[str, Promise] = {
    "user": _("person"),
    "fields": _("information"),
}
DETAIL_LENGTH = 120
_INVITATION_LABEL = re.compile(r"^Invitation for (?P<email>\S+) as ")


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def audit_target(event: AuditEvent) -> tuple[str, str]:
    """(kind, name) of an event's object in the reader's language: ("Membership", "Ann Lee").

    The stored label was written once, in its writer's language; only its name part is
    shown, the rest (role, institution) is in the details or the kind.
    """
    model = _model(event.object_type)
    kind: object = OBJECT_TYPE_LABELS.get(event.object_type)
    if kind is None:
        kind = model._meta.verbose_name if model is not None else event.object_type
    name = event.object_label
    if event.object_type == "core.membership":
        name = name.split(" — ")[0]
    elif event.object_type == "core.invitation" and (match := _INVITATION_LABEL.match(name)):
        name = match["email"]
    return capfirst(str(kind)), name


def audit_details(event: AuditEvent, *, cut: bool = True) -> list[tuple[str, str]]:
    """An event's ``changes`` as (label, value) lines in the reader's language.

    Labels are the changed fields' names; choices show their labels ("Learner"), a role
    change shows "Staff → Coordinator", and long values are cut unless ``cut`` is off.
    """
    model = _model(event.object_type)
    lines = []
    for key, value in event.changes.items():
        field = _field(model, key)
        label = DETAIL_LABELS.get(key) or (field.verbose_name if field is not None else key)
        if key == "fields":
            field, value = None, [_special_field_label(name) for name in value]
        text = _detail_value(value, field)
        if cut and len(text) > DETAIL_LENGTH:
            text = text[: DETAIL_LENGTH - 1] + "…"
        lines.append((capfirst(str(label)), text))
    return lines


def _special_field_label(name: str) -> str:
    field = _field(SpecialCategoryData, name)
    return str(field.verbose_name) if field is not None else name


def _detail_value(value: object, field: Any) -> str:
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if isinstance(value, list | tuple):
        shown = [str(choices.get(item, item)) for item in value]
        # A change of one choice is [old, new]; other lists are sets of things.
        return " → ".join(shown) if choices and len(shown) == 2 else ", ".join(shown)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(choices.get(value, value))


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
