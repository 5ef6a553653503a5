"""A mentoring programme from start to key figures, in a real browser.

A coordinator creates a programme and opens recruitment; a mentor and a mentee apply;
the coordinator accepts both; the mentor completes the training; the coordinator runs
the matching (the job runner runs it) and publishes; the mentee sees why they were
matched; both accept; the pair plans a meeting and logs it; the mentee rates it (a
survey); the KPI page shows the meeting. Every page passes axe-core (no serious or
critical violation) at 1280 and 320 px and does not scroll sideways.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from guildhouse.core.models import LearnerProfile, Membership, Role, User
from guildhouse.jobs.worker import run_queued_jobs
from guildhouse.mentoring.models import Meeting, MentoringProgramme, Relationship
from guildhouse.mentoring.training import MODULES
from tests.browser.test_smoke import accessibility_problems, report
from tests.conftest import sign_in
from tests.factories import institution_make, member_make, programme_make, user_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def session_page(browser: Browser, live_server: LiveServer, user: User) -> Page:
    """A browser context signed in as ``user`` (the sign-in itself is tested elsewhere)."""
    context = browser.new_context(locale="en", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    client = sign_in(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.errors = errors  # type: ignore[attr-defined]
    return page


def checked(page: Page, seen: list[str]) -> None:
    """axe-core and reflow on the page now shown; nothing may fail to load."""
    assert (found := accessibility_problems(page)) == {}, report(found) + page.url
    assert page.errors == [], page.errors  # type: ignore[attr-defined]
    seen.append(page.url)


def apply(page: Page, base: str, programme: MentoringProgramme, side: str, seen: list[str]) -> None:
    page.goto(f"{base}/mentoring/programmes/{programme.pk}/apply/{side}/")
    checked(page, seen)
    for value in ("trade_skills", "career", "wellbeing"):
        page.locator(f'input[name="q_interests"][value="{value}"]').check()
    page.locator('input[name="q_style"][value="direct"]').check()
    page.locator('input[name="q_experience"][value="2"]').check()
    for slot in ("4", "10"):  # Tuesday and Friday afternoons
        page.locator(f'input[name="q_availability"][value="{slot}"]').check()
    for language in ("fi", "en"):
        page.locator(f'input[name="q_languages"][value="{language}"]').check()
    if side == "mentee":
        page.locator('[name="q_career_goal"]').fill("I want to install solar panels.")
    page.get_by_role("button", name="Send application").click()
    expect(page.locator(".message").first).to_be_visible()


def test_programme_from_creation_to_key_figures(browser: Browser, live_server: LiveServer) -> None:
    base = live_server.url
    institution = institution_make(name="Riverside Vocational College", short_name="Riverside")
    study = programme_make(institution=institution, name="Electrical installation", code="EL")
    coordinator = member_make(
        institution=institution,
        role=Role.COORDINATOR,
        user=user_make(email="cai@riverside.example", full_name="Cai Coordinator", mfa=True),
    )
    mentor = member_make(
        institution=institution,
        role=Role.LEARNER,
        user=user_make(email="sam@riverside.example", full_name="Sam Senior"),
        programme=study,
    )
    LearnerProfile.objects.filter(membership=mentor).update(year_of_study=3)
    mentee = member_make(
        institution=institution,
        role=Role.LEARNER,
        user=user_make(email="nea@riverside.example", full_name="Nea Newcomer"),
        programme=study,
    )
    seen: list[str] = []

    # 1. The coordinator creates the programme and opens recruitment.
    cai = session_page(browser, live_server, coordinator.user)
    cai.goto(f"{base}/mentoring/programmes/new/")
    expect(cai.locator("h1")).to_have_text("Create a mentoring programme")
    checked(cai, seen)
    today = timezone.localdate()
    cai.locator('[name="name"]').fill("Buddies 2026")
    cai.locator('[name="goals"]').fill("Every first-year learner has a senior learner to turn to.")
    cai.locator('[name="cohort_start"]').fill(today.isoformat())
    cai.locator('[name="cohort_end"]').fill((today + datetime.timedelta(days=200)).isoformat())
    cai.get_by_role("button", name="Save").click()
    expect(cai.locator("#programme-state")).to_have_text("Draft")
    checked(cai, seen)
    programme = MentoringProgramme.objects.get(name="Buddies 2026")
    cai.get_by_role("button", name="Make it: Recruiting").click()
    expect(cai.locator("#programme-state")).to_have_text("Recruiting")

    # 2. A mentor and a mentee apply; the mentor completes the training.
    sam = session_page(browser, live_server, mentor.user)
    apply(sam, base, programme, "mentor", seen)
    nea = session_page(browser, live_server, mentee.user)
    apply(nea, base, programme, "mentee", seen)
    for number, module in enumerate(MODULES):
        sam.goto(f"{base}/mentoring/training/{module.key}/")
        if number == 0:
            checked(sam, seen)
        for n, question in enumerate(module.check):
            sam.locator(f'input[name="q{n}"][value="{question.correct}"]').check()
        sam.get_by_role("button", name="Check my answers").click()
    sam.goto(f"{base}/mentoring/training/")
    checked(sam, seen)

    # 3. The coordinator accepts both, runs the matching and publishes.
    for membership in (mentor, mentee):
        application = programme.applications.get(membership=membership)
        cai.goto(f"{base}/mentoring/applications/{application.pk}/")
        if membership == mentor:
            checked(cai, seen)
        cai.locator('input[name="decision"][value="accepted"]').check()
        cai.get_by_role("button", name="Save the decision").click()
    cai.goto(f"{base}/mentoring/programmes/{programme.pk}/")
    cai.get_by_role("button", name="Make it: Matching").click()
    expect(cai.locator("#programme-state")).to_have_text("Matching")
    cai.goto(f"{base}/mentoring/programmes/{programme.pk}/matching/")
    checked(cai, seen)
    cai.get_by_role("button", name="Run the matching").click()
    ran, deadline = 0, time.monotonic() + 20
    while not ran and time.monotonic() < deadline:  # the job is queued once the POST commits
        ran = run_queued_jobs()
        time.sleep(0.2)
    assert ran == 1
    cai.goto(f"{base}/mentoring/programmes/{programme.pk}/matching/")
    expect(cai.locator("#run-status")).to_have_text("Done")
    checked(cai, seen)
    cai.get_by_role("button", name="Publish these pairs").click()
    pair = Relationship.objects.get(programme=programme)
    assert (pair.mentor.membership_id, pair.mentee.membership_id) == (mentor.pk, mentee.pk)

    # 4. The mentee sees why; both accept the match and the agreement.
    nea.goto(f"{base}/mentoring/pairs/{pair.pk}/")
    expect(nea.locator("h1")).to_have_text("Your mentor: Sam Senior")
    expect(nea.locator("#why li").first).to_be_visible()
    checked(nea, seen)
    for person in (nea, sam):
        person.goto(f"{base}/mentoring/pairs/{pair.pk}/")
        person.get_by_role("button", name="Accept the match and the agreement").click()
    pair.refresh_from_db()
    assert pair.status == "active"

    # 5. The pair plans a meeting, it takes place, and the mentor logs it.
    nea.goto(f"{base}/mentoring/pairs/{pair.pk}/")
    nea.locator('input[name="suggested"]').first.check()
    nea.locator('input[name="mode"][value="in_person"]').check()
    nea.locator('[name="place"]').fill("Library, room 2")
    nea.locator('[name="minutes"]').fill("45")
    nea.get_by_role("button", name="Plan the meeting").click()
    meeting = Meeting.objects.get(relationship=pair)
    # Time passes: the meeting has started.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    sam.goto(f"{base}/mentoring/meetings/{meeting.pk}/log/")
    checked(sam, seen)
    sam.locator('input[name="status"][value="held"]').check()
    sam.locator('[name="held_minutes"]').fill("50")
    sam.locator('[name="topics"]').fill("Settling in")
    sam.get_by_role("button", name="Save").click()
    expect(sam.locator(".message").first).to_have_text("Meeting logged.")

    # 6. The mentee answers the one-tap rating survey of the meeting.
    nea.goto(f"{base}/mentoring/pairs/{pair.pk}/")
    checked(nea, seen)
    nea.get_by_role("button", name="4 out of 5").click()
    expect(nea.locator(".message").first).to_have_text("Thanks for rating the meeting.")

    # 7. The KPI page shows the meeting; the monitoring board is there too.
    cai.goto(f"{base}/mentoring/programmes/{programme.pk}/kpis/")
    expect(cai.locator("#kpi-held td")).to_have_text("1")
    expect(cai.locator("#kpi-hours td")).to_have_text("0.8")
    expect(cai.locator("#kpi-match_rate td")).to_have_text("100 %")
    checked(cai, seen)
    cai.goto(f"{base}/mentoring/monitoring/")
    checked(cai, seen)
    assert len(seen) == 14, seen
    assert Membership.objects.filter(institution=institution).count() == 3
