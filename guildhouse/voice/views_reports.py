"""Report pages and exports. They only read the stored snapshot: every figure was
protected by the disclosure engine when the snapshot was built (see reports.py)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.models import Institution
from guildhouse.core.types import AuthedRequest
from guildhouse.jobs.api import tracked_job_start
from guildhouse.voice.access_staff import REPORT_READERS, VOICE_RUNNERS
from guildhouse.voice.forms_staff import ReportFilterForm
from guildhouse.voice.models import ActionStatus, Category, ReportSnapshot, ResourceKind
from guildhouse.voice.reports import (
    NO_PROGRAMME,
    RESOURCE_KINDS,
    TOTAL_KEY,
    ReportTable,
    ResourceTable,
    VoiceReport,
)
from guildhouse.voice.services_reports import report_from_json, reporting_year
from guildhouse.voice.tasks_staff import voice_report_build

HIDDEN = "\u2013"
PERIODS = (
    gettext_lazy("August to October"),
    gettext_lazy("November to January"),
    gettext_lazy("February to April"),
    gettext_lazy("May to July"),
)
TITLES = {
    "volume": gettext_lazy("Items by category and period"),
    "status": gettext_lazy("Closure by category"),
    "response": gettext_lazy("Response time by category"),
    "supports": gettext_lazy("Supports (“me too”) by category"),
    "actions_by_category": gettext_lazy("Actions by category"),
    "actions_by_period": gettext_lazy("Actions by period"),
    "resources_by_category": gettext_lazy("Resources by category"),
    "resources_by_period": gettext_lazy("Resources by period"),
}
FIXED_LABELS = {
    "open": gettext_lazy("Open"),
    "done": gettext_lazy("Done"),
    "declined": gettext_lazy("Declined"),
    "on_time": gettext_lazy("Answered within target"),
    "late": gettext_lazy("Answered late"),
    "waiting": gettext_lazy("Awaiting a first response"),
    "supports": gettext_lazy("Supports"),
    TOTAL_KEY: gettext_lazy("Total"),
    NO_PROGRAMME: gettext_lazy("No programme given"),
}


@dataclass(frozen=True)
class Shown:
    caption: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    key: str


class Labels:
    """Category, programme, period and fixed labels in the reader's language."""

    def __init__(self, institution: Institution) -> None:
        self.categories = {
            str(c.pk): c.label for c in Category.objects.filter(institution=institution)
        }
        self.programmes = {
            str(pk): name for pk, name in institution.programmes.values_list("pk", "name")
        }
        self.action_statuses = {k: str(v) for k, v in ActionStatus.choices}

    def __call__(self, dimension: str, key: str) -> str:
        if key in (TOTAL_KEY, NO_PROGRAMME):
            return str(FIXED_LABELS[key])
        if dimension == "category":
            return self.categories.get(key, key)
        if dimension == "period":
            return str(PERIODS[int(key)])
        if dimension == "action_status":
            return self.action_statuses.get(key, key)
        return str(FIXED_LABELS.get(key, key))


def _figure(value: int | None) -> str:
    return HIDDEN if value is None else str(value)


def _rate(part: int | None, whole: int | None) -> str:
    if part is None or whole is None or whole == 0:
        return HIDDEN
    return f"{round(100 * part / whole)} %"


def shown_table(table: ReportTable, labels: Labels) -> Shown:
    row_dim = "period" if table.key == "actions_by_period" else "category"
    col_dim = {
        "volume": "period",
        "actions_by_category": "action_status",
        "actions_by_period": "action_status",
    }.get(table.key, "fixed")
    columns = [labels(col_dim, c) for c in table.columns]
    rows = []
    for row, figures in zip(table.rows, table.figures, strict=True):
        cells = [_figure(f.value) for f in figures]
        if table.key == "status":
            done, declined, total = (table.value(row, c) for c in ("done", "declined", TOTAL_KEY))
            closed = None if done is None or declined is None else done + declined
            cells.append(_rate(closed, total))
        if table.key == "response":
            on_time, late = table.value(row, "on_time"), table.value(row, "late")
            answered = None if on_time is None or late is None else on_time + late
            cells.append(_rate(on_time, answered))
        rows.append((labels(row_dim, row), cells))
    if table.key == "status":
        columns.append(_("Closure rate"))
    if table.key == "response":
        columns.append(_("Answered within target"))
    return Shown(str(TITLES[table.key]), columns, rows, table.key)


