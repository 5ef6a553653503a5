"""KPIs through HTTP: the figures, the chart and table, CSV, XLSX, evidence, query counts."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from guildhouse.core.models import Membership
from guildhouse.mentoring.models import (
    EvidenceNote,
    Meeting,
    MentoringProgramme,
    Relationship,
    SkillRating,
    Survey,
    SurveyResponse,
)
from tests.conftest import World
from tests.factories import member_make, user_make
from tests.mentoring.factories import application_make, mentoring_programme_make


def at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T00:00:00+00:00")


def learner(world: World, name: str) -> Membership:
    return member_make(
        institution=world.institution,
        role="learner",
        user=user_make(full_name=name),
        programme=world.programme,
    )


def build(world: World, *, extra_pairs: int = 0) -> MentoringProgramme:
    """A closed cohort: 5 mentees applied, 4 accepted, 3 matched, 2 pairs started (one
    reached the planned end, one lost contact and its mentee left), 11 meetings held."""
    programme = mentoring_programme_make(
        institution=world.institution,
        name="Peer mentoring 2025",
        state="closed",
        cohort_start=datetime.date(2025, 1, 1),
        cohort_end=datetime.date(2025, 6, 30),
    )
    mentees = []
    for n, (status, decided) in enumerate(
        [
            ("accepted", "2025-01-01"),
            ("accepted", "2025-01-01"),
            ("accepted", "2025-01-02"),
            ("accepted", "2025-01-02"),
            ("waitlisted", "2025-01-02"),
        ]
    ):
        application = application_make(
            programme=programme, membership=learner(world, f"Mentee {n}"), status=status
        )
        application.decided_at = at(decided)
        application.save(update_fields=["decided_at"])
        mentees.append(application)
    mentors = [
        application_make(
            programme=programme,
            membership=learner(world, f"Mentor {n}"),
            side="mentor",
            capacity=2,
        )
        for n in range(2)
    ]

    def pair(mentee: int, mentor: int, published: str, **fields: object) -> Relationship:
        return Relationship.objects.create(
            programme=programme,
            mentee=mentees[mentee],
            mentor=mentors[mentor],
            published_at=at(published),
            status="closed",
            **fields,
        )

    completed = pair(
        0,
        0,
        "2025-01-08",
        mentee_accepted_at=at("2025-01-10"),
        mentor_accepted_at=at("2025-01-09"),
        closed_at=at("2025-06-20"),
        close_reason="completed",
    )
    lost = pair(
        1,
        1,
        "2025-01-05",
        mentee_accepted_at=at("2025-01-10"),
        mentor_accepted_at=at("2025-01-10"),
        closed_at=at("2025-03-01"),
        close_reason="no_contact",
    )
    pair(2, 1, "2025-01-05", closed_at=at("2025-01-06"), close_reason="declined_by_mentee")
    left = mentees[1].membership
    left.is_active = False
    left.save(update_fields=["is_active"])

    def meet(relationship: Relationship, day: str, status: str, minutes: int | None) -> None:
        Meeting.objects.create(
            relationship=relationship,
            starts_at=at(day),
            mode="online",
            link="https://meet.example.org/x",
            status=status,
            held_minutes=minutes,
        )

    for week in range(10):
        meet(completed, f"2025-02-{week + 1:02d}", "held", 45)
    quality = Survey.objects.create(
        programme=programme, kind="quality", side="mentee", first_after_days=30, every_days=60
    )
    skills = Survey.objects.create(programme=programme, kind="skills", side="mentee")
    for respondent, side, score in ((mentees[0], "mentee", 4.0), (mentors[0], "mentor", 5.0)):
        SurveyResponse.objects.create(
            survey=quality,
            programme=programme,
            kind="quality",
            relationship=completed,
            respondent=respondent.membership,
            side=side,
            due_on=datetime.date(2025, 2, 9),
            score=score,
        )
    response = SurveyResponse.objects.create(
        survey=skills,
        programme=programme,
        kind="skills",
        relationship=completed,
        respondent=mentees[0].membership,
        side="mentee",
        due_on=datetime.date(2025, 6, 20),
    )
    for skill, before, after in (("Planning", 2, 4), ("Feedback", 3, 4)):
        SkillRating.objects.create(
            response=response, programme=programme, skill=skill, before=before, after=after
        )
    meet(lost, "2025-01-20", "held", 60)
    meet(lost, "2025-02-03", "missed", None)
    meet(lost, "2025-02-17", "missed", None)
    for n in range(extra_pairs):
        # More rows of every kind: figures change, the number of queries must not.
        extra_mentee = application_make(programme=programme, membership=learner(world, f"X{n}"))
        extra = Relationship.objects.create(
            programme=programme,
            mentee=extra_mentee,
            mentor=mentors[0],
            published_at=at("2025-02-01"),
            status="closed",
            mentee_accepted_at=at("2025-02-02"),
            mentor_accepted_at=at("2025-02-02"),
            closed_at=at("2025-05-01"),
            close_reason="completed",
        )
        meet(extra, "2025-03-01", "held", 30)
        EvidenceNote.objects.create(
            programme=programme,
            kind="interview",
            held_on=datetime.date(2025, 5, 1),
            title=f"Interview {n}",
            text="Fine.",
            tags=["belonging"],
        )
    return programme


EXPECTED_ROWS = [
    ("mentees", "Mentees taking part", "4"),
    ("mentors", "Mentors taking part", "2"),
    ("applied", "Mentees who applied", "5"),
    ("match_rate", "Match rate", "75 %"),
    ("time_to_match", "Time to match (days)", "4.7"),
    ("started", "Pairs started", "2"),
    ("held", "Meetings held", "11"),
    ("expected", "Meetings expected by the cadence", "15.1"),
    ("adherence", "Meeting adherence", "73 %"),
    ("retention", "Pairs reaching the planned end", "50 %"),
    ("still_enrolled", "Mentees still enrolled", "50 %"),
    ("satisfaction", "Satisfaction (1-5)", "4.5"),
    ("skill_gain", "Skill gain (post minus pre)", "1.5"),
    ("hours", "Mentoring hours", "8.5"),
    ("evidence", "Interview and focus-group notes", "0"),
]


def test_kpi_page_shows_each_figure_in_the_table_and_the_chart(world: World) -> None:
    programme = build(world)
    client = world.client_for(world.coordinator)
    page = client.get(reverse("mentoring:programme_kpis", args=[programme.pk])).content.decode()
    for key, label, value in EXPECTED_ROWS:
        assert f'<tr id="kpi-{key}"><th scope="row">{label}</th><td>{value}</td></tr>' in page
    # Active days: 161 + 50 = 211, every 14 days: 15.07 expected, 11 held.
    assert "<span>Match rate: <strong>75.0 %</strong></span>" in page
    assert "<span>Meeting adherence: <strong>73.0 %</strong></span>" in page
    assert '<rect x="0" y="0" width="75.0%" height="14" fill="#1d4e89"/>' in page
    assert "<span>Satisfaction (1-5): <strong>90.0 %</strong></span>" in page  # 4.5 of 5


def test_kpi_csv_and_xlsx_hold_the_same_figures(world: World) -> None:
    programme = build(world)
    client = world.client_for(world.staff)
    response = client.get(reverse("mentoring:programme_kpis_csv", args=[programme.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="peer-mentoring-2025-kpis.csv"'
    lines = response.content.decode().splitlines()
    assert lines[0] == "Programme,Cohort starts,Cohort ends," + ",".join(
        label for _k, label, _v in EXPECTED_ROWS
    )
    assert lines[1] == "Peer mentoring 2025,2025-01-01,2025-06-30," + ",".join(
        value for _k, _l, value in EXPECTED_ROWS
    )
    assert len(lines) == 2
    response = client.get(reverse("mentoring:programme_kpis_xlsx", args=[programme.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1][:4] == ["Peer mentoring 2025", "2025-01-01", "2025-06-30", "4"]
    assert rows[1][6] == "75 %"
    assert len(rows) == 2


def test_overview_lists_every_programme_side_by_side(world: World) -> None:
    programme = build(world)
    mentoring_programme_make(institution=world.institution, name="Next year", state="recruiting")
    client = world.client_for(world.admin)
    page = client.get(reverse("mentoring:kpis_overview")).content.decode()
    url = reverse("mentoring:programme_kpis", args=[programme.pk])
    assert f'<th scope="row"><a href="{url}">Peer mentoring 2025</a></th>' in page
    assert ">Next year</a></th>" in page
    csv_lines = client.get(reverse("mentoring:kpis_overview_csv")).content.decode().splitlines()
    assert len(csv_lines) == 3
    assert csv_lines[2].startswith("Peer mentoring 2025,2025-01-01,2025-06-30,4,2,5,75 %")
    assert csv_lines[2].endswith(",4.5,1.5,8.5,0")


def test_coordinator_adds_interview_notes_with_themes(world: World) -> None:
    programme = build(world)
    client = world.client_for(world.coordinator)
    url = reverse("mentoring:evidence_add", args=[programme.pk])
    response = client.post(
        url,
        {
            "kind": "focus_group",
            "held_on": "2025-06-25",
            "title": "End-of-year focus group",
            "text": "Mentees felt at home sooner.",
            "tags": "Belonging, confidence,  belonging ",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Notes added." in page
    assert '<p id="themes">Themes: belonging (1), confidence (1)</p>' in page
    assert "Mentees felt at home sooner." in page
    note = EvidenceNote.objects.get()
    assert (note.kind, note.tags, note.author_id) == (
        "focus_group",
        ["belonging", "confidence"],
        world.coordinator.user_id,
    )
    # Bad input: nothing saved, the text kept.
    response = client.post(url, {"kind": "interview", "held_on": "", "title": "", "text": "Kept"})
    page = response.content.decode()
    assert page.count("This field is required.") == 2
    assert "Kept</textarea>" in page
    assert EvidenceNote.objects.count() == 1


@pytest.mark.parametrize("extra", [0, 25])
def test_kpi_and_programme_pages_run_a_fixed_number_of_queries(world: World, extra: int) -> None:
    programme = build(world, extra_pairs=extra)
    client = world.client_for(world.coordinator)
    client.get("/")
    counts = {}
    for name in ("programme_kpis", "programme_detail"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(f"mentoring:{name}", args=[programme.pk]))
        assert response.status_code == 200
        counts[name] = len(captured)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("mentoring:kpis_overview")).status_code == 200
    counts["kpis_overview"] = len(captured)
    assert counts == {"programme_kpis": 13, "programme_detail": 8, "kpis_overview": 12}
