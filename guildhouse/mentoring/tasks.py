"""Background jobs of peer mentoring."""

from __future__ import annotations

from guildhouse.jobs.api import task


# One attempt: the run records its own failure in words, and a retry would only repeat it.
@task(max_attempts=1)
def mentoring_matching_run(*, job_id: int, run_id: int) -> None:
    from guildhouse.mentoring.services_matching import matching_run_execute

    matching_run_execute(run_id=run_id, job_id=job_id)
