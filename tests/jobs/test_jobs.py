"""The job runner in process: tracked jobs, retries, periodic runs, the status page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from guildhouse.jobs.api import PERIODIC, tracked_job_start
from guildhouse.jobs.models import JobStatus, PeriodicRun, TrackedJob
from guildhouse.jobs.worker import run_queued_jobs, schedule_periodic
from guildhouse.notifications.models import Notification
from tests.access_matrix import Page, check_page
from tests.conftest import World, sign_in
from tests.factories import user_make
from tests.jobs import sample_tasks

HOURLY = "tests.jobs.sample_tasks.sample_hourly"


def start_import(world: World, capture: Any, *, rows: int = 20) -> TrackedJob:
    with capture(execute=True):
        return tracked_job_start(
            actor=world.coordinator.user,
            institution=world.institution,
            task=sample_tasks.sample_import,
            title="Import organisations",
            kwargs={"rows": rows},
        )


def test_a_tracked_job_reports_progress_and_its_result(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    job = start_import(world, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert job.task_result_id is not None

    assert run_queued_jobs() == 1

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 20, 20)
    assert (job.message, job.result_url) == ("All rows read", "/people/")
    # The person who started it hears about it in the app.
    notice = Notification.objects.get(recipient=world.coordinator.user)
    assert notice.subject == "Finished: Import organisations"
    assert notice.url == reverse("job_status", args=[job.pk])


def test_the_status_fragment_polls_until_done_and_the_page_works_without_js(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    job = start_import(world, django_capture_on_commit_callbacks)
    TrackedJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, done=5, total=20, message="Row 5"
    )
    client = world.client_for(world.coordinator)
    url = reverse("job_status", args=[job.pk])

    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div class="job-status"')
    assert f'hx-get="{url}"' in fragment
    assert '<progress max="20" value="5"' in fragment
    assert "5 of 20 done" in fragment
    assert "Row 5" in fragment

    page = client.get(url).content.decode()
    assert "<html" in page
    assert "5 of 20 done" in page
    assert f'<a href="{url}">Refresh to see progress</a>' in page

    run_queued_jobs()
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in done  # finished: polling stops
    assert '<a href="/people/">See the result</a>' in done


def test_a_failing_job_is_retried_with_backoff_then_failed_with_its_error(
    world: World,
) -> None:
    sample_tasks.CALLS.clear()
    result = sample_tasks.sample_always_fails.enqueue(reason="tray 2")
    row = DBTaskResult.objects.get(id=result.id)

    assert run_queued_jobs() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY  # back in the queue ...
    wait = row.run_after - timezone.now()
    assert datetime.timedelta(seconds=8) < wait <= datetime.timedelta(seconds=10)  # ... later
    assert row.exception_class_path == "builtins.RuntimeError"

    assert run_queued_jobs() == 0  # not due yet
    DBTaskResult.objects.filter(id=row.id).update(run_after=timezone.now())
    run_queued_jobs()
    row.refresh_from_db()
    wait = row.run_after - timezone.now()
    assert datetime.timedelta(seconds=18) < wait <= datetime.timedelta(seconds=20)  # doubled

    DBTaskResult.objects.filter(id=row.id).update(run_after=timezone.now())
    run_queued_jobs()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert len(row.worker_ids) == 3
    assert sample_tasks.CALLS == ["tray 2", "tray 2", "tray 2"]
    assert "RuntimeError: the printer is on fire: tray 2" in row.traceback
    DBTaskResult.objects.filter(id=row.id).update(run_after=timezone.now())
    assert run_queued_jobs() == 0  # failed for good


def test_a_failed_tracked_job_shows_its_error(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = tracked_job_start(
            actor=world.admin.user,
            institution=world.institution,
            task=sample_tasks.sample_always_fails,
            title="Print everything",
            kwargs={"reason": "tray 1"},
        )
    for _ in range(3):
        DBTaskResult.objects.update(run_after=timezone.now())
        run_queued_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "the printer is on fire: tray 1"
    page = world.client_for(world.admin).get(reverse("job_status", args=[job.pk]))
    assert "It did not work: the printer is on fire: tray 1" in page.content.decode()


def test_a_period_is_enqueued_once_however_often_workers_look(db: None) -> None:
    now = timezone.now()
    first = schedule_periodic(now)
    assert HOURLY in first
    assert schedule_periodic(now) == []
    assert schedule_periodic(now + datetime.timedelta(seconds=5)) == []
    start = PERIODIC[HOURLY].period_start(now)
    assert PeriodicRun.objects.filter(name=HOURLY).count() == 1
    assert PeriodicRun.objects.get(name=HOURLY).period_start == start
    sample_tasks.CALLS.clear()
    run_queued_jobs()
    assert [start.isoformat()] == sample_tasks.CALLS


def test_missed_periods_are_caught_up_once_not_each(db: None) -> None:
    monday = timezone.now() - datetime.timedelta(days=3)
    schedule_periodic(monday)
    run_queued_jobs()
    # No worker for three days: the next look runs the current hour, once.
    schedule_periodic(timezone.now())
    sample_tasks.CALLS.clear()
    run_queued_jobs()
    assert len(sample_tasks.CALLS) == 1
    assert PeriodicRun.objects.filter(name=HOURLY).count() == 2


def test_hours_and_days_start_in_local_time() -> None:
    moment = datetime.datetime(2026, 3, 10, 22, 30, tzinfo=datetime.UTC)  # 00:30 in Helsinki
    daily = PERIODIC["guildhouse.notifications.tasks.notifications_daily_digest"]
    assert daily.period_start(moment) == datetime.datetime(2026, 3, 10, 22, 0, tzinfo=datetime.UTC)
    assert PERIODIC[HOURLY].period_start(moment) == datetime.datetime(
        2026, 3, 10, 22, 0, tzinfo=datetime.UTC
    )


def test_operators_can_run_a_failed_job_again(world: World) -> None:
    operator = user_make(mfa=True)  # operators sign in with their authenticator's code
    operator.is_staff = operator.is_superuser = True
    operator.save()
    admin_client = sign_in(Client(), operator)
    result = sample_tasks.sample_append.enqueue(path="/nonexistent/dir/file", token="x")
    for _ in range(4):
        DBTaskResult.objects.update(run_after=timezone.now())
        run_queued_jobs()
    assert DBTaskResult.objects.get(id=result.id).status == TaskResultStatus.FAILED

    operators = "/operators/django_tasks_database/dbtaskresult/"
    listing = admin_client.get(f"{operators}?status__exact=FAILED")
    assert "sample_append" in listing.content.decode()
    admin_client.post(
        operators,
        {"action": "run_again", "_selected_action": [str(result.id)]},
    )
    row = DBTaskResult.objects.get(id=result.id)
    assert (row.status, row.worker_ids) == (TaskResultStatus.READY, [])


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_job_status_matrix(world: World, who: str) -> None:
    job = TrackedJob.objects.create(
        institution=world.institution,
        started_by=world.member(who).user,
        title="Secret import 7731",
        task_path="x",
    )
    page = Page(
        name="job status",
        url=lambda w: reverse("job_status", args=[job.pk]),
        allowed=frozenset({"admin", who}),
        secret=lambda w: "Secret import 7731",
        state=lambda w: list(TrackedJob.objects.values_list("status", "done")),
    )
    assert check_page(world, page) == []
