"""Personal calendar feeds: one secret link per membership, stored only as a hash."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone

from guildhouse.core.models import Membership


class CalendarFeed(models.Model):
    """The calendar link of one person in one institution.

    A membership has at most one; turning it off deletes the row, making a new link
    replaces ``token_hash``. Only a SHA-256 hash of the token is kept, as for
    invitations: a leaked database does not reveal working links.
    """

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When a calendar app last read the feed (updated at most once an hour, to stay cheap).
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar link of membership {self.membership_id}"
