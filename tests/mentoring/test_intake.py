"""Intake through HTTP: the enrolment form as data, applying, preferences, screening."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from guildhouse.core.models import AuditEvent, SpecialCategoryData
from guildhouse.mentoring.models import Application, MatchingPreference, Question
from tests.conftest import World
from tests.factories import member_make, programme_make
from tests.mentoring.factories import application_make, recruiting_programme_make

FORM: dict[str, Any] = {
    "q_interests": ["trade_skills", "career"],
    "q_career_goal": "I want to install solar panels.",
    "q_style": "direct",
    "q_experience": "1",
    "q_availability": ["4", "10"],
    "q_languages": ["fi", "en"],
    "q_home_language": "fi",
    "q_about": "",
    "accessibility_needs": "",
}


def apply(client: Client, programme_pk: int, side: str, data: Mapping[str, object]) -> str:
    response = client.post(reverse("mentoring:apply", args=[programme_pk, side]), data)
    return response.content.decode() if response.status_code == 200 else ""


def test_a_new_programme_has_the_built_in_questions(world: World) -> None:
    programme = recruiting_programme_make(institution=world.institution)
    assert list(Question.objects.filter(programme=programme).values_list("key", "kind")) == [
        ("interests", "multiple"),
        ("career_goal", "long_text"),
        ("style", "single"),
        ("experience", "single"),
        ("availability", "availability"),
        ("languages", "multiple"),
        ("home_language", "single"),
        ("about", "long_text"),
    ]


def test_learner_sees_the_programme_and_applies_as_mentee(world: World) -> None:
    programme = recruiting_programme_make(institution=world.institution, name="Buddies")
    client = world.client_for(world.learner)
    home = client.get(reverse("mentoring:home")).content.decode()
    assert "<h3>Buddies</h3>" in home
    apply_url = reverse("mentoring:apply", args=[programme.pk, "mentee"])
    assert f'href="{apply_url}">Apply as a mentee</a>' in home
    form = client.get(apply_url).content.decode()
    assert 'aria-label="Tuesday afternoon"' in form
    assert "Matching preferences (optional)" in form

    response = client.post(
        apply_url, {**FORM, "accessibility_needs": "Step-free rooms"}, follow=True
    )

    application = Application.objects.get()
    assert response.redirect_chain == [
        (reverse("mentoring:application_detail", args=[application.pk]), 302)
    ]
    assert application.answers == {
        "interests": ["trade_skills", "career"],
        "career_goal": "I want to install solar panels.",
        "style": "direct",
        "experience": "1",
        "availability": [4, 10],
        "languages": ["fi", "en"],
        "home_language": "fi",
    }
    assert (application.side, application.status, application.mentor_kind) == (
        "mentee",
        "submitted",
        "",
    )
    assert application.accessibility_needs == "Step-free rooms"
    body = response.content.decode()
    assert "Thank you. The coordinator will look at your application soon." in body
    assert "<dd>Tuesday afternoon, Thursday afternoon</dd>" in body
    assert "<dd>Practical skills of my trade, Career planning and job hunting</dd>" in body
    assert "Step-free rooms" in body
    event = AuditEvent.objects.get(action="apply")
    assert event.changes == {"side": "mentee", "fields": ["answers", "accessibility_needs"]}
    assert "Step-free" not in str(event.changes)
    # Applied once: the programme is no longer offered.
    assert "<h3>Buddies</h3>" not in client.get(reverse("mentoring:home")).content.decode()


def test_missing_answers_are_explained_and_nothing_is_saved(world: World) -> None:
    programme = recruiting_programme_make(institution=world.institution)
    data = {k: v for k, v in FORM.items() if k not in ("q_style", "q_availability")}

    body = apply(world.client_for(world.learner), programme.pk, "mentee", data)

    assert body.count("This field is required.") == 2
    assert Application.objects.count() == 0


def test_preferences_need_consent_and_the_data_they_use(world: World) -> None:
    programme = recruiting_programme_make(institution=world.institution)
    client = world.client_for(world.learner)

    body = apply(client, programme.pk, "mentee", {**FORM, "same_gender": "on"})
    assert "Tick the box to agree, or untick the preferences: they are optional." in body
    assert "Add your gender under Support information in My profile first." in body
    assert Application.objects.count() == 0

    SpecialCategoryData.objects.create(
        membership=world.learner,
        consent_given_at=datetime.datetime.now(datetime.UTC),
        gender="woman",
    )
    data = {**FORM, "same_gender": "on", "shared_language": "on", "preference_consent": "on"}
    client.post(reverse("mentoring:apply", args=[programme.pk, "mentee"]), data)

    preference = MatchingPreference.objects.get()
    assert (preference.same_gender, preference.shared_background, preference.shared_language) == (
        True,
        False,
        True,
    )
    event = AuditEvent.objects.get(action="apply")
    assert event.changes["fields"] == ["answers", "matching_preferences"]


def test_unticking_consent_erases_the_preferences(world: World) -> None:
    programme = recruiting_programme_make(institution=world.institution)
    client = world.client_for(world.learner)
    client.post(
        reverse("mentoring:apply", args=[programme.pk, "mentee"]),
        {**FORM, "shared_language": "on", "preference_consent": "on"},
    )
    assert MatchingPreference.objects.count() == 1

    client.post(reverse("mentoring:apply", args=[programme.pk, "mentee"]), FORM)

    assert MatchingPreference.objects.count() == 0
    assert AuditEvent.objects.get(action="update").changes == {
        "side": "mentee",
        "fields": ["matching_preferences"],
    }


def test_who_sees_accessibility_needs_and_preferences(world: World) -> None:
    programme = recruiting_programme_make(institution=world.institution)
    application = application_make(
        programme=programme, membership=world.learner, accessibility_needs="Written notes"
    )
    MatchingPreference.objects.create(application=application, shared_language=True)
    url = reverse("mentoring:application_detail", args=[application.pk])

    def page(role: str) -> str:
        return world.client_for(world.member(role)).get(url).content.decode()

    assert "Written notes" in page("learner")
    assert "Written notes" in page("coordinator")
    assert "Written notes" in page("support")
    assert "Written notes" not in page("admin")
    assert "Someone who speaks the language grown up with" in page("learner")
    assert "Someone who speaks the language grown up with" in page("support")
    assert "Matching preferences" not in page("coordinator")
    assert "Matching preferences" not in page("admin")


@pytest.mark.parametrize(
    ("role", "side", "setup", "message"),
    [
        (
            "partner",
            "mentee",
            {},
            "Partner contacts take part as mentors, where the programme invites them.",
        ),
        (
            "partner",
            "mentor",
            {},
            "Partner contacts take part as mentors, where the programme invites them.",
        ),
        (
            "learner",
            "mentor",
            {"peer_mentors": False, "industry_mentors": True},
            "This programme&#x27;s mentors are not learners.",
        ),
        ("learner", "mentee", {"min_year": 2}, "This programme is for mentees in years 2 to 3."),
        (
            "learner",
            "mentee",
            {"other_programme": True},
            "This programme is for learners of other study programmes.",
        ),
    ],
)
def test_ineligible_people_are_told_why(
    world: World, role: str, side: str, setup: dict[str, Any], message: str
) -> None:
    other = setup.pop("other_programme", False)
    programme = recruiting_programme_make(institution=world.institution, **setup)
    if other:
        programme.eligible_programmes.set([programme_make(institution=world.institution)])

    response = world.client_for(world.member(role)).post(
        reverse("mentoring:apply", args=[programme.pk, side]), FORM, follow=True
    )

    assert message in response.content.decode()
    assert Application.objects.count() == 0


def test_partner_applies_as_industry_mentor(world: World) -> None:
    programme = recruiting_programme_make(institution=world.institution, industry_mentors=True)
    client = world.client_for(world.partner)

    client.post(
        reverse("mentoring:apply", args=[programme.pk, "mentor"]), {**FORM, "q_experience": "5"}
    )

    application = Application.objects.get()
    assert (application.side, application.mentor_kind, application.capacity) == (
        "mentor",
        "industry",
        1,
    )


def test_a_draft_programme_is_not_shown_to_learners(world: World) -> None:
    programme = recruiting_programme_make(institution=world.institution)
    programme.state = "draft"
    programme.save()
    client = world.client_for(world.learner)
    assert client.get(reverse("mentoring:apply", args=[programme.pk, "mentee"])).status_code == 404
    assert (
        client.post(reverse("mentoring:apply", args=[programme.pk, "mentee"]), FORM).status_code
        == 404
    )
    assert Application.objects.count() == 0


def test_screening_decline_needs_a_reason(world: World) -> None:
    programme = recruiting_programme_make(institution=world.institution)
    application = application_make(
        programme=programme, membership=world.learner, status="submitted"
    )
    client = world.client_for(world.coordinator)
    url = reverse("mentoring:application_screen", args=[application.pk])

    body = client.post(url, {"decision": "declined", "reason": " "}).content.decode()

    assert "Give a reason when you do not accept someone." in body
    application.refresh_from_db()
    assert application.status == "submitted"
    assert not AuditEvent.objects.filter(action="screen").exists()

    response = client.post(url, {"decision": "declined", "reason": "Apply next term."}, follow=True)
    assert response.redirect_chain == [
        (reverse("mentoring:application_list", args=[programme.pk]), 302)
    ]
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == ("declined", "Apply next term.")
    assert application.decided_by == world.coordinator.user
    learner_view = world.client_for(world.learner).get(
        reverse("mentoring:application_detail", args=[application.pk])
    )
    assert '<dd id="application-status">Not accepted</dd>' in learner_view.content.decode()
    assert "<dd>Apply next term.</dd>" in learner_view.content.decode()


def test_screening_accepts_a_mentor_with_capacity(world: World) -> None:
    programme = recruiting_programme_make(institution=world.institution)
    mentor = member_make(institution=world.institution, role="learner", programme=world.programme)
    application = application_make(
        programme=programme, membership=mentor, side="mentor", status="submitted"
    )

    world.client_for(world.coordinator).post(
        reverse("mentoring:application_screen", args=[application.pk]),
        {"decision": "accepted", "capacity": "3"},
    )

    application.refresh_from_db()
    assert (application.status, application.capacity) == ("accepted", 3)
    assert AuditEvent.objects.get(action="screen").changes == {
        "status": ["submitted", "accepted"],
        "reason": "",
    }


def test_application_list_filters_by_side(world: World) -> None:
    programme = recruiting_programme_make(institution=world.institution)
    application_make(programme=programme, membership=world.learner)
    mentor = member_make(institution=world.institution, role="learner", programme=world.programme)
    application_make(programme=programme, membership=mentor, side="mentor")
    url = reverse("mentoring:application_list", args=[programme.pk])
    client = world.client_for(world.coordinator)

    body = client.get(url, {"side": "mentor"}).content.decode()

    assert mentor.user.full_name in body
    assert world.learner.user.full_name not in body


def test_coordinator_adds_a_custom_question_that_applicants_answer(world: World) -> None:
    programme = recruiting_programme_make(institution=world.institution)
    client = world.client_for(world.coordinator)
    url = reverse("mentoring:question_list", args=[programme.pk])

    body = client.post(
        url, {"label": "Shift work?", "kind": "single", "side": "both", "options": "Yes"}
    ).content.decode()
    assert "Give at least two choices, one per line." in body
    assert Question.objects.filter(builtin=False).count() == 0

    client.post(
        url,
        {
            "label": "Shift work?",
            "kind": "single",
            "side": "mentee",
            "options": "Yes\nNo\n",
            "required": "on",
        },
    )
    question = Question.objects.get(builtin=False)
    assert (question.key, question.options, question.required) == ("custom-1", ["Yes", "No"], True)

    learner = world.client_for(world.learner)
    body = apply(learner, programme.pk, "mentee", FORM)
    assert "Shift work?" in body
    assert "This field is required." in body
    learner.post(
        reverse("mentoring:apply", args=[programme.pk, "mentee"]), {**FORM, "q_custom-1": "No"}
    )
    assert Application.objects.get().answers["custom-1"] == "No"
