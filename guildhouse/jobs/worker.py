"""The worker: django-tasks-db's worker with retries, tracked jobs and periodic runs.

Claiming a job is django-tasks-db's: ``SELECT ... FOR UPDATE SKIP LOCKED`` on
PostgreSQL, an exclusive transaction on SQLite, so any number of workers never run
one job twice. What we add:

- a job that raises goes back to the queue with a backoff until its task's
  ``max_attempts`` are used up, then it is failed with its error kept;
- a tracked job's row follows its job (running, finished, failed);
- every ``tick`` seconds the worker enqueues each periodic job's current period,
  once, guarded by the ``PeriodicRun`` uniqueness constraint.
"""

from __future__ import annotations

import datetime
import logging
import time
from traceback import format_exception
from typing import Any

from django.db import IntegrityError, close_old_connections, connections, transaction
from django.db.utils import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as DBWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from guildhouse.jobs.api import PERIODIC, retry_policy
from guildhouse.jobs.models import JobStatus, PeriodicRun, TrackedJob

logger = logging.getLogger("guildhouse.jobs")


def schedule_periodic(now: Any = None) -> list[str]:
    """Enqueue the current period of every periodic job that has no run for it yet.

    Returns the names enqueued by this call. Safe to call from any number of workers
    at once: the insert of ``PeriodicRun`` (unique on name + period) decides.
    """
    now = now or timezone.now()
    enqueued = []
    for periodic in PERIODIC.values():
        start = periodic.period_start(now)
        if PeriodicRun.objects.filter(name=periodic.name, period_start=start).exists():
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(name=periodic.name, period_start=start)
                result = periodic.task.enqueue(period_start=start.isoformat())
                PeriodicRun.objects.filter(pk=run.pk).update(task_result_id=result.id)
        except IntegrityError:
            continue  # another worker won this period
        except OperationalError as error:
            if is_locked_database_exception(error):
                continue  # SQLite busy: the next tick tries again
            raise
        enqueued.append(periodic.name)
    return enqueued


def is_tracked(db_result: DBTaskResult[..., Any]) -> bool:
    """Started by ``tracked_job_start`` (it passes ``job_id``): a TrackedJob follows it."""
    return "job_id" in db_result.args_kwargs.get("kwargs", {})


def run_job(db_result: DBTaskResult[..., Any]) -> bool:
    """Run one claimed job: success, a retry later, or failure. True if it succeeded."""
    tracked = is_tracked(db_result)
    if tracked:
        TrackedJob.objects.filter(task_result_id=db_result.id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=timezone.now()
        )
    try:
        task = db_result.task
        result = db_result.task_result
        task_started.send(sender=type(task.get_backend()), task_result=result)
        value = task.call(*result.args, **result.kwargs)
        db_result.set_successful(value)
    except Exception as error:
        _failed(db_result, error)
        return False
    except BaseException as error:  # Ctrl+C or SystemExit mid-job: leave it for later
        _requeue(db_result, error, delay_seconds=0)
        raise
    if tracked and TrackedJob.objects.filter(task_result_id=db_result.id).exclude(
        status=JobStatus.FAILED
    ).update(status=JobStatus.DONE, finished_at=timezone.now()):
        _tell_starter(db_result, failed=False)
    task_finished.send(sender=type(task.get_backend()), task_result=db_result.task_result)
    return True


def _failed(db_result: DBTaskResult[..., Any], error: BaseException) -> None:
    attempts = len(db_result.worker_ids)
    policy = retry_policy(db_result.task_path)
    if attempts < policy.max_attempts:
        delay = policy.delay(attempts)
        logger.warning(
            "Job %s (%s) failed on attempt %d of %d, retrying in %s: %r",
            db_result.id,
            db_result.task_path,
            attempts,
            policy.max_attempts,
            delay,
            error,
        )
        _requeue(db_result, error, delay_seconds=delay.total_seconds())
        return
    logger.error("Job %s (%s) failed for good: %r", db_result.id, db_result.task_path, error)
    db_result.set_failed(error)
    if is_tracked(db_result) and TrackedJob.objects.filter(task_result_id=db_result.id).update(
        status=JobStatus.FAILED,
        error=str(error)[:2000] or type(error).__name__,
        finished_at=timezone.now(),
    ):
        _tell_starter(db_result, failed=True)


def _tell_starter(db_result: DBTaskResult[..., Any], *, failed: bool) -> None:
    """An in-app notification (email if they chose it) for the person who started it."""
    from guildhouse.notifications import kinds
    from guildhouse.notifications.api import notify

    job = TrackedJob.objects.select_related("started_by", "institution").get(
        task_result_id=db_result.id
    )
    with transaction.atomic():
        notify(
            recipients=[job.started_by],
            kind=kinds.JOB_FINISHED,
            institution=job.institution,
            subject=kinds.JOB_FAILED_SUBJECT if failed else kinds.JOB_DONE_SUBJECT,
            context={"title": job.title},
            url=reverse("job_status", args=[job.pk]),
        )


def _requeue(
    db_result: DBTaskResult[..., Any], error: BaseException, *, delay_seconds: float
) -> None:
    """Back to the queue, the last error kept for operators, after a delay."""
    db_result.status = TaskResultStatus.READY
    db_result.run_after = timezone.now() + datetime.timedelta(seconds=delay_seconds)
    db_result.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
    db_result.traceback = "".join(format_exception(error))
    db_result.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])
    if is_tracked(db_result):
        TrackedJob.objects.filter(task_result_id=db_result.id).update(status=JobStatus.QUEUED)


class Worker(DBWorker):
    """django-tasks-db's worker loop with our job runner and the periodic scheduler."""

    def __init__(self, *, tick: float = 30.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tick = tick
        self._next_tick = 0.0
        # A worker process recycles stale connections; in-process runs must not.
        self.manage_connections = True

    def run(self) -> None:
        logger.info("Worker %s started", self.worker_id)
        if self.startup_delay and self.interval:
            time.sleep(self.interval * 0.5)
        while self.running:
            if self.manage_connections:
                close_old_connections()
            if time.monotonic() >= self._next_tick:
                schedule_periodic()
                self._next_tick = time.monotonic() + self.tick
            claimed = self.claim_one()
            if claimed is not None:
                self.run_task(claimed)
            elif self.batch:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.manage_connections:
                close_old_connections()
            if self.running and claimed is None:
                time.sleep(self.interval)

    def claim_one(self) -> DBTaskResult[..., Any] | None:
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            ready = ready.filter(queue_name__in=self.queue_names)
        try:
            with exclusive_transaction(ready.db):
                claimed = ready.get_locked()
                if claimed is not None:
                    claimed.claim(self.worker_id)
                return claimed
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None
            raise

    def run_task(self, db_task_result: DBTaskResult[..., Any]) -> None:
        self.running_task = True
        try:
            run_job(db_task_result)
        except Exception:
            if not self.manage_connections:
                raise  # in-process (tests): show it
            # Recording the outcome failed (the database went away?): the job stays
            # "running" for operators to see; this worker carries on with a new connection.
            logger.exception("Could not record the outcome of job %s", db_task_result.id)
            connections.close_all()
        finally:
            self.running_task = False
            self._run_tasks += 1


def run_queued_jobs(*, max_jobs: int = 1000) -> int:
    """Run the jobs that are due, here and now (tests and the demo loader); returns
    how many ran. Retries wait for their backoff, so they are not run again here."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_jobs,
        worker_id="in-process",
        excluded_queue_names=[],
        tick=1e9,
    )
    worker._next_tick = float("inf")
    worker.manage_connections = False
    worker.run()
    return worker._run_tasks
