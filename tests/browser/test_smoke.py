"""Browser smoke tests: every role signs in through the real login page (staff through
the real TOTP step), lands on its own home page, and the pages pass axe-core with no
serious or critical violation at desktop (1280 px) and phone (320 px) widths."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe
from django.conf import LazySettings
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from guildhouse.core import services
from guildhouse.core.models import STAFF_ROLES, AuditEvent, Institution, Membership, Role
from tests.factories import (
    PASSWORD,
    institution_make,
    member_make,
    programme_make,
    totp_enrol,
    user_make,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 320)
BLOCKING_IMPACTS = {"serious", "critical"}
INSTITUTION = "Riverside Vocational College"
NAMES = {
    Role.ADMIN: "Aino Admin",
    Role.COORDINATOR: "Cai Coordinator",
    Role.STAFF: "Sami Staff",
    Role.SUPPORT: "Siiri Support",
    Role.LEARNER: "Leo Learner",
    Role.PARTNER: "Pia Partner",
    Role.STAKEHOLDER: "Santeri Stakeholder",
}

# Elements sticking out past the right edge of the viewport, other than those inside a
# scrolling container: a wide table may scroll on its own, the page may not.
OVERFLOWING_JS = """() => {
  const clipped = (e) => {
    for (let a = e.parentElement; a; a = a.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll("*")]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !clipped(e))
    .map((e) => `${e.outerHTML.slice(0, 80)} (right: ${e.getBoundingClientRect().right}px)`);
}"""


def axe_problems(page: Page) -> list[str]:
    """Serious and critical axe-core violations, one readable line per affected node."""
    results: Any = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(map(str, node['target']))}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
        for node in v["nodes"]
    ]


def reflow_problems(page: Page) -> list[str]:
    """Why the page scrolls sideways, or nothing if it does not (WCAG 1.4.10 Reflow)."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width <= width:
        return []
    return [f"scrollWidth {scroll_width} > {width}", *page.evaluate(OVERFLOWING_JS)]


def accessibility_problems(page: Page) -> dict[str, list[str]]:
    """axe-core at every width, and reflow at the narrowest; empty when all is well."""
    problems: dict[str, list[str]] = {}
    page.wait_for_load_state()  # axe on a page still being replaced finds no document
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        if found := axe_problems(page):
            problems[f"axe at {width}px"] = found
    if found := reflow_problems(page):
        problems["reflow at 320px"] = found
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    return problems


def report(problems: dict[str, Any]) -> str:
    """The whole finding list: pytest would otherwise truncate a long assertion diff."""
    return "\n" + json.dumps(problems, indent=2)


def totp_now(secret: str) -> str:
    """The code an authenticator app shows right now (RFC 6238: 30-second steps).

    Like a person who sees the code about to change, it waits for the next one when
    fewer than 5 seconds are left: on a busy machine the typing and the request could
    otherwise reach the server after the step has turned (a flaky sign-in on CI)."""
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.2)
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


def person_make(*, institution: Institution, role: Role) -> tuple[Membership, str | None]:
    """A member of ``institution``. Staff roles get an authenticator as production
    requires; its secret is returned so that the test can type a real code."""
    user = user_make(email=f"{role.value}@riverside.example", full_name=NAMES[role])
    secret = totp_enrol(user) if role in STAFF_ROLES else None
    programme = (
        programme_make(institution=institution, name="Electrical installation", code="EL")
        if role == Role.LEARNER
        else None
    )
    return member_make(institution=institution, role=role, user=user, programme=programme), secret


def sign_in(page: Page, base_url: str, email: str, *, totp_secret: str | None = None) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if totp_secret is not None:
        expect(page).to_have_url(f"{base_url}/accounts/2fa/authenticate/")
        page.get_by_label("Code").fill(totp_now(totp_secret))
        page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/")


