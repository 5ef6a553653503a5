"""Pages of the engagement process: assemblies and workshops (with .ics), who is
responsible, staff training, and the register of external stakeholders."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.calendars.api import CalendarEvent, ics_response
from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.voice import selectors_staff, services_engagement
from guildhouse.voice.access_staff import (
    VOICE_RUNNERS,
    VOICE_STAFF,
    access_assembly,
    access_stakeholder,
)
from guildhouse.voice.forms_staff import (
    AssemblyForm,
    DecisionForm,
    InvolvementForm,
    ResponsibilityForm,
    StakeholderForm,
    TrainingForm,
)
from guildhouse.voice.models import Assembly, Stakeholder, TrainingSession
from guildhouse.voice.views_staff import _form_errors

# --- Assemblies -------------------------------------------------------------------------


@require_GET
@member_required(*VOICE_STAFF)
def assembly_list(request: AuthedRequest) -> HttpResponse:
    assemblies = list(selectors_staff.assembly_list(institution=request.institution)[:100])
    return render(
        request,
        "voice/staff/assembly_list.html",
        {"assemblies": assemblies, "can_create": request.membership.role in VOICE_RUNNERS},
    )


@require_http_methods(["GET", "POST"])
@member_required(*VOICE_RUNNERS)
def assembly_create(request: AuthedRequest) -> HttpResponse:
    form = AssemblyForm(posted(request), instance=Assembly(institution=request.institution))
    if request.method == "POST" and form.is_valid():
        assembly = services_engagement.assembly_save(
            actor=request.user, assembly=form.instance, creator=request.membership
        )
        messages.success(request, _("Assembly saved."))
        return redirect("voice:assembly_detail", assembly.pk)
    return render(request, "voice/staff/assembly_form.html", {"form": form, "assembly": None})


@require_http_methods(["GET", "POST"])
@member_required(*VOICE_RUNNERS)
def assembly_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    assembly = access_assembly(request.membership, pk, for_change=True)
    form = AssemblyForm(posted(request), instance=assembly)
    if request.method == "POST" and form.is_valid():
        services_engagement.assembly_save(actor=request.user, assembly=form.instance)
        messages.success(request, _("Assembly saved."))
        return redirect("voice:assembly_detail", assembly.pk)
    return render(request, "voice/staff/assembly_form.html", {"form": form, "assembly": assembly})


def _assembly_page(
    request: AuthedRequest, assembly: Assembly, form: DecisionForm | None = None, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "assembly": assembly,
        "decisions": assembly.decisions.prefetch_related("items__category"),
        "actions": assembly.actions.select_related("owner__user"),
        "involvements": assembly.involvements.select_related("stakeholder"),
        "can_change": request.membership.role in VOICE_RUNNERS,
        "form": form or DecisionForm(institution=request.institution),
    }
    return render(request, "voice/staff/assembly_detail.html", context, status=status)


@require_GET
@member_required(*VOICE_STAFF)
def assembly_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _assembly_page(request, access_assembly(request.membership, pk))


@require_POST
@member_required(*VOICE_RUNNERS)
def assembly_decision(request: AuthedRequest, pk: int) -> HttpResponse:
    assembly = access_assembly(request.membership, pk, for_change=True)
    form = DecisionForm(request.POST, institution=request.institution)
    if form.is_valid():
        try:
            services_engagement.decision_add(
                actor=request.user,
                assembly=assembly,
                text=form.cleaned_data["text"],
                items=list(form.cleaned_data["items"]),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("voice:assembly_detail", assembly.pk)
    return _assembly_page(request, assembly, form, status=400)


@require_GET
@member_required(*VOICE_STAFF)
def assembly_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    assembly = access_assembly(request.membership, pk)
    event = CalendarEvent(
        uid=f"voice-assembly-{assembly.pk}@guildhouse",
        start=assembly.starts_at,
        end=assembly.ends_at,
        summary=assembly.title,
        description=assembly.agenda,
        location=assembly.location,
        url=reverse("voice:assembly_detail", args=[assembly.pk]),
        sequence=assembly.sequence,
    )
    return ics_response([event], f"assembly-{assembly.pk}.ics", request=request)


# --- People: responsibilities and training -----------------------------------------------


def _people_page(
    request: AuthedRequest,
    form: ResponsibilityForm | None = None,
    status: int = 200,
) -> HttpResponse:
    institution = request.institution
    context = {
        "responsibilities": selectors_staff.responsibility_list(institution=institution),
        "trainings": selectors_staff.training_list(institution=institution)[:50],
        "can_change": request.membership.role in VOICE_RUNNERS,
        "form": form or ResponsibilityForm(institution=institution),
    }
    return render(request, "voice/staff/people.html", context, status=status)


@require_GET
@member_required(*VOICE_STAFF)
def people(request: AuthedRequest) -> HttpResponse:
    return _people_page(request)


@require_POST
@member_required(*VOICE_RUNNERS)
def responsibility_add(request: AuthedRequest) -> HttpResponse:
    form = ResponsibilityForm(request.POST, institution=request.institution)
    if form.is_valid():
        try:
            services_engagement.responsibility_add(
                actor=request.user,
                membership=form.cleaned_data["membership"],
                kind=form.cleaned_data["kind"],
                programme=form.cleaned_data["programme"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Responsibility added."))
            return redirect("voice:people")
    return _people_page(request, form, status=400)


@require_http_methods(["GET", "POST"])
@member_required(*VOICE_RUNNERS)
def training_create(request: AuthedRequest) -> HttpResponse:
    form = TrainingForm(
        posted(request),
        institution=request.institution,
        instance=TrainingSession(institution=request.institution),
        initial={"held_on": datetime.date.today()},
    )
    if request.method == "POST" and form.is_valid():
        services_engagement.training_save(
            actor=request.user,
            training=form.instance,
            attendees=list(form.cleaned_data["attendees"]),
        )
        messages.success(request, _("Training session recorded."))
        return redirect("voice:people")
    return render(request, "voice/staff/training_form.html", {"form": form})


# --- Stakeholders -----------------------------------------------------------------------


def _stakeholders_page(
    request: AuthedRequest, form: StakeholderForm | None = None, status: int = 200
) -> HttpResponse:
    institution = request.institution
    context = {
        "stakeholders": selectors_staff.stakeholder_list(institution=institution)[:200],
        "can_change": request.membership.role in VOICE_RUNNERS,
        "form": form
        or StakeholderForm(institution=institution, instance=Stakeholder(institution=institution)),
    }
    return render(request, "voice/staff/stakeholder_list.html", context, status=status)


@require_GET
@member_required(*VOICE_STAFF)
def stakeholder_list(request: AuthedRequest) -> HttpResponse:
    return _stakeholders_page(request)


@require_POST
@member_required(*VOICE_RUNNERS)
def stakeholder_create(request: AuthedRequest) -> HttpResponse:
    institution = request.institution
    form = StakeholderForm(
        request.POST, institution=institution, instance=Stakeholder(institution=institution)
    )
    if form.is_valid():
        stakeholder = services_engagement.stakeholder_save(
            actor=request.user, stakeholder=form.instance
        )
        messages.success(request, _("Stakeholder added to the register."))
        return redirect("voice:stakeholder_detail", stakeholder.pk)
    return _stakeholders_page(request, form, status=400)


def _stakeholder_page(
    request: AuthedRequest,
    stakeholder: Stakeholder,
    form: InvolvementForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "stakeholder": stakeholder,
        "involvements": stakeholder.involvements.select_related("assembly"),
        "can_change": request.membership.role in VOICE_RUNNERS,
        "form": form
        or InvolvementForm(institution=request.institution, initial={"on": datetime.date.today()}),
    }
    return render(request, "voice/staff/stakeholder_detail.html", context, status=status)


@require_GET
@member_required(*VOICE_STAFF)
def stakeholder_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _stakeholder_page(request, access_stakeholder(request.membership, pk))


@require_POST
@member_required(*VOICE_RUNNERS)
def stakeholder_involvement(request: AuthedRequest, pk: int) -> HttpResponse:
    stakeholder = access_stakeholder(request.membership, pk, for_change=True)
    form = InvolvementForm(request.POST, institution=request.institution)
    if form.is_valid():
        try:
            services_engagement.involvement_add(
                actor=request.user,
                stakeholder=stakeholder,
                level=form.cleaned_data["level"],
                on=form.cleaned_data["on"],
                assembly=form.cleaned_data["assembly"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Involvement recorded."))
            return redirect("voice:stakeholder_detail", stakeholder.pk)
    return _stakeholder_page(request, stakeholder, form, status=400)
