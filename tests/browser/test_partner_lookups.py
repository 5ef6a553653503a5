"""Lookup fields in Chromium: typing part of a name fills the box's suggestions through
htmx, a suggestion is accepted as offered, and the pages (story list, attendee form,
a placement request whose employer has no account) are axe-clean at 1280 and 320 px."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from guildhouse.core.models import Role
from guildhouse.partners import services, services_events, services_public
from guildhouse.partners.models import EventAttendee, PlacementRequest, SuccessStory
from tests.browser.test_smoke import (
    INSTITUTION,
    accessibility_problems,
    person_make,
    report,
    sign_in,
)
from tests.factories import institution_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lookups_suggest_while_typing_and_staff_record_an_answer(
    live_server: LiveServer, page: Page, browser_errors: list[str]
) -> None:
    institution = institution_make(name=INSTITUTION, short_name="Riverside")
    coordinator, secret = person_make(institution=institution, role=Role.COORDINATOR)
    learner, _ = person_make(institution=institution, role=Role.LEARNER)
    actor = coordinator.user
    hotel = services.organisation_create(
        actor=actor, institution=institution, name="Harbour Hotel", kind="business"
    )
    services.organisation_create(
        actor=actor, institution=institution, name="Harbour Bakery", kind="business"
    )
    services.contact_create(
        actor=actor, organisation=hotel, full_name="Laura Fletcher", email="laura@hotel.example"
    )
    today = timezone.localdate()
    opportunity = services.opportunity_create(
        actor=actor,
        organisation=hotel,
        kind="work_placement",
        title="Reception trainee",
        starts_on=today,
    )
    request = services_public.request_send(
        actor=actor,
        opportunity=opportunity,
        places=2,
        starts_on=today + datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=60),
        answer_by=today + datetime.timedelta(days=10),
    )
    event = services_events.event_save(
        actor=actor,
        institution=institution,
        event=None,
        kind="open_house",
        title="Open house",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        ends_at=timezone.now() + datetime.timedelta(days=7, hours=2),
    )
    sign_in(page, live_server.url, actor.email, totp_secret=secret)

    # A success story about the hotel: type part of its name, take the suggestion.
    page.goto(f"{live_server.url}/partners/stories/")
    box = page.get_by_label("Partner")
    box.press_sequentially("harb", delay=30)
    options = page.locator("#id_organisation-suggestions option")
    expect(options).to_have_count(2)
    assert options.evaluate_all("os => os.map(o => o.value)") == [
        "Harbour Bakery",
        "Harbour Hotel",
    ]
    box.fill("Harbour Hotel")
    page.get_by_label("Title").fill("From trainee to receptionist")
    page.get_by_role("textbox", name="Story", exact=True).fill(
        "Aino stayed on after her placement."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Story saved. Publish it when it is ready.")).to_be_visible()
    assert SuccessStory.objects.get().organisation == hotel

    # A partner of the event, typed the same way.
    page.goto(f"{live_server.url}/partners/events/{event.pk}/")
    partners = page.get_by_role("region", name="Partner organisations")
    expect(partners).to_contain_text("No partner organisation named yet.")
    partners.get_by_label("Partner organisation").press_sequentially("harb", delay=30)
    expect(page.locator("#id_partner-organisation-suggestions option")).to_have_count(2)
    partners.get_by_label("Partner organisation").fill("Harbour Hotel")
    partners.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Harbour Hotel added.")).to_be_visible()
    expect(partners.get_by_role("button", name="Remove Harbour Hotel")).to_be_visible()
    assert list(event.organisations.all()) == [hotel]

    # An attendee by part of their name, as the suggestion offers it.
    person = page.get_by_label("Staff member or learner")
    person.press_sequentially(learner.user.full_name[:5], delay=30)
    suggestion = page.locator("#id_attendee-membership-suggestions option").first
    expect(suggestion).to_have_attribute(
        "value", f"{learner.user.full_name} · Learner · {learner.user.email}"
    )
    person.fill(suggestion.get_attribute("value") or "")
    page.get_by_role("region", name="Attendees").get_by_role("button", name="Add").click()
    expect(page.get_by_text("Attendee added.")).to_be_visible()
    assert EventAttendee.objects.get(event=event).membership == learner

    problems = {}
    for path in ("/partners/stories/", f"/partners/events/{event.pk}/"):
        page.goto(f"{live_server.url}{path}")
        if found := accessibility_problems(page):
            problems[path] = found

    # The hotel's contact has no account: the coordinator records the phone answer.
    page.goto(f"{live_server.url}/partners/requests/{request.pk}/")
    expect(page.get_by_text("no account: not notified, reach them yourself")).to_be_visible()
    if found := accessibility_problems(page):
        problems["request"] = found
    page.get_by_label("They can offer places").check()
    page.get_by_label("Places they offer").fill("1")
    page.get_by_role("button", name="Record the answer").click()
    expect(page.get_by_text("Their answer is recorded.")).to_be_visible()
    assert PlacementRequest.objects.get().places_offered == 1
    assert problems == {}, report(problems)
    assert browser_errors == []
