"""Managing the calendar link from the profile page: make it (shown once), replace it,
turn it off; every role may manage their own, nobody anyone else's."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from guildhouse.calendars import services
from guildhouse.calendars.models import CalendarFeed
from guildhouse.core.models import AuditEvent, Role
from tests.access_matrix import EVERYONE, Page, check_page
from tests.conftest import World
from tests.factories import member_make

# matrix-exempt: calendar_feed (no session by design: the token decides; see test_feed.py)
LINK = re.compile(r'value="(http://testserver/calendar/feed/([A-Za-z0-9_-]{43})\.ics)"')


def _feeds(world: World) -> object:
    """Every calendar link of the world's institution (a denied POST must change none)."""
    return list(
        CalendarFeed.objects.filter(membership__institution=world.institution)
        .order_by("membership_id")
        .values()
    )


def _with_links(world: World) -> World:
    for role in Role.values:
        member = world.member(role)
        if not CalendarFeed.objects.filter(membership=member).exists():
            services.calendar_feed_create(actor=member.user, membership=member)
    return world


CALENDAR_PAGES = [
    Page(
        "calendar link create (POST)",
        lambda w: reverse("calendar_link_create"),
        EVERYONE,
        method="post",
        outsider_status=200,  # makes the outsider's own link in their institution
        state=_feeds,
    ),
    Page(
        "calendar link revoke (POST)",
        lambda w: reverse("calendar_link_revoke"),
        EVERYONE,
        ok_status=302,
        method="post",
        outsider_status=302,  # turns off the outsider's own link only
        state=_feeds,
    ),
]


@pytest.mark.parametrize("page", CALENDAR_PAGES, ids=lambda p: p.name)
def test_calendar_page_access(world: World, page: Page) -> None:
    assert check_page(_with_links(world), page) == []


def test_the_link_pages_refuse_get(world: World) -> None:
    client = world.client_for(world.learner)
    assert client.get(reverse("calendar_link_create")).status_code == 405
    assert client.get(reverse("calendar_link_revoke")).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_others_posts_change_only_their_own_link(world: World) -> None:
    _with_links(world)
    before = dict(CalendarFeed.objects.values_list("membership_id", "token_hash"))
    world.client_for(world.admin).post(reverse("calendar_link_create"))
    world.client_for(world.outsider).post(reverse("calendar_link_revoke"))
    after = dict(CalendarFeed.objects.values_list("membership_id", "token_hash"))
    changed = {pk for pk in before.keys() | after.keys() if before.get(pk) != after.get(pk)}
    assert changed == {world.admin.pk}


def test_make_a_link_and_use_it_then_it_is_not_shown_again(world: World) -> None:
    client = world.client_for(world.learner)
    profile = client.get(reverse("profile")).content.decode()
    assert "You have no calendar link." in profile
    assert "No calendar app has read it yet." not in profile
    assert "Make a calendar link" in profile

    response = client.post(reverse("calendar_link_create"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store, max-age=0, no-cache, must-revalidate"
    page = response.content.decode()
    match = LINK.search(page)
    assert match is not None
    url, token = match.groups()
    assert "Here is your link" in page
    assert f'href="webcal://testserver/calendar/feed/{token}.ics"' in page
    assert "It shows your dates at Riverside Vocational College." in page
    assert "No calendar app has read it yet." in client.get(reverse("profile")).content.decode()
    assert Client().get(url).status_code == 200

    profile = client.get(reverse("profile")).content.decode()
    assert "Your calendar link is on." in profile
    assert "A calendar app last read it now." in profile
    assert token not in profile
    feed = CalendarFeed.objects.get(membership=world.learner)
    assert token not in feed.token_hash
    assert len(feed.token_hash) == 64


def test_a_new_link_replaces_the_old_and_says_so(world: World) -> None:
    client = world.client_for(world.staff)
    first = LINK.search(client.post(reverse("calendar_link_create")).content.decode())
    response = client.post(reverse("calendar_link_create")).content.decode()
    second = LINK.search(response)
    assert first is not None
    assert second is not None
    assert "Here is your new link" in response
    assert "Your old link no longer works." in response
    assert Client().get(first.group(1)).status_code == 404
    assert Client().get(second.group(1)).status_code == 200


def test_turn_off_the_link(world: World) -> None:
    client = world.client_for(world.partner)
    match = LINK.search(client.post(reverse("calendar_link_create")).content.decode())
    assert match is not None

    response = client.post(reverse("calendar_link_revoke"), follow=True)
    assert response.redirect_chain == [(reverse("profile") + "#calendar-heading", 302)]
    page = response.content.decode()
    assert "Your calendar link is turned off. It no longer works." in page
    assert "You have no calendar link." in page
    assert Client().get(match.group(1)).status_code == 404

    again = client.post(reverse("calendar_link_revoke"), follow=True).content.decode()
    assert "You had no calendar link." in again


def test_the_audit_log_records_each_change_without_the_token(world: World) -> None:
    client = world.client_for(world.learner)
    tokens = [
        m.group(2)
        for m in (
            LINK.search(client.post(reverse("calendar_link_create")).content.decode()),
            LINK.search(client.post(reverse("calendar_link_create")).content.decode()),
        )
        if m is not None
    ]
    client.post(reverse("calendar_link_revoke"))
    events = AuditEvent.objects.filter(object_type="calendars.calendarfeed").order_by("id")
    assert [(e.action, e.changes, e.actor_id, e.institution_id) for e in events] == [
        ("create", {"link": "made"}, world.learner.user_id, world.institution.pk),
        ("update", {"link": "replaced"}, world.learner.user_id, world.institution.pk),
        ("revoke", {}, world.learner.user_id, world.institution.pk),
    ]
    assert len(tokens) == 2
    for event in events:
        for token in tokens:
            assert token not in str(event.changes) + event.object_label


def test_the_link_belongs_to_the_active_institution(world: World) -> None:
    at_hilltop = member_make(
        institution=world.other_institution, role=Role.LEARNER, user=world.learner.user
    )
    client = world.client_for(world.learner)
    client.post(reverse("institution_switch"), {"institution": world.other_institution.pk})
    page = client.post(reverse("calendar_link_create")).content.decode()
    assert "It shows your dates at Hilltop Skills Centre." in page
    assert list(CalendarFeed.objects.values_list("membership_id", flat=True)) == [at_hilltop.pk]


def test_finnish(world: World) -> None:
    client = world.client_for(world.learner)
    client.post(reverse("set_language"), {"language": "fi", "next": "/"})
    assert "Sinulla ei ole kalenterilinkkiä." in client.get(reverse("profile")).content.decode()
    page = client.post(reverse("calendar_link_create")).content.decode()
    assert "Kopioi se nyt: turvallisuutesi vuoksi näytämme sen vain tämän kerran." in page
    assert "Avaa kalenterisovelluksessani" in page
