"""Reads for calendar feeds."""

from __future__ import annotations

import hashlib

from guildhouse.calendars.models import CalendarFeed


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_find(token: str) -> CalendarFeed | None:
    """The feed for ``token`` if its person is still an active member, else ``None``.

    One indexed query; the membership, user and institution come with it.
    """
    return (
        CalendarFeed.objects.select_related("membership__user", "membership__institution")
        .filter(
            token_hash=token_hash(token),
            membership__is_active=True,
            membership__user__is_active=True,
        )
        .first()
    )


def calendar_feed_of(membership_id: int) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(membership_id=membership_id).first()
