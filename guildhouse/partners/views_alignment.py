"""Programme alignment pages: the coverage of every programme, and one programme's
sectors, partners, the skill needs they report and its curriculum reviews."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guildhouse.core.decorators import member_required
from guildhouse.core.models import FieldOfEducation
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.partners import selectors_alignment, services_alignment
from guildhouse.partners.access import PARTNER_RUNNERS, PARTNER_WORKERS
from guildhouse.partners.access_network import access_aligned_programme
from guildhouse.partners.forms_goals import AlignmentForm, ReviewForm
from guildhouse.partners.models import ProgrammeAlignment, ProgrammeSector

PARTNERS_SHOWN = 100


@require_GET
@member_required(*PARTNER_WORKERS)
def coverage(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    start, end = selectors_alignment.academic_year(today)
    rows = selectors_alignment.coverage(institution=request.institution, today=today)
    context = {"rows": rows, "start": start, "end": end}
    return render(request, "partners/alignment/coverage.html", context)


@require_http_methods(["GET", "POST"])
@member_required(*PARTNER_WORKERS)
def programme_alignment(request: AuthedRequest, pk: int) -> HttpResponse:
    viewer = request.membership
    programme = access_aligned_programme(viewer, pk)
    may_change = viewer.role in PARTNER_RUNNERS
    alignment = ProgrammeAlignment.objects.filter(programme=programme).first()
    sectors = list(
        ProgrammeSector.objects.filter(programme=programme).values_list("sector", flat=True)
    )
    initial = {"sectors": sectors, "placement_year": alignment and alignment.placement_year}
    form = AlignmentForm(posted(request), initial=initial)
    if request.method == "POST":
        access_aligned_programme(viewer, pk, for_change=True)
        if form.is_valid():
            services_alignment.alignment_save(
                actor=request.user, programme=programme, **form.cleaned_data
            )
            messages.success(request, _("Alignment saved."))
            return redirect("partners:programme_alignment", pk=programme.pk)
    today = timezone.localdate()
    context = {
        "programme": programme,
        "form": form,
        "review_form": ReviewForm(),
        "may_change": may_change,
        "sector_labels": [FieldOfEducation(s).label for s in sorted(sectors)],
        "placement_year": alignment.placement_year if alignment else None,
        "partners": selectors_alignment.programme_partners(programme=programme, today=today)[
            :PARTNERS_SHOWN
        ],
        "skill_needs": selectors_alignment.programme_skill_needs(programme=programme)[
            :PARTNERS_SHOWN
        ],
        "reviews": selectors_alignment.programme_reviews(programme=programme),
    }
    return render(request, "partners/alignment/programme.html", context)


@require_http_methods(["GET", "POST"])
@member_required()
def review_add(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = access_aligned_programme(request.membership, pk, for_change=True)
    form = ReviewForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services_alignment.review_add(
                actor=request.user, programme=programme, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("partners:programme_alignment", pk=programme.pk)
    return render(
        request, "partners/alignment/review_form.html", {"programme": programme, "form": form}
    )
