"""Who may watch a job: the person who started it and the institution's admins."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from guildhouse.core.models import Membership, Role
from guildhouse.jobs.models import TrackedJob


def access_tracked_job(viewer: Membership, pk: int) -> TrackedJob:
    try:
        job = TrackedJob.objects.get(pk=pk, institution_id=viewer.institution_id)
    except TrackedJob.DoesNotExist:
        raise Http404("No such job.") from None
    if job.started_by_id != viewer.user_id and viewer.role != Role.ADMIN:
        raise PermissionDenied("Only the person who started this job and admins see it.")
    return job
