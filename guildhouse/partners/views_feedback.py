"""Feedback pages: testimonials with consent, the partners' satisfaction survey,
end-of-placement evaluations, and placement requests answered by employers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.models import Role
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.partners import selectors, selectors_public, services_public
from guildhouse.partners.access import (
    OPPORTUNITY_READERS,
    PARTNER_RUNNERS,
    PARTNER_WORKERS,
    access_opportunity,
    access_organisation,
    access_placement,
    access_request,
    access_testimonial,
    evaluation_side,
    may_record_answer,
    partner_contact,
    partner_organisation_ids,
)
from guildhouse.partners.forms_public import (
    AnswerForm,
    EvaluationForm,
    RequestForm,
    SurveyForm,
    TestimonialForm,
)
from guildhouse.partners.models import (
    Contact,
    Organisation,
    PlacementEvaluation,
    PlacementRequest,
)


@require_GET
@member_required(*PARTNER_WORKERS)
def feedback_overview(request: AuthedRequest) -> HttpResponse:
    institution = request.institution
    year = timezone.localdate().year
    context = {
        "year": year,
        "summary": selectors_public.survey_summary(institution=institution, year=year),
        "responses": selectors_public.survey_responses(institution=institution),
        "evaluations": selectors_public.evaluation_list(institution=institution),
        "testimonials": selectors_public.testimonial_list(institution=institution),
        "runner": request.membership.role in PARTNER_RUNNERS,
    }
    return render(request, "partners/feedback/overview.html", context)


@require_http_methods(["GET", "POST"])
@member_required()
def testimonial_create(request: AuthedRequest, pk: int) -> HttpResponse:
    org = access_organisation(request.membership, pk)
    if request.membership.role not in PARTNER_RUNNERS:
        raise PermissionDenied("Coordinators record testimonials.")
    contacts = (
        Contact.objects.filter(affiliations__organisation=org).distinct().order_by("full_name")
    )
    form = TestimonialForm(posted(request), contacts=contacts)
    if request.method == "POST" and form.is_valid():
        try:
            services_public.partner_testimonial_create(
                actor=request.user, organisation=org, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Testimonial saved."))
            return redirect("partners:feedback_overview")
    context = {"form": form, "organisation": org}
    return render(request, "partners/feedback/testimonial_form.html", context)


@require_POST
@member_required()
def testimonial_consent(request: AuthedRequest, pk: int) -> HttpResponse:
    testimonial = access_testimonial(request.membership, pk, for_consent=True)
    give = request.POST.get("give") == "1"
    note = request.POST.get("note", "")[:300]
    if give and request.membership.role != Role.PARTNER and not note.strip():
        messages.error(request, _("Say how the author gave their consent."))
        return redirect("partners:feedback_overview")
    services_public.partner_testimonial_consent(
        actor=request.user, testimonial=testimonial, give=give, note=note
    )
    messages.success(
        request,
        _("Thank you: you agreed to publication.")
        if give
        else _("Consent withdrawn: the testimonial is no longer shown anywhere."),
    )
    return redirect(
        "home" if request.membership.role == Role.PARTNER else "partners:feedback_overview"
    )


@require_POST
@member_required(*PARTNER_RUNNERS)
def testimonial_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    testimonial = access_testimonial(request.membership, pk)
    publish = request.POST.get("publish") == "1"
    try:
        services_public.partner_testimonial_publish(
            actor=request.user, testimonial=testimonial, publish=publish
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Published on the public page.") if publish else _("Taken off the public page."),
        )
    return redirect("partners:feedback_overview")


@require_http_methods(["GET", "POST"])
@member_required(Role.PARTNER)
def survey(request: AuthedRequest) -> HttpResponse:
    contact = partner_contact(request.membership)
    organisations = Organisation.objects.filter(
        pk__in=partner_organisation_ids(request.membership)
    ).order_by("name")
    form = SurveyForm(posted(request), organisations=organisations)
    if request.method == "POST" and form.is_valid() and contact is not None:
        data = form.cleaned_data
        try:
            services_public.satisfaction_answer(
                actor=request.user,
                contact=contact,
                organisation=data["organisation"],
                score=data["score"],
                comments=data["comments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you for your answer."))
            return redirect("home")
    context = {"form": form, "linked": contact is not None and organisations.exists()}
    return render(request, "partners/feedback/survey.html", context)


@require_http_methods(["GET", "POST"])
@member_required()
def evaluation(request: AuthedRequest, pk: int) -> HttpResponse:
    placement = access_placement(request.membership, pk)
    by = evaluation_side(request.membership, placement)
    existing = PlacementEvaluation.objects.filter(placement=placement, by=by).first()
    initial = (
        {
            "rating": existing.rating,
            "again": "yes" if existing.again else "no",
            "comment": existing.comment,
        }
        if existing
        else {}
    )
    form = EvaluationForm(posted(request), by=by, initial=initial)
    is_open = services_public.evaluation_open(placement)
    if request.method == "POST" and form.is_valid():
        try:
            services_public.evaluation_submit(
                actor=request.user, placement=placement, by=by, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your evaluation is saved."))
            return redirect("partners:placement_detail", pk=placement.pk)
    context = {"form": form, "placement": placement, "by": by, "is_open": is_open}
    return render(request, "partners/feedback/evaluation_form.html", context)


@require_http_methods(["GET", "POST"])
@member_required()
def request_create(request: AuthedRequest, pk: int) -> HttpResponse:
    opportunity = access_opportunity(request.membership, pk, for_change=True)
    form = RequestForm(posted(request), opportunity=opportunity)
    if request.method == "POST" and form.is_valid():
        try:
            placement_request = services_public.request_send(
                actor=request.user, opportunity=opportunity, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            employer = opportunity.organisation
            if selectors.account_users(selectors.current_contacts(organisation=employer)):
                messages.success(request, _("Request sent to the employer."))
            else:
                messages.warning(
                    request,
                    _(
                        "Request saved. Nobody at %(org)s has a Guildhouse account, so nobody"
                        " was notified: call or email them, then record their answer here."
                    )
                    % {"org": opportunity.organisation.name},
                )
            return redirect("partners:request_detail", pk=placement_request.pk)
    context = {"form": form, "opportunity": opportunity}
    return render(request, "partners/feedback/request_form.html", context)


@require_GET
@member_required(*OPPORTUNITY_READERS)
def request_list(request: AuthedRequest) -> HttpResponse:
    requests = selectors_public.request_list(viewer=request.membership)
    today = timezone.localdate()
    rows = [(r, r.status_label(today)) for r in requests]
    return render(request, "partners/feedback/request_list.html", {"rows": rows})


@require_GET
@member_required()
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    placement_request = access_request(request.membership, pk)
    by_staff = may_record_answer(request.membership, placement_request)
    answers = by_staff or request.membership.role == Role.PARTNER
    form = AnswerForm(by_staff=by_staff) if answers else None
    return _request_page(request, placement_request, form)


def _request_page(
    request: AuthedRequest,
    placement_request: PlacementRequest,
    form: AnswerForm | None,
    status: int = 200,
) -> HttpResponse:
    staff = request.membership.role != Role.PARTNER
    context = {
        "req": placement_request,
        "status_label": placement_request.status_label(),
        "answer_form": form,
        "by_staff": staff,
        "contacts": (
            selectors.current_contacts(organisation=placement_request.opportunity.organisation)
            if staff
            else []
        ),
    }
    return render(request, "partners/feedback/request_detail.html", context, status=status)


@require_POST
@member_required()
def request_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    placement_request = access_request(request.membership, pk, for_answer=True)
    by_staff = request.membership.role != Role.PARTNER
    form = AnswerForm(request.POST, by_staff=by_staff)
    if form.is_valid():
        try:
            services_public.request_answer(
                actor=request.user,
                request=placement_request,
                by_staff=by_staff,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Their answer is recorded.")
                if by_staff
                else _("Thank you: your answer has been sent."),
            )
            return redirect("partners:request_detail", pk=placement_request.pk)
    return _request_page(request, placement_request, form, status=400)
