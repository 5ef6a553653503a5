"""Demo data of check-in campaigns, imports and reminder settings (issue 9, items 7, 16,
17), written through the services. Called at the end of ``demo.load_demo``.

Riverside ran a "Spring placement plans" check-in three months ago (closed, most
partners answered) and is running the shutdown check-in of seed 002 now (two answers
in, the rest waiting). The Nordvolt link of the open campaign is fixed in the demo
(``DEMO_ANSWER_TOKEN``), so that anyone trying the demo can answer as the partner:
``/partners/answer/<campaign id>/demo-nordvolt-check-in/`` (see docs/partners.md).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from guildhouse.core.demo import DEMO_INSTITUTIONS
from guildhouse.core.models import Institution, Membership, Role, User
from guildhouse.partners import services_campaigns, services_import, services_reminders
from guildhouse.partners.models import (
    Campaign,
    CampaignRecipient,
    CampaignToken,
    Organisation,
)

# A demo database only: lets people try the answer page as the partner.
DEMO_ANSWER_TOKEN = "demo-nordvolt-check-in"  # noqa: S105

SPRING_QUESTIONS = [
    "How many learners can you host next spring, and in which weeks?",
    "Who will supervise them at your workplace?",
    "Is there a skill you would like us to teach before they come?",
]
SPRING_ANSWERS = {
    "Nordvolt Electrical Services": (
        "Jonas Berg",
        ["Two, from week 10 to week 16.", "Jonas Berg and Aki Laine.", "Safe isolation."],
    ),
    "Harbour Hotel": (
        "Laura Fletcher",
        ["Four in the kitchen, weeks 12 to 18.", "Our sous-chef, Marta.", "Food hygiene basics."],
    ),
    "St Brigid's Nursing Centre": (
        "Mariam Yusuf",
        ["Three, any time after February.", "The two senior nurses.", "Manual handling."],
    ),
}
SHUTDOWN_ANSWERS = {
    "Harbour Hotel": (
        "Laura Fletcher",
        [
            "The restaurant is closed; we run room service and take-away breakfasts only.",
            "Online booking for the restaurant and contactless check-in.",
            "Short hygiene training for our temporary staff would help a lot.",
            "Yes, two learners in the kitchen from next month, with masks and smaller shifts.",
        ],
    ),
    "St Brigid's Nursing Centre": (
        "Mariam Yusuf",
        [
            "No visitors; staff work in fixed teams and we test every week.",
            "Video calls with families, and the fixed teams.",
            "Learners who can cover night shifts in the spring.",
            "Not this term; we would like to talk again in April.",
        ],
    ),
}
IMPORT_FILE = (
    "Name,Type,Sector,Size,Website,Town or city,Tags,Contact name,Contact email,Contact role\n"
    "Aldwin Bakery,business,Services,small,aldwinbakery.demo,Port Aldwin,food,"
    "Hanna Koski,hanna.koski@aldwinbakery.demo,Owner\n"
    "Northway Logistics,business,,medium,northway.demo,Port Aldwin,logistics,"
    "Erik Sand,erik.sand@northway.demo,Warehouse manager\n"
    "Coastal Motors,business,,,,Port Aldwin,,,,\n"
)


def load_demo_campaigns(*, today: datetime.date) -> None:
    institution = Institution.objects.filter(name=DEMO_INSTITUTIONS["Riverside"]).first()
    if institution is None or Campaign.objects.filter(institution=institution).exists():
        return
    coordinator = (
        Membership.objects.filter(institution=institution, role=Role.COORDINATOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if coordinator is None:
        return
    actor = coordinator.user
    open_partners = list(
        Organisation.objects.filter(
            institution=institution, stage__name__in=["Active partner", "Pilot"]
        ).order_by("name")
    )
    _spring(institution, actor, open_partners, today)
    _shutdown(institution, actor, open_partners, today)
    services_reminders.reminder_settings_save(
        actor=actor,
        institution=institution,
        values={"renewal_days": 90, "review_days": 21, "compliance_days": 14, "campaign_days": 7},
    )
    _import(institution, actor)


def _backdate(campaign: Campaign, days: int) -> None:
    when = timezone.now() - datetime.timedelta(days=days)
    Campaign.objects.filter(pk=campaign.pk).update(created_at=when, sent_at=when)


def _spring(
    institution: Institution, actor: User, partners: list[Organisation], today: datetime.date
) -> None:
    """Closed now: sent to the partners of the time, three of them answered."""
    campaign = services_campaigns.campaign_create(
        actor=actor,
        institution=institution,
        title="Spring placement plans",
        intro="We are planning next spring's work placements and would like to hear from you.",
        questions=SPRING_QUESTIONS,
        closes_on=today,
        today=today,
    )
    campaign.sent_at, campaign.sent_by = timezone.now(), actor
    campaign.save(update_fields=["sent_at", "sent_by"])
    recipients = CampaignRecipient.objects.bulk_create(
        [CampaignRecipient(campaign=campaign, organisation=o) for o in partners]
    )
    for recipient in recipients:
        answer = SPRING_ANSWERS.get(recipient.organisation.name)
        if answer:
            recipient.campaign = campaign
            services_campaigns.campaign_answer(
                recipient=recipient, respondent_name=answer[0], answers=answer[1], today=today
            )
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=today - datetime.timedelta(days=75))
    _backdate(campaign, 95)


def _shutdown(
    institution: Institution, actor: User, partners: list[Organisation], today: datetime.date
) -> None:
    """Open: the ready-made shutdown check-in, sent ten days ago, two answers in."""
    template = services_campaigns.TEMPLATES["shutdown"]
    campaign = services_campaigns.campaign_create(
        actor=actor,
        institution=institution,
        title=str(template.title),
        intro=str(template.intro),
        questions=[str(q) for q in template.questions],
        closes_on=today + datetime.timedelta(days=11),
        today=today,
    )
    recipients = services_campaigns.campaign_send(
        actor=actor, campaign=campaign, organisations=partners, today=today
    )
    campaign.refresh_from_db()
    for recipient in recipients:
        recipient.campaign = campaign
        answer = SHUTDOWN_ANSWERS.get(recipient.organisation.name)
        if answer:
            services_campaigns.campaign_answer(
                recipient=recipient, respondent_name=answer[0], answers=answer[1], today=today
            )
        if recipient.organisation.name == "Nordvolt Electrical Services":
            CampaignToken.objects.create(
                recipient=recipient, token_hash=services_campaigns.token_hash(DEMO_ANSWER_TOKEN)
            )
    _backdate(campaign, 10)


def _import(institution: Institution, actor: User) -> None:
    """The chamber's member list, checked and waiting for the coordinator to confirm:
    two new firms, and one row that matches Coastal Motors (skipped)."""
    batch = services_import.import_start(
        actor=actor,
        institution=institution,
        filename="chamber-members.csv",
        content=IMPORT_FILE.encode(),
    )
    assert batch.check_job_id is not None
    services_import.run_check(batch_id=batch.pk, job_id=batch.check_job_id)
