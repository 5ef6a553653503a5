"""Real ``guildhouse worker`` processes against the test database (SQLite and PostgreSQL).

These tests commit (``transaction=True``) so that the worker processes see the data;
on SQLite the test database is a file (settings.py) for the same reason.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from guildhouse.core import services
from guildhouse.jobs.models import PeriodicRun
from guildhouse.notifications.models import EmailState, Notification
from tests.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(str(db['NAME'])).resolve()}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def workers(count: int, *args: str, env: dict[str, str] | None = None) -> Iterator[list[Path]]:
    """Start ``count`` worker processes; yields their output files; stops them after."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "GUILDHOUSE_TESTING": "1",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    environment.pop("EMAIL_HOST", None)  # console email: the output shows what was sent
    outputs = [Path(settings.DATA_DIR) / f"worker-{os.getpid()}-{n}.log" for n in range(count)]
    processes = []
    try:
        for output in outputs:
            with output.open("w") as log:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "guildhouse", "worker", "--interval", "0.1", *args],
                        cwd=settings.BASE_DIR,
                        env=environment,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
        yield outputs
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for output in outputs:
            output.unlink(missing_ok=True)


def wait_for(condition: Callable[[], bool], *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the worker did not get there in time")
        time.sleep(0.1)


def test_a_job_enqueued_in_a_web_request_runs_exactly_once(world: World) -> None:
    _invitation, token = services.invitation_create(
        actor=world.admin.user,
        institution=world.institution,
        email="newcomer@example.org",
        full_name="Nina Newcomer",
        role="staff",
        accept_url_for=lambda token: f"http://testserver/invite/{token}/",
    )
    with workers(2) as outputs:
        # The web request: accepting the invitation notifies the inviter, whose email
        # is a job enqueued when the request's transaction commits.
        password = "a-long-and-new-password-42"
        client = Client()
        # The link hands its token to the session, then the token-free page accepts.
        assert client.get(reverse("invitation_link", args=[token])).status_code == 302
        response = client.post(
            reverse("invitation_accept"), {"password1": password, "password2": password}
        )
        assert response.status_code == 302
        notice = Notification.objects.get(recipient=world.admin.user)
        assert notice.email_state == EmailState.PENDING

        def sent() -> bool:
            notice.refresh_from_db()
            return notice.email_state == EmailState.SENT

        wait_for(sent)
        time.sleep(1)  # give a second worker every chance to run it again
        logs = "".join(output.read_text() for output in outputs)
    [job] = DBTaskResult.objects.filter(
        task_path="guildhouse.notifications.tasks.notifications_email_send"
    )
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert len(job.worker_ids) == 1  # claimed once, by one worker
    assert job.args_kwargs == {"args": [], "kwargs": {"notification_id": notice.pk}}
    assert logs.count("Subject: [Guildhouse] Nina Newcomer accepted your invitation") == 1
    assert f"To: {world.admin.user.email}" in logs


def test_two_workers_run_each_period_exactly_once(db: None, tmp_path: Path) -> None:
    """On PostgreSQL the production set-up; on SQLite it shows two workers are safe."""
    probe = tmp_path / "hourly.log"
    args = ("--tick", "0.05", "--import", "tests.jobs.sample_tasks")
    with workers(2, *args, env={"GUILDHOUSE_TEST_PROBE": str(probe)}):
        wait_for(lambda: probe.exists() and probe.read_text().strip() != "")
        time.sleep(3)  # both workers look for due periods about 60 times
    runs = probe.read_text().splitlines()
    periods = Counter(line.split()[1] for line in runs)
    assert periods, runs
    assert set(periods.values()) == {1}, runs
    names = Counter(PeriodicRun.objects.values_list("name", "period_start"))
    assert set(names.values()) == {1}
    assert {name for name, _ in names} == {
        "tests.jobs.sample_tasks.sample_hourly",
        "guildhouse.notifications.tasks.notifications_daily_digest",
        "guildhouse.partners.tasks.partners_daily_reminders",
        "guildhouse.voice.tasks.voice_release_batches",
        "guildhouse.mentoring.tasks.mentoring_daily_monitoring",
        "guildhouse.mentoring.tasks.mentoring_meeting_reminders",
        "guildhouse.voice.tasks_staff.voice_reports_refresh",
    }
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
