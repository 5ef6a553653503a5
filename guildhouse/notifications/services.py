"""Writes of notifications: mark read, preferences, language, unsubscribe."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from guildhouse.core.models import User
from guildhouse.notifications.api import KINDS, deliveries_for
from guildhouse.notifications.emails import DIGEST_KIND
from guildhouse.notifications.models import (
    Delivery,
    EmailSettings,
    EmailState,
    Notification,
    NotificationPreference,
)


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


def preferences_save(
    *, user: User, deliveries: Mapping[str, Delivery | str], language: str
) -> None:
    with transaction.atomic(durable=True):
        for kind, delivery in deliveries.items():
            if kind not in KINDS:
                raise ValueError(f"Unknown kind {kind!r}")
            preference_set(user=user, kind=kind, delivery=Delivery(delivery))
        EmailSettings.objects.update_or_create(user=user, defaults={"language": language})


def preference_set(*, user: User, kind: str, delivery: Delivery) -> None:
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )
    if delivery == Delivery.IN_APP:
        # Waiting email of this kind is not sent after all.
        Notification.objects.filter(
            recipient=user, kind=kind, email_state__in=[EmailState.PENDING, EmailState.DIGEST]
        ).update(email_state=EmailState.NONE)


def unsubscribe(*, user_id: int, kind: str) -> None:
    """No more email of ``kind`` for this person (the daily summary: all summarised kinds)."""
    user = User.objects.get(pk=user_id)
    with transaction.atomic():
        if kind == DIGEST_KIND:
            digested = [
                key for key, delivery in deliveries_for(user).items() if delivery == Delivery.DIGEST
            ]
            for key in digested:
                preference_set(user=user, kind=key, delivery=Delivery.IN_APP)
        else:
            preference_set(user=user, kind=kind, delivery=Delivery.IN_APP)
