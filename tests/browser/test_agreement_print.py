"""The printable agreement on a phone, in Finnish: long words in the contributions table
break rather than widen the page (the deep demo crawl found it 24 px too wide at 375 px),
and axe finds nothing serious at 1280 and 320 px."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from guildhouse.core.models import Role
from guildhouse.partners import services
from tests.browser.test_smoke import (
    INSTITUTION,
    accessibility_problems,
    person_make,
    report,
    sign_in,
)
from tests.factories import institution_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_printable_agreement_fits_a_phone_in_finnish(
    live_server: LiveServer, page: Page, browser_errors: list[str]
) -> None:
    institution = institution_make(name=INSTITUTION, short_name="Riverside")
    coordinator, secret = person_make(institution=institution, role=Role.COORDINATOR)
    actor = coordinator.user
    organisation = services.organisation_create(
        actor=actor, institution=institution, name="Nordvolt Electrical Services", kind="business"
    )
    agreement = services.agreement_create(
        actor=actor,
        organisation=organisation,
        kind="cooperation",
        title="Yhteistyösopimus",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=730),
        our_responsibilities="Valmistelemme jokaisen opiskelijan työpaikkajaksoon.",
    )
    for side, description, value in [
        ("institution", "Työturvallisuuskoulutus kahdelle ohjaajalle", Decimal("2400.00")),
        ("partner", "Suojavarusteet ja työkalut opiskelijoille", Decimal("1800.00")),
    ]:
        services.contribution_add(
            actor=actor,
            agreement=agreement,
            side=side,
            kind="in_kind",
            description=description,
            value=value,
        )
    sign_in(page, live_server.url, actor.email, totp_secret=secret)
    page.get_by_label("Language").select_option("fi")
    expect(page.locator("html")).to_have_attribute("lang", "fi")

    page.goto(f"{live_server.url}/partners/agreements/{agreement.pk}/print/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Yhteistyösopimus")
    expect(page.get_by_text("Luontoissuoritus").first).to_be_visible()
    problems = accessibility_problems(page)  # axe at 1280 and 320 px, reflow at 320 px
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert problems == {}, report(problems)
    assert width == 375
    assert browser_errors == []
