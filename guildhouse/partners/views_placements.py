"""Partnership pages: opportunities, their periods, placements and compliance."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.partners import selectors, services
from guildhouse.partners.access import (
    OPPORTUNITY_READERS,
    PARTNER_RUNNERS,
    PARTNER_WORKERS,
    PLACEMENT_READERS,
    access_opportunity,
    access_organisation,
    access_period,
    access_placement,
    may_change_organisation,
)
from guildhouse.partners.forms import ComplianceForm, OpportunityForm, PeriodForm, PlacementForm
from guildhouse.partners.models import OpportunityKind, Placement
from guildhouse.partners.paging import page_of, query_string


@require_GET
@member_required(*OPPORTUNITY_READERS)
def opportunity_list(request: AuthedRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in OpportunityKind.values else ""
    open_only = request.GET.get("open") == "1"
    opportunities = selectors.opportunity_list(
        viewer=request.membership, kind=kind, open_only=open_only, limit=None
    )
    page = page_of(request, opportunities)
    context = {
        "opportunities": page.object_list,
        "page": page,
        "query_string": query_string(request),
        "kinds": OpportunityKind.choices,
        "kind": kind,
        "open_only": open_only,
    }
    return render(request, "partners/opportunity_list.html", context)


@require_http_methods(["GET", "POST"])
@member_required()
def opportunity_create(request: AuthedRequest, pk: int) -> HttpResponse:
    org = access_organisation(request.membership, pk, for_change=True)
    form = OpportunityForm(posted(request), institution=request.institution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opportunity = services.opportunity_create(
                actor=request.user,
                organisation=org,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                location=data["location"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                programmes=list(data["programmes"]),
                requirements=data["requirements"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Opportunity added. Now add its places."))
            return redirect("partners:opportunity_detail", pk=opportunity.pk)
    return render(request, "partners/opportunity_form.html", {"form": form, "organisation": org})


@require_GET
@member_required()
def opportunity_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    opportunity = access_opportunity(request.membership, pk)
    staff = request.membership.role in PARTNER_WORKERS
    can_change = staff and may_change_organisation(request.membership, opportunity.organisation)
    periods = list(opportunity.periods.all())
    placements = selectors.placement_list(viewer=request.membership, opportunity=opportunity)
    context = {
        "opportunity": opportunity,
        "programmes": opportunity.programmes.all(),
        "periods": periods,
        "placements": placements,
        "staff": staff,
        "can_change": can_change,
        "period_form": PeriodForm() if can_change else None,
    }
    return render(request, "partners/opportunity_detail.html", context)


@require_POST
@member_required()
def period_add(request: AuthedRequest, pk: int) -> HttpResponse:
    opportunity = access_opportunity(request.membership, pk, for_change=True)
    form = PeriodForm(request.POST)
    if form.is_valid():
        try:
            services.period_add(actor=request.user, opportunity=opportunity, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Period added."))
    else:
        errors = [
            f"{form.fields[name].label}: {' '.join(str(m) for m in e)}"
            for name, e in form.errors.items()
        ]
        messages.error(
            request, _("The period was not added. %(errors)s") % {"errors": "; ".join(errors)}
        )
    return redirect("partners:opportunity_detail", pk=opportunity.pk)


@require_http_methods(["GET", "POST"])
@member_required()
def placement_propose(request: AuthedRequest, pk: int) -> HttpResponse:
    period = access_period(request.membership, pk)
    opportunity = period.opportunity
    form = PlacementForm(
        posted(request),
        period=period,
        learners=selectors.learner_choices(opportunity=opportunity),
        initial={"starts_on": period.starts_on, "ends_on": period.ends_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.placement_propose(
                actor=request.user, period=period, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Placement proposed. Record its documents, then a coordinator confirms it."),
            )
            return redirect("partners:placement_detail", pk=placement.pk)
    context = {"form": form, "period": period, "opportunity": opportunity}
    return render(request, "partners/placement_form.html", context)


@require_GET
@member_required(*PLACEMENT_READERS)
def placement_list(request: AuthedRequest) -> HttpResponse:
    page = page_of(request, selectors.placement_list(viewer=request.membership, limit=None))
    context = {"placements": page.object_list, "page": page}
    return render(request, "partners/placement_list.html", context)


@require_GET
@member_required()
def placement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    placement = access_placement(request.membership, pk)
    staff = request.membership.role in PARTNER_WORKERS
    context = {
        "placement": placement,
        "opportunity": placement.period.opportunity,
        "items": placement.compliance_items.select_related("recorded_by"),
        "gaps": services.compliance_gaps(placement) if placement.status == "proposed" else [],
        "staff": staff,
        "runner": request.membership.role in PARTNER_RUNNERS,
        "compliance_form": ComplianceForm() if staff else None,
    }
    return render(request, "partners/placement_detail.html", context)


@require_POST
@member_required()
def compliance_record(request: AuthedRequest, pk: int) -> HttpResponse:
    placement = access_placement(request.membership, pk, for_change=True)
    form = ComplianceForm(request.POST)
    if form.is_valid():
        try:
            services.compliance_record(actor=request.user, placement=placement, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Document recorded."))
    else:
        errors = [
            f"{form.fields[name].label}: {' '.join(str(m) for m in e)}"
            for name, e in form.errors.items()
        ]
        messages.error(
            request, _("The document was not recorded. %(errors)s") % {"errors": "; ".join(errors)}
        )
    return redirect("partners:placement_detail", pk=placement.pk)


def _runner_placement(request: AuthedRequest, pk: int) -> Placement:
    placement = access_placement(request.membership, pk, for_change=True)
    if request.membership.role not in PARTNER_RUNNERS:
        raise PermissionDenied("Coordinators confirm and cancel placements.")
    return placement


@require_POST
@member_required()
def placement_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    placement = _runner_placement(request, pk)
    try:
        services.placement_confirm(actor=request.user, placement=placement)
    except ValidationError as error:
        messages.error(
            request,
            _("Not confirmed: %(reasons)s") % {"reasons": " ".join(error.messages)},
        )
    else:
        messages.success(request, _("Placement confirmed."))
    return redirect("partners:placement_detail", pk=placement.pk)


@require_POST
@member_required()
def placement_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    placement = _runner_placement(request, pk)
    try:
        services.placement_cancel(actor=request.user, placement=placement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Placement cancelled."))
    return redirect("partners:placement_detail", pk=placement.pk)
