"""The status of a job a person started: a page, and the fragment htmx polls."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.jobs.access import access_tracked_job


@require_GET
@member_required()
def job_status(request: AuthedRequest, pk: int) -> HttpResponse:
    job = access_tracked_job(request.membership, pk)
    if request.htmx:
        return render(request, "jobs/_status.html", {"job": job})
    return render(request, "jobs/job_status.html", {"job": job})
