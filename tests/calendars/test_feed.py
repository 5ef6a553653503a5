"""The personal feed URL: token-only, read-only, exactly what the person may see in
the token's institution, nothing of another, and 404 once revoked or replaced."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from guildhouse.calendars import services, views
from guildhouse.calendars.api import CalendarEvent, feed_sources, register_feed_source
from guildhouse.calendars.models import CalendarFeed
from guildhouse.calendars.testing import only_feed_sources
from guildhouse.core.models import Membership, Role, User
from tests.calendars.sources import institution_days, own_check_ins
from tests.conftest import World
from tests.factories import member_make


def feed_url(token: str) -> str:
    return reverse("calendar_feed", args=[token])


def make_link(membership: Membership) -> str:
    _feed, token = services.calendar_feed_create(actor=membership.user, membership=membership)
    return token


def summaries(body: bytes) -> list[str]:
    events = Calendar.from_ical(body).walk("VEVENT")
    return [str(dict(e.items())["SUMMARY"]) for e in events]


def read(token: str, client: Client | None = None) -> Any:
    return (client or Client()).get(feed_url(token))


@pytest.fixture
def sources() -> Iterable[None]:
    with only_feed_sources(institution_days, own_check_ins):
        yield


@pytest.mark.usefixtures("sources")
@pytest.mark.parametrize("role", Role.values)
def test_each_role_sees_exactly_what_it_may(world: World, role: str) -> None:
    member = world.member(role)
    response = read(make_link(member))

    assert response.status_code == 200
    # In start order: planning on 18 January, the check-in on the 19th, open day the 20th.
    expected = [f"Check-in of {member.user.full_name}", "Open day at Riverside"]
    if member.is_staff_role:
        expected.insert(0, "Staff planning at Riverside")
    assert summaries(response.content) == expected
    assert "Hilltop" not in response.content.decode()


@pytest.mark.usefixtures("sources")
def test_the_outsider_feed_has_only_their_institution(world: World) -> None:
    response = read(make_link(world.outsider))
    body = response.content.decode()
    assert summaries(response.content) == [
        "Staff planning at Hilltop",
        f"Check-in of {world.outsider.user.full_name}",
        "Open day at Hilltop",
    ]
    assert "Riverside" not in body
    for member in (world.learner, world.admin):
        assert member.user.full_name not in body


@pytest.mark.usefixtures("sources")
def test_a_person_in_two_institutions_has_one_feed_for_each(world: World) -> None:
    at_hilltop = member_make(
        institution=world.other_institution, role=Role.STAFF, user=world.learner.user
    )
    riverside = read(make_link(world.learner))
    hilltop = read(make_link(at_hilltop))

    name = world.learner.user.full_name
    assert summaries(riverside.content) == [f"Check-in of {name}", "Open day at Riverside"]
    assert summaries(hilltop.content) == [
        "Staff planning at Hilltop",
        f"Check-in of {name}",
        "Open day at Hilltop",
    ]
    assert "Hilltop" not in riverside.content.decode()
    assert "Riverside" not in hilltop.content.decode()


def test_sources_get_the_tokens_person_and_membership(world: World) -> None:
    calls: list[tuple[User, Membership]] = []

    def spy(user: User, membership: Membership) -> Iterable[CalendarEvent]:
        calls.append((user, membership))
        return []

    with only_feed_sources(spy):
        # Signed in as the admin, reading the learner's link: the link decides, not the session.
        response = read(make_link(world.learner), world.client_for(world.admin))
    assert response.status_code == 200
    assert calls == [(world.learner.user, world.learner)]


def test_the_feed_is_a_private_calendar_download_without_cookies(world: World) -> None:
    token = make_link(world.learner)
    signed_in = world.client_for(world.learner)
    sessions = Session.objects.count()

    for client in (Client(), signed_in):
        response = read(token, client)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        # A signed-in browser also gets core's never-cache directives on top.
        assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
        assert response["Content-Disposition"] == (
            f'attachment; filename="guildhouse-{world.institution.slug}.ics"'
        )
        assert response.cookies == {}
        assert "Set-Cookie" not in str(response.serialize_headers())
    assert Session.objects.count() == sessions
    calendar = dict(Calendar.from_ical(response.content).items())
    assert str(calendar["X-WR-CALNAME"]) == "Guildhouse · Riverside"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.content
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in response.content
    assert Calendar.from_ical(response.content).walk("VEVENT") == []  # core has no dates


@pytest.mark.usefixtures("sources")
def test_urls_in_the_feed_are_absolute(world: World) -> None:
    response = read(make_link(world.staff))
    planning = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(dict(planning.items())["URL"]) == (
        f"http://testserver/planning/{world.institution.pk}/"
    )


def test_staff_without_an_authenticator_can_still_read_their_feed(world: World) -> None:
    staff = member_make(institution=world.institution, role=Role.STAFF, mfa=False)
    client = world.client_for(staff)
    assert client.get(reverse("home")).status_code == 302  # sent to set up MFA
    assert read(make_link(staff), client).status_code == 200


def test_a_revoked_link_is_404(world: World) -> None:
    token = make_link(world.learner)
    assert read(token).status_code == 200
    assert services.calendar_feed_revoke(actor=world.learner.user, membership=world.learner)
    response = read(token)
    assert response.status_code == 404
    assert response["Cache-Control"] == "private, no-store"
    assert not CalendarFeed.objects.filter(membership=world.learner).exists()


def test_a_new_link_replaces_the_old_one(world: World) -> None:
    old = make_link(world.learner)
    new = make_link(world.learner)
    assert old != new
    assert read(old).status_code == 404
    assert read(new).status_code == 200
    assert CalendarFeed.objects.filter(membership=world.learner).count() == 1


@pytest.mark.parametrize("token", ["x" * 43, "short", "a" * 101, "has.dot-in-it-000000000000"])
def test_unknown_or_malformed_tokens_are_404(world: World, token: str) -> None:
    make_link(world.learner)
    assert Client().get(f"/calendar/feed/{token}.ics").status_code == 404


def test_a_former_member_or_deactivated_account_has_no_feed(world: World) -> None:
    learner_token, staff_token = make_link(world.learner), make_link(world.staff)
    Membership.objects.filter(pk=world.learner.pk).update(is_active=False)
    User.objects.filter(pk=world.staff.user_id).update(is_active=False)
    assert read(learner_token).status_code == 404
    assert read(staff_token).status_code == 404


def test_the_feed_is_read_only(world: World) -> None:
    token = make_link(world.learner)
    response = Client().post(feed_url(token))
    assert response.status_code == 405
    assert Client().head(feed_url(token)).status_code == 200


def test_a_runaway_client_is_slowed_down(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "FEED_READS_PER_HOUR", 2)
    token, other = make_link(world.learner), make_link(world.staff)
    assert [read(token).status_code for _ in range(3)] == [200, 200, 429]
    limited = read(token)
    assert 0 < int(limited["Retry-After"]) <= 3600
    assert read(other).status_code == 200  # counted per link


def test_a_failing_source_gives_503_not_a_partial_feed(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(user: User, membership: Membership) -> Iterable[CalendarEvent]:
        raise RuntimeError("database went away")

    token = make_link(world.learner)
    with only_feed_sources(institution_days, broken), caplog.at_level(logging.ERROR):
        response = read(token)
    assert response.status_code == 503
    assert response["Retry-After"] == "600"
    assert "A calendar feed source failed" in caplog.text
    assert token not in caplog.text


def test_reading_notes_the_time_at_most_hourly_in_one_cheap_query(
    world: World, django_assert_num_queries: Any
) -> None:
    token = make_link(world.learner)
    with django_assert_num_queries(2):  # find the link, note the read
        assert read(token).status_code == 200
    first = CalendarFeed.objects.get(membership=world.learner).last_read_at
    assert first is not None
    with django_assert_num_queries(1):  # read within the hour: no write
        assert read(token).status_code == 200
    assert CalendarFeed.objects.get(membership=world.learner).last_read_at == first
    CalendarFeed.objects.filter(membership=world.learner).update(
        last_read_at=first - datetime.timedelta(hours=2)
    )
    read(token)
    assert CalendarFeed.objects.get(membership=world.learner).last_read_at > first  # type: ignore[operator]


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.parametrize("logger_name", ["django.request", "django.server", "gunicorn.access"])
def test_tokens_never_reach_the_logs(world: World, logger_name: str) -> None:
    token = make_link(world.learner)
    services.calendar_feed_revoke(actor=world.learner.user, membership=world.learner)
    handler = Records()
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        if logger_name == "django.request":
            assert read(token).status_code == 404  # Django logs "Not Found: <path>"
            assert Client().post(feed_url(token)).status_code == 405
        else:  # how runserver and gunicorn write their request lines
            logger.info('"%s" %s %s', f"GET {feed_url(token)}?x=1 HTTP/1.1", "200", "512")
            logger.info("%(r)s", {"r": f"GET {feed_url(token)} HTTP/1.1"})
    finally:
        logger.removeHandler(handler)
    assert handler.records
    for record in handler.records:
        message = record.getMessage()
        assert token not in message
        assert "/calendar/feed/[redacted]" in message
        assert getattr(record, "request", None) is None


def test_registered_sources_all_reach_the_feed_once(world: World) -> None:
    def duplicate(user: User, membership: Membership) -> Iterable[CalendarEvent]:
        yield CalendarEvent(
            uid=f"open-day-{membership.institution_id}@test",  # same UID as institution_days
            start=datetime.date(2027, 1, 20),
            summary="A second copy",
        )

    with only_feed_sources():
        assert register_feed_source(institution_days) is institution_days
        register_feed_source(own_check_ins)
        register_feed_source(institution_days)  # again: no second copy
        register_feed_source(duplicate)
        assert feed_sources() == (institution_days, own_check_ins, duplicate)
        response = read(make_link(world.learner))
    assert summaries(response.content) == [
        f"Check-in of {world.learner.user.full_name}",
        "Open day at Riverside",
    ]
    assert feed_sources() == ()  # restored by only_feed_sources
