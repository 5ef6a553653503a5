"""Background jobs of peer mentoring."""

from __future__ import annotations

import datetime

from django.utils import timezone

from guildhouse.jobs.api import periodic, task

# Importing the services registers the notification kinds of monitoring.
from guildhouse.mentoring import services_monitoring


# One attempt: the run records its own failure in words, and a retry would only repeat it.
@task(max_attempts=1)
def mentoring_matching_run(*, job_id: int, run_id: int) -> None:
    from guildhouse.mentoring.services_matching import matching_run_execute

    matching_run_execute(run_id=run_id, job_id=job_id)


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
