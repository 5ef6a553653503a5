"""Meetings through HTTP: plan from the shared free times, .ics, log with private notes."""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from guildhouse.calendars.api import ics_response
from guildhouse.core.models import AuditEvent
from guildhouse.mentoring.calendar import mentoring_feed
from guildhouse.mentoring.models import Meeting, Relationship
from tests.conftest import World
from tests.factories import member_make, user_make
from tests.mentoring.factories import ANSWERS, application_make, mentoring_programme_make

NOTES = "Talked about her placement worries at the garage."


@pytest.fixture
def pair(world: World) -> Relationship:
    programme = mentoring_programme_make(institution=world.institution, state="running")
    mentee = application_make(programme=programme, membership=world.learner)
    mentor = application_make(
        programme=programme,
        membership=member_make(
            institution=world.institution,
            role="learner",
            user=user_make(full_name="Sam Walker"),
            programme=world.programme,
        ),
        side="mentor",
        answers={**ANSWERS, "availability": [4, 7]},
    )
    now = timezone.now()
    return Relationship.objects.create(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        status="active",
        mentee_accepted_at=now,
        mentor_accepted_at=now,
    )


def plan(world: World, pair: Relationship, **data: str) -> str:
    client = world.client_for(world.learner)
    response = client.post(
        reverse("mentoring:meeting_propose", args=[pair.pk]),
        {"minutes": "45", "mode": "in_person", "place": "Library, room 2", **data},
        follow=True,
    )
    return response.content.decode()


def test_suggested_times_are_when_both_are_free(world: World, pair: Relationship) -> None:
    page = world.client_for(world.learner).get(
        reverse("mentoring:relationship_detail", args=[pair.pk])
    )
    body = page.content.decode()
    # Both are free on Tuesday afternoons (slot 4) only: every suggestion is one, at 14:00.
    suggestions = page.context["meeting_form"].fields["suggested"].choices
    assert len(suggestions) == 2
    for value, _label in suggestions:
        moment = timezone.localtime(datetime.datetime.fromisoformat(value))
        assert (moment.weekday(), moment.hour, moment.minute) == (1, 14, 0)
    assert "Times when you are both usually free" in body


def test_plan_a_meeting_and_download_it(world: World, pair: Relationship) -> None:
    suggested = (
        world.client_for(world.learner)
        .get(reverse("mentoring:relationship_detail", args=[pair.pk]))
        .context["meeting_form"]
        .fields["suggested"]
        .choices[0][0]
    )

    body = plan(world, pair, suggested=suggested)

    assert "Meeting planned. Add it to your calendar below." in body
    meeting = Meeting.objects.get()
    assert meeting.starts_at == datetime.datetime.fromisoformat(suggested)
    assert (meeting.mode, meeting.place, meeting.minutes, meeting.status) == (
        "in_person",
        "Library, room 2",
        45,
        "planned",
    )
    assert meeting.proposed_by == world.learner
    ics = world.client_for(pair.mentor.membership).get(
        reverse("mentoring:meeting_ics", args=[meeting.pk])
    )
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == f"Mentoring: {world.learner.user.full_name} and Sam Walker"
    assert str(events[0]["LOCATION"]) == "Library, room 2"
    assert str(events[0]["UID"]) == f"mentoring-meeting-{meeting.pk}@guildhouse"


def test_a_meeting_needs_a_place_or_a_link_and_a_future_time(
    world: World, pair: Relationship
) -> None:
    body = plan(world, pair, mode="online", place="")
    assert "Give the link for an online meeting." in body
    assert "Pick one of the times, or give another." in body
    past = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    body = plan(world, pair, starts_at=past)
    assert "Choose a time in the future." in body
    assert Meeting.objects.count() == 0


def test_feed_lists_the_pairs_meetings(world: World, pair: Relationship) -> None:
    meeting = Meeting.objects.create(
        relationship=pair,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        mode="online",
        link="https://meet.example.org/abc",
    )
    assert [e.uid for e in mentoring_feed(world.learner.user, world.learner)] == [
        f"mentoring-meeting-{meeting.pk}@guildhouse"
    ]
    assert list(mentoring_feed(world.coordinator.user, world.coordinator)) == []
    feed = ics_response(
        mentoring_feed(world.learner.user, world.learner), request=RequestFactory().get("/")
    )
    assert str(Calendar.from_ical(feed.content).walk("VEVENT")[0]["URL"]) == (
        f"http://testserver/mentoring/pairs/{pair.pk}/"
    )


def test_log_a_held_meeting_with_private_notes(world: World, pair: Relationship) -> None:
    meeting = Meeting.objects.create(
        relationship=pair,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        mode="in_person",
        place="Cafeteria",
    )
    client = world.client_for(world.learner)
    url = reverse("mentoring:meeting_log", args=[meeting.pk])

    body = client.post(url, {"status": "held", "topics": "Placement"}).content.decode()
    assert "Say how long you met." in body

    client.post(
        url, {"status": "held", "held_minutes": "50", "topics": "Placement", "notes": NOTES}
    )

    meeting.refresh_from_db()
    assert (meeting.status, meeting.held_minutes, meeting.topics, meeting.notes_shared) == (
        "held",
        50,
        "Placement",
        False,
    )
    assert NOTES not in str(AuditEvent.objects.get(action="meeting_log").changes)
    detail = reverse("mentoring:relationship_detail", args=[pair.pk])
    assert NOTES in world.client_for(pair.mentor.membership).get(detail).content.decode()
    coordinator = world.client_for(world.coordinator)
    page = coordinator.get(detail).content.decode()
    assert "Placement" in page
    assert NOTES not in page
    assert coordinator.get(url).status_code == 403

    client.post(
        url,
        {
            "status": "held",
            "held_minutes": "50",
            "topics": "Placement",
            "notes": NOTES,
            "notes_shared": "on",
        },
    )
    assert NOTES in coordinator.get(detail).content.decode()
    assert NOTES not in world.client_for(world.staff).get(detail).content.decode()


def test_only_an_active_pair_plans_meetings(world: World, pair: Relationship) -> None:
    Relationship.objects.filter(pk=pair.pk).update(status="paused")
    future = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    body = plan(world, pair, starts_at=future)
    assert "Meetings are planned once both of you have accepted the match." in body
    assert Meeting.objects.count() == 0