def test_login_page(live_server: LiveServer, page: Page, browser_errors: list[str]) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Guildhouse")
    assert (found := accessibility_problems(page)) == {}, report(found)

    # The error state too: a wrong password must be announced, not only shown in red.
    page.get_by_label("Email").fill("nobody@riverside.example")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text(
        "The email address and/or password you specified are not correct."
    )
    assert (found := accessibility_problems(page)) == {}, report(found)
    assert browser_errors == []


def test_mfa_step(live_server: LiveServer, page: Page, browser_errors: list[str]) -> None:
    institution = institution_make(name=INSTITUTION, short_name="Riverside")
    admin, _ = person_make(institution=institution, role=Role.ADMIN)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(admin.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/authenticate/")
    expect(page.get_by_label("Code")).to_be_visible()
    assert (found := accessibility_problems(page)) == {}, report(found)
    assert browser_errors == []


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_role_signs_in_to_an_accessible_home(
    live_server: LiveServer, page: Page, browser_errors: list[str], role: Role
) -> None:
    institution = institution_make(name=INSTITUTION, short_name="Riverside")
    membership, secret = person_make(institution=institution, role=role)

    sign_in(page, live_server.url, membership.user.email, totp_secret=secret)

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {NAMES[role]}")
    expect(page.locator("main p.muted").first).to_have_text(f"{role.label} · {INSTITUTION}")
    expect(page.locator(".site-header .role-badge")).to_have_text(str(role.label))
    assert (found := accessibility_problems(page)) == {}, report(found)

    # Keyboard users: at phone width the first Tab lands on the skip link, which
    # then shows on screen.
    page.set_viewport_size({"width": 320, "height": 900})
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to main content")
    box = focused.bounding_box()
    assert box is not None
    assert min(box["x"], box["y"]) >= 0
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_id("main")
    assert browser_errors == []


def test_demo_banner(
    live_server: LiveServer, page: Page, browser_errors: list[str], settings: LazySettings
) -> None:
    """The demo lets staff in without an authenticator, and says so in a banner."""
    settings.DEMO_ALLOW_STAFF_WITHOUT_MFA = True
    institution = institution_make(name=INSTITUTION, short_name="Riverside")
    member_make(
        institution=institution,
        role=Role.COORDINATOR,
        mfa=False,
        user=user_make(email="demo@riverside.example", full_name="Dana Demo"),
    )

    sign_in(page, live_server.url, "demo@riverside.example")

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Dana Demo")
    expect(page.locator(".demo-banner")).to_have_text(
        "Demo mode: staff accounts may sign in without two-step verification. "
        "Never use demo mode with real data."
    )
    assert (found := accessibility_problems(page)) == {}, report(found)
    assert browser_errors == []


def test_admin_pages(live_server: LiveServer, page: Page, browser_errors: list[str]) -> None:
    """Beyond the home page: the admin's other pages, with their tables and forms."""
    institution = institution_make(name=INSTITUTION, short_name="Riverside")
    admin, secret = person_make(institution=institution, role=Role.ADMIN)
    learner, _ = person_make(institution=institution, role=Role.LEARNER)
    programme = learner.learner_profile.programme
    assert programme is not None
    services.programme_update(actor=admin.user, programme=programme, description="Wiring.")
    event = AuditEvent.objects.get(action="update")

    sign_in(page, live_server.url, admin.user.email, totp_secret=secret)

    paths = [
        "/programmes/",
        f"/programmes/{programme.pk}/",
        f"/programmes/{programme.pk}/edit/",
        "/programmes/new/",
        "/people/",
        f"/people/{learner.pk}/",
        f"/people/{learner.pk}/remove/",
        f"/people/{admin.pk}/",  # their own: the role change asks for confirmation
        "/invitations/",
        "/audit/",
        f"/audit/{event.pk}/",
        "/institution/",
        "/me/",
    ]
    problems: dict[str, dict[str, list[str]]] = {}
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert (path, response and response.status) == (path, 200)
        if found := accessibility_problems(page):
            problems[path] = found
    assert problems == {}, report(problems)
    assert browser_errors == []
