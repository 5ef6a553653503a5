"""Educators' professional network and CPD: my records, and the managers' totals."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.partners import selectors_cpd, services_cpd
from guildhouse.partners.access import PARTNER_RUNNERS, PARTNER_WORKERS
from guildhouse.partners.access_network import access_cpd_activity
from guildhouse.partners.forms_network import CpdForm
from guildhouse.partners.selectors_alignment import academic_year

MY_RECORDS_SHOWN = 100


@require_http_methods(["GET", "POST"])
@member_required(*PARTNER_WORKERS)
def cpd_mine(request: AuthedRequest) -> HttpResponse:
    membership = request.membership
    form = CpdForm(posted(request), institution=request.institution)
    if request.method == "POST" and form.is_valid():
        services_cpd.cpd_record(actor=request.user, membership=membership, **form.cleaned_data)
        messages.success(request, _("Recorded."))
        return redirect("partners:cpd_mine")
    start, end = academic_year(timezone.localdate())
    context = {
        "form": form,
        "activities": selectors_cpd.my_activities(membership=membership)[:MY_RECORDS_SHOWN],
        "hours": selectors_cpd.hours_in(membership=membership, start=start, end=end),
        "start": start,
        "end": end,
        "may_see_totals": membership.role in PARTNER_RUNNERS,
    }
    return render(request, "partners/cpd/mine.html", context)


@require_POST
@member_required()
def cpd_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = access_cpd_activity(request.membership, pk)
    services_cpd.cpd_delete(actor=request.user, activity=activity)
    messages.success(request, _("“%(title)s” removed.") % {"title": activity.title})
    return redirect("partners:cpd_mine")


@require_GET
@member_required(*PARTNER_RUNNERS)
def cpd_summary(request: AuthedRequest) -> HttpResponse:
    institution = request.institution
    start, end = academic_year(timezone.localdate())
    missing, missing_total = selectors_cpd.without_industry_contact(
        institution=institution, start=start, end=end
    )
    context = {
        "start": start,
        "end": end,
        "departments": selectors_cpd.totals_by_department(
            institution=institution, start=start, end=end
        ),
        "programmes": selectors_cpd.totals_by_programme(
            institution=institution, start=start, end=end
        ),
        "missing": missing,
        "missing_total": missing_total,
    }
    return render(request, "partners/cpd/summary.html", context)
