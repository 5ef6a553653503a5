"""Background jobs of peer mentoring."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guildhouse.jobs.api import periodic, task

# Importing the services registers the notification kinds of monitoring.
from guildhouse.mentoring import services_monitoring
from guildhouse.notifications.api import register_kind


# One attempt: the run records its own failure in words, and a retry would only repeat it.
@task(max_attempts=1)
def mentoring_matching_run(*, job_id: int, run_id: int) -> None:
    from guildhouse.mentoring.services_matching import matching_run_execute

    matching_run_execute(run_id=run_id, job_id=job_id)


MEETING_REMINDER = "mentoring.meeting_reminder"
REMIND_AHEAD = datetime.timedelta(hours=24)
register_kind(MEETING_REMINDER, label=_("Reminders of my mentoring meetings"))


@periodic(every="hourly")
def mentoring_meeting_reminders(*, period_start: datetime.datetime) -> None:
    """Remind both people of an active pair of each planned meeting in the next 24 hours.

    Once per meeting and calendar revision (``MeetingReminder``): a moved meeting is
    reminded again, a missed hour is caught up by the next run.
    """
    from guildhouse.mentoring.services_meetings import meeting_reminders_send

    meeting_reminders_send(now=max(period_start, timezone.now()))


# --- Monitoring (issue 10, item 9) ---


@periodic(every="daily")
def mentoring_daily_monitoring(*, period_start: datetime.datetime) -> None:
    """Run the at-risk rules over every institution's active pairs, once a day.

    Each institution is its own transaction; a second run the same day opens nothing new
    (alerts stay open while their rule holds)."""
    from guildhouse.core.models import Institution

    now = max(period_start, timezone.now())
    for institution in Institution.objects.order_by("pk"):
        services_monitoring.monitoring_check(institution=institution, now=now)
