"""Acceptance (issue 9): the partnership roadmap walked end to end in Chromium by a
coordinator, axe-checked (0 serious or critical) at 1280 and 320 px on every page.

Set a goal, add a prospect (a near-duplicate is flagged first), log an interaction,
move it to proposal, offer a pilot, sign an agreement, place a learner (refused until
the documents are complete), then run a check-in campaign and answer it as the partner
through the emailed link, without an account.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, FilePayload, Page, expect
from pytest_django.live_server_helper import LiveServer

from guildhouse.core.models import Membership, Role
from guildhouse.jobs.worker import run_queued_jobs
from guildhouse.partners.models import Agreement, Organisation, Placement
from tests.browser.test_smoke import (
    INSTITUTION,
    accessibility_problems,
    person_make,
    report,
    sign_in,
)
from tests.factories import institution_make, member_make, programme_make
from tests.partners.make import organisation_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROSPECT = "Nordvolt Electrical Ltd"
ANSWER_LINK = re.compile(r"/partners/answer/\d+/[A-Za-z0-9_-]+/")


def _accessible(page: Page) -> None:
    assert (found := accessibility_problems(page)) == {}, report(found)


def _day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def _organisation_page(page: Page, base: str) -> None:
    org = Organisation.objects.get(name=PROSPECT)
    page.goto(f"{base}/partners/organisations/{org.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(PROSPECT)


GOAL = "Four signed agreements in force this year"
QUESTIONS = ("How has your workplace changed?", "Can you still host learners?")


def _set_goal(page: Page, base: str) -> None:
    page.goto(f"{base}/partners/goals/")
    page.get_by_role("link", name="Set a goal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set a goal")
    _accessible(page)
    page.get_by_label("Goal", exact=True).fill(GOAL)
    page.get_by_label("Measured by").select_option(label="Number of signed agreements in force")
    page.get_by_label("Target").fill("4")
    page.get_by_label("Period starts").fill(_day(-30))
    page.get_by_label("Period ends").fill(_day(335))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Goals")
    expect(page.get_by_text(GOAL).first).to_be_visible()
    expect(page.locator("p.goal-measure").first).to_contain_text("0 / 4")
    _accessible(page)


def _goal_progress(page: Page, base: str) -> None:
    """The signed agreement counts towards the goal on the coordinator's home."""
    page.goto(f"{base}/")
    panel = page.get_by_role("region", name="Partnership goals")
    expect(panel).to_contain_text(GOAL)
    expect(panel.locator("p.goal-measure")).to_contain_text("1 / 4")
    _accessible(page)


