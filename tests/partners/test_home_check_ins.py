"""The coordinator's home panel: partners due a check-in and open campaigns (item 7)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from guildhouse.partners import services_campaigns
from guildhouse.partners.models import CampaignResponse, Organisation
from tests.partners.conftest import PartnerWorld
from tests.partners.make import organisation_make


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_coordinator_home_lists_check_ins_due_and_open_campaigns(pw: PartnerWorld) -> None:
    w = pw.world
    Organisation.objects.filter(pk=pw.organisation.pk).update(last_contact_on=_ago(70))
    Organisation.objects.filter(pk=pw.other_organisation.pk).update(
        last_contact_on=_ago(40), check_in_every_days=30
    )
    campaign = services_campaigns.campaign_create(
        actor=w.coordinator.user,
        institution=w.institution,
        title="Shutdown check-in",
        intro="",
        questions=["How are you?"],
        closes_on=_ago(-9),
    )
    recipients = services_campaigns.campaign_send(
        actor=w.coordinator.user,
        campaign=campaign,
        organisations=[pw.organisation, pw.other_organisation],
    )
    CampaignResponse.objects.create(recipient=recipients[0], answers=["Fine"])
    coordinator = w.client_for(w.coordinator)
    page = coordinator.get(reverse("home")).content.decode()
    assert "Partner check-ins" in page
    assert "2 partners are due a check-in." in page
    # Harbour Hotel: 40 days since contact, every 30: 10 overdue; Coastal: 70 - 60 = 10.
    section = page.split("Partner check-ins")[1]
    assert section.index("Coastal Motors Ltd") < section.index("Harbour Hotel")
    assert "10 days overdue" in section
    assert f"1 of 2 answered, closes {date_format(_ago(-9), 'SHORT_DATE_FORMAT')}" in section
    # Not on a teacher's home.
    assert "Partner check-ins" not in w.client_for(w.staff).get(reverse("home")).content.decode()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coordinator.get(reverse("home")).status_code == 200
        return len(captured)

    before = queries()
    for _ in range(8):
        org = organisation_make(institution=w.institution, actor=w.coordinator)
        Organisation.objects.filter(pk=org.pk).update(last_contact_on=_ago(100))
    assert queries() == before
    assert "10 partners are due a check-in." in coordinator.get(reverse("home")).content.decode()
