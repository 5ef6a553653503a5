"""Reads of notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from guildhouse.core.models import User
from guildhouse.notifications.models import EmailState, Notification


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("institution")


def unread_count(*, user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at=None).count()


def digest_waiting(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, email_state=EmailState.DIGEST).count()