def shown_resources(table: ResourceTable, labels: Labels) -> Shown:
    dim = "period" if table.key == "resources_by_period" else "category"
    kinds = dict(ResourceKind.choices)
    columns = [str(kinds[k]) for k in RESOURCE_KINDS]
    rows = []
    for row, totals in zip(table.rows, table.totals, strict=True):
        cells = [HIDDEN] * len(RESOURCE_KINDS) if totals is None else [_amount(v) for v in totals]
        rows.append((labels(dim, row), cells))
    return Shown(str(TITLES[table.key]), columns, rows, table.key)


def _amount(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"


def _snapshot(request: AuthedRequest, year: int) -> ReportSnapshot | None:
    return ReportSnapshot.objects.filter(institution=request.institution, year=year).first()


def _years(request: AuthedRequest) -> list[int]:
    current = reporting_year(timezone.localdate())
    stored = ReportSnapshot.objects.filter(institution=request.institution).values_list(
        "year", flat=True
    )
    return sorted({current, *stored}, reverse=True)


def _choices(report: VoiceReport | None, labels: Labels) -> list[tuple[str, str]]:
    if report is None:
        return []
    keys = [*report.spec.programmes, NO_PROGRAMME]
    return [
        (k, labels("programme", k) if k == NO_PROGRAMME else labels.programmes.get(k, k))
        for k in keys
    ]


@require_GET
@member_required(*REPORT_READERS)
def report(request: AuthedRequest) -> HttpResponse:
    years = _years(request)
    year = years[0]
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        year = int(raw)
    snapshot = _snapshot(request, year)
    labels = Labels(request.institution)
    voice_report = report_from_json(snapshot.data) if snapshot else None
    form = ReportFilterForm(
        request.GET or None, years=years, programmes=_choices(voice_report, labels)
    )
    programme: str | None = None
    if form.is_bound and form.is_valid():
        programme = form.cleaned_data["programme"] or None
    tables: list[Shown] = []
    if voice_report is not None:
        for key in ("volume", "status", "response", "supports"):
            tables.append(shown_table(voice_report.table(key, programme), labels))
        for key in ("actions_by_category", "actions_by_period"):
            tables.append(shown_table(voice_report.table(key), labels))
        for resource in voice_report.resources:
            tables.append(shown_resources(resource, labels))
    context: dict[str, Any] = {
        "form": form,
        "year": year,
        "programme": programme or "",
        "snapshot": snapshot,
        "tables": tables,
        "can_refresh": request.membership.role in VOICE_RUNNERS,
    }
    return render(request, "voice/staff/report.html", context)


@require_POST
@member_required(*VOICE_RUNNERS)
def report_refresh(request: AuthedRequest) -> HttpResponse:
    years = _years(request)
    raw = request.POST.get("year", "")
    year = int(raw) if raw.isdigit() and int(raw) in years else years[0]
    job = tracked_job_start(
        actor=request.user,
        institution=request.institution,
        task=voice_report_build,
        title=_("Learner voice report %(year)s") % {"year": f"{year}\u2013{year + 1}"},
        kwargs={"institution_id": request.institution.pk, "year": year},
    )
    return redirect("job_status", job.pk)


def export_rows(report: VoiceReport, labels: Labels) -> list[list[str]]:
    """Every figure of the snapshot, in the reader's language: one row per figure."""
    rows = [[_("Table"), _("Programme"), _("Row"), _("Column"), _("Value")]]
    for table in report.tables:
        shown = shown_table(table, labels)
        programme = (
            _("All programmes")
            if table.programme is None
            else labels("programme", table.programme)
            if table.programme == NO_PROGRAMME
            else labels.programmes.get(table.programme, table.programme)
        )
        for row_label, cells in shown.rows:
            for column, cell in zip(shown.columns, cells, strict=True):
                rows.append([shown.caption, programme, row_label, column, cell])
    for resource in report.resources:
        shown = shown_resources(resource, labels)
        for row_label, cells in shown.rows:
            for column, cell in zip(shown.columns, cells, strict=True):
                rows.append([shown.caption, _("All programmes"), row_label, column, cell])
    return rows


@require_GET
@member_required(*REPORT_READERS)
def report_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    years = _years(request)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and int(raw) in years else years[0]
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such export format.")
    snapshot = _snapshot(request, year)
    if snapshot is None:
        return redirect(f"{reverse('voice:report')}?year={year}")
    rows = export_rows(report_from_json(snapshot.data), Labels(request.institution))
    name = f"learner-voice-{year}-{year + 1}"
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"{name}.csv")
        return response
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook has one worksheet
    sheet.title = _("Figures")[:31]
    for line in rows:
        sheet.append([int(v) if v.isdigit() else v for v in line])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.xlsx")
    return response
