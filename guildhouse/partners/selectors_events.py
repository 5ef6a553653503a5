"""Reads for partnership events, and their calendar entries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from guildhouse.calendars.api import CalendarEvent
from guildhouse.core.models import Institution, Membership, Role, User
from guildhouse.partners.models import EventAttendee, PartnerEvent

EVENTS_SHOWN = 100
# The personal feed carries events from a year back on.
FEED_DAYS_BACK = 365


def event_list(
    *, institution: Institution, past: bool = False, now: datetime.datetime | None = None
) -> QuerySet[PartnerEvent]:
    """Coming events soonest first (or past ones, latest first), with attendee counts;
    the index on institution and start serves the filter and the order."""
    now = now or timezone.now()
    events = PartnerEvent.objects.filter(institution=institution).annotate(
        n_attendees=Count("attendees", distinct=True)
    )
    if past:
        return events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return events.filter(ends_at__gte=now).order_by("starts_at", "pk")


def event_attendees(*, event: PartnerEvent) -> QuerySet[EventAttendee]:
    return (
        EventAttendee.objects.filter(event=event)
        .select_related("membership__user", "contact")
        .order_by("membership__sort_name", "contact__full_name", "pk")
    )


def calendar_event(event: PartnerEvent) -> CalendarEvent:
    return CalendarEvent(
        uid=f"partner-event-{event.pk}@guildhouse",
        start=event.starts_at,
        end=event.ends_at,
        summary=event.title,
        description=event.description,
        location=event.location,
        sequence=event.sequence,
        url=reverse("partners:event_detail", args=[event.pk]),
    )


def events_feed(user: User, membership: Membership) -> Iterable[CalendarEvent]:
    """The personal feed's partnership events: those the person attends (as a staff
    member or learner, or as a partner contact through their linked contact)."""
    since = timezone.now() - datetime.timedelta(days=FEED_DAYS_BACK)
    mine = Q(attendees__membership=membership)
    if membership.role == Role.PARTNER:
        mine = Q(attendees__contact__membership=membership)
    events = (
        PartnerEvent.objects.filter(institution_id=membership.institution_id, ends_at__gte=since)
        .filter(mine)
        .distinct()
        .order_by("starts_at", "pk")
    )
    return [calendar_event(e) for e in events]
