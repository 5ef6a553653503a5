"""Jobs of notifications: send one email, and the daily summary (never empty)."""

from __future__ import annotations

import datetime
from itertools import groupby

from django.db import transaction
from django.utils import timezone

from guildhouse.jobs.api import periodic, task
from guildhouse.notifications.emails import digest_email, notification_email
from guildhouse.notifications.models import EmailState, Notification


@task(max_attempts=5, backoff_seconds=60)
def notifications_email_send(*, notification_id: int) -> None:
    """Email one notification; a failed send raises, so the job runner tries again."""
    notification = (
        Notification.objects.select_related("recipient")
        .filter(pk=notification_id, email_state=EmailState.PENDING)
        .first()
    )
    if notification is None:  # sent already, or deleted
        return
    notification_email(notification).send()
    Notification.objects.filter(pk=notification.pk).update(
        email_state=EmailState.SENT, emailed_at=timezone.now()
    )


@periodic(every="daily")
def notifications_daily_digest(*, period_start: datetime.datetime) -> None:
    """Send each person one summary of what waited for it before ``period_start``.

    People with nothing waiting get nothing: a summary is never sent empty.
    """
    waiting = (
        Notification.objects.filter(email_state=EmailState.DIGEST, created_at__lt=period_start)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
    for _recipient_id, group in groupby(waiting, key=lambda n: n.recipient_id):
        items = list(group)
        if not items:
            continue
        digest_email(user=items[0].recipient, notifications=items).send()
        with transaction.atomic():
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                email_state=EmailState.SENT, emailed_at=timezone.now()
            )
