"""Meetings as calendar events: one meeting's .ics, and the personal feed's source."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guildhouse.calendars.api import CalendarEvent
from guildhouse.core.models import Membership, User
from guildhouse.mentoring.models import Meeting, MeetingMode, MeetingStatus

FEED_PAST_DAYS = 30


def meeting_event(meeting: Meeting) -> CalendarEvent:
    relationship = meeting.relationship
    return CalendarEvent(
        uid=f"mentoring-meeting-{meeting.pk}@guildhouse",
        sequence=meeting.sequence,
        start=meeting.starts_at,
        end=meeting.ends_at,
        summary=_("Mentoring: %(mentee)s and %(mentor)s")
        % {
            "mentee": relationship.mentee.membership.user.full_name,
            "mentor": relationship.mentor.membership.user.full_name,
        },
        location=meeting.place if meeting.mode == MeetingMode.IN_PERSON else meeting.link,
        url=reverse("mentoring:relationship_detail", args=[relationship.pk]),
        cancelled=meeting.status == MeetingStatus.CANCELLED,
    )


def mentoring_feed(user: User, membership: Membership) -> Iterable[CalendarEvent]:
    """The person's own meetings (as mentor or mentee) from the last month on."""
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    meetings = (
        Meeting.objects.filter(
            Q(relationship__mentee__membership=membership)
            | Q(relationship__mentor__membership=membership),
            starts_at__gte=since,
            relationship__programme__institution_id=membership.institution_id,
        )
        .select_related(
            "relationship__mentee__membership__user", "relationship__mentor__membership__user"
        )
        .order_by("starts_at", "pk")
    )
    return [meeting_event(meeting) for meeting in meetings]
