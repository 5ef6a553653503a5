"""Background jobs of peer mentoring."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guildhouse.jobs.api import periodic, task
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
