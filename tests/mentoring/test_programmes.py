"""Mentoring programmes through HTTP: create, edit with clear errors, and move through states."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from guildhouse.core.models import AuditEvent
from guildhouse.mentoring.models import MentoringProgramme, State
from tests.conftest import World
from tests.mentoring.factories import mentoring_programme_make

VALID = {
    "name": "Apprentice buddies",
    "goals": "Every first-year apprentice has a buddy who has done the work placement.",
    "cohort_start": "2026-09-01",
    "cohort_end": "2027-05-31",
    "cadence": "fortnightly",
    "cadence_days": "",
    "meeting_minutes": "45",
    "format": "one_to_one",
    "default_capacity": "2",
    "peer_mentors": "on",
    "industry_mentors": "on",
    "min_year": "1",
    "max_year": "3",
    "skills": "Giving feedback\n\nPlanning work\n",
    "matching_mode": "fair",
    "weight_interests": "1",
    "weight_goals": "1",
    "weight_style": "0.5",
    "weight_experience": "1",
    "weight_language": "0.5",
}


def test_coordinator_creates_a_programme(world: World) -> None:
    client = world.client_for(world.coordinator)
    data = {**VALID, "eligible_programmes": [str(world.programme.pk)]}

    response = client.post(reverse("mentoring:programme_create"), data, follow=True)

    programme = MentoringProgramme.objects.get()
    assert response.redirect_chain == [
        (reverse("mentoring:programme_detail", args=[programme.pk]), 302)
    ]
    body = response.content.decode()
    assert "Programme Apprentice buddies created." in body
    assert '<dd id="programme-state">Draft</dd>' in body
    assert "Electrical installation; years 1 to 3" in body
    assert "Learners, Partner contacts" in body
    assert "<li>Giving feedback</li><li>Planning work</li>" in body
    assert programme.institution == world.institution
    assert programme.skills == ["Giving feedback", "Planning work"]
    assert programme.matching_mode == "fair"
    assert programme.default_capacity == 2
    assert programme.state == State.DRAFT
    assert list(programme.eligible_programmes.all()) == [world.programme]
    event = AuditEvent.objects.get(action="create", object_type="mentoring.mentoringprogramme")
    assert event.actor == world.coordinator.user
    assert event.changes == {"name": "Apprentice buddies", "state": "draft"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cohort_end": "2026-08-01"}, "The cohort must end after it starts."),
        (
            {"cadence": "custom"},
            "Give the days between meetings (1 to 90) for a custom cadence, and only then.",
        ),
        ({"meeting_minutes": "200"}, "A meeting lasts 15 to 120 minutes."),
        ({"peer_mentors": "", "industry_mentors": ""}, "Choose at least one kind of mentor."),
        (
            {"min_year": "3", "max_year": "2"},
            "Years of study run from 1 to 6, the first no later than the last.",
        ),
        ({"default_capacity": "13"}, "A mentor takes 1 to 12 mentees."),
        (
            {
                "weight_interests": "0",
                "weight_goals": "0",
                "weight_style": "0",
                "weight_experience": "0",
                "weight_language": "0",
            },
            "At least one weight must be above 0.",
        ),
    ],
)
def test_bad_input_gets_a_clear_error_and_creates_nothing(
    world: World, changes: dict[str, str], message: str
) -> None:
    client = world.client_for(world.coordinator)
    data = {k: v for k, v in {**VALID, **changes}.items() if v != ""}

    response = client.post(reverse("mentoring:programme_create"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert MentoringProgramme.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type="mentoring.mentoringprogramme").exists()


def test_another_institutions_study_programme_cannot_be_chosen(world: World) -> None:
    client = world.client_for(world.coordinator)
    data = {**VALID, "eligible_programmes": [str(world.other_programme.pk)]}

    response = client.post(reverse("mentoring:programme_create"), data)

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert MentoringProgramme.objects.count() == 0


def test_edit_records_only_what_changed(world: World) -> None:
    programme = mentoring_programme_make(institution=world.institution, name="Buddies")
    client = world.client_for(world.admin)
    data = {**VALID, "name": "Buddies", "meeting_minutes": "60"}

    response = client.post(reverse("mentoring:programme_edit", args=[programme.pk]), data)

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.meeting_minutes == 60
    event = AuditEvent.objects.get(action="update", object_type="mentoring.mentoringprogramme")
    assert event.changes["meeting_minutes"] == 60
    assert event.changes["goals"] == VALID["goals"]
    assert "name" not in event.changes


def test_states_follow_the_allowed_path(world: World) -> None:
    programme = mentoring_programme_make(institution=world.institution)
    client = world.client_for(world.coordinator)
    url = reverse("mentoring:programme_transition", args=[programme.pk])

    page = client.get(reverse("mentoring:programme_detail", args=[programme.pk])).content.decode()
    assert 'value="recruiting">Make it: Recruiting</button>' in page
    assert 'value="running"' not in page

    response = client.post(url, {"to": "running"}, follow=True)
    assert "A programme that is draft cannot become running." in response.content.decode()
    programme.refresh_from_db()
    assert programme.state == State.DRAFT

    for state in ("recruiting", "matching", "running", "closed"):
        response = client.post(url, {"to": state}, follow=True)
        assert f"The programme is now {state}." in response.content.decode()
    programme.refresh_from_db()
    assert programme.state == State.CLOSED
    steps = AuditEvent.objects.filter(action="state_change").order_by("pk")
    assert [e.changes["state"] for e in steps] == [
        ["draft", "recruiting"],
        ["recruiting", "matching"],
        ["matching", "running"],
        ["running", "closed"],
    ]


def test_unknown_state_is_refused(world: World) -> None:
    programme = mentoring_programme_make(institution=world.institution)
    client = world.client_for(world.coordinator)
    url = reverse("mentoring:programme_transition", args=[programme.pk])

    response = client.post(url, {"to": "finished"}, follow=True)

    assert "A programme that is draft cannot become finished." in response.content.decode()
    programme.refresh_from_db()
    assert programme.state == State.DRAFT


def test_list_shows_only_this_institution(world: World) -> None:
    mentoring_programme_make(institution=world.institution, name="Ours")
    mentoring_programme_make(
        institution=world.other_institution,
        name="Theirs",
        cohort_start=datetime.date(2026, 1, 1),
    )
    body = world.client_for(world.staff).get(reverse("mentoring:programme_list")).content.decode()
    assert ">Ours</a>" in body
    assert "Theirs" not in body
