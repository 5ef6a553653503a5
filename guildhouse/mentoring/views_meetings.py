"""A pair's meetings: plan one from the times both are free, download it, log how it went."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.calendars.api import ics_response
from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.mentoring import selectors, services_meetings
from guildhouse.mentoring.access import access_meeting, access_relationship
from guildhouse.mentoring.calendar import meeting_event
from guildhouse.mentoring.forms import MeetingForm, MeetingLogForm


@require_POST
@member_required()
def meeting_propose(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = access_relationship(request.membership, pk)
    suggestions = selectors.suggested_times(relationship=relationship, now=timezone.now())
    form = MeetingForm(request.POST, suggestions=suggestions)
    if form.is_valid():
        try:
            services_meetings.meeting_propose(
                actor=request.user,
                relationship=relationship,
                starts_at=form.start(),
                minutes=form.cleaned_data["minutes"],
                mode=form.cleaned_data["mode"],
                place=form.cleaned_data["place"],
                link=form.cleaned_data["link"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Meeting planned. Add it to your calendar below."))
    else:
        messages.error(
            request,
            " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect("mentoring:relationship_detail", pk=relationship.pk)


@require_GET
@member_required()
def meeting_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.membership, pk)
    return ics_response(
        [meeting_event(meeting)], filename=f"mentoring-meeting-{meeting.pk}.ics", request=request
    )


@require_http_methods(["GET", "POST"])
@member_required()
def meeting_log(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.membership, pk, for_change=True)
    form = MeetingLogForm(
        posted(request),
        initial={
            "status": meeting.status if meeting.status != "planned" else "",
            "held_minutes": meeting.held_minutes,
            "topics": meeting.topics,
            "notes": meeting.notes,
            "notes_shared": meeting.notes_shared,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_meetings.meeting_log(
                actor=request.user,
                meeting=meeting,
                status=form.cleaned_data["status"],
                held_minutes=form.cleaned_data["held_minutes"],
                topics=form.cleaned_data["topics"],
                notes=form.cleaned_data["notes"],
                notes_shared=form.cleaned_data["notes_shared"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Meeting logged."))
            return redirect("mentoring:relationship_detail", pk=meeting.relationship_id)
    return render(request, "mentoring/meeting_log.html", {"meeting": meeting, "form": form})
