"""Test-only feed sources standing in for the modules: each follows the contract
(``source(user, membership)`` returns what this person may see in that institution)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from guildhouse.calendars.api import CalendarEvent
from guildhouse.core.models import Membership, User

UTC = datetime.UTC


def institution_days(user: User, membership: Membership) -> Iterable[CalendarEvent]:
    """Everyone in an institution sees its open day; only staff roles see staff planning."""
    institution = membership.institution
    yield CalendarEvent(
        uid=f"open-day-{institution.pk}@test",
        start=datetime.date(2027, 1, 20),
        summary=f"Open day at {institution.short_name}",
    )
    if membership.is_staff_role:
        yield CalendarEvent(
            uid=f"planning-{institution.pk}@test",
            start=datetime.datetime(2027, 1, 18, 12, 0, tzinfo=UTC),
            end=datetime.datetime(2027, 1, 18, 14, 0, tzinfo=UTC),
            summary=f"Staff planning at {institution.short_name}",
            url=f"/planning/{institution.pk}/",
        )


def own_check_ins(user: User, membership: Membership) -> Iterable[CalendarEvent]:
    """A person sees only their own check-in (as a mentee sees only their meetings)."""
    yield CalendarEvent(
        uid=f"check-in-{membership.pk}@test",
        start=datetime.datetime(2027, 1, 19, 8, 0, tzinfo=UTC),
        end=datetime.datetime(2027, 1, 19, 8, 30, tzinfo=UTC),
        summary=f"Check-in of {user.full_name}",
    )
