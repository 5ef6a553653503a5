"""Writes of reminder settings: how far ahead the daily job warns, per institution."""

from __future__ import annotations

from django.db import transaction

from guildhouse.core.audit import audit_record
from guildhouse.core.models import Institution, User
from guildhouse.partners.models import ReminderSettings

FIELDS = ("renewal_days", "review_days", "compliance_days", "campaign_days")


def reminder_settings_save(
    *, actor: User, institution: Institution, values: dict[str, int]
) -> ReminderSettings:
    """Create or change the institution's settings (validated against the model)."""
    with transaction.atomic(durable=True):
        settings, _created = ReminderSettings.objects.select_for_update().get_or_create(
            institution=institution
        )
        for name in FIELDS:
            setattr(settings, name, values[name])
        settings.full_clean()
        settings.save()
        audit_record(
            actor=actor,
            institution=institution,
            action="update",
            obj=settings,
            changes={name: values[name] for name in FIELDS},
        )
    return settings
