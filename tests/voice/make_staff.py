"""Released items and the staff side's objects, made directly for the staff tests."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from guildhouse.core.models import Institution, Programme
from guildhouse.voice.models import Batch, Category, Channel, Item, week_of


def category(institution: Institution, builtin: str = "facilities", days: int = 14) -> Category:
    found, _ = Category.objects.get_or_create(
        institution=institution, builtin=builtin, defaults={"response_days": days}
    )
    return found


def released_item(
    institution: Institution,
    *,
    text: str = "The workshop ventilation is broken again.",
    builtin: str = "facilities",
    programme: Programme | None = None,
    released_days_ago: int = 1,
    week: datetime.date | None = None,
    status: str = "new",
    decline_reason: str = "",
) -> Item:
    released = timezone.now() - datetime.timedelta(days=released_days_ago)
    channel, _ = Channel.objects.get_or_create(institution=institution)
    batch = Batch.objects.create(institution=institution, released_at=released, size=1)
    return Item.objects.create(
        institution=institution,
        channel=channel,
        category=category(institution, builtin),
        programme=programme,
        text=text,
        week=week or week_of(released.date()),
        batch=batch,
        shuffle=uuid.uuid4().hex,
        status=status,
        decline_reason=decline_reason,
    )
