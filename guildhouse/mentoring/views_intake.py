"""Mentoring pages for intake: the participants' home, applying, screening, the form's questions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.core.access import access_special_category, require_role
from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import PAGE_SIZE, posted
from guildhouse.mentoring import selectors, services
from guildhouse.mentoring.access import (
    APPLICATION_READERS,
    MANAGERS,
    PARTICIPANT_ROLES,
    access_application,
    access_mentoring_programme,
    access_programme_to_apply,
    accessibility_readable,
    preference_readable,
)
from guildhouse.mentoring.forms import ApplicationForm, QuestionForm, ScreeningForm
from guildhouse.mentoring.intake import BUILTINS
from guildhouse.mentoring.models import (
    Application,
    ApplicationStatus,
    MatchingPreference,
    Question,
    Side,
)
from guildhouse.mentoring.training import MODULES_BY_KEY


@require_GET
@member_required(*PARTICIPANT_ROLES)
def home(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "mentoring/home.html",
        {
            "open_programmes": selectors.open_programmes_for(membership=request.membership),
            "applications": selectors.my_applications(membership=request.membership),
            "relationships": selectors.my_relationships(membership=request.membership),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required()
def apply(request: AuthedRequest, pk: int, side: str) -> HttpResponse:
    programme = access_programme_to_apply(request.membership, pk)
    if side not in Side.values:
        raise Http404("No such side.")
    existing = Application.objects.filter(
        programme=programme, membership=request.membership
    ).first()
    problem = (
        selectors.application_ineligibility(
            programme=programme, membership=request.membership, side=side
        )
        if existing is None
        else ""
    )
    if problem:
        messages.error(request, problem)
        return redirect("mentoring:home")
    if existing is not None and (
        existing.side != side or existing.status != ApplicationStatus.SUBMITTED
    ):
        return redirect("mentoring:application_detail", pk=existing.pk)
    form = ApplicationForm(
        posted(request),
        questions=selectors.questions_for(programme=programme, side=side),
        special=access_special_category(request.membership, request.membership),
        initial=_initial(existing),
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                actor=request.user,
                programme=programme,
                membership=request.membership,
                side=side,
                answers=form.answers(),
                accessibility_needs=form.cleaned_data["accessibility_needs"].strip(),
                preference=form.preference(),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, _("Thank you. The coordinator will look at your application soon.")
            )
            return redirect("mentoring:application_detail", pk=application.pk)
    return render(
        request, "mentoring/apply.html", {"form": form, "programme": programme, "side": side}
    )


def _initial(application: Application | None) -> dict[str, object]:
    if application is None:
        return {}
    initial: dict[str, object] = {f"q_{k}": v for k, v in application.answers.items()}
    initial["accessibility_needs"] = application.accessibility_needs
    preference = MatchingPreference.objects.filter(application=application).first()
    if preference is not None:
        initial |= {
            "same_gender": preference.same_gender,
            "shared_background": preference.shared_background,
            "shared_language": preference.shared_language,
            "preference_consent": True,
        }
    return initial


@require_GET
@member_required()
def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    application = access_application(request.membership, pk)
    return _application_page(
        request, application, ScreeningForm(initial=_screen_initial(application))
    )


def _screen_initial(application: Application) -> dict[str, object]:
    return {"capacity": application.capacity}


def _application_page(
    request: AuthedRequest, application: Application, screening_form: ScreeningForm
) -> HttpResponse:
    viewer = request.membership
    own = application.membership_id == viewer.pk
    training = None
    if application.side == Side.MENTOR:
        done = selectors.completed_modules(membership=application.membership)
        training = [
            (MODULES_BY_KEY[key].title, done.get(key))
            for key in application.programme.required_modules
            if key in MODULES_BY_KEY
        ]
    show_preference = preference_readable(viewer, application)
    return render(
        request,
        "mentoring/application_detail.html",
        {
            "application": application,
            "answers": selectors.answer_rows(application=application),
            "training": training,
            "show_accessibility": accessibility_readable(viewer, application),
            "show_preference": show_preference,
            "preference": MatchingPreference.objects.filter(application=application).first()
            if show_preference
            else None,
            "can_edit": own
            and application.status == ApplicationStatus.SUBMITTED
            and application.programme.state == "recruiting",
            "screening_form": screening_form
            if viewer.role in MANAGERS and application.status != ApplicationStatus.WITHDRAWN
            else None,
        },
    )


@require_POST
@member_required()
def application_screen(request: AuthedRequest, pk: int) -> HttpResponse:
    application = access_application(request.membership, pk, for_change=True)
    form = ScreeningForm(request.POST)
    if form.is_valid():
        try:
            application = services.application_screen(
                actor=request.user,
                application=application,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                capacity=form.cleaned_data["capacity"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {
                    "name": application.membership.user.full_name,
                    "status": application.get_status_display(),
                },
            )
            return redirect("mentoring:application_list", pk=application.programme_id)
    return _application_page(request, application, form)


@require_GET
@member_required()
def application_list(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = access_mentoring_programme(request.membership, pk)
    require_role(request.membership, APPLICATION_READERS)
    side = request.GET.get("side", "")
    status = request.GET.get("status", "")
    applications = selectors.application_list(
        programme=programme,
        side=side if side in Side.values else "",
        status=status if status in ApplicationStatus.values else "",
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    trained = selectors.trained_membership_ids(
        programme=programme,
        membership_ids=[a.membership_id for a in page.object_list if a.side == Side.MENTOR],
    )
    return render(
        request,
        "mentoring/application_list.html",
        {
            "programme": programme,
            "page": page,
            "trained": trained,
            "side": side,
            "status": status,
            "sides": Side.choices,
            "statuses": ApplicationStatus.choices,
        },
    )


@require_http_methods(["GET", "POST"])
@member_required()
def question_list(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = access_mentoring_programme(request.membership, pk, for_change=True)
    form = QuestionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(
                actor=request.user,
                programme=programme,
                side=form.cleaned_data["side"],
                kind=form.cleaned_data["kind"],
                label=form.cleaned_data["label"],
                options=form.option_list(),
                required=form.cleaned_data["required"],
                scale_min=form.cleaned_data["scale_min"] or 1,
                scale_max=form.cleaned_data["scale_max"] or 5,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Question added."))
            return redirect("mentoring:question_list", pk=programme.pk)
    questions = [
        (str(BUILTINS[q.key].label) if q.builtin else q.label, q)
        for q in Question.objects.filter(programme=programme)
    ]
    return render(
        request,
        "mentoring/question_list.html",
        {"programme": programme, "questions": questions, "form": form},
    )
