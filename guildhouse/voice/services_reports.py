"""Learner-voice reports from the database: records in, a protected snapshot out.

``report_build`` reads one reporting year (1 August to 31 July) of released, visible
items, their supports and the actions, builds the report with
:func:`guildhouse.voice.reports.build_report` (every figure through the disclosure
engine) and stores it as the year's :class:`ReportSnapshot`. Pages and the CSV/XLSX
exports read only the snapshot, so they publish exactly the same figures.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from guildhouse.core.models import Institution
from guildhouse.voice.models import (
    Action,
    Item,
    ReportSnapshot,
    ResourceAllocation,
    Status,
    Support,
    VoiceSettings,
)
from guildhouse.voice.reports import (
    NO_PROGRAMME,
    RESOURCE_KINDS,
    ActionRecord,
    Figure,
    ItemRecord,
    ReportSpec,
    ReportTable,
    ResourceTable,
    SupportRecord,
    VoiceReport,
    build_report,
)
from guildhouse.voice.selectors import category_list

YEAR_START_MONTH = 8  # the reporting year starts on 1 August, with the school year


def reporting_year(day: datetime.date) -> int:
    """The reporting year a day falls in, named by the calendar year it starts in."""
    return day.year if day.month >= YEAR_START_MONTH else day.year - 1


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, YEAR_START_MONTH, 1), datetime.date(year + 1, YEAR_START_MONTH, 1)


def quarter_of(day: datetime.date) -> int:
    """0 for August to October, ..., 3 for May to July."""
    return ((day.month - YEAR_START_MONTH) % 12) // 3


def threshold(institution: Institution) -> int:
    """The smallest reportable group: the stricter of the institution's and the voice setting."""
    voice_k = (
        VoiceSettings.objects.filter(institution=institution)
        .values_list("min_group_size", flat=True)
        .first()
    )
    return max(institution.min_group_size, voice_k or 5)


def _status(status: str) -> str:
    if status == Status.DONE:
        return "done"
    if status == Status.DECLINED:
        return "declined"
    return "open"


def _response(
    released: datetime.datetime | None, first: datetime.datetime | None, days: int
) -> str:
    if first is None or released is None:
        return "waiting"
    return "on_time" if first - released <= datetime.timedelta(days=days) else "late"


def report_compute(*, institution: Institution, year: int) -> VoiceReport:
    """The year's report, protected; nothing is stored."""
    start, end = year_bounds(year)
    categories = [
        str(pk) for pk in category_list(institution=institution).values_list("pk", flat=True)
    ]
    programmes = [
        str(pk) for pk in institution.programmes.order_by("name", "pk").values_list("pk", flat=True)
    ]
    known = set(programmes)
    spec = ReportSpec(
        k=threshold(institution), categories=tuple(categories), programmes=tuple(programmes)
    )

    def programme_key(pk: int | None) -> str:
        return str(pk) if pk is not None and str(pk) in known else NO_PROGRAMME

    rows = (
        Item.objects.visible()
        .filter(institution=institution, week__gte=start, week__lt=end)
        .order_by()
        .values_list(
            "category_id",
            "week",
            "programme_id",
            "status",
            "batch__released_at",
            "triage__first_response_at",
            "category__response_days",
        )
    )
    items = [
        ItemRecord(
            str(category),
            quarter_of(week),
            programme_key(programme),
            _status(status),
            _response(released, first, days),
        )
        for category, week, programme, status, released, first, days in rows.iterator(
            chunk_size=5000
        )
    ]
    supports = [
        SupportRecord(str(category), programme_key(programme))
        for category, programme in Support.objects.filter(
            item__in=Item.objects.visible().filter(
                institution=institution, week__gte=start, week__lt=end
            )
        )
        .order_by()
        .values_list("item__category_id", "item__programme_id")
        .iterator(chunk_size=5000)
    ]
    sums: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for action_id, kind, total in (
        ResourceAllocation.objects.filter(
            action__institution=institution,
            action__created_on__gte=start,
            action__created_on__lt=end,
        )
        .order_by()
        .values("action_id", "kind")
        .annotate(total=Sum("amount"))
        .values_list("action_id", "kind", "total")
    ):
        sums[action_id][kind] = total
    actions = [
        ActionRecord(
            str(category),
            quarter_of(created),
            status,
            tuple(sums[pk].get(kind, Decimal(0)) for kind in RESOURCE_KINDS),
        )
        for pk, category, created, status in Action.objects.filter(
            institution=institution, created_on__gte=start, created_on__lt=end
        )
        .order_by()
        .values_list("pk", "category_id", "created_on", "status")
    ]
    return build_report(spec, items, supports, actions)


def report_build(*, institution: Institution, year: int) -> ReportSnapshot:
    """Compute the year's report and store it as its snapshot (replacing the last one)."""
    report = report_compute(institution=institution, year=year)
    with transaction.atomic():
        snapshot, _created = ReportSnapshot.objects.update_or_create(
            institution=institution,
            year=year,
            defaults={
                "k": report.spec.k,
                "data": report_to_json(report),
                "computed_at": timezone.now(),
            },
        )
    return snapshot


def report_to_json(report: VoiceReport) -> dict[str, Any]:
    spec = report.spec
    return {
        "spec": {
            "k": spec.k,
            "categories": list(spec.categories),
            "programmes": list(spec.programmes),
            "periods": spec.periods,
        },
        "tables": [
            {
                "key": t.key,
                "source": t.source,
                "programme": t.programme,
                "rows": list(t.rows),
                "columns": list(t.columns),
                "values": [[f.value for f in row] for row in t.figures],
            }
            for t in report.tables
        ],
        "resources": [
            {
                "key": r.key,
                "rows": list(r.rows),
                "totals": [None if t is None else [str(v) for v in t] for t in r.totals],
            }
            for r in report.resources
        ],
        "hidden": report.hidden,
        "published": report.published,
    }


def report_from_json(data: dict[str, Any]) -> VoiceReport:
    spec = ReportSpec(
        k=data["spec"]["k"],
        categories=tuple(data["spec"]["categories"]),
        programmes=tuple(data["spec"]["programmes"]),
        periods=data["spec"]["periods"],
    )
    tables = tuple(
        ReportTable(
            t["key"],
            t["source"],
            t["programme"],
            tuple(t["rows"]),
            tuple(t["columns"]),
            tuple(tuple(Figure(v, ()) for v in row) for row in t["values"]),
        )
        for t in data["tables"]
    )
    resources = tuple(
        ResourceTable(
            r["key"],
            tuple(r["rows"]),
            tuple(None if t is None else tuple(Decimal(v) for v in t) for t in r["totals"]),
        )
        for r in data["resources"]
    )
    return VoiceReport(spec, tables, resources, data["hidden"], data["published"], checked=True)
