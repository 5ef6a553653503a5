"""Background jobs of the staff side of learner voice: building the report snapshots."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guildhouse.core.models import Institution
from guildhouse.jobs.api import job_progress, periodic, task
from guildhouse.voice.services_reports import report_build, reporting_year


@task(max_attempts=2)
def voice_report_build(*, job_id: int, institution_id: int, year: int) -> None:
    """A coordinator asked for fresh figures: rebuild one year's snapshot."""
    institution = Institution.objects.get(pk=institution_id)
    job_progress(job_id, done=0, total=1, message=_("Protecting the figures ..."))
    report_build(institution=institution, year=year)
    job_progress(
        job_id,
        done=1,
        total=1,
        message=_("The report is up to date."),
        result_url=f"{reverse('voice:report')}?year={year}",
    )


@periodic(every="daily")
def voice_reports_refresh(*, period_start: datetime.datetime) -> None:
    """Every night, the current reporting year's snapshot of every institution."""
    year = reporting_year(timezone.localdate(period_start))
    for institution in Institution.objects.order_by("pk").iterator():
        report_build(institution=institution, year=year)