def _run_campaign(page: Page, partner_page: Page, base: str) -> None:
    """A check-in campaign to the open partners; Jonas answers through his emailed link
    in a browser that has never signed in; the answer is on the campaign's page."""
    page.goto(f"{base}/partners/campaigns/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("New campaign")
    _accessible(page)
    page.get_by_label("Title").fill("Spring check-in")
    page.get_by_label("Message to partners").fill("Two short questions, as every spring.")
    page.get_by_label("Questions").fill("\n".join(QUESTIONS))
    page.get_by_label("Answers accepted until").fill(_day(14))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring check-in")
    _accessible(page)
    page.get_by_role("button", name=re.compile(r"^Send to \d+ partners?$")).click()
    expect(page.get_by_text(re.compile(r"^Sent to \d+ partners"))).to_be_visible()
    run_queued_jobs()
    links = []
    for message in mail.outbox:
        found = ANSWER_LINK.search(str(message.body))
        if found and "jonas@nordvolt-solar.example" in message.to:
            links.append(found.group(0))
    assert len(links) == 1, [message.to for message in mail.outbox]
    partner_page.goto(base + links[0])
    expect(partner_page.get_by_role("heading", level=1)).to_have_text("Spring check-in")
    _accessible(partner_page)
    partner_page.get_by_label("Your name").fill("Jonas Berg")
    partner_page.get_by_label(QUESTIONS[0]).fill("We build more heat pumps than solar now.")
    partner_page.get_by_label(QUESTIONS[1]).fill("Yes, two learners in May.")
    partner_page.get_by_role("button", name="Send the answers").click()
    expect(partner_page.get_by_role("heading", level=1)).not_to_have_text("Spring check-in")
    _accessible(partner_page)
    page.reload()
    answers = page.get_by_role("table", name=re.compile("Answers, one row per partner"))
    expect(answers).to_contain_text("We build more heat pumps than solar now.")
    expect(answers).to_contain_text(PROSPECT)
    _accessible(page)


def _add_prospect(page: Page, base: str) -> None:
    """A near-duplicate of a known company is flagged; the coordinator adds it anyway."""
    page.goto(f"{base}/partners/organisations/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an organisation")
    _accessible(page)
    page.get_by_label("Name", exact=True).fill(PROSPECT)
    page.get_by_label("Type", exact=True).select_option(label="Business")
    page.get_by_label("Website").fill("https://nordvolt-solar.example")
    page.get_by_label("Contact's full name").fill("Jonas Berg")
    page.get_by_label("Contact's email address").fill("jonas@nordvolt-solar.example")
    page.get_by_role("button", name="Save").click()
    warning = page.get_by_role("alert").filter(has_text="This may already be in Guildhouse")
    expect(warning).to_contain_text("Nordvolt Electrical Oy")
    _accessible(page)
    assert not Organisation.objects.filter(name=PROSPECT).exists()
    page.get_by_role("button", name="It is a different organisation: add it anyway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROSPECT)
    expect(page.get_by_text(f"{PROSPECT} added to the pipeline.")).to_be_visible()
    org = Organisation.objects.get(name=PROSPECT)
    assert org.stage.name == "Prospect"
    _accessible(page)


def _log_interaction(page: Page, base: str) -> None:
    _organisation_page(page, base)
    page.get_by_role("link", name="Log an interaction").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Log an interaction with {PROSPECT}")
    _accessible(page)
    page.get_by_label("Type", exact=True).select_option(label="Phone call")
    page.get_by_label("Summary").fill("Called Jonas about solar placements; he is keen.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Interaction logged.")).to_be_visible()
    expect(page.get_by_text("Called Jonas about solar placements; he is keen.")).to_be_visible()
    assert Organisation.objects.get(name=PROSPECT).last_contact_on == timezone.localdate()


def _move_to_proposal(page: Page, base: str) -> None:
    _organisation_page(page, base)
    page.get_by_label(f"Stage of {PROSPECT}").select_option(label="Proposal")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_text(f"{PROSPECT} moved to Proposal.")).to_be_visible()
    assert Organisation.objects.get(name=PROSPECT).stage.name == "Proposal"
    _accessible(page)


def _pilot_opportunity(page: Page, base: str) -> str:
    """A pilot with two places that needs an insurance certificate; returns its URL."""
    _organisation_page(page, base)
    page.get_by_role("link", name="Add an opportunity").click()
    page.wait_for_url(re.compile(r"/opportunities/new/$"))
    _accessible(page)
    page.get_by_label("Type", exact=True).select_option(label="Pilot")
    page.get_by_label("Title").fill("Pilot: solar installation assistants")
    page.get_by_label("Starts").fill(_day(14))
    page.get_by_label("Ends").fill(_day(70))
    page.get_by_label("Insurance certificate").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pilot: solar installation assistants"
    )
    page.get_by_text("Add a period").click()
    period = page.locator("form", has=page.get_by_label("Places"))
    period.get_by_label("Starts").fill(_day(14))
    period.get_by_label("Ends").fill(_day(70))
    period.get_by_label("Places").fill("2")
    period.get_by_role("button", name="Add").click()
    expect(page.get_by_role("table", name="Periods and their places")).to_contain_text("2")
    _accessible(page)
    return page.url


