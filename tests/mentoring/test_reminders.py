"""Meeting reminders: an hourly job notifies both people once per meeting revision."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from guildhouse.jobs.api import PERIODIC
from guildhouse.mentoring.models import Meeting, MeetingReminder
from guildhouse.mentoring.tasks import MEETING_REMINDER, mentoring_meeting_reminders
from guildhouse.notifications.api import KINDS
from guildhouse.notifications.models import Notification
from tests.conftest import World
from tests.mentoring.test_surveys import make_pair


def test_reminders_reach_both_once_per_revision(world: World) -> None:
    assert PERIODIC["guildhouse.mentoring.tasks.mentoring_meeting_reminders"].every == "hourly"
    assert MEETING_REMINDER in KINDS
    pair = make_pair(world, days=3)
    soon = Meeting.objects.create(
        relationship=pair,
        starts_at=timezone.now() + datetime.timedelta(hours=5),
        mode="in_person",
        place="Library, room 2",
    )
    Meeting.objects.create(  # too far ahead
        relationship=pair,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        mode="in_person",
        place="Library, room 2",
    )
    mentoring_meeting_reminders.call(period_start=timezone.now())
    mentoring_meeting_reminders.call(period_start=timezone.now())  # the next hour: not again
    rows = Notification.objects.filter(kind=MEETING_REMINDER).order_by("recipient_id")
    assert sorted(n.recipient_id for n in rows) == sorted(
        [world.learner.user_id, pair.mentor.membership.user_id]
    )
    first = rows[0]
    assert first.subject.startswith("Mentoring meeting on ")
    assert first.body == (f"{world.learner.user.full_name} and Sam Walker meet at Library, room 2.")
    assert first.url == reverse("mentoring:relationship_detail", args=[pair.pk])
    assert list(MeetingReminder.objects.values_list("meeting_id", "sequence")) == [(soon.pk, 0)]
    # Moved (a new calendar revision): reminded again. Paused pairs are not reminded.
    Meeting.objects.filter(pk=soon.pk).update(sequence=1)
    mentoring_meeting_reminders.call(period_start=timezone.now())
    assert Notification.objects.filter(kind=MEETING_REMINDER).count() == 4
    Meeting.objects.filter(pk=soon.pk).update(sequence=2)
    pair.status = "paused"
    pair.save()
    mentoring_meeting_reminders.call(period_start=timezone.now())
    assert Notification.objects.filter(kind=MEETING_REMINDER).count() == 4
