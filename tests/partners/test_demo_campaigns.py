"""The demo's campaigns, import and reminder settings (demo_campaigns.py)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guildhouse.core import demo as core_demo
from guildhouse.core.models import Institution
from guildhouse.partners.demo_campaigns import DEMO_ANSWER_TOKEN
from guildhouse.partners.models import Campaign, ImportBatch, ReminderSettings
from guildhouse.partners.selectors_campaigns import campaign_results


@pytest.mark.django_db
@pytest.mark.usefixtures("private_dir")
def test_demo_has_an_open_and_a_closed_check_in_and_a_checked_import() -> None:
    core_demo.ensure_demo(today=timezone.localdate())
    riverside = Institution.objects.get(name="Riverside Vocational College")
    campaigns = {c.title: c for c in Campaign.objects.filter(institution=riverside)}
    assert set(campaigns) == {
        "Spring placement plans",
        "How are you doing? A check-in from your partner school",
    }
    shutdown = campaigns["How are you doing? A check-in from your partner school"]
    spring = campaigns["Spring placement plans"]
    assert shutdown.is_open()
    assert not spring.is_open()
    assert shutdown.closes_on == timezone.localdate() + datetime.timedelta(days=11)
    results = campaign_results(campaign=shutdown)
    assert [row.organisation.name for row in results.rows] == [
        "Harbour Hotel",
        "St Brigid's Nursing Centre",
    ]
    assert "Nordvolt Electrical Services" in [r.organisation.name for r in results.waiting]
    assert campaign_results(campaign=spring).answered == 3
    # The documented demo link answers as Nordvolt without an account.
    page = Client().get(reverse("partners:campaign_answer", args=[shutdown.pk, DEMO_ANSWER_TOKEN]))
    assert page.status_code == 200
    assert "asks Nordvolt Electrical Services" in page.content.decode()
    batch = ImportBatch.objects.get(institution=riverside)
    assert (batch.status, batch.report["organisations"], batch.report["duplicate_count"]) == (
        "checked",
        2,
        1,
    )
    assert ReminderSettings.objects.get(institution=riverside).renewal_days == 90
