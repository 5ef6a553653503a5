"""Check-in cadence per partner and the list of check-ins due."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guildhouse.partners import selectors
from guildhouse.partners.models import DEFAULT_CHECK_IN_DAYS, Organisation, Stage
from tests.partners.conftest import PartnerWorld
from tests.partners.make import organisation_make


def _contacted(org: Organisation, days_ago: int, every: int | None = None) -> None:
    Organisation.objects.filter(pk=org.pk).update(
        last_contact_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        check_in_every_days=every,
    )


def test_the_list_honours_each_partners_cadence_and_the_default(pw: PartnerWorld) -> None:
    w = pw.world
    assert DEFAULT_CHECK_IN_DAYS == 60
    _contacted(pw.organisation, 61)  # default 60: one day overdue
    _contacted(pw.other_organisation, 40, every=30)  # ten days overdue
    on_time = organisation_make(institution=w.institution, actor=w.coordinator, name="Mill Co")
    _contacted(on_time, 60)  # exactly on the day: not yet overdue
    paused = organisation_make(institution=w.institution, actor=w.coordinator, name="Old Dock")
    _contacted(paused, 400)
    Organisation.objects.filter(pk=paused.pk).update(
        stage=Stage.objects.get(institution=w.institution, name="Paused")
    )
    organisation_make(institution=w.institution, actor=w.coordinator, name="Never Met Oy")
    _contacted(pw.outsider_organisation, 300)

    rows = selectors.check_ins_overdue(institution=w.institution)
    assert [(r.organisation.name, r.every_days, r.days_overdue) for r in rows] == [
        ("Harbour Hotel", 30, 10),
        ("Coastal Motors Ltd", 60, 1),
    ]
    response = w.client_for(w.support).get(reverse("partners:check_in_list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 partners are due a check-in." in page
    assert "<td>30 days</td><td>10 days</td>" in page
    assert "<td>60 days</td><td>1 day</td>" in page
    assert page.index("Harbour Hotel") < page.index("Coastal Motors Ltd")
    log_url = reverse("partners:interaction_log", args=[pw.organisation.pk])
    assert f'<a href="{log_url}">Log contact with Coastal Motors Ltd</a>' in page
    for absent in ("Mill Co", "Old Dock", "Never Met Oy", "Ridge Build"):
        assert absent not in page


def test_the_list_is_empty_when_nobody_is_due(pw: PartnerWorld) -> None:
    w = pw.world
    page = w.client_for(w.staff).get(reverse("partners:check_in_list")).content.decode()
    assert "No check-ins are due." in page
    assert "<table>" not in page


def test_the_list_runs_a_constant_number_of_queries(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.coordinator)
    url = reverse("partners:check_in_list")
    _contacted(pw.organisation, 100)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(10):
        org = organisation_make(institution=w.institution, actor=w.coordinator, name=f"Firm {i}")
        _contacted(org, 100 + i, every=30 + i % 3)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert len(large) == len(small)
    assert "11 partners are due a check-in." in page


def test_owners_set_a_cadence_and_a_bad_one_changes_nothing(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.staff)
    url = reverse("partners:organisation_edit", args=[pw.organisation.pk])
    data = {"name": "Coastal Motors Ltd", "kind": "business", "source": "research"}
    response = client.post(url, {**data, "check_in_every_days": "0"})
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert Organisation.objects.get(pk=pw.organisation.pk).check_in_every_days is None

    assert client.post(url, {**data, "check_in_every_days": "30"}).status_code == 302
    assert Organisation.objects.get(pk=pw.organisation.pk).check_in_every_days == 30
    detail = reverse("partners:organisation_detail", args=[pw.organisation.pk])
    page = client.get(detail).content.decode()
    assert "<dt>Check in</dt><dd>every 30 days</dd>" in page


def test_the_partner_page_shows_the_default_cadence(pw: PartnerWorld) -> None:
    w = pw.world
    detail = reverse("partners:organisation_detail", args=[pw.organisation.pk])
    page = w.client_for(w.staff).get(detail).content.decode()
    assert "<dt>Check in</dt><dd>every 60 days (the default)</dd>" in page
