"""KPI pages: a programme's key figures as a chart and a table, CSV and XLSX, evidence notes;
and every programme (cohort) of the institution side by side."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.mentoring import services_kpis
from guildhouse.mentoring.access import MANAGERS, PROGRAMME_READERS, access_mentoring_programme
from guildhouse.mentoring.forms_monitoring import EvidenceForm
from guildhouse.mentoring.kpis import Kpis, programme_kpis
from guildhouse.mentoring.models import EvidenceNote, MentoringProgramme

CHART_WIDTH = 100  # per cent: bars are drawn in a 0-100 viewBox


def _chart(kpis: Kpis) -> list[dict[str, object]]:
    return [
        {"label": label, "value": value, "y": 8 + index * 34, "text_y": 30 + index * 34}
        for index, (label, value) in enumerate(kpis.bars())
    ]


@require_GET
@member_required()
def programme_kpis_page(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = access_mentoring_programme(request.membership, pk)
    kpis = programme_kpis([programme])[programme.pk]
    bars = _chart(kpis)
    return render(
        request,
        "mentoring/kpis.html",
        {
            "programme": programme,
            "kpis": kpis,
            "rows": kpis.rows(),
            "bars": bars,
            "chart_height": 16 + 34 * len(bars),
            "notes": EvidenceNote.objects.filter(programme=programme)
            .select_related("author")
            .order_by("-held_on", "-pk")[:50],
            "form": EvidenceForm(initial={"held_on": timezone.localdate()})
            if request.membership.role in MANAGERS
            else None,
        },
    )


@require_POST
@member_required()
def evidence_add(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = access_mentoring_programme(request.membership, pk, for_change=True)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        services_kpis.evidence_note_add(
            actor=request.user, programme=programme, **form.cleaned_data
        )
        messages.success(request, _("Notes added."))
        return redirect("mentoring:programme_kpis", pk=programme.pk)
    kpis = programme_kpis([programme])[programme.pk]
    bars = _chart(kpis)
    return render(
        request,
        "mentoring/kpis.html",
        {
            "programme": programme,
            "kpis": kpis,
            "rows": kpis.rows(),
            "bars": bars,
            "chart_height": 16 + 34 * len(bars),
            "notes": EvidenceNote.objects.filter(programme=programme).order_by("-held_on")[:50],
            "form": form,
        },
        status=200,
    )


def _table(programmes: list[MentoringProgramme]) -> tuple[list[str], list[list[str]]]:
    figures = programme_kpis(programmes)
    header = [_("Programme"), _("Cohort starts"), _("Cohort ends")]
    body = []
    for programme in programmes:
        rows = figures[programme.pk].rows()
        if len(header) == 3:
            header += [label for _key, label, _value in rows]
        body.append(
            [
                programme.name,
                programme.cohort_start.isoformat(),
                programme.cohort_end.isoformat(),
                *[value for _key, _label, value in rows],
            ]
        )
    return header, body


def _export_programmes(request: AuthedRequest, pk: int | None) -> list[MentoringProgramme]:
    if pk is not None:
        return [access_mentoring_programme(request.membership, pk)]
    return list(
        MentoringProgramme.objects.of(request.institution)
        .exclude(state="draft")
        .order_by("-cohort_start", "name")
    )


@require_GET
@member_required(*PROGRAMME_READERS)
def kpis_csv(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    programmes = _export_programmes(request, pk)
    header, body = _table(programmes)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(body)
    name = slugify(programmes[0].name) if pk is not None else "mentoring"
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-kpis.csv"'
    return response


@require_GET
@member_required(*PROGRAMME_READERS)
def kpis_xlsx(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    programmes = _export_programmes(request, pk)
    header, body = _table(programmes)
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook has one worksheet
    sheet.title = _("KPIs")[:31]
    sheet.append(header)
    for row in body:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    name = slugify(programmes[0].name) if pk is not None else "mentoring"
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-kpis.xlsx"'
    return response


@require_GET
@member_required(*PROGRAMME_READERS)
def kpis_overview(request: AuthedRequest) -> HttpResponse:
    programmes = _export_programmes(request, None)
    header, body = _table(programmes)
    return render(
        request,
        "mentoring/kpis_overview.html",
        {"header": header, "rows": zip(programmes, body, strict=True)},
    )