def _sign_agreement(page: Page, base: str) -> None:
    _organisation_page(page, base)
    page.get_by_role("link", name="Draft an agreement").click()
    page.wait_for_url(re.compile(r"/agreements/new/$"))
    _accessible(page)
    page.get_by_label("Type", exact=True).select_option(label="Cooperation agreement")
    page.get_by_label("Title").fill("Cooperation agreement with Nordvolt")
    page.get_by_label("Starts").fill(_day(0))
    page.get_by_label("Ends").fill(_day(729))
    page.get_by_label("Our responsibilities").fill("Prepare each learner; visit monthly.")
    page.get_by_label("Their responsibilities").fill("Name a supervisor; run the induction.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cooperation agreement with Nordvolt")
    _accessible(page)
    page.get_by_label("Signed on").fill(_day(0))
    page.get_by_label("Signed copy").set_input_files(
        FilePayload(name="agreement.pdf", mimeType="application/pdf", buffer=_PDF)
    )
    page.get_by_role("button", name="Mark as signed").click()
    expect(page.get_by_role("link", name=re.compile(r"Download the signed copy"))).to_be_visible()
    assert Agreement.objects.get(title="Cooperation agreement with Nordvolt").status == "signed"
    _accessible(page)


def _place_learner(page: Page, opportunity_url: str, learner: Membership) -> None:
    """Confirmation is refused, with the reason, until the insurance is on file."""
    page.goto(opportunity_url)
    page.get_by_role("link", name=re.compile(r"^Propose a learner")).click()
    page.wait_for_url(re.compile(r"/placements/new/$"))
    _accessible(page)
    # Typed, as a coordinator of a large programme would: the suggestion is taken.
    box = page.get_by_label("Learner")
    box.press_sequentially(learner.user.full_name[:4], delay=30)
    suggestion = page.locator("#id_learner-suggestions option").first
    expect(suggestion).to_have_attribute(
        "value", f"{learner.user.full_name} · Learner · {learner.user.email}"
    )
    box.fill(suggestion.get_attribute("value") or "")
    page.get_by_label("Planned hours").fill("160")
    page.get_by_label("Workplace supervisor").fill("Jonas Berg")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_text("This placement cannot be confirmed yet:")).to_be_visible()
    _accessible(page)
    page.get_by_role("button", name="Confirm placement").click()
    expect(page.get_by_text(re.compile(r"^Not confirmed: "))).to_contain_text(
        "Insurance certificate: not on file."
    )
    placement = Placement.objects.get(learner=learner)
    assert placement.status == "proposed"
    page.get_by_text("Record a document").click()
    document = page.locator("form", has=page.get_by_label("Reference"))
    document.get_by_label("Document").select_option(label="Insurance certificate")
    document.get_by_label("Reference").fill("North Coast Mutual 44-1187")
    document.get_by_label("Valid from").fill(_day(0))
    document.get_by_label("Valid until").fill(_day(400))
    document.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Every document needed is on file")).to_be_visible()
    page.get_by_role("button", name="Confirm placement").click()
    expect(page.locator("dl.facts")).to_contain_text("Confirmed")
    placement.refresh_from_db()
    assert placement.status == "confirmed"
    _accessible(page)


def test_a_coordinator_walks_the_partnership_roadmap(
    live_server: LiveServer, browser: Browser, page: Page, browser_errors: list[str]
) -> None:
    institution = institution_make(name=INSTITUTION, short_name="Riverside")
    coordinator, secret = person_make(institution=institution, role=Role.COORDINATOR)
    programme = programme_make(institution=institution, name="Electrical installation", code="EL")
    learner = member_make(institution=institution, role=Role.LEARNER, programme=programme)
    organisation_make(
        institution=institution,
        actor=coordinator,
        name="Nordvolt Electrical Oy",
        website="https://www.nordvolt.example",
    )
    base = live_server.url
    # A long walk on a shared CI machine: more patience than the harness's 10 s.
    page.set_default_timeout(60_000)
    expect.set_options(timeout=30_000)
    sign_in(page, base, coordinator.user.email, totp_secret=secret)

    _set_goal(page, base)
    _add_prospect(page, base)
    _log_interaction(page, base)
    _move_to_proposal(page, base)
    opportunity_url = _pilot_opportunity(page, base)
    _sign_agreement(page, base)
    _place_learner(page, opportunity_url, learner)
    _goal_progress(page, base)
    partner = browser.new_context(locale="en", viewport={"width": 1280, "height": 900})
    partner.set_default_timeout(60_000)
    try:
        _run_campaign(page, partner.new_page(), base)
    finally:
        partner.close()
    assert browser_errors == []


# A one-page PDF: the signed copy's type is judged by its first bytes.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
