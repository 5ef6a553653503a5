"""The job runner's own tasks."""

from __future__ import annotations

from guildhouse.jobs.api import task


@task(max_attempts=1)
def jobs_ping() -> None:
    """Does nothing: shows that a worker runs jobs (and measures the runner, bench/jobs.py)."""
