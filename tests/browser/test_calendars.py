"""The calendar link in the browser: made from the profile page by keyboard-free
clicks, shown once on an accessible page (1280 and 320 px), then readable without
signing in."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from guildhouse.core.models import Role
from tests.browser.test_smoke import (
    INSTITUTION,
    accessibility_problems,
    person_make,
    report,
    sign_in,
)
from tests.factories import institution_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_makes_and_turns_off_a_calendar_link(
    live_server: LiveServer, page: Page, browser_errors: list[str]
) -> None:
    institution = institution_make(name=INSTITUTION, short_name="Riverside")
    learner, _ = person_make(institution=institution, role=Role.LEARNER)
    sign_in(page, live_server.url, learner.user.email)

    page.goto(f"{live_server.url}/me/")
    card = page.get_by_role("region", name="Your calendar link")
    expect(card).to_contain_text("You have no calendar link.")
    assert (found := accessibility_problems(page)) == {}, report(found)

    card.get_by_role("button", name="Make a calendar link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your calendar link")
    field = page.get_by_label("Calendar link")
    url = field.input_value()
    assert url.startswith(f"{live_server.url}/calendar/feed/")
    assert url.endswith(".ics")
    expect(page.get_by_role("link", name="Open in my calendar app")).to_have_attribute(
        "href", "webcal://" + url.split("://", 1)[1]
    )
    assert (found := accessibility_problems(page)) == {}, report(found)
    path = url.removeprefix(live_server.url)
    assert Client().get(path).status_code == 200

    page.goto(f"{live_server.url}/me/")
    expect(card).to_contain_text("Your calendar link is on.")
    assert (found := accessibility_problems(page)) == {}, report(found)
    card.get_by_role("button", name="Turn off the link").click()
    expect(page.get_by_role("region", name="Your calendar link")).to_contain_text(
        "You have no calendar link."
    )
    assert Client().get(path).status_code == 404
    assert browser_errors == []
