"""The public API of background jobs: what other modules import.

    from guildhouse.jobs.api import task, periodic, tracked_job_start, job_progress

``task`` and ``periodic`` return django-tasks ``Task`` objects (``.enqueue(**kwargs)``
stores a job in the database; ``.call(**kwargs)`` runs it here and now). A
``guildhouse worker`` process runs them. See docs/jobs.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django_tasks import task as _django_task
from django_tasks.base import Task

from guildhouse.core.models import Institution, User
from guildhouse.jobs.models import JobStatus, TrackedJob

P = ParamSpec("P")
T = TypeVar("T")

DEFAULT_MAX_ATTEMPTS = 4
DEFAULT_BACKOFF_SECONDS = 30.0

Every = Literal["hourly", "daily"]


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    backoff_seconds: float = DEFAULT_BACKOFF_SECONDS

    def delay(self, attempt: int) -> datetime.timedelta:
        """Wait before attempt ``attempt + 1``: backoff, doubling each time."""
        return datetime.timedelta(seconds=self.backoff_seconds * 2 ** (attempt - 1))


@dataclass(frozen=True)
class Periodic:
    name: str
    every: Every
    task: Task[..., Any]

    def period_start(self, now: datetime.datetime) -> datetime.datetime:
        """The start of the period ``now`` falls in, in the site's time zone."""
        local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
        if self.every == "hourly":
            start = local.replace(minute=0, second=0, microsecond=0)
        else:
            start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return start.astimezone(datetime.UTC)


RETRY_POLICIES: dict[str, RetryPolicy] = {}
PERIODIC: dict[str, Periodic] = {}


def retry_policy(task_path: str) -> RetryPolicy:
    return RETRY_POLICIES.get(task_path, RetryPolicy())


def task(
    *,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    backoff_seconds: float = DEFAULT_BACKOFF_SECONDS,
    priority: int = 0,
    queue_name: str = "default",
) -> Callable[[Callable[P, T]], Task[P, T]]:
    """Declare a background function (module level, keyword arguments JSON-serialisable).

    A job that raises is tried again after ``backoff_seconds``, then twice that, ...,
    ``max_attempts`` times in all; then it is marked failed with its error kept.
    """
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")

    def decorator(function: Callable[P, T]) -> Task[P, T]:
        declared: Task[P, T] = _django_task(priority=priority, queue_name=queue_name)(function)
        RETRY_POLICIES[declared.module_path] = RetryPolicy(max_attempts, backoff_seconds)
        return declared

    return decorator


def periodic(
    *, every: Every, max_attempts: int = DEFAULT_MAX_ATTEMPTS
) -> Callable[[Callable[..., None]], Task[..., None]]:
    """Declare a job that runs once per hour or day (local time), on whichever worker
    is first; ``period_start`` is the start of the period being run (aware, UTC).

    A period missed while no worker ran is not repeated: the next worker runs the
    current period once.
    """
    if every not in ("hourly", "daily"):
        raise ValueError(f"every must be 'hourly' or 'daily', not {every!r}")

    def decorator(function: Callable[..., None]) -> Task[..., None]:
        def run(*, period_start: datetime.datetime | str) -> None:
            if isinstance(period_start, str):
                period_start = datetime.datetime.fromisoformat(period_start)
            function(period_start=period_start)

        # The task is found again by its dotted path: the wrapper keeps the name.
        run.__module__ = function.__module__
        run.__name__ = function.__name__
        run.__qualname__ = function.__qualname__
        run.__doc__ = function.__doc__
        declared = task(max_attempts=max_attempts)(run)
        PERIODIC[declared.module_path] = Periodic(declared.module_path, every, declared)
        return declared

    return decorator


def enqueue_on_commit(job: Task[..., Any], /, **kwargs: Any) -> None:
    """Enqueue ``job`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: job.enqueue(**kwargs))


def tracked_job_start(
    *,
    actor: User,
    institution: Institution,
    task: Task[..., Any],
    title: str,
    kwargs: Mapping[str, Any] | None = None,
) -> TrackedJob:
    """Record a job ``actor`` started and enqueue ``task(job_id=..., **kwargs)`` on commit.

    Show it with ``{% include "jobs/_status.html" with job=job %}``; the task reports
    progress with ``job_progress(job_id, ...)``.
    """
    job = TrackedJob.objects.create(
        institution=institution, started_by=actor, title=str(title), task_path=task.module_path
    )
    arguments = {**(kwargs or {}), "job_id": job.pk}

    def enqueue() -> None:
        result = task.enqueue(**arguments)
        TrackedJob.objects.filter(pk=job.pk).update(task_result_id=result.id)

    transaction.on_commit(enqueue)
    return job


def job_progress(
    job_id: int,
    *,
    done: int,
    total: int,
    message: str = "",
    result_url: str = "",
) -> None:
    """Report progress from inside a tracked job (``done`` of ``total``).

    ``result_url`` is where the person finds the result once the job finishes.
    """
    if total < 0 or done < 0 or (total and done > total):
        raise ValueError(f"progress {done}/{total} is not possible")
    fields: dict[str, Any] = {"done": done, "total": total, "message": str(message)[:300]}
    if result_url:
        fields["result_url"] = result_url
    TrackedJob.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=JobStatus.RUNNING, **fields
    )


__all__ = [
    "PERIODIC",
    "Task",
    "TrackedJob",
    "enqueue_on_commit",
    "job_progress",
    "periodic",
    "task",
    "tracked_job_start",
]
