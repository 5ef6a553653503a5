"""Support requests after they are sent: who is told, and how support staff work them.

A learner who asks, by name, to be contacted is waiting for a person: support staff are
notified (without the learner's name or words: an email leaves our access checks), see
the waiting requests first, and mark each contacted or closed. If no one holds the
support role, the admins are told to give it to someone.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import AuditEvent, Role
from guildhouse.notifications.models import Notification
from guildhouse.voice import services
from guildhouse.voice.models import SupportCase, SupportCaseStatus
from tests.conftest import World
from tests.factories import member_make

STATUS_URL = "voice:support_case_status"


def _case(world: World, message: str = "Please call me after class") -> SupportCase:
    return services.support_case_open(membership=world.learner, message=message, contact="040 1")


def test_support_staff_are_told_without_the_learners_name_or_words(world: World) -> None:
    second = member_make(institution=world.institution, role=Role.SUPPORT)
    away = member_make(institution=world.institution, role=Role.SUPPORT)
    away.is_active = False
    away.save()
    client = world.client_for(world.learner)
    response = client.post(
        reverse("voice:support_case_open"),
        {"message": "My family situation", "contact": "040 123", "consent": "on"},
    )
    assert response.status_code == 302
    told = Notification.objects.filter(kind=services.SUPPORT_CASE_OPENED).order_by("recipient")
    assert sorted(n.recipient_id for n in told) == sorted([world.support.user_id, second.user_id])
    for note in told:
        assert note.subject == "A learner asked support staff to contact them"
        assert note.body == "Open the support requests to see who asked and how to reach them."
        assert note.url == reverse("voice:support_case_list")
        assert world.learner.user.full_name not in note.subject + note.body
        assert "family" not in note.subject + note.body
    # Nobody else: not the coordinator, not the admin, not the support staff of elsewhere.
    assert Notification.objects.count() == 2


def test_with_no_support_staff_the_admins_are_told_to_give_the_role(world: World) -> None:
    world.support.is_active = False
    world.support.save()
    _case(world)
    told = Notification.objects.get(kind=services.SUPPORT_CASE_OPENED)
    assert told.recipient_id == world.admin.user_id
    assert told.subject == "A learner asked for support, but no one has the support role"
    assert told.url == reverse("people_list")
    assert "Please call me" not in told.body


def test_waiting_requests_come_first_and_support_staff_mark_them(world: World) -> None:
    first = _case(world, "First, already handled")
    SupportCase.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    second = _case(world, "Second, still waiting")
    client = world.client_for(world.support)
    url = reverse(STATUS_URL, args=[first.pk])

    response = client.post(url, {"status": "contacted"}, follow=True)
    html = response.content.decode()
    name = world.learner.user.full_name
    assert f"{name}&#x27;s request is now: Learner contacted." in html
    first.refresh_from_db()
    assert (first.status, first.handled_by) == (SupportCaseStatus.CONTACTED, world.support)
    event = AuditEvent.objects.get(action="voice_support_case_status")
    assert (event.actor_id, event.object_id) == (world.support.user_id, str(first.pk))
    assert event.changes == {"status": ["open", "contacted"]}
    # The waiting one is listed first although it is newer; who changed the other shows.
    assert html.index("Second, still waiting") < html.index("First, already handled")
    assert f"Last changed by</dt><dd>{world.support.user.full_name}" in html
    assert f'id="case-{second.pk}-status"' in html

    # The same status again changes nothing and says so.
    response = client.post(url, {"status": "contacted"}, follow=True)
    assert "request was already: Learner contacted." in response.content.decode()
    assert AuditEvent.objects.filter(action="voice_support_case_status").count() == 1


def test_a_status_not_in_the_list_changes_nothing(world: World) -> None:
    case = _case(world)
    response = world.client_for(world.support).post(
        reverse(STATUS_URL, args=[case.pk]), {"status": "deleted"}, follow=True
    )
    assert "Choose a status from the list." in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.handled_by) == (SupportCaseStatus.OPEN, None)
    assert not AuditEvent.objects.filter(action="voice_support_case_status").exists()


def test_only_support_staff_of_the_institution_change_a_request(world: World) -> None:
    case = _case(world)
    url = reverse(STATUS_URL, args=[case.pk])
    for role in (Role.ADMIN, Role.COORDINATOR, Role.STAFF, Role.LEARNER):
        response = world.client_for(world.member(role)).post(url, {"status": "closed"})
        assert (role, response.status_code) == (role, 403)
    elsewhere = member_make(institution=world.other_institution, role=Role.SUPPORT)
    assert world.client_for(elsewhere).post(url, {"status": "closed"}).status_code == 404
    case.refresh_from_db()
    assert (case.status, case.handled_by) == (SupportCaseStatus.OPEN, None)


def test_the_support_home_panel_counts_the_waiting_requests(world: World) -> None:
    client = world.client_for(world.support)
    assert "No learner is waiting for a contact." in client.get(reverse("home")).content.decode()
    _case(world)
    closed = _case(world)
    SupportCase.objects.filter(pk=closed.pk).update(status=SupportCaseStatus.CLOSED)
    html = client.get(reverse("home")).content.decode()
    assert "1 learner asked to be contacted and is waiting." in html
    assert reverse("voice:support_case_list") in html
    coordinator_home = world.client_for(world.coordinator).get(reverse("home"))
    assert "asked to be contacted" not in coordinator_home.content.decode()


def test_the_learner_sees_their_own_requests_and_their_status(world: World) -> None:
    case = _case(world)
    services.support_case_status_set(
        actor=world.support, case=case, status=SupportCaseStatus.CONTACTED
    )
    html = world.client_for(world.learner).get(reverse("voice:support_case_open")).content.decode()
    assert "Your requests" in html
    assert ": Learner contacted</li>" in html
    # Another learner sees none of it.
    other = member_make(institution=world.institution, role=Role.LEARNER)
    html = world.client_for(other).get(reverse("voice:support_case_open")).content.decode()
    assert "Your requests" not in html
