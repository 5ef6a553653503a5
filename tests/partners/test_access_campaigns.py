"""Campaign, import, export and reminder-settings pages against every role, the outsider
and an anonymous visitor (the login-free answer page is in test_campaigns.py)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import Role
from guildhouse.partners import services_campaigns
from guildhouse.partners.models import (
    Campaign,
    CampaignRecipient,
    ImportBatch,
    Organisation,
    ReminderSettings,
)
from tests.access_matrix import STAFF, Page, check_page
from tests.conftest import World
from tests.partners.conftest import PartnerWorld

RUNNERS = frozenset({Role.ADMIN, Role.COORDINATOR})


def _org(w: World) -> Organisation:
    return Organisation.objects.get(institution=w.institution, name="Coastal Motors Ltd")


def _campaign(w: World, *, sent: bool = False) -> Campaign:
    title = "Secret sent check-in" if sent else "Secret check-in"
    found = Campaign.objects.filter(institution=w.institution, title=title).first()
    if found is None:
        found = services_campaigns.campaign_create(
            actor=w.coordinator.user,
            institution=w.institution,
            title=title,
            intro="",
            questions=["How has your workplace changed?"],
            closes_on=timezone.localdate() + datetime.timedelta(days=10),
        )
        if sent:
            services_campaigns.campaign_send(
                actor=w.coordinator.user, campaign=found, organisations=[_org(w)]
            )
    return found


def _campaigns(w: World) -> object:
    rows = Campaign.objects.filter(institution=w.institution).order_by("pk").values()
    recipients = CampaignRecipient.objects.filter(campaign__institution=w.institution).values()
    return list(rows), list(recipients)


def _batch(w: World) -> ImportBatch:
    found = ImportBatch.objects.filter(institution=w.institution).first()
    if found is None:
        found = ImportBatch.objects.create(
            institution=w.institution,
            created_by=w.coordinator.user,
            filename="secret-partners.csv",
            content=b"name,type\nSecret Import Oy,business\n",
            status="checked",
            report={"errors": [], "creates": [], "duplicates": [], "rows": 1},
        )
    return found


def _batches(w: World) -> object:
    return list(ImportBatch.objects.filter(institution=w.institution).order_by("pk").values())


def _settings(w: World) -> object:
    return list(ReminderSettings.objects.filter(institution=w.institution).values())


PAGES = [
    Page(
        "campaign list",
        lambda w: reverse("partners:campaign_list") + f"?x={_campaign(w).pk}",
        STAFF,
        outsider_status=200,
        secret=lambda w: "Secret check-in",
    ),
    Page(
        "campaign create", lambda w: reverse("partners:campaign_create"), RUNNERS, 200, "get", 200
    ),
    Page(
        "campaign detail (draft)",
        lambda w: reverse("partners:campaign_detail", args=[_campaign(w).pk]),
        STAFF,
        secret=lambda w: "Secret check-in",
        shows=lambda w, viewer: "How has your workplace changed?",
    ),
    Page(
        "campaign detail (sent)",
        lambda w: reverse("partners:campaign_detail", args=[_campaign(w, sent=True).pk]),
        STAFF,
        secret=lambda w: "Secret sent check-in",
        shows=lambda w, viewer: "0 of 1 partners have answered.",
    ),
    Page(
        "campaign edit (draft)",
        lambda w: reverse("partners:campaign_edit", args=[_campaign(w).pk]),
        RUNNERS,
        secret=lambda w: "Secret check-in",
        shows=lambda w, viewer: 'value="Secret check-in"',
    ),
    Page(
        "campaign edit (POST)",
        lambda w: reverse("partners:campaign_edit", args=[_campaign(w).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        data={
            "title": "Secret check-in",
            "questions": "How has your workplace changed?\nCan you still host learners?",
            "closes_on": (timezone.localdate() + datetime.timedelta(days=12)).isoformat(),
        },
        state=_campaigns,
    ),
    Page(
        "import start",
        lambda w: reverse("partners:import_start"),
        RUNNERS,
        outsider_status=200,
    ),
    Page(
        "import detail",
        lambda w: reverse("partners:import_detail", args=[_batch(w).pk]),
        RUNNERS,
        secret=lambda w: "secret-partners.csv",
    ),
    Page(
        "import template",
        lambda w: reverse("partners:import_template"),
        RUNNERS,
        outsider_status=200,
    ),
    Page(
        "export organisations (CSV)",
        lambda w: reverse("partners:export", args=["organisations", "csv"]) + f"?x={_org(w).pk}",
        STAFF,
        outsider_status=200,
        secret=lambda w: "Coastal Motors Ltd",
        shows=lambda w, viewer: "Coastal Motors Ltd",
    ),
    Page(
        "export contacts (XLSX)",
        lambda w: reverse("partners:export", args=["contacts", "xlsx"]),
        STAFF,
        outsider_status=200,
    ),
    Page(
        "export campaign answers (CSV)",
        lambda w: (
            reverse("partners:export", args=["campaign-answers", "csv"])
            + f"?campaign={_campaign(w, sent=True).pk}"
        ),
        STAFF,
        secret=lambda w: "Coastal Motors Ltd",
        shows=lambda w, viewer: "How has your workplace changed?",
    ),
    Page(
        "reminder settings",
        lambda w: reverse("partners:reminder_settings"),
        RUNNERS,
        outsider_status=200,
    ),
]

POSTS = [
    Page(
        "campaign create (POST)",
        lambda w: reverse("partners:campaign_create"),
        RUNNERS,
        ok_status=302,
        outsider_status=302,
        method="post",
        data={
            "title": "Posted check-in",
            "questions": "How are you?",
            "closes_on": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        },
        state=_campaigns,
    ),
    Page(
        "campaign send (POST)",
        lambda w: reverse("partners:campaign_send", args=[_campaign(w).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        state=_campaigns,
    ),
    Page(
        "campaign remind (POST)",
        lambda w: reverse("partners:campaign_remind", args=[_campaign(w, sent=True).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        state=_campaigns,
    ),
    Page(
        "import commit (POST)",
        lambda w: reverse("partners:import_commit", args=[_batch(w).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        state=_batches,
    ),
    Page(
        "reminder settings (POST)",
        lambda w: reverse("partners:reminder_settings"),
        RUNNERS,
        ok_status=302,
        outsider_status=302,
        method="post",
        data={
            "renewal_days": "90",
            "review_days": "14",
            "compliance_days": "14",
            "campaign_days": "7",
        },
        state=_settings,
    ),
]


@pytest.mark.parametrize("page", PAGES + POSTS, ids=lambda p: p.name)
def test_campaign_import_export_page_access(pw: PartnerWorld, page: Page) -> None:
    assert check_page(pw.world, page) == []
