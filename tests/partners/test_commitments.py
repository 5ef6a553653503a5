"""Promises by either side, and the on-time delivery rate per partner and staff member."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import AuditEvent
from guildhouse.partners import selectors, services
from guildhouse.partners.models import Commitment
from tests.partners.conftest import PartnerWorld

TODAY = datetime.date(2026, 3, 1)


def _promise(pw: PartnerWorld, days: int, *, owner: str = "staff", org: str = "") -> Commitment:
    w = pw.world
    return services.commitment_add(
        actor=w.coordinator.user,
        organisation=pw.other_organisation if org else pw.organisation,
        side="institution",
        description=f"Promise due {days}",
        owner=w.member(owner),
        due_on=TODAY + datetime.timedelta(days=days),
    )


def _close(c: Commitment, delivered: int | None, pw: PartnerWorld) -> None:
    services.commitment_close(
        actor=pw.world.coordinator.user,
        commitment=c,
        status="delivered" if delivered is not None else "cancelled",
        delivered_on=c.due_on + datetime.timedelta(days=delivered)
        if delivered is not None
        else None,
        today=TODAY + datetime.timedelta(days=365),
    )


def test_on_time_rate_counts_only_promises_that_fell_due(pw: PartnerWorld) -> None:
    _close(_promise(pw, -20), 0, pw)  # on time (on the day)
    _close(_promise(pw, -15), 3, pw)  # late
    _promise(pw, -1)  # open and overdue: counts against
    _promise(pw, 10)  # open, not yet due: not counted
    _close(_promise(pw, -5), None, pw)  # cancelled: not counted
    _close(_promise(pw, 5), -2, pw)  # delivered early: on time
    _close(_promise(pw, -30, owner="coordinator", org="other"), 0, pw)
    rate = selectors.delivery_rate(organisation=pw.organisation, today=TODAY)
    assert (rate.on_time, rate.due, rate.percent) == (2, 4, 50)
    by_owner = selectors.delivery_rates_by_owner(institution=pw.world.institution, today=TODAY)
    assert [(r.name, r.rate.on_time, r.rate.due, r.open) for r in by_owner] == sorted(
        [
            (pw.world.staff.user.full_name, 2, 4, 2),
            (pw.world.coordinator.user.full_name, 1, 1, 0),
        ]
    )


def test_a_promise_is_recorded_and_closed_through_the_pages(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.staff)
    today = timezone.localdate()
    data = {
        "commitment-side": "partner",
        "commitment-description": "Send the insurance certificate",
        "commitment-owner": str(w.staff.pk),
        "commitment-due_on": str(today - datetime.timedelta(days=2)),
    }
    url = reverse("partners:commitment_add", args=[pw.organisation.pk])
    assert client.post(url, data).status_code == 302
    commitment = Commitment.objects.get()
    assert (commitment.side, commitment.owner, commitment.status) == ("partner", w.staff, "open")
    page = client.get(reverse("partners:organisation_detail", args=[pw.organisation.pk]))
    text = page.content.decode()
    assert "Send the insurance certificate</span> — They promised;" in text
    assert "Delivered on time: 0 of 1 (0 %)." in text
    close = reverse("partners:commitment_close", args=[commitment.pk])
    future = str(today + datetime.timedelta(days=1))
    response = client.post(close, {"status": "delivered", "delivered_on": future}, follow=True)
    assert "Give the day it was delivered; it cannot be in the future." in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.status == "open"
    client.post(close, {"status": "delivered", "delivered_on": str(today)})
    commitment.refresh_from_db()
    assert (commitment.status, commitment.delivered_on) == ("delivered", today)
    assert AuditEvent.objects.filter(object_type="partners.commitment").count() == 2
    listing = client.get(reverse("partners:commitment_list")).content.decode()
    assert (
        f'<th scope="row">{w.staff.user.full_name}</th><td>0</td><td>1</td><td>0 %</td><td>0</td>'
        in listing
    )


def test_a_promise_with_bad_input_is_not_recorded(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.staff)
    url = reverse("partners:commitment_add", args=[pw.organisation.pk])
    data = {
        "commitment-side": "institution",
        "commitment-description": "x",
        "commitment-owner": str(w.learner.pk),
    }
    page = client.post(url, data, follow=True).content.decode()
    assert "The promise was not recorded." in page
    assert "Due: This field is required." in page
    assert Commitment.objects.count() == 0
