"""Learner voice in Chromium: the safeguarding notice appears while typing (JS), the
receipt code is shown once and opens the thread; every learner and coordinator page
is axe-clean at 1280 and 320 px."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from guildhouse.core.models import Role
from guildhouse.voice import selectors, services, services_staff
from guildhouse.voice.models import Consultation, Item
from tests.browser.test_smoke import (
    INSTITUTION,
    accessibility_problems,
    person_make,
    report,
    sign_in,
)
from tests.factories import institution_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_learner_writes_sees_the_notice_and_reads_with_the_receipt(
    live_server: LiveServer, page: Page, browser_errors: list[str]
) -> None:
    institution = institution_make(name=INSTITUTION, short_name="Riverside")
    learner, _ = person_make(institution=institution, role=Role.LEARNER)
    coordinator, _ = person_make(institution=institution, role=Role.COORDINATOR)
    sign_in(page, live_server.url, learner.user.email)
    problems = {}

    page.goto(f"{live_server.url}/voice/")
    expect(
        page.get_by_role("heading", name="Before you write: where anonymity ends")
    ).to_be_visible()
    notice = page.get_by_role("heading", name="Do you need help now?")
    expect(notice).to_be_hidden()
    problems["/voice/"] = accessibility_problems(page)
    page.get_by_label("What do you want to say?").fill("Someone in my group is being bullied")
    expect(notice).to_be_visible()  # at once, before anything is sent
    problems["/voice/ (notice)"] = accessibility_problems(page)
    page.get_by_label("Category").select_option(label="Wellbeing")
    page.get_by_label("I have read how to get support now").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Sent: keep your receipt code")).to_be_visible()
    expect(page.get_by_role("button", name="Copy the code")).to_be_visible()
    code = page.locator("#receipt-code").inner_text().strip()
    problems["receipt issued"] = accessibility_problems(page)
    assert Item.objects.get().text == "Someone in my group is being bullied"

    services.batch_release(institution=institution, force=True)
    services_staff.item_reply(
        actor=coordinator.user, item=Item.objects.get(), author=coordinator, text="We are on it."
    )
    page.goto(f"{live_server.url}/voice/receipt/")
    problems["/voice/receipt/"] = accessibility_problems(page)
    page.get_by_label("Receipt code").fill(code)
    page.get_by_role("button", name="Open the thread").click()
    expect(page.get_by_text("We are on it.")).to_be_visible()
    problems["thread"] = accessibility_problems(page)
    for path in ("/voice/items/", "/voice/support/"):
        page.goto(f"{live_server.url}{path}")
        problems[path] = accessibility_problems(page)
    assert {k: v for k, v in problems.items() if v} == {}, report(problems)
    assert browser_errors == []


def test_coordinator_pages_are_accessible(
    live_server: LiveServer, page: Page, browser_errors: list[str]
) -> None:
    institution = institution_make(name=INSTITUTION, short_name="Riverside")
    learner, _ = person_make(institution=institution, role=Role.LEARNER)
    coordinator, secret = person_make(institution=institution, role=Role.COORDINATOR)
    today = timezone.localdate()
    services.consultation_save(
        actor=coordinator,
        consultation=Consultation(
            question="Library hours?", opens_on=today, closes_on=today + datetime.timedelta(7)
        ),
        programmes=None,
        cohorts=[],
    )
    category = selectors.category_list(institution=institution).first()
    assert category is not None
    services.item_submit(membership=learner, text="The lift is broken.", category=category)
    services.batch_release(institution=institution, force=True)
    sign_in(page, live_server.url, coordinator.user.email, totp_secret=secret)
    problems = {}
    consultation = Consultation.objects.get()
    for path in (
        "/voice/inbox/",
        "/voice/moderation/",
        "/voice/settings/",
        "/voice/settings/categories/",
        f"/voice/settings/categories/{category.pk}/",
        "/voice/consultations/",
        "/voice/consultations/new/",
        f"/voice/consultations/{consultation.pk}/edit/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert (path, response and response.status) == (path, 200)
        if found := accessibility_problems(page):
            problems[path] = found
    assert problems == {}, report(problems)
    assert browser_errors == []
