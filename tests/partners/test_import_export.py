"""Import of organisations and contacts (dry run, row-level errors, all-or-nothing, a
job with a progress bar) and export of lists to CSV and XLSX (issue 9, item 16)."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from guildhouse.jobs.models import JobStatus, TrackedJob
from guildhouse.jobs.worker import run_queued_jobs
from guildhouse.partners import services, services_import
from guildhouse.partners.models import (
    Affiliation,
    Contact,
    ImportBatch,
    ImportStatus,
    Organisation,
    Stage,
)
from tests.partners.conftest import PartnerWorld
from tests.partners.make import organisation_make

Capture = Callable[..., AbstractContextManager[list[Callable[[], None]]]]
HEADER = "Name,Type,Sector,Size,Website,Town or city,Tags,Contact name,Contact email,Contact role"


def _csv(*lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("partners.csv", ("\n".join(lines) + "\n").encode(), "text/csv")


def _upload(client: Client, upload: SimpleUploadedFile, capture: Capture) -> ImportBatch:
    with capture(execute=True):
        response = client.post(reverse("partners:import_start"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    run_queued_jobs()
    batch = ImportBatch.objects.latest("pk")
    assert response["Location"] == reverse("partners:import_detail", args=[batch.pk])
    return batch


def _commit(client: Client, batch: ImportBatch, capture: Capture) -> None:
    with capture(execute=True):
        response = client.post(reverse("partners:import_commit", args=[batch.pk]))
    assert response.status_code == 302
    run_queued_jobs()


def _state(pw: PartnerWorld) -> object:
    inst = pw.world.institution
    return (
        list(Organisation.objects.filter(institution=inst).values_list("name", flat=True)),
        list(Contact.objects.filter(institution=inst).values_list("full_name", flat=True)),
    )


def test_a_file_with_one_bad_row_imports_nothing_and_says_where_and_why(
    pw: PartnerWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    coordinator = pw.world.client_for(pw.world.coordinator)
    before = _state(pw)
    batch = _upload(
        coordinator,
        _csv(
            HEADER,
            "Nordic Bakery Oy,business,,small,bakery.example,Helsinki,food;summer jobs,"
            "Maria Virtanen,maria@bakery.example,Owner",
            "Lakeside Clinic,spaceship,,,,Tampere,,,,",
            "Valley Garage,Business,,,,Lahti,,Pekka,not-an-email,",
        ),
        django_capture_on_commit_callbacks,
    )
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.report["errors"] == [
        {"row": 3, "column": "Type", "reason": "“spaceship” is not one of the choices."},
        {"row": 4, "column": "Contact email", "reason": "“not-an-email” is not an email address."},
    ]
    page = coordinator.get(reverse("partners:import_detail", args=[batch.pk])).content.decode()
    assert "<td>3</td><td>Type</td><td>“spaceship” is not one of the choices.</td>" in page
    assert "Nothing is imported while the file has errors." in page
    assert "Import 1 organisation" not in page
    # Posting the import anyway is refused, and nothing changes.
    _commit(coordinator, batch, django_capture_on_commit_callbacks)
    assert _state(pw) == before
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED


def test_errors_are_reported_in_finnish_for_a_finnish_user(
    pw: PartnerWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    coordinator = pw.world.client_for(pw.world.coordinator)
    coordinator.cookies["django_language"] = "fi"
    try:
        batch = _upload(
            coordinator,
            _csv("Nimi,Tyyppi", "Lakeside Clinic,avaruusalus"),
            django_capture_on_commit_callbacks,
        )
        page = coordinator.get(reverse("partners:import_detail", args=[batch.pk]))
    finally:
        translation.activate("en")  # the test client leaves the request's language active
    batch.refresh_from_db()
    assert batch.report["errors"] == [
        {"row": 2, "column": "Tyyppi", "reason": "”avaruusalus” ei ole mikään vaihtoehdoista."}
    ]
    body = page.content.decode()
    assert "<td>2</td><td>Tyyppi</td><td>”avaruusalus” ei ole mikään vaihtoehdoista.</td>" in body
    assert "Mitään ei tuoda, kun tiedostossa on virheitä." in body


def test_header_problems_are_row_1(pw: PartnerWorld) -> None:
    result = services_import.check_rows(
        institution=pw.world.institution, rows=[["Name", "Colour"], ["A", "red"]]
    )
    assert result.errors == [
        {"row": 1, "column": "Colour", "reason": "Unknown column (column 2)."},
        {"row": 1, "column": "Type", "reason": "This column is missing."},
    ]


def test_dry_run_then_import_with_duplicates_reported_and_skipped(
    pw: PartnerWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    w = pw.world
    coordinator = w.client_for(w.coordinator)
    batch = _upload(
        coordinator,
        _csv(
            HEADER,
            "Nordic Bakery Oy,business,,small,bakery.example,Helsinki,food;summer jobs,"
            "Maria Virtanen,maria@bakery.example,Owner",
            "Nordic Bakery,,,,,,,Juha Mäki,juha@bakery.example,Baker",
            "Coastal Motors,business,,,,,,,,",
            "Other Name Ltd,ngo,,,https://www.coastalmotors.example/about,,,,,",
        ),
        django_capture_on_commit_callbacks,
    )
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
    assert batch.report["errors"] == []
    assert batch.report["creates"] == [{"row": 2, "name": "Nordic Bakery Oy", "contacts": 2}]
    assert [(d["row"], d["existing"], d["reason"]) for d in batch.report["duplicates"]] == [
        (4, "Coastal Motors Ltd", "same name"),
        (5, "Coastal Motors Ltd", "same website (coastalmotors.example)"),
    ]
    page = coordinator.get(reverse("partners:import_detail", args=[batch.pk])).content.decode()
    assert "1 new organisations and 2 contacts would be created" in page
    assert "2 rows match organisations you already have (skipped)" in page
    # The dry run wrote nothing.
    assert not Organisation.objects.filter(name="Nordic Bakery Oy").exists()

    _commit(coordinator, batch, django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    assert (batch.status, batch.organisations_created, batch.contacts_created) == (
        ImportStatus.IMPORTED,
        1,
        2,
    )
    assert bytes(batch.content) == b""
    bakery = Organisation.objects.get(institution=w.institution, name="Nordic Bakery Oy")
    assert (bakery.kind, bakery.size, bakery.website_domain, bakery.source, bakery.stage.name) == (
        "business",
        "small",
        "bakery.example",
        "import",
        "Prospect",
    )
    assert sorted(bakery.tags.values_list("name", flat=True)) == ["food", "summer jobs"]
    assert sorted(
        Affiliation.objects.filter(organisation=bakery).values_list(
            "contact__full_name", "contact__email", "role"
        )
    ) == [
        ("Juha Mäki", "juha@bakery.example", "Baker"),
        ("Maria Virtanen", "maria@bakery.example", "Owner"),
    ]
    assert Organisation.objects.filter(institution=w.institution).count() == 3
    job = batch.import_job
    assert job is not None
    assert (job.status, job.message) == (
        JobStatus.DONE,
        "Imported 1 organisations and 2 contacts.",
    )
    page = coordinator.get(reverse("partners:import_detail", args=[batch.pk])).content.decode()
    assert "Imported 1 organisations and 2 contacts." in page


def test_a_failure_while_writing_leaves_nothing_behind(
    pw: PartnerWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = pw.world
    batch = ImportBatch.objects.create(
        institution=w.institution,
        created_by=w.coordinator.user,
        filename="a.csv",
        content=b"Name,Type,Contact name\nA Oy,business,Anna\nB Oy,business,Bert\n",
        status=ImportStatus.IMPORTING,
    )
    job = TrackedJob.objects.create(institution=w.institution, started_by=w.coordinator.user)
    before = _state(pw)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Affiliation.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services_import.run_import(batch_id=batch.pk, job_id=job.pk)
    assert _state(pw) == before


def _xlsx(rows: int) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Type", "Town or city", "Contact name", "Contact email"])
    for n in range(rows):
        sheet.append([f"Firm {n:05d} Oy", "business", "Espoo", f"Person {n}", f"p{n}@firm.example"])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        "firms.xlsx",
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_five_thousand_rows_import_in_one_job_with_a_progress_bar(
    pw: PartnerWorld,
    django_capture_on_commit_callbacks: Capture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    w = pw.world
    coordinator = w.client_for(w.coordinator)
    reported: list[tuple[int, int]] = []
    real = services_import.job_progress  # type: ignore[attr-defined]

    def recording(job_id: int, *, done: int, total: int, **kwargs: Any) -> None:
        reported.append((done, total))
        real(job_id, done=done, total=total, **kwargs)

    monkeypatch.setattr(services_import, "job_progress", recording)
    upload = _xlsx(5000)
    started = time.perf_counter()
    batch = _upload(coordinator, upload, django_capture_on_commit_callbacks)
    checked = time.perf_counter()
    batch.refresh_from_db()
    assert batch.report["organisations"] == 5000
    assert batch.report["contacts"] == 5000
    assert reported[:3] == [(249, 5000), (499, 5000), (749, 5000)]
    assert reported[-1] == (5000, 5000)
    page = coordinator.get(reverse("partners:import_detail", args=[batch.pk])).content.decode()
    assert '<progress max="5000" value="5000"' in page
    assert "Import 5000 organisations" in page
    reported.clear()
    _commit(coordinator, batch, django_capture_on_commit_callbacks)
    done = time.perf_counter()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED
    assert Organisation.objects.filter(institution=w.institution, source="import").count() == 5000
    assert Contact.objects.filter(institution=w.institution).count() == 5001
    # The import job's bar: the check again (20 steps of 250 rows and its end) as its
    # first half, the start of the writing at half way, the outcome.
    assert len(reported) == 23
    assert reported[:2] == [(249, 10000), (499, 10000)]
    assert reported[-3:] == [(5000, 10000), (5000, 10000), (10000, 10000)]
    imported, check = batch.import_job, batch.check_job
    assert imported is not None
    assert check is not None
    assert (imported.status, imported.done, imported.total) == (JobStatus.DONE, 10000, 10000)
    assert (check.status, check.done, check.total) == (JobStatus.DONE, 5000, 5000)
    print(f"\n5000-row XLSX: check {checked - started:.1f} s, import {done - checked:.1f} s")


def _rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_applies_the_list_filters_and_guards_against_formulas(pw: PartnerWorld) -> None:
    w = pw.world
    proposal = Stage.objects.get(institution=w.institution, name="Proposal")
    evil = organisation_make(
        institution=w.institution, actor=w.coordinator, name='=HYPERLINK("http://evil","x")'
    )
    for org in (evil, pw.organisation):
        services.organisation_move(actor=w.coordinator.user, organisation=org, stage=proposal)
    client = w.client_for(w.staff)
    url = reverse("partners:export", args=["organisations", "csv"])
    response = client.get(url, {"stage": proposal.pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="organisations-')
    rows = _rows(response)
    assert rows[0][:5] == ["Name", "Type", "Sector", "Size", "Stage"]
    assert [(r[0], r[4], r[12]) for r in rows[1:]] == [
        ('\'=HYPERLINK("http://evil","x")', "Proposal", ""),
        ("Coastal Motors Ltd", "Proposal", pw.world.staff.user.full_name),
    ]
    # The same list as Excel: the same rows, the formula stays text.
    xlsx = client.get(
        reverse("partners:export", args=["organisations", "xlsx"]), {"stage": proposal.pk}
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [v[0] for v in values] == [
        "Name",
        '\'=HYPERLINK("http://evil","x")',
        "Coastal Motors Ltd",
    ]
    assert sheet["A2"].data_type == "s"
    # Another list with its own filter: the staff member's own follow-ups only.
    assert [
        r[0] for r in _rows(client.get(reverse("partners:export", args=["contacts", "csv"])))
    ] == [
        "Name",
        "Tuan Pham",
    ]
    assert client.get(reverse("partners:export", args=["nothing", "csv"])).status_code == 404
    assert client.get(reverse("partners:export", args=["contacts", "pdf"])).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "organisations",
        "contacts",
        "opportunities",
        "placements",
        "agreements",
        "commitments",
        "follow-ups",
        "check-ins",
    ],
)
def test_every_list_exports_in_a_bounded_number_of_queries(pw: PartnerWorld, name: str) -> None:
    w = pw.world
    client = w.client_for(w.coordinator)
    url = reverse("partners:export", args=[name, "xlsx"])
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = count()
    for n in range(5):
        org = organisation_make(institution=w.institution, actor=w.coordinator, owners=(w.staff,))
        services.contact_create(
            actor=w.coordinator.user, organisation=org, full_name=f"P{n}", email=f"p{n}@x.example"
        )
    assert count() == few


def test_one_person_at_two_imported_organisations_is_one_contact(pw: PartnerWorld) -> None:
    w = pw.world
    batch = services_import.import_start(
        actor=w.coordinator.user,
        institution=w.institution,
        filename="two.csv",
        content=(
            b"Name;Type;Contact name;Contact email\n"
            b"Aldwin Bakery;business;Hanna Koski;Hanna@Bakery.example\n"
            b"Aldwin Cafe;business;Hanna Koski;hanna@bakery.example\n"
        ),
    )
    assert batch.check_job_id is not None
    services_import.run_check(batch_id=batch.pk, job_id=batch.check_job_id)
    batch = services_import.import_commit(
        actor=w.coordinator.user, batch=ImportBatch.objects.get(pk=batch.pk)
    )
    assert batch.import_job_id is not None
    services_import.run_import(batch_id=batch.pk, job_id=batch.import_job_id)
    hanna = Contact.objects.get(institution=w.institution, email="hanna@bakery.example")
    assert sorted(hanna.organisations.values_list("name", flat=True)) == [
        "Aldwin Bakery",
        "Aldwin Cafe",
    ]
    batch.refresh_from_db()
    assert (batch.organisations_created, batch.contacts_created) == (2, 1)
