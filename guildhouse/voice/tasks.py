"""Background jobs of learner voice: the hourly batch release."""

from __future__ import annotations

import datetime

from guildhouse.core.models import Institution
from guildhouse.jobs.api import periodic
from guildhouse.voice import services
from guildhouse.voice.models import Item, ReceiptMessage


@periodic(every="hourly")
def voice_release_batches(*, period_start: datetime.datetime) -> None:
    """Release each institution's waiting items when its rule says so (daily, or k waiting).

    Runs hourly so that the "at least k waiting" rule releases within the hour; the
    daily rule releases once a day from 06:00 local time.
    """
    waiting = set(Item.objects.waiting().values_list("institution_id", flat=True).distinct())
    waiting |= set(
        ReceiptMessage.objects.filter(from_staff=False, batch__isnull=True)
        .values_list("item__institution_id", flat=True)
        .distinct()
    )
    for institution in Institution.objects.filter(pk__in=waiting).order_by("pk"):
        # The batch is dated to the start of the hour being run, not to the second.
        services.batch_release(institution=institution, now=period_start)
