"""Surveys through HTTP: due dates from the pair's start, answers stored as numbers,
the one-tap meeting rating, the skills self-assessment, and who sees the answers."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guildhouse.mentoring.models import (
    Meeting,
    MentoringProgramme,
    Relationship,
    SkillRating,
    Survey,
    SurveyQuestion,
    SurveyResponse,
)
from guildhouse.mentoring.surveys import checkin_round
from tests.conftest import World
from tests.factories import member_make, user_make
from tests.mentoring.factories import application_make, mentoring_programme_make

SKILLS = ["Customer service", "Planning my work"]


def make_pair(world: World, *, days: int, **programme: object) -> Relationship:
    values: dict[str, object] = {"state": "running", "skills": SKILLS, **programme}
    prog = mentoring_programme_make(institution=world.institution, **values)
    mentee = application_make(programme=prog, membership=world.learner)
    mentor = application_make(
        programme=prog,
        membership=member_make(
            institution=world.institution, role="learner", user=user_make(full_name="Sam Walker")
        ),
        side="mentor",
    )
    started = timezone.now() - datetime.timedelta(days=days)
    return Relationship.objects.create(
        programme=prog,
        mentor=mentor,
        mentee=mentee,
        status="active",
        mentee_accepted_at=started,
        mentor_accepted_at=started,
    )


def test_checkin_rounds_start_after_30_days_then_every_60() -> None:
    survey = Survey(kind="quality", side="mentee", first_after_days=30, every_days=60)
    start = datetime.date(2026, 9, 1)
    day = datetime.timedelta(days=1)
    assert checkin_round(survey, start, start + 29 * day) is None
    assert checkin_round(survey, start, start + 30 * day) == 0
    assert checkin_round(survey, start, start + 89 * day) == 0
    assert checkin_round(survey, start, start + 90 * day) == 1
    assert checkin_round(survey, start, start + 150 * day) == 2


def test_no_checkin_before_30_days(world: World) -> None:
    pair = make_pair(world, days=10)
    page = world.client_for(world.learner).get(reverse("mentoring:my_surveys"))
    assert page.context["due"] == []
    assert "Nothing to answer right now." in page.content.decode()
    # Surveys are data: every programme gets its ten built-in surveys and their questions.
    assert Survey.objects.filter(programme=pair.programme).count() == 9
    assert (
        SurveyQuestion.objects.filter(
            survey__programme=pair.programme, survey__kind="quality", survey__side="mentor"
        ).count()
        == 6
    )


def test_mentee_answers_the_checkin_and_the_coordinator_sees_the_score(world: World) -> None:
    pair = make_pair(world, days=35)
    client = world.client_for(world.learner)
    listing = client.get(reverse("mentoring:my_surveys")).content.decode()
    assert "Relationship check-in" in listing
    url = reverse("mentoring:survey_answer", args=[pair.pk, "quality"])
    form = client.get(url).content.decode()
    assert "I feel comfortable talking with my mentor." in form
    # A missing required answer: refused, nothing stored, the other answers kept.
    bad = client.post(url, {"comfort": "4", "useful": "5", "comment": "Going well"})
    assert bad.status_code == 200
    assert "This field is required." in bad.content.decode()
    assert "Going well" in bad.content.decode()
    assert SurveyResponse.objects.count() == 0
    done = client.post(
        url,
        {"comfort": "4", "useful": "5", "listened": "5", "direction": "3", "comment": "Good"},
        follow=True,
    )
    assert "Thank you. Your answers were saved." in done.content.decode()
    response = SurveyResponse.objects.get()
    start = timezone.localdate() - datetime.timedelta(days=35)
    assert (response.kind, response.side, response.round, response.score) == (
        "quality",
        "mentee",
        0,
        4.25,
    )
    assert response.due_on == start + datetime.timedelta(days=30)
    assert response.answers == {
        "comfort": 4,
        "useful": 5,
        "listened": 5,
        "direction": 3,
        "comment": "Good",
    }
    # Once answered it is no longer due, and a second answer is refused.
    assert client.get(reverse("mentoring:my_surveys")).context["due"] == []
    again = client.post(url, {"comfort": "1", "useful": "1", "listened": "1", "direction": "1"})
    assert again.status_code == 302
    assert SurveyResponse.objects.count() == 1
    # The coordinator sees the answer and its score; the mentor (other side) does not.
    coordinator = world.client_for(world.coordinator).get(
        reverse("mentoring:relationship_detail", args=[pair.pk])
    )
    assert "score 4.3 / 5" in coordinator.content.decode()
    assert coordinator.context["responses"] == [response]
    mentor = world.client_for(pair.mentor.membership).get(
        reverse("mentoring:relationship_detail", args=[pair.pk])
    )
    assert mentor.context["responses"] == []
    assert "score 4.3" not in mentor.content.decode()
    figures = world.client_for(world.coordinator).get(
        reverse("mentoring:programme_surveys", args=[pair.programme_id])
    )
    rows = {
        (r["survey"].kind, r["survey"].side): (r["n"], r["mean"]) for r in figures.context["rows"]
    }
    assert rows["quality", "mentee"] == (1, 4.25)
    assert rows["quality", "mentor"] == (0, None)


def test_second_checkin_is_due_after_90_days(world: World) -> None:
    pair = make_pair(world, days=95)
    due = world.client_for(world.learner).get(reverse("mentoring:my_surveys")).context["due"]
    assert [(d.kind, d.round) for d in due] == [("quality", 1)]
    assert due[0].due_on == timezone.localdate() - datetime.timedelta(days=5)
    assert pair.pk == due[0].relationship.pk


def test_one_tap_meeting_rating(world: World) -> None:
    pair = make_pair(world, days=5)
    meeting = Meeting.objects.create(
        relationship=pair,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        mode="online",
        link="https://meet.example.org/a",
        status="held",
        held_minutes=40,
    )
    client = world.client_for(world.learner)
    page = client.get(reverse("mentoring:relationship_detail", args=[pair.pk])).content.decode()
    assert reverse("mentoring:meeting_rate", args=[meeting.pk]) in page
    assert client.post(reverse("mentoring:meeting_rate", args=[meeting.pk]), {"rating": "9"})
    assert SurveyResponse.objects.count() == 0
    done = client.post(
        reverse("mentoring:meeting_rate", args=[meeting.pk]), {"rating": "4"}, follow=True
    )
    assert "Thanks for rating the meeting." in done.content.decode()
    rating = SurveyResponse.objects.get()
    assert (rating.kind, rating.meeting_id, rating.score, rating.side) == (
        "meeting",
        meeting.pk,
        4.0,
        "mentee",
    )
    # A planned meeting cannot be rated; the coordinator cannot rate at all.
    planned = Meeting.objects.create(
        relationship=pair,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        mode="online",
        link="https://meet.example.org/b",
    )
    refused = client.post(
        reverse("mentoring:meeting_rate", args=[planned.pk]), {"rating": "5"}, follow=True
    )
    assert "This survey is not open for you now" in refused.content.decode()
    coordinator = world.client_for(world.coordinator)
    assert (
        coordinator.post(
            reverse("mentoring:meeting_rate", args=[meeting.pk]), {"rating": "5"}
        ).status_code
        == 403
    )
    assert SurveyResponse.objects.count() == 1


def test_skills_and_end_survey_in_the_last_two_weeks(world: World) -> None:
    today = timezone.localdate()
    pair = make_pair(
        world,
        days=200,
        cohort_start=today - datetime.timedelta(days=220),
        cohort_end=today + datetime.timedelta(days=10),
    )
    client = world.client_for(world.learner)
    kinds = [d.kind for d in client.get(reverse("mentoring:my_surveys")).context["due"]]
    assert kinds == ["quality", "skills", "end"]
    url = reverse("mentoring:survey_answer", args=[pair.pk, "skills"])
    form = client.get(url).content.decode()
    assert "Customer service: before the programme" in form
    client.post(
        url,
        {
            "skills-0-before": "2",
            "skills-0-after": "4",
            "skills-1-before": "1",
            "skills-1-after": "4",
        },
    )
    ratings = sorted(SkillRating.objects.values_list("skill", "before", "after"))
    assert ratings == [("Customer service", 2, 4), ("Planning my work", 1, 4)]
    figures = world.client_for(world.coordinator).get(
        reverse("mentoring:programme_surveys", args=[pair.programme_id])
    )
    assert [(s["skill"], s["gain"]) for s in figures.context["skills"]] == [
        ("Customer service", 2.0),
        ("Planning my work", 3.0),
    ]
    # The mentor gets the end survey but no skills self-assessment.
    mentor_due = world.client_for(pair.mentor.membership).get(reverse("mentoring:my_surveys"))
    assert [d.kind for d in mentor_due.context["due"]] == ["quality", "end"]


def test_coordinator_adds_a_question_as_data(world: World) -> None:
    pair = make_pair(world, days=35)
    client = world.client_for(world.coordinator)
    url = reverse("mentoring:programme_surveys", args=[pair.programme_id])
    assert client.get(url).status_code == 200
    survey = Survey.objects.get(programme=pair.programme, kind="quality", side="mentee")
    empty = client.post(url, {"survey": survey.pk, "text": "", "kind": "scale"})
    assert "This field is required." in empty.content.decode()
    client.post(
        url,
        {"survey": survey.pk, "text": "My mentor is on time.", "kind": "scale", "required": "on"},
    )
    question = SurveyQuestion.objects.get(survey=survey, builtin=False)
    assert (question.key, question.text, question.kind) == (
        "custom-1",
        "My mentor is on time.",
        "scale",
    )
    form = world.client_for(world.learner).get(
        reverse("mentoring:survey_answer", args=[pair.pk, "quality"])
    )
    assert "My mentor is on time." in form.content.decode()


@pytest.mark.parametrize("role", ["staff", "support", "learner", "partner", "stakeholder"])
def test_only_coordinators_open_the_survey_page(world: World, role: str) -> None:
    pair = make_pair(world, days=1)
    client = world.client_for(world.member(role))
    url = reverse("mentoring:programme_surveys", args=[pair.programme_id])
    before = SurveyQuestion.objects.count()
    assert client.post(url, {"survey": 1, "text": "x", "kind": "text"}).status_code == 403
    assert SurveyQuestion.objects.count() == before


def _answered_pairs(world: World, programme: object, n: int) -> None:
    from guildhouse.mentoring.surveys import surveys_ensure

    assert isinstance(programme, MentoringProgramme)
    surveys = surveys_ensure(programme)
    for _k in range(n):
        mentee = application_make(
            programme=programme,
            membership=member_make(institution=world.institution, role="learner"),
        )
        mentor = application_make(
            programme=programme,
            membership=member_make(institution=world.institution, role="learner"),
            side="mentor",
        )
        pair = Relationship.objects.create(
            programme=programme, mentor=mentor, mentee=mentee, status="active"
        )
        response = SurveyResponse.objects.create(
            survey=surveys["skills", "mentee"],
            programme=programme,
            kind="skills",
            relationship=pair,
            respondent=mentee.membership,
            side="mentee",
            due_on=timezone.localdate(),
            score=None,
        )
        SkillRating.objects.create(
            response=response, programme=programme, skill=SKILLS[0], before=2, after=4
        )


def test_survey_page_queries_do_not_grow_with_answers(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pair = make_pair(world, days=1)
    client = world.client_for(world.coordinator)
    url = reverse("mentoring:programme_surveys", args=[pair.programme_id])
    _answered_pairs(world, pair.programme, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        page = client.get(url)
    assert [(s["skill"], s["n"]) for s in page.context["skills"]] == [(SKILLS[0], 2)]
    _answered_pairs(world, pair.programme, 25)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url)
    assert [(s["skill"], s["n"]) for s in page.context["skills"]] == [(SKILLS[0], 27)]
    assert len(page.context["page"].object_list) == 27
    assert len(large) == len(small)


def test_home_panel_counts_the_due_surveys(world: World) -> None:
    client = world.client_for(world.learner)
    assert "Mentoring surveys" not in client.get("/").content.decode()
    make_pair(world, days=35)
    home = client.get("/").content.decode()
    assert "1 survey is waiting for your answer." in home
    assert reverse("mentoring:my_surveys") in home
