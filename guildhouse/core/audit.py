"""The audit log: every service write records who, what, which object, when and where."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import ForeignObjectRel
from django.urls import reverse
from django.utils import dateformat, formats, timezone
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


@dataclass
class _Lookups:
    """Models, fields and choice labels by name, looked up once per page of events.

    Only for one request: the labels are in the language active while it is used.
    """

    model_by_type: dict[str, type[models.Model] | None] = dataclasses.field(default_factory=dict)
    fields: dict[tuple[str, str], Any] = dataclasses.field(default_factory=dict)
    choices: dict[tuple[str, str], dict[Any, Any]] = dataclasses.field(default_factory=dict)
    texts: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)

    def model(self, object_type: str) -> type[models.Model] | None:
        if object_type not in self.model_by_type:
            try:
                self.model_by_type[object_type] = apps.get_model(object_type)
            except (LookupError, ValueError):
                self.model_by_type[object_type] = None
        return self.model_by_type[object_type]

    def field(self, object_type: str, name: str) -> Any:
        key = (object_type, name)
        if key not in self.fields:
            model = self.model(object_type)
            try:
                self.fields[key] = model._meta.get_field(name) if model is not None else None
            except FieldDoesNotExist:
                self.fields[key] = None
        return self.fields[key]

    def field_choices(self, object_type: str, name: str) -> dict[Any, Any]:
        key = (object_type, name)
        if key not in self.choices:
            field = self.field(object_type, name)
            self.choices[key] = dict(field.flatchoices) if getattr(field, "choices", None) else {}
        return self.choices[key]

    def text(self, kind: str, value: str, make: Callable[[str], str]) -> str:
        """``make(value)`` once per (kind, value): translated labels."""
        if (kind, value) not in self.texts:
            self.texts[kind, value] = make(value)
        return self.texts[kind, value]


def audit_target(event: AuditEvent, lookups: _Lookups | None = None) -> tuple[str, str]:
    """(kind, name) of an event's object in the reader's language: ("Membership", "Ann Lee").

    The stored label was written once, in its writer's language; only its name part is
    shown, the rest (role, institution) is in the details or the kind.
    """
    lookups = lookups or _Lookups()
    kind = lookups.text("kind", event.object_type, lambda t: _kind(t, lookups))
    name = event.object_label
    if event.object_type == "core.membership":
        name = name.split(" — ")[0]
    elif event.object_type == "core.invitation" and (match := _INVITATION_LABEL.match(name)):
        name = match["email"]
    return kind, name


def _kind(object_type: str, lookups: _Lookups) -> str:
    kind: object = OBJECT_TYPE_LABELS.get(object_type)
    if kind is None:
        model = lookups.model(object_type)
        kind = model._meta.verbose_name if model is not None else object_type
    return capfirst(str(kind))


def audit_details(
    event: AuditEvent, *, cut: bool = True, lookups: _Lookups | None = None
) -> list[tuple[str, str]]:
    """An event's ``changes`` as (label, value) lines in the reader's language.

    Labels are the changed fields' names; choices show their labels ("Learner"), a role
    change shows "Staff → Coordinator", and long values are cut unless ``cut`` is off.
    """
    lookups = lookups or _Lookups()
    object_type = event.object_type
    lines = []
    for key, value in event.changes.items():
        label = lookups.text(
            f"label:{object_type}", key, lambda k: _detail_label(object_type, k, lookups)
        )
        if key == "fields":
            choices: dict[Any, Any] = {}
            value = [
                lookups.text("special", name, lambda n: _special_field_label(n, lookups))
                for name in value
            ]
        else:
            choices = lookups.field_choices(object_type, key)
        text = _detail_value(value, choices)
        if cut and len(text) > DETAIL_LENGTH:
            text = text[: DETAIL_LENGTH - 1] + "…"
        lines.append((label, text))
    return lines


def _detail_label(object_type: str, key: str, lookups: _Lookups) -> str:
    field = lookups.field(object_type, key)
    label: object
    if key in DETAIL_LABELS:
        label = DETAIL_LABELS[key]
    elif field is None:
        label = key
    elif isinstance(field, ForeignObjectRel):  # e.g. a batch's "items": a count of them
        label = field.related_model._meta.verbose_name_plural
    else:
        label = field.verbose_name
    return capfirst(str(label))


def _special_field_label(name: str, lookups: _Lookups) -> str:
    field = lookups.field(SpecialCategoryData._meta.label_lower, name)
    return str(field.verbose_name) if field is not None else name


def _detail_value(value: object, choices: dict[Any, Any]) -> str:
    if isinstance(value, list | tuple):
        shown = [str(choices.get(item, item)) for item in value]
        # A change of one choice is [old, new]; other lists are sets of things.
        return " → ".join(shown) if choices and len(shown) == 2 else ", ".join(shown)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(choices.get(value, value))


@dataclass(frozen=True)
class AuditRow:
    """One line of the audit page, every text ready to show (the template only loops)."""

    url: str
    iso: str
    date: str
    time: str
    actor_label: str
    action: str
    kind: str
    name: str
    lines: list[tuple[str, str]]


def audit_rows(events: Iterable[AuditEvent]) -> list[AuditRow]:
    """The audit page's rows, in the active language and time zone.

    The same text as the ``date``/``time`` filters and the audit filters give, built in
    one pass with models, fields and labels looked up once per page instead of per row.
    """
    lookups = _Lookups()
    date_format = formats.get_format("DATE_FORMAT")
    time_format = formats.get_format("TIME_FORMAT")
    rows = []
    for event in events:
        when = timezone.localtime(event.created_at)
        kind, name = audit_target(event, lookups)
        rows.append(
            AuditRow(
                url=reverse("audit_detail", args=[event.pk]),
                iso=when.isoformat(),  # what the "c" date format gives
                date=dateformat.format(when, date_format),
                time=dateformat.time_format(when, time_format),
                actor_label=event.actor_label,
                action=lookups.text("action", event.action, action_label),
                kind=kind,
                name=name,
                lines=audit_details(event, lookups=lookups),
            )
        )
    return rows


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
