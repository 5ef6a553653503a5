"""The daily job's further reminders (issue 9, item 17): agreement renewals and reviews,
placements starting without their documents, unanswered campaigns; once per episode."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from guildhouse.jobs.api import PERIODIC
from guildhouse.jobs.worker import run_queued_jobs
from guildhouse.notifications.api import KINDS
from guildhouse.notifications.models import Notification
from guildhouse.partners import services, services_campaigns
from guildhouse.partners.models import (
    Agreement,
    CampaignResponse,
    ReminderSent,
    ReminderSettings,
)
from guildhouse.partners.tasks import partners_daily_reminders
from tests.partners.conftest import PartnerWorld

Capture = Callable[..., AbstractContextManager[list[Callable[[], None]]]]
NEW_KINDS = {
    "partners.agreement_renewal": "An agreement is coming up for renewal",
    "partners.agreement_review": "An agreement is due for review",
    "partners.compliance_missing": "A placement starts soon without its documents",
    "partners.campaign_unanswered": "Partners have not answered a check-in",
    "partners.campaign_answered": "A partner answered a check-in",
}


def _in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _run() -> None:
    partners_daily_reminders.call(period_start=timezone.now().isoformat())


def _sent(kind: str) -> list[tuple[str, str, str, str]]:
    return [
        (n.recipient.email, n.subject, n.body, n.url)
        for n in Notification.objects.filter(kind=kind)
        .select_related("recipient")
        .order_by("recipient__email", "pk")
    ]


def test_the_new_kinds_are_registered_and_on_the_preferences_page(pw: PartnerWorld) -> None:
    assert {key: str(KINDS[key].label) for key in NEW_KINDS} == NEW_KINDS
    page = pw.world.client_for(pw.world.coordinator).get(reverse("notification_preferences"))
    for label in NEW_KINDS.values():
        assert label in page.content.decode()
    # Still one daily partnership job (extended, not a second one).
    assert [p for p in PERIODIC if p.startswith("guildhouse.partners.")] == [
        "guildhouse.partners.tasks.partners_daily_reminders"
    ]


def _agreement(
    pw: PartnerWorld, title: str, ends_on: datetime.date, review_on: datetime.date | None
) -> Agreement:
    w = pw.world
    agreement = services.agreement_create(
        actor=w.coordinator.user,
        organisation=pw.organisation,
        kind="cooperation",
        title=title,
        starts_on=_in(-300),
        ends_on=ends_on,
        review_on=review_on,
    )
    Agreement.objects.filter(pk=agreement.pk).update(status="signed", signed_on=_in(-300))
    return agreement


def test_agreement_renewals_and_reviews_once_each_with_the_institutions_notice(
    pw: PartnerWorld,
) -> None:
    w = pw.world
    soon = _agreement(pw, "Workshop cooperation", _in(50), _in(10))
    _agreement(pw, "Far off", _in(61), _in(15))
    draft = services.agreement_create(
        actor=w.coordinator.user,
        organisation=pw.organisation,
        kind="mou",
        title="Draft only",
        starts_on=_in(-10),
        ends_on=_in(5),
    )
    assert draft.status == "draft"
    _run()
    url = reverse("partners:agreement_detail", args=[soon.pk])
    # The owner of Coastal Motors (staff) and the coordinator.
    expected = sorted([w.staff.user.email, w.coordinator.user.email])
    assert [r[0] for r in _sent("partners.agreement_renewal")] == expected
    assert _sent("partners.agreement_renewal")[0][1:] == (
        "The agreement “Workshop cooperation” with Coastal Motors Ltd ends on "
        + date_format(_in(50)),
        "Decide whether to renew it, and talk to the partner in good time.",
        url,
    )
    assert [r[1] for r in _sent("partners.agreement_review")] == [
        "Review the agreement “Workshop cooperation” with Coastal Motors Ltd by "
        + date_format(_in(10))
    ] * 2
    _run()  # once per episode
    assert len(_sent("partners.agreement_renewal")) == 2
    assert len(_sent("partners.agreement_review")) == 2
    # A longer notice period set by the institution brings the other agreement in.
    ReminderSettings.objects.create(institution=w.institution, renewal_days=90, review_days=20)
    _run()
    assert [r[1] for r in _sent("partners.agreement_renewal")].count(
        f"The agreement “Far off” with Coastal Motors Ltd ends on {date_format(_in(61))}"
    ) == 2
    # A new end date is a new episode.
    Agreement.objects.filter(pk=soon.pk).update(ends_on=_in(40))
    _run()
    assert len(_sent("partners.agreement_renewal")) == 6


def test_placements_starting_without_documents(pw: PartnerWorld) -> None:
    w = pw.world
    opportunity = services.opportunity_create(
        actor=w.coordinator.user,
        organisation=pw.organisation,
        kind="work_placement",
        title="Workshop assistant",
        starts_on=_in(5),
        requirements=["insurance"],
    )
    period = services.period_add(
        actor=w.coordinator.user,
        opportunity=opportunity,
        starts_on=_in(5),
        ends_on=_in(40),
        capacity=2,
    )
    placement = services.placement_propose(
        actor=w.staff.user,
        period=period,
        learner=w.learner,
        starts_on=_in(7),
        ends_on=_in(30),
        hours=120,
    )
    _run()
    expected_subject = (
        f"{w.learner.user.full_name} starts at Coastal Motors Ltd on {date_format(_in(7))} "
        "without every document"
    )
    assert _sent("partners.compliance_missing") == [
        (
            email,
            expected_subject,
            "Missing: Insurance certificate: not on file.",
            reverse("partners:placement_detail", args=[placement.pk]),
        )
        for email in sorted({w.staff.user.email, w.coordinator.user.email})
    ]
    _run()
    assert len(_sent("partners.compliance_missing")) == 2


def test_unanswered_campaigns_remind_the_coordinator_and_email_the_contacts(
    pw: PartnerWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    w = pw.world
    campaign = services_campaigns.campaign_create(
        actor=w.coordinator.user,
        institution=w.institution,
        title="Shutdown check-in",
        intro="",
        questions=["How has your workplace changed?"],
        closes_on=_in(5),
    )
    services.contact_create(
        actor=w.coordinator.user,
        organisation=pw.other_organisation,
        full_name="Ann Lee",
        email="ann@hotel.example",
    )
    recipients = services_campaigns.campaign_send(
        actor=w.coordinator.user,
        campaign=campaign,
        organisations=[pw.organisation, pw.other_organisation],
    )
    CampaignResponse.objects.create(recipient=recipients[0], answers=["Fine"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    run_queued_jobs()
    assert _sent("partners.campaign_unanswered") == [
        (
            w.coordinator.user.email,
            "1 partners have not answered “Shutdown check-in”",
            f"It closes on {date_format(_in(5))}; a reminder has gone to them by email.",
            reverse("partners:campaign_detail", args=[campaign.pk]),
        )
    ]
    reminders = [m for m in mail.outbox if m.subject == "A reminder: Shutdown check-in"]
    assert [m.to for m in reminders] == [["ann@hotel.example"]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _run()
    run_queued_jobs()
    assert len(_sent("partners.campaign_unanswered")) == 1
    assert [m for m in mail.outbox if m.subject.startswith("A reminder")] == []
    assert ReminderSent.objects.filter(key__startswith="campaign:").count() == 1
