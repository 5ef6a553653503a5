"""Writes for calendar feeds: make, replace and turn off a person's calendar link."""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from guildhouse.calendars.models import CalendarFeed
from guildhouse.calendars.selectors import token_hash
from guildhouse.core.audit import audit_record
from guildhouse.core.models import Membership, User

# How stale ``last_read_at`` may get before a feed read writes it again.
LAST_READ_PRECISION = datetime.timedelta(hours=1)


def calendar_feed_create(
    *, actor: User, membership: Membership, token: str | None = None
) -> tuple[CalendarFeed, str]:
    """Give ``membership`` a new calendar link; returns the feed and its token.

    The token is shown to the person once and never stored: only its hash is. If the
    membership already had a link, it is replaced and the old token stops working at
    once. ``token`` is for the demo's fixed links only; normally a random 256-bit one.
    """
    token = token or secrets.token_urlsafe(32)
    with transaction.atomic(durable=True):
        feed = CalendarFeed.objects.select_for_update().filter(membership=membership).first()
        replaced = feed is not None
        if feed is None:
            feed = CalendarFeed(membership=membership)
        feed.token_hash = token_hash(token)
        feed.created_at = timezone.now()
        feed.last_read_at = None
        feed.save()
        audit_record(
            actor=actor,
            institution=membership.institution,
            action="update" if replaced else "create",
            obj=feed,
            changes={"link": "replaced" if replaced else "made"},
        )
    return feed, token


def calendar_feed_revoke(*, actor: User, membership: Membership) -> bool:
    """Turn off ``membership``'s calendar link; ``False`` if it had none."""
    with transaction.atomic(durable=True):
        feed = CalendarFeed.objects.select_for_update().filter(membership=membership).first()
        if feed is None:
            return False
        audit_record(actor=actor, institution=membership.institution, action="revoke", obj=feed)
        feed.delete()
    return True


def calendar_feed_mark_read(*, feed: CalendarFeed) -> None:
    """Note that a calendar app read the feed; writes at most once per hour per feed.

    Not audited: reading changes nothing. The person sees it on their profile.
    """
    now = timezone.now()
    if feed.last_read_at is not None and now - feed.last_read_at < LAST_READ_PRECISION:
        return
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    feed.last_read_at = now
