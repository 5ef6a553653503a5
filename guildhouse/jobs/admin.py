"""The operators' view of the job queue (Django admin at /operators/).

Replaces django-tasks-db's read-only admin with one that lists queued, running,
failed and finished jobs and can run selected jobs again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult, get_date_max

from guildhouse.jobs.models import JobStatus, PeriodicRun, TrackedJob

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class JobAdmin(DBTaskResultAdmin):
    list_display = (
        "task_name",
        "status",
        "attempts",
        "enqueued_at",
        "started_at",
        "finished_at",
        "run_after_shown",
        "exception_class_path",
    )
    list_filter = ("status", "queue_name", "task_path")
    actions = ("run_again",)

    @admin.display(description=_("attempts"))
    def attempts(self, obj: DBTaskResult[..., Any]) -> int:
        return len(obj.worker_ids)

    @admin.display(description=_("not before"))
    def run_after_shown(self, obj: DBTaskResult[..., Any]) -> object:
        return "" if obj.run_after == get_date_max() else obj.run_after

    @admin.action(description=_("Run the selected jobs again"))
    def run_again(self, request: HttpRequest, queryset: QuerySet[DBTaskResult[..., Any]]) -> None:
        """Back to the queue with fresh attempts; a running job is left alone."""
        chosen = queryset.exclude(status=TaskResultStatus.RUNNING)
        ids = list(chosen.values_list("id", flat=True))
        count = DBTaskResult.objects.filter(id__in=ids).update(
            status=TaskResultStatus.READY,
            run_after=timezone.now(),
            worker_ids=[],
            started_at=None,
            finished_at=None,
        )
        TrackedJob.objects.filter(task_result_id__in=ids).update(
            status=JobStatus.QUEUED, error="", finished_at=None
        )
        self.message_user(
            request, _("%(count)d jobs queued again.") % {"count": count}, messages.SUCCESS
        )


@admin.register(TrackedJob)
class TrackedJobAdmin(admin.ModelAdmin[TrackedJob]):
    list_display = ("title", "status", "institution", "started_by", "done", "total", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("institution", "started_by")


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin[PeriodicRun]):
    list_display = ("name", "period_start", "created_at", "task_result_id")
    list_filter = ("name",)
