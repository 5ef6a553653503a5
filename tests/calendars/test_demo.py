"""Calendar demo data: every printed demo login has a working, empty calendar feed."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from icalendar import Calendar

from guildhouse.calendars import demo
from guildhouse.calendars.models import CalendarFeed
from guildhouse.core import demo as core_demo

TODAY = datetime.date(2026, 11, 29)


@pytest.mark.django_db
def test_demo_people_have_calendar_links_once() -> None:
    core_demo.load_demo(today=TODAY)
    demo.load_demo(today=TODAY)
    demo.load_demo(today=TODAY)  # a second run adds nothing and keeps the links

    expected = sum(len(login.memberships) for login in core_demo.DEMO_LOGINS)
    assert CalendarFeed.objects.count() == expected
    for login in core_demo.DEMO_LOGINS:
        for short_name, _role in login.memberships:
            response = Client().get(demo.demo_feed_path(login.email, short_name))
            assert response.status_code == 200, login.email
            calendar = dict(Calendar.from_ical(response.content).items())
            assert str(calendar["X-WR-CALNAME"]) == f"Guildhouse · {short_name}"
