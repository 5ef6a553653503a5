"""Partnership events: list, create and change, attendees, and the .ics download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.calendars.api import ics_response
from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.partners import selectors_events, services_events
from guildhouse.partners.access import PARTNER_WORKERS
from guildhouse.partners.access_network import access_event
from guildhouse.partners.forms_network import (
    AttendeeForm,
    EventForm,
    EventOrganisationForm,
    default_event_start,
)
from guildhouse.partners.models import EventAttendee, Organisation, PartnerEvent


@require_GET
@member_required(*PARTNER_WORKERS)
def event_list(request: AuthedRequest) -> HttpResponse:
    past = request.GET.get("when") == "past"
    events = selectors_events.event_list(institution=request.institution, past=past)
    context = {"events": events[: selectors_events.EVENTS_SHOWN], "past": past}
    return render(request, "partners/events/event_list.html", context)


def _initial(event: PartnerEvent | None) -> dict[str, Any]:
    if event is None:
        start = default_event_start()
        return {"starts_at": start, "ends_at": start.replace(hour=min(start.hour + 2, 23))}
    return {
        "kind": event.kind,
        "title": event.title,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "location": event.location,
        "description": event.description,
    }


def _event_form(request: AuthedRequest, event: PartnerEvent | None) -> HttpResponse:
    form = EventForm(
        posted(request),
        initial=_initial(event),
        institution=request.institution,
        creating=event is None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        partner = data.get("organisation")
        saved = services_events.event_save(
            actor=request.user,
            institution=request.institution,
            event=event,
            kind=data["kind"],
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            location=data["location"],
            description=data["description"],
            organisations=None if event else [partner] if partner else [],
        )
        messages.success(request, _("Event saved."))
        return redirect("partners:event_detail", pk=saved.pk)
    return render(request, "partners/events/event_form.html", {"form": form, "event": event})


@require_http_methods(["GET", "POST"])
@member_required(*PARTNER_WORKERS)
def event_create(request: AuthedRequest) -> HttpResponse:
    return _event_form(request, None)


@require_http_methods(["GET", "POST"])
@member_required()
def event_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _event_form(request, access_event(request.membership, pk, for_change=True))


@require_GET
@member_required()
def event_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    event = access_event(request.membership, pk)
    may_change = request.membership.role in PARTNER_WORKERS
    form = AttendeeForm(institution=request.institution) if may_change else None
    return _detail(request, event, form)


def _detail(
    request: AuthedRequest,
    event: PartnerEvent,
    form: AttendeeForm | None,
    partner_form: EventOrganisationForm | None = None,
) -> HttpResponse:
    """The event page; ``form`` (attendees) is None for those who only read it."""
    if form is not None and partner_form is None:
        partner_form = EventOrganisationForm(institution=request.institution)  # the blank one
    context = {
        "event": event,
        "organisations": event.organisations.order_by("name", "pk"),
        "attendees": selectors_events.event_attendees(event=event) if form else [],
        "may_change": form is not None,
        "form": form,
        "partner_form": partner_form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "partners/events/event_detail.html", context, status=status)


@require_POST
@member_required()
def event_organisation_add(request: AuthedRequest, pk: int) -> HttpResponse:
    event = access_event(request.membership, pk, for_change=True)
    partner_form = EventOrganisationForm(request.POST, institution=request.institution)
    if not partner_form.is_valid():
        attendees = AttendeeForm(institution=request.institution)
        return _detail(request, event, attendees, partner_form)  # the error beside the text
    organisation = partner_form.cleaned_data["organisation"]
    if services_events.event_organisation_add(
        actor=request.user, event=event, organisation=organisation
    ):
        messages.success(request, _("%(name)s added.") % {"name": organisation.name})
    else:
        messages.info(request, _("%(name)s was already named.") % {"name": organisation.name})
    return redirect("partners:event_detail", pk=event.pk)


@require_POST
@member_required()
def event_organisation_remove(
    request: AuthedRequest, pk: int, organisation_pk: int
) -> HttpResponse:
    event = access_event(request.membership, pk, for_change=True)
    try:
        organisation = event.organisations.get(pk=organisation_pk)
    except Organisation.DoesNotExist:
        raise Http404("No such partner of this event.") from None
    services_events.event_organisation_remove(
        actor=request.user, event=event, organisation=organisation
    )
    messages.success(request, _("%(name)s removed.") % {"name": organisation.name})
    return redirect("partners:event_detail", pk=event.pk)


@require_POST
@member_required()
def attendee_add(request: AuthedRequest, pk: int) -> HttpResponse:
    event = access_event(request.membership, pk, for_change=True)
    form = AttendeeForm(request.POST, institution=request.institution)
    if form.is_valid():
        try:
            services_events.attendee_add(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attendee added."))
    else:
        return _detail(request, event, form)  # the errors beside what was typed
    return redirect("partners:event_detail", pk=event.pk)


@require_POST
@member_required()
def attendee_remove(request: AuthedRequest, pk: int, attendee_pk: int) -> HttpResponse:
    event = access_event(request.membership, pk, for_change=True)
    try:
        attendee = EventAttendee.objects.get(pk=attendee_pk, event=event)
    except EventAttendee.DoesNotExist:
        raise Http404("No such attendee.") from None
    attendee.event = event
    services_events.attendee_remove(actor=request.user, attendee=attendee)
    messages.success(request, _("Attendee removed."))
    return redirect("partners:event_detail", pk=event.pk)


@require_GET
@member_required()
def event_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    event = access_event(request.membership, pk)
    return ics_response(
        [selectors_events.calendar_event(event)],
        filename=f"event-{event.pk}.ics",
        request=request,
        name=event.title,
    )
