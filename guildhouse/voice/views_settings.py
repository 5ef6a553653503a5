"""The coordinator's pages: thresholds and keywords, categories, consultations."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.voice import selectors, services
from guildhouse.voice.access import VOICE_RUNNERS, access_category, access_consultation
from guildhouse.voice.forms import CategoryForm, ConsultationForm, VoiceSettingsForm
from guildhouse.voice.models import Category, Consultation

ANONYMITY_REFUSED = gettext_lazy(
    "This consultation reaches %(size)d learners, fewer than the smallest reportable group "
    "(%(k)d): anonymity cannot be promised, so answers will carry the learner's name."
)


@require_http_methods(["GET", "POST"])
@member_required(*VOICE_RUNNERS)
def settings_edit(request: AuthedRequest) -> HttpResponse:
    settings = selectors.voice_settings(institution=request.institution)
    form = VoiceSettingsForm(posted(request), instance=settings)
    if request.method == "POST" and form.is_valid():
        services.settings_update(
            actor=request.membership, settings=form.instance, changed=form.changed_data
        )
        messages.success(request, _("Learner voice settings saved."))
        return redirect("voice:settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "voice/settings.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@member_required(*VOICE_RUNNERS)
def category_list(request: AuthedRequest) -> HttpResponse:
    """The categories, and the form that adds one."""
    categories = list(selectors.category_list(institution=request.institution))
    form = CategoryForm(posted(request), institution_id=request.institution.pk, instance=Category())
    if request.method == "POST" and form.is_valid():
        category = services.category_save(actor=request.membership, category=form.instance)
        messages.success(request, _("Category “%(name)s” added.") % {"name": category.label})
        return redirect("voice:category_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "voice/category_list.html",
        {"categories": categories, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@member_required()  # the access function: 404 outside, then the role
def category_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    category = access_category(request.membership, pk)
    form = CategoryForm(posted(request), institution_id=request.institution.pk, instance=category)
    if request.method == "POST" and form.is_valid():
        services.category_save(actor=request.membership, category=form.instance)
        messages.success(request, _("Category “%(name)s” saved.") % {"name": category.label})
        return redirect("voice:category_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "voice/category_form.html", {"form": form, "category": category}, status=status
    )


@require_GET
@member_required(*VOICE_RUNNERS)
def consultation_list(request: AuthedRequest) -> HttpResponse:
    settings = selectors.voice_settings(institution=request.institution)
    consultations = list(selectors.consultation_list(institution=request.institution)[:200])
    return render(
        request,
        "voice/consultation_list.html",
        {"consultations": consultations, "k": settings.min_group_size},
    )


def _consultation_form_page(request: AuthedRequest, consultation: Consultation) -> HttpResponse:
    form = ConsultationForm(
        posted(request), institution_id=request.institution.pk, instance=consultation
    )
    if request.method == "POST" and form.is_valid():
        saved = services.consultation_save(
            actor=request.membership,
            consultation=form.instance,
            programmes=list(form.cleaned_data["programmes"]),
            cohorts=form.cleaned_data["cohorts"],
        )
        settings = selectors.voice_settings(institution=request.institution)
        if saved.anonymity_refused:
            messages.warning(
                request,
                ANONYMITY_REFUSED
                % {"size": saved.consultation.audience_size, "k": settings.min_group_size},
            )
        else:
            messages.success(request, _("Consultation saved."))
        return redirect("voice:consultation_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "voice/consultation_form.html",
        {"form": form, "consultation": consultation},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@member_required(*VOICE_RUNNERS)
def consultation_create(request: AuthedRequest) -> HttpResponse:
    return _consultation_form_page(request, Consultation())


@require_http_methods(["GET", "POST"])
@member_required()  # the access function: 404 outside, then the role
def consultation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.membership, pk, roles=VOICE_RUNNERS)
    return _consultation_form_page(request, consultation)
