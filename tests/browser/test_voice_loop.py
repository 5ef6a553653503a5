"""Learner voice end to end in Chromium: a learner speaks up anonymously, another
supports it, the coordinator triages it after the batch release, management allocates
resources to an action, the answer shows on "You said, we did", and the first learner
reads the reply with the receipt code. Every page: axe 0 serious/critical at 1280 and
320 px, no sideways scrolling."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from guildhouse.core.models import Role
from guildhouse.voice.models import Item, ResourceAllocation, Status
from guildhouse.voice.tasks import voice_release_batches
from tests.browser.conftest import CHROMIUM
from tests.browser.test_smoke import INSTITUTION, accessibility_problems, report, sign_in
from tests.factories import institution_make, member_make, programme_make, totp_enrol, user_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "The welding workshop fans have been broken for two weeks."


def _page(browser: Browser) -> Page:
    context = browser.new_context(locale="en", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    return context.new_page()


def test_learner_voice_closes_the_loop(
    live_server: LiveServer, browser: Browser, page: Page, browser_errors: list[str]
) -> None:
    assert CHROMIUM.exists()
    institution = institution_make(name=INSTITUTION, short_name="Riverside")
    programme = programme_make(institution=institution, name="Electrical installation", code="EL")
    people = {}
    secrets = {}
    for role, name in (
        (Role.LEARNER, "Leo Learner"),
        (Role.COORDINATOR, "Cai Coordinator"),
        (Role.ADMIN, "Aino Admin"),
        (Role.STAFF, "Sami Staff"),
    ):
        user = user_make(email=f"{role.value}@riverside.example", full_name=name)
        secrets[role] = totp_enrol(user) if role != Role.LEARNER else None
        people[role] = member_make(
            institution=institution,
            role=role,
            user=user,
            programme=programme if role == Role.LEARNER else None,
        )
    second = member_make(institution=institution, role=Role.LEARNER, programme=programme)
    base = live_server.url
    problems: dict[str, object] = {}

    def check(name: str, on: Page) -> None:
        if found := accessibility_problems(on):
            problems[name] = found

    # 1. A learner speaks up anonymously: the notice first, then a receipt code.
    sign_in(page, base, people[Role.LEARNER].user.email)
    page.goto(f"{base}/voice/")
    expect(
        page.get_by_role("heading", name="Before you write: where anonymity ends")
    ).to_be_visible()
    check("speak up", page)
    page.get_by_label("What do you want to say?", exact=True).fill(TEXT)
    page.get_by_label("Category", exact=True).select_option(label="Facilities")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sent: keep your receipt code")
    code = page.locator("#receipt-code").inner_text().strip()
    assert len(code) >= 16
    check("receipt issued", page)
    item = Item.objects.get(text=TEXT)
    assert item.batch_id is None  # waits for the next batch

    # 2. The release job runs (the daily rule releases from 06:00): the item reaches staff.
    voice_release_batches.call(
        period_start=timezone.localtime().replace(hour=7, minute=0, second=0, microsecond=0)
    )
    item.refresh_from_db()
    assert item.batch_id is not None

    # 3. Another learner says "me too".
    other = _page(browser)
    sign_in(other, base, second.user.email)
    other.goto(f"{base}/voice/items/")
    card = other.locator("li.card", has_text=TEXT)
    card.get_by_role("button", name="Me too").click()
    expect(other.locator("li.card", has_text=TEXT)).to_contain_text("1 learner says “me too”")
    check("item list", other)
    other.context.close()

    # 4. The coordinator triages it, replies and publishes the answer.
    coordinator = _page(browser)
    sign_in(
        coordinator, base, "coordinator@riverside.example", totp_secret=secrets[Role.COORDINATOR]
    )
    coordinator.goto(f"{base}/voice/inbox/")
    check("inbox", coordinator)
    coordinator.get_by_role("link", name=TEXT).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Item about Facilities")
    check("triage", coordinator)
    coordinator.get_by_label("Status", exact=True).select_option(label="Under review")
    coordinator.get_by_label(re.compile(r"^Owner")).select_option(label="Sami Staff")
    coordinator.get_by_role("button", name="Save triage").click()
    expect(coordinator.locator(".messages")).to_contain_text("Triage saved.")
    coordinator.get_by_label("Reply to the author", exact=True).fill(
        "Thank you. The fans will be repaired."
    )
    coordinator.get_by_role("button", name="Send reply").click()
    expect(coordinator.locator(".messages")).to_contain_text("Reply sent.")
    coordinator.get_by_role("link", name="Plan an action for this item").click()
    coordinator.get_by_label("Title", exact=True).fill("Repair the workshop fans")
    coordinator.get_by_label(re.compile(r"^Owner")).select_option(label="Sami Staff")
    check("action form", coordinator)
    coordinator.get_by_role("button", name="Save").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Repair the workshop fans")
    action_url = coordinator.url
    coordinator.goto(f"{base}/voice/staff/items/{item.pk}/")
    coordinator.get_by_role("textbox", name="You said", exact=True).fill(
        "The workshop fans were broken."
    )
    coordinator.get_by_role("textbox", name="We did", exact=True).fill(
        "The fans were repaired and get a yearly service."
    )
    coordinator.get_by_role("button", name="Publish on the board").click()
    expect(coordinator.locator(".messages")).to_contain_text("Published on")
    coordinator.context.close()
    item.refresh_from_db()
    assert (item.status, item.owner_id) == (Status.ACTION_PLANNED, people[Role.STAFF].pk)

    # 5. Management allocates resources to the action.
    admin = _page(browser)
    sign_in(admin, base, "admin@riverside.example", totp_secret=secrets[Role.ADMIN])
    admin.goto(action_url)
    admin.get_by_label("Resource", exact=True).select_option(label="Money (EUR)")
    admin.get_by_label("Amount", exact=True).fill("6800")
    admin.get_by_label(re.compile(r"^Note")).fill("Facilities budget")
    admin.get_by_role("button", name="Allocate").click()
    expect(admin.locator(".messages")).to_contain_text("Resources allocated.")
    expect(admin.locator("dd").filter(has_text="6800.00")).to_have_count(1)
    check("action", admin)
    admin.context.close()
    assert ResourceAllocation.objects.get().amount == Decimal("6800.00")

    # 6. The answer is on the board, and the first learner reads the reply by code.
    page.goto(f"{base}/voice/you-said-we-did/")
    expect(page.get_by_text("The fans were repaired and get a yearly service.")).to_be_visible()
    check("board", page)
    page.goto(f"{base}/voice/receipt/")
    page.get_by_label("Receipt code", exact=True).fill(code)
    page.get_by_role("button", name="Open the thread").click()
    expect(page.get_by_text("Thank you. The fans will be repaired.")).to_be_visible()
    check("receipt thread", page)

    assert problems == {}, report(problems)
    assert browser_errors == []


def test_staff_pages_are_accessible(
    live_server: LiveServer, page: Page, browser_errors: list[str]
) -> None:
    """Every other staff page with content on it: axe-clean at 1280 and 320 px."""
    from tests.voice.make_staff import released_item

    institution = institution_make(name=INSTITUTION, short_name="Riverside")
    user = user_make(email="coordinator@riverside.example", full_name="Cai Coordinator")
    secret = totp_enrol(user)
    coordinator = member_make(institution=institution, role=Role.COORDINATOR, user=user)
    item = released_item(institution, released_days_ago=30)
    base = live_server.url
    sign_in(page, base, user.email, totp_secret=secret)
    # Content through the pages themselves: an assembly, a stakeholder, a responsibility.
    page.goto(f"{base}/voice/assemblies/new/")
    page.get_by_label("Title", exact=True).fill("Spring learner assembly")
    page.get_by_label("Starts at", exact=True).fill("2026-03-10T14:00")
    page.get_by_label("Ends at", exact=True).fill("2026-03-10T15:00")
    page.get_by_label(re.compile(r"^Minutes")).fill("Learners asked for quieter lunches.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring learner assembly")
    page.goto(f"{base}/voice/stakeholders/")
    page.get_by_label("Name", exact=True).fill("Parents' Association")
    page.get_by_label("Kind", exact=True).select_option(label="Family organisation")
    page.get_by_role("button", name="Add to the register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parents' Association")
    from guildhouse.voice.services_reports import report_build, reporting_year

    report_build(institution=institution, year=reporting_year(timezone.localdate()))
    problems = {}
    for path in (
        "/voice/staff/overdue/",
        "/voice/assemblies/",
        "/voice/assemblies/new/",
        "/voice/people/",
        "/voice/people/training/new/",
        "/voice/stakeholders/",
        "/voice/reports/",
        "/voice/actions/",
        f"/voice/staff/items/{item.pk}/",
        "/",
    ):
        response = page.goto(f"{base}{path}")
        assert (path, response and response.status) == (path, 200)
        if found := accessibility_problems(page):
            problems[path] = found
    assert coordinator.pk
    assert problems == {}, report(problems)
    assert browser_errors == []
