"""The notification and job pages in Chromium: axe-core clean at 1280 and 320 px, and
the job status fragment updates itself through htmx."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from guildhouse.core.models import Role
from guildhouse.jobs.models import JobStatus, TrackedJob
from guildhouse.notifications import kinds
from guildhouse.notifications.api import notify
from guildhouse.notifications.emails import unsubscribe_token
from tests.browser.test_smoke import (
    INSTITUTION,
    accessibility_problems,
    person_make,
    report,
    sign_in,
)
from tests.factories import institution_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_notification_and_job_pages(
    live_server: LiveServer, page: Page, browser_errors: list[str]
) -> None:
    institution = institution_make(name=INSTITUTION, short_name="Riverside")
    coordinator, secret = person_make(institution=institution, role=Role.COORDINATOR)
    for name in ("Aino Korhonen", "Omar Haddad"):
        notify(
            recipients=[coordinator.user],
            kind=kinds.INVITATION_ACCEPTED,
            institution=institution,
            subject=kinds.INVITATION_ACCEPTED_SUBJECT,
            body=kinds.INVITATION_ACCEPTED_BODY,
            context={"name": name, "institution": INSTITUTION},
            url="/me/",
        )
    job = TrackedJob.objects.create(
        institution=institution,
        started_by=coordinator.user,
        title="Import organisations",
        task_path="x",
        status=JobStatus.RUNNING,
        done=40,
        total=100,
        message="Reading row 40",
    )
    sign_in(page, live_server.url, coordinator.user.email, totp_secret=secret)
    expect(page.get_by_role("link", name="2 new notifications")).to_be_visible()

    token = unsubscribe_token(user=coordinator.user, kind=kinds.INVITATION_ACCEPTED)
    paths = [
        "/notifications/",
        "/notifications/settings/",
        f"/jobs/{job.pk}/",
        f"/notifications/unsubscribe/{token}/",
    ]
    problems = {}
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert (path, response and response.status) == (path, 200)
        if found := accessibility_problems(page):
            problems[path] = found
    assert problems == {}, report(problems)

    # The status fragment polls: the page follows the job without a reload.
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    expect(page.locator(".job-count")).to_have_text("40 of 100 done")
    TrackedJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, done=100, message="All 100 rows imported", result_url="/me/"
    )
    expect(page.get_by_role("link", name="See the result")).to_be_visible(timeout=10_000)
    expect(page.locator(".job-message")).to_have_text("All 100 rows imported")
    assert browser_errors == []
