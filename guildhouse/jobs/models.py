"""Background jobs: jobs a person started (with progress) and periodic runs.

The queue itself is django-tasks-db's ``DBTaskResult`` table; these models add what
Guildhouse needs on top: who started a job, its progress, and one row per periodic
job and period (the uniqueness constraint is what makes a period run exactly once).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import Institution


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class TrackedJob(models.Model):
    """A job a person started and watches: an import, a matching run, a report."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="tracked_jobs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracked_jobs"
    )
    title = models.CharField(_("title"), max_length=200)
    task_path = models.CharField(max_length=200)
    # The django-tasks-db result row that runs this job (set when it is enqueued).
    task_result_id = models.UUIDField(null=True, blank=True, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    result_url = models.CharField(_("result link"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name = _("tracked job")
        verbose_name_plural = _("tracked jobs")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(total=0) | Q(done__lte=models.F("total")),
                name="trackedjob_done_at_most_total",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class PeriodicRun(models.Model):
    """One run of a periodic job for one period; unique, so a period runs once."""

    name = models.CharField(_("job"), max_length=200)
    period_start = models.DateTimeField(_("period start"))
    created_at = models.DateTimeField(default=timezone.now)
    task_result_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-period_start", "name"]
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["name", "period_start"], name="periodicrun_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.period_start:%Y-%m-%d %H:%M}"
