"""Check-in campaigns, import and reminder pages in Chromium: axe-core clean at 1280 and
320 px with no reflow, and a partner contact answering through the link by keyboard."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from guildhouse.core.models import Role
from guildhouse.partners import services, services_campaigns
from guildhouse.partners.models import CampaignResponse, CampaignToken, ImportBatch
from tests.browser.test_smoke import (
    INSTITUTION,
    accessibility_problems,
    person_make,
    report,
    sign_in,
)
from tests.factories import institution_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TOKEN = "browser-test-token"


def test_campaign_import_and_answer_pages(
    live_server: LiveServer, page: Page, browser: Browser, browser_errors: list[str]
) -> None:
    institution = institution_make(name=INSTITUTION, short_name="Riverside")
    coordinator, secret = person_make(institution=institution, role=Role.COORDINATOR)
    actor = coordinator.user
    orgs = []
    for name, person, email in [
        ("Nordvolt Electrical Services", "Jonas Berg", "jonas@nordvolt.example"),
        ("Harbour Hotel", "Laura Fletcher", "laura@harbourhotel.example"),
    ]:
        org = services.organisation_create(
            actor=actor, institution=institution, name=name, kind="business"
        )
        services.contact_create(actor=actor, organisation=org, full_name=person, email=email)
        orgs.append(org)
    template = services_campaigns.TEMPLATES["shutdown"]
    campaign = services_campaigns.campaign_create(
        actor=actor,
        institution=institution,
        title=str(template.title),
        intro=str(template.intro),
        questions=[str(q) for q in template.questions],
        closes_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    draft = services_campaigns.campaign_create(
        actor=actor,
        institution=institution,
        title="Spring plans",
        intro="",
        questions=["How many learners next spring?"],
        closes_on=timezone.localdate() + datetime.timedelta(days=20),
    )
    recipients = services_campaigns.campaign_send(
        actor=actor, campaign=campaign, organisations=orgs
    )
    CampaignResponse.objects.create(
        recipient=recipients[1],
        respondent_name="Laura Fletcher",
        answers=["Room service only.", "Online booking.", "Hygiene training.", "Yes, two."],
    )
    CampaignToken.objects.create(
        recipient=recipients[0], token_hash=services_campaigns.token_hash(TOKEN)
    )
    batch = ImportBatch.objects.create(
        institution=institution,
        created_by=actor,
        filename="members.csv",
        content=b"",
        status="failed",
        report={
            "rows": 2,
            "error_count": 1,
            "errors": [{"row": 3, "column": "Type", "reason": "“x” is not one of the choices."}],
            "duplicates": [],
            "organisations": 1,
            "contacts": 0,
        },
    )
    sign_in(page, live_server.url, actor.email, totp_secret=secret)
    paths = [
        "/partners/campaigns/",
        "/partners/campaigns/new/?template=shutdown",
        f"/partners/campaigns/{campaign.pk}/",
        f"/partners/campaigns/{draft.pk}/",
        "/partners/import/",
        f"/partners/import/{batch.pk}/",
        "/partners/reminders/",
        f"/partners/organisations/{orgs[1].pk}/",
    ]
    problems = {}
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert (path, response and response.status) == (path, 200)
        if found := accessibility_problems(page):
            problems[path] = found
    assert problems == {}, report(problems)

    # The partner contact, without an account, answers by keyboard.
    answer = browser.new_context(locale="en", viewport={"width": 1280, "height": 900})
    partner = answer.new_page()
    link = f"{live_server.url}/partners/answer/{campaign.pk}/{TOKEN}/"
    partner.goto(link)
    assert accessibility_problems(partner) == {}
    partner.get_by_label("Your name").fill("Jonas Berg")
    partner.get_by_label("How has your workplace changed?").fill("Installations go on outdoors.")
    partner.get_by_label("Can you still host learners?").fill("Yes, one.")
    partner.get_by_role("button", name="Send the answers").press("Enter")
    expect(partner.get_by_role("heading", name="Thank you")).to_be_visible()
    assert accessibility_problems(partner) == {}
    partner.goto(f"{live_server.url}/partners/answer/{campaign.pk}/not-a-real-token/")
    expect(partner.get_by_role("heading", name="This answer link is not valid")).to_be_visible()
    assert accessibility_problems(partner) == {}
    answer.close()
    saved = CampaignResponse.objects.get(recipient=recipients[0])
    assert saved.answers == ["Installations go on outdoors.", "", "", "Yes, one."]
    assert browser_errors == []
