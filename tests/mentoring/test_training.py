"""Mentor training through HTTP: content, the check, completion records, status per mentor."""

from __future__ import annotations

from django.urls import reverse

from guildhouse.core.models import AuditEvent
from guildhouse.mentoring.models import TrainingCompletion
from guildhouse.mentoring.selectors import trained_membership_ids
from tests.conftest import World
from tests.factories import member_make
from tests.mentoring.factories import application_make, recruiting_programme_make

ROLE_RIGHT = {"q0": "1", "q1": "1"}


def test_the_four_modules_of_seed_003(world: World) -> None:
    body = world.client_for(world.learner).get(reverse("mentoring:training_list")).content.decode()
    for key, title in [
        ("role", "The role of a mentor"),
        ("listening", "Active listening and communication"),
        ("conflict", "Conflict resolution"),
        ("goals", "Goal setting and progress evaluation"),
    ]:
        assert f'<a href="/mentoring/training/{key}/">{title}</a>' in body
        assert f'<p id="module-{key}-status">Not completed yet</p>' in body


def test_a_wrong_answer_is_counted_not_revealed(world: World) -> None:
    client = world.client_for(world.learner)
    url = reverse("mentoring:training_module", args=["role"])
    page = client.get(url).content.decode()
    assert "A mentor is a guide, not a teacher or a parent." in page

    body = client.post(url, {"q0": "0", "q1": "1"}).content.decode()

    assert "1 of 2 answers is not right yet. Read the module again and try once more." in body
    assert TrainingCompletion.objects.count() == 0


def test_passing_the_check_records_completion_once(world: World) -> None:
    client = world.client_for(world.learner)
    url = reverse("mentoring:training_module", args=["role"])

    response = client.post(url, ROLE_RIGHT, follow=True)
    client.post(url, ROLE_RIGHT)

    assert "Well done: you completed The role of a mentor." in response.content.decode()
    completion = TrainingCompletion.objects.get()
    assert (completion.membership, completion.module) == (world.learner, "role")
    assert AuditEvent.objects.filter(action="training_complete").count() == 1
    body = response.content.decode()
    assert '<p id="module-role-status">Completed on' in body


def test_staff_read_modules_but_do_not_take_the_check(world: World) -> None:
    client = world.client_for(world.coordinator)
    url = reverse("mentoring:training_module", args=["goals"])
    page = client.get(url).content.decode()
    assert "Good goals are the mentee&#x27;s own" in page
    assert "Check my answers" not in page
    assert client.post(url, {"q0": "1", "q1": "1"}).status_code == 403
    assert TrainingCompletion.objects.count() == 0


def test_mentor_training_status_is_shown_and_gates(world: World) -> None:
    programme = recruiting_programme_make(institution=world.institution)
    mentor = member_make(institution=world.institution, role="learner", programme=world.programme)
    application = application_make(programme=programme, membership=mentor, side="mentor")
    for module in ("role", "listening", "conflict"):
        TrainingCompletion.objects.create(membership=mentor, module=module)

    assert trained_membership_ids(programme=programme, membership_ids=[mentor.pk]) == set()
    page = world.client_for(world.coordinator).get(
        reverse("mentoring:application_detail", args=[application.pk])
    )
    body = page.content.decode()
    assert "<li>Goal setting and progress evaluation: not completed yet</li>" in body
    listing = world.client_for(world.coordinator).get(
        reverse("mentoring:application_list", args=[programme.pk])
    )
    assert "<td>Not done</td>" in listing.content.decode()

    TrainingCompletion.objects.create(membership=mentor, module="goals")

    assert trained_membership_ids(programme=programme, membership_ids=[mentor.pk]) == {mentor.pk}
    listing = world.client_for(world.coordinator).get(
        reverse("mentoring:application_list", args=[programme.pk])
    )
    assert "<td>Done</td>" in listing.content.decode()


def test_a_programme_may_require_fewer_modules(world: World) -> None:
    programme = recruiting_programme_make(institution=world.institution, required_modules=["role"])
    mentor = member_make(institution=world.institution, role="learner", programme=world.programme)
    TrainingCompletion.objects.create(membership=mentor, module="role")
    assert trained_membership_ids(programme=programme, membership_ids=[mentor.pk]) == {mentor.pk}


def test_unknown_module_is_404(world: World) -> None:
    client = world.client_for(world.learner)
    assert client.get(reverse("mentoring:training_module", args=["juggling"])).status_code == 404
