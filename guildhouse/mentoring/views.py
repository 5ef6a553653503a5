"""Mentoring pages for coordinators: programmes and their life cycle."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.mentoring import selectors, services
from guildhouse.mentoring.access import (
    APPLICATION_READERS,
    MANAGERS,
    PROGRAMME_READERS,
    access_mentoring_programme,
)
from guildhouse.mentoring.forms import MentoringProgrammeForm
from guildhouse.mentoring.models import State


@require_GET
@member_required(*PROGRAMME_READERS)
def programme_list(request: AuthedRequest) -> HttpResponse:
    programmes = selectors.mentoring_programme_list(institution=request.institution)
    return render(
        request,
        "mentoring/programme_list.html",
        {"programmes": programmes, "can_manage": request.membership.role in MANAGERS},
    )


@require_GET
@member_required()
def programme_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = access_mentoring_programme(request.membership, pk)
    show_people = request.membership.role in APPLICATION_READERS
    return render(
        request,
        "mentoring/programme_detail.html",
        {
            "programme": programme,
            "eligible": programme.eligible_programmes.order_by("name"),
            "can_manage": request.membership.role in MANAGERS,
            "show_people": show_people,
            "counts": selectors.programme_counts(programme=programme) if show_people else None,
        },
    )


@require_http_methods(["GET", "POST"])
@member_required(*MANAGERS)
def programme_create(request: AuthedRequest) -> HttpResponse:
    form = MentoringProgrammeForm(posted(request), institution=request.institution)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.mentoring_programme_create(
                actor=request.user,
                institution=request.institution,
                eligible_programmes=form.cleaned_data["eligible_programmes"],
                **form.service_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Programme %(name)s created.") % {"name": programme.name})
            return redirect("mentoring:programme_detail", pk=programme.pk)
    return render(request, "mentoring/programme_form.html", {"form": form, "programme": None})


@require_http_methods(["GET", "POST"])
@member_required()
def programme_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = access_mentoring_programme(request.membership, pk, for_change=True)
    form = MentoringProgrammeForm(
        posted(request), instance=programme, institution=request.institution
    )
    if request.method == "POST" and form.is_valid():
        programme.refresh_from_db()
        try:
            services.mentoring_programme_update(
                actor=request.user,
                programme=programme,
                eligible_programmes=form.cleaned_data["eligible_programmes"],
                **form.service_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("mentoring:programme_detail", pk=programme.pk)
    return render(request, "mentoring/programme_form.html", {"form": form, "programme": programme})


@require_POST
@member_required()
def programme_transition(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = access_mentoring_programme(request.membership, pk, for_change=True)
    to = request.POST.get("to", "")
    try:
        programme = services.mentoring_programme_transition(
            actor=request.user, programme=programme, to=to
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The programme is now %(state)s.") % {"state": State(to).label.lower()},
        )
    return redirect("mentoring:programme_detail", pk=programme.pk)
