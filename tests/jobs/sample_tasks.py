"""Tasks used by the job runner's tests (imported by the worker with --import)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from guildhouse.jobs.api import job_progress, periodic, task

CALLS: list[str] = []


@task(max_attempts=3, backoff_seconds=10)
def sample_always_fails(*, reason: str, job_id: int | None = None) -> None:
    CALLS.append(reason)
    raise RuntimeError(f"the printer is on fire: {reason}")


@task()
def sample_import(*, job_id: int, rows: int) -> None:
    for done in range(0, rows + 1, 5):
        job_progress(job_id, done=done, total=rows, message=f"Row {done}")
    job_progress(job_id, done=rows, total=rows, message="All rows read", result_url="/people/")


@task()
def sample_append(*, path: str, token: str) -> None:
    """Appends ``token`` to a file: counts executions across processes."""
    with Path(path).open("a") as file:
        file.write(token + "\n")


@periodic(every="hourly")
def sample_hourly(*, period_start: datetime.datetime) -> None:
    probe = os.environ.get("GUILDHOUSE_TEST_PROBE")
    if probe:
        with Path(probe).open("a") as file:
            file.write(f"{os.getpid()} {period_start.isoformat()}\n")
    CALLS.append(period_start.isoformat())
