"""Layout under stress: long unbroken names never make a page wider than the window, and
on a phone the institution switcher shows the whole institution name and role."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from guildhouse.core import services
from guildhouse.core.models import Membership, Role, User
from tests.browser.test_smoke import accessibility_problems, report
from tests.conftest import sign_in
from tests.factories import institution_make, member_make, programme_make, user_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "Sähköasennus" * 16 + "X" * 8  # 200 characters, no break opportunity
WIDTHS = (1280, 375)

# Elements reaching past the window's right edge, outside any scrolling container.
OVERFLOWING_JS = """() => {
  const clipped = (e) => {
    for (let a = e.parentElement; a; a = a.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll("*")]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !clipped(e))
    .map((e) => `${e.outerHTML.slice(0, 60)} (right: ${e.getBoundingClientRect().right}px)`)
    .slice(0, 5);
}"""


def sign_in_as(page: Page, live_server: LiveServer, user: User) -> None:
    """Reuse a session made by Django's test client: the sign-in itself is tested elsewhere."""
    client = sign_in(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def too_wide(page: Page, url: str) -> dict[int, list[str]]:
    """For each width where the page scrolls sideways: its scrollWidth and the culprits."""
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > page.evaluate("window.innerWidth"):
            found[width] = [f"scrollWidth {scroll_width}", *page.evaluate(OVERFLOWING_JS)]
    return found


def test_long_unbroken_names_never_widen_a_page(live_server: LiveServer, page: Page) -> None:
    institution = institution_make(name="Riverside Vocational College", short_name="Riverside")
    admin = member_make(institution=institution, role=Role.ADMIN)
    programme = programme_make(institution=institution, name=LONG, code="LONG")
    learner = member_make(
        institution=institution,
        role=Role.LEARNER,
        programme=programme,
        user=user_make(email=f"{'x' * 60}@example.org", full_name=LONG),
    )
    invitation, _token = services.invitation_create(
        actor=admin.user,
        institution=institution,
        email=f"{'i' * 60}@example.org",
        full_name=LONG,
        role=Role.STAFF,
        accept_url_for=lambda token: f"{live_server.url}/invite/{token}/",
    )
    services.programme_update(actor=admin.user, programme=programme, description=LONG)
    event = institution.audit_events.order_by("-pk").first()
    assert event is not None
    sign_in_as(page, live_server, admin.user)

    urls = [
        reverse("home"),
        reverse("programme_list"),
        reverse("programme_detail", args=[programme.pk]),
        reverse("programme_edit", args=[programme.pk]),
        reverse("people_list"),
        reverse("person_detail", args=[learner.pk]),
        reverse("person_deactivate", args=[learner.pk]),
        reverse("invitation_list"),
        reverse("audit_list"),
        reverse("audit_detail", args=[event.pk]),
    ]
    problems = {url: found for url in urls if (found := too_wide(page, live_server.url + url))}
    assert problems == {}
    # The pages did show the long names (a 404 or an empty page would pass the check).
    page.goto(live_server.url + reverse("invitation_list"))
    assert LONG in page.inner_text("main")
    assert Membership.objects.get(pk=learner.pk).user.full_name == LONG
    assert invitation.full_name == LONG


def test_on_a_phone_the_switcher_shows_the_whole_institution_and_role(
    live_server: LiveServer, page: Page
) -> None:
    riverside = institution_make(name="Riverside Vocational College", short_name="Riverside")
    hilltop = institution_make(name="Hilltop Skills Centre", short_name="Hilltop")
    person = member_make(institution=riverside, role=Role.COORDINATOR)
    member_make(institution=hilltop, role=Role.STAFF, user=person.user)
    learner = member_make(institution=riverside, role=Role.LEARNER)
    sign_in_as(page, live_server, person.user)
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto(live_server.url + reverse("person_detail", args=[learner.pk]))

    current = page.locator(".institution-name")
    assert current.inner_text() == "Riverside Vocational College Coordinator"
    box = current.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375
    assert current.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # The switcher is still there, to change institution.
    assert page.get_by_label("Switch to").input_value() == str(riverside.pk)
    assert (found := accessibility_problems(page)) == {}, report(found)
