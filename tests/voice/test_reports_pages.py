"""Report pages and exports: they publish exactly the snapshot's protected figures."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from guildhouse.jobs.models import TrackedJob
from guildhouse.jobs.worker import run_queued_jobs
from guildhouse.voice.models import ReportSnapshot
from guildhouse.voice.services_reports import quarter_of, report_build, reporting_year
from tests.conftest import World
from tests.voice.make_staff import released_item

pytestmark = pytest.mark.django_db

WEEK = datetime.date(2025, 9, 8)  # a Monday in the first quarter of 2025-26


def _data(world: World) -> None:
    for i in range(10):
        released_item(
            world.institution,
            text=f"Facilities {i}",
            builtin="facilities",
            programme=world.programme,
            week=WEEK,
            status="done",
        )
    for i in range(7):
        released_item(world.institution, text=f"Wellbeing {i}", builtin="wellbeing", week=WEEK)
    for i in range(2):
        released_item(world.institution, text=f"Learning {i}", builtin="learning", week=WEEK)


def _csv(world: World, who: str = "coordinator") -> list[list[str]]:
    client = world.client_for(world.member(who))
    response = client.get(reverse("voice:report_export", args=["csv"]) + "?year=2025")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="learner-voice-2025-2026.csv"'
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_reporting_year_and_quarters() -> None:
    assert reporting_year(datetime.date(2025, 7, 31)) == 2024
    assert reporting_year(datetime.date(2025, 8, 1)) == 2025
    assert [quarter_of(datetime.date(2025, m, 1)) for m in (8, 10, 11, 1, 2, 4, 5, 7)] == [
        0,
        0,
        1,
        1,
        2,
        2,
        3,
        3,
    ]


def test_report_page_and_exports_show_the_same_protected_figures(world: World) -> None:
    _data(world)
    snapshot = report_build(institution=world.institution, year=2025)
    assert snapshot.k == 5
    rows = _csv(world)
    assert rows[0] == ["Table", "Programme", "Row", "Column", "Value"]
    volume = {
        (r[2], r[3]): r[4]
        for r in rows
        if r[0] == "Items by category and period" and r[1] == "All programmes"
    }
    # Two learning items: hidden, and so is enough else that 2 cannot be worked out.
    assert volume["Learning and teaching", "Total"] == "\u2013"
    assert volume["Learning and teaching", "August to October"] == "\u2013"
    assert volume["Facilities", "Total"] == "10"
    assert volume["Facilities", "August to October"] == "10"
    assert volume["Facilities", "November to January"] == "0"
    assert volume["Wellbeing", "Total"] == "7"
    assert volume["Other", "Total"] == "0"
    # 10 + 7 + 2: the grand total minus the published categories would be the 2.
    assert volume["Total", "Total"] == "\u2013"
    published = [int(v) for v in (r[4] for r in rows[1:]) if v.isdigit()]
    assert not [v for v in published if 0 < v < 5]
    # The page shows the same cells.
    page = world.client_for(world.stakeholder).get(reverse("voice:report") + "?year=2025")
    text = page.content.decode()
    assert page.status_code == 200
    assert (
        '<th scope="row">Facilities</th><td>10</td><td>0</td><td>0</td><td>0</td><td>10</td>'
        in text
    )
    hidden = (
        '<td><span aria-hidden="true">\u2013</span><span class="visually-hidden">hidden</span></td>'
    )
    assert f'<th scope="row">Learning and teaching</th>{hidden}' in text
    assert "Groups smaller than 5 are never shown" in text
    # No learner text, no item, ever, in a report.
    assert "Facilities 1" not in text
    # Closure: 10 of 10 facilities items are done.
    status = {
        (r[2], r[3]): r[4]
        for r in rows
        if r[0] == "Closure by category" and r[1] == "All programmes"
    }
    assert status["Facilities", "Done"] == "10"
    assert status["Facilities", "Closure rate"] == "100 %"
    # The XLSX holds the same figures as the CSV.
    response = world.client_for(world.admin).get(
        reverse("voice:report_export", args=["xlsx"]) + "?year=2025"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    xlsx = [[str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx == rows


def test_programme_filter_is_protected_with_the_whole(world: World) -> None:
    _data(world)
    report_build(institution=world.institution, year=2025)
    client = world.client_for(world.coordinator)
    text = client.get(
        reverse("voice:report") + f"?year=2025&programme={world.programme.pk}"
    ).content.decode()
    assert '<th scope="row">Facilities</th><td>10</td>' in text
    rows = _csv(world)
    filtered = {
        (r[2], r[3]): r[4]
        for r in rows
        if r[0] == "Items by category and period" and r[1] == world.programme.name
    }
    assert filtered["Facilities", "Total"] == "10"
    unfiltered_total = next(
        r[4]
        for r in rows
        if r[0] == "Items by category and period"
        and r[1] == "All programmes"
        and r[2] == r[3] == "Total"
    )
    no_programme = {
        (r[2], r[3]): r[4]
        for r in rows
        if r[0] == "Items by category and period" and r[1] == "No programme given"
    }
    # The learning 2 are hidden in every filter, and so is every total that would
    # give them away by subtracting the published categories.
    assert unfiltered_total == "\u2013"
    assert no_programme["Total", "Total"] == "\u2013"
    assert no_programme["Learning and teaching", "Total"] == "\u2013"
    assert no_programme["Wellbeing", "Total"] == "7"
    assert no_programme["Facilities", "Total"] == "0"


def test_coordinator_recomputes_through_a_job_and_learners_cannot_see_reports(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _data(world)
    client = world.client_for(world.coordinator)
    year = reporting_year(datetime.date.today())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("voice:report_refresh"), {"year": str(year)})
    job = TrackedJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job_status", args=[job.pk])
    assert run_queued_jobs() >= 1
    job.refresh_from_db()
    assert job.status == "done"
    assert job.result_url == f"{reverse('voice:report')}?year={year}"
    assert ReportSnapshot.objects.filter(institution=world.institution, year=year).exists()
    assert world.client_for(world.learner).get(reverse("voice:report")).status_code == 403
    assert (
        world.client_for(world.stakeholder).post(reverse("voice:report_refresh")).status_code == 403
    )
    assert TrackedJob.objects.count() == 1
