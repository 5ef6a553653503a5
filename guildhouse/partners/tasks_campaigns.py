"""Jobs of check-in campaigns: the email with an answer link to one organisation."""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from guildhouse.jobs.api import task
from guildhouse.partners import services_campaigns
from guildhouse.partners.models import CampaignRecipient


@task(max_attempts=5, backoff_seconds=60)
def partners_campaign_email(*, recipient_id: int, reminder: bool) -> None:
    """Email the organisation's current contacts a new answer link (first send or a
    reminder). Nothing is sent once the organisation has answered or the campaign has
    closed. A failed send rolls the new link back and raises, so the job is retried."""
    recipient = (
        CampaignRecipient.objects.select_related("campaign__institution", "organisation")
        .filter(pk=recipient_id)
        .first()
    )
    if recipient is None:
        return
    campaign = recipient.campaign
    today = timezone.localdate()
    if not campaign.is_open(today) or (reminder and recipient.responses.exists()):
        return
    emails = services_campaigns.recipient_emails(recipient, today)
    with transaction.atomic():
        CampaignRecipient.objects.filter(pk=recipient.pk).update(
            emailed_to=emails, emailed_at=timezone.now()
        )
        if not emails:
            return
        token = services_campaigns.token_issue(recipient)
        link = urljoin(settings.SITE_URL, services_campaigns.answer_url(recipient, token))
        with translation.override(campaign.language):
            context = {
                "campaign": campaign,
                "institution": campaign.institution,
                "organisation": recipient.organisation,
                "link": link,
                "reminder": reminder,
                "closes_on": date_format(campaign.closes_on),
                "LANGUAGE_CODE": campaign.language,
            }
            text = render_to_string("partners/email/campaign.txt", context)
            html = render_to_string("partners/email/campaign.html", context)
            prefix = translation.gettext("A reminder:") + " " if reminder else ""
        message = EmailMultiAlternatives(
            subject=f"{prefix}{campaign.title}".replace("\n", " "),
            body=text,
            to=emails,
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(html, "text/html")
        message.send()


@task(max_attempts=1)
def partners_import_check(*, job_id: int, batch_id: int, language: str) -> None:
    """The dry run of an import: check every row, write nothing but the report."""
    from guildhouse.partners import services_import

    with translation.override(language):
        try:
            services_import.run_check(batch_id=batch_id, job_id=job_id)
        except Exception:
            services_import.mark_failed(batch_id)
            raise


@task(max_attempts=1)
def partners_import_run(*, job_id: int, batch_id: int, language: str) -> None:
    """The import itself: all rows in one transaction, or none (never retried by itself:
    the person sees the outcome and decides)."""
    from guildhouse.partners import services_import

    with translation.override(language):
        try:
            services_import.run_import(batch_id=batch_id, job_id=job_id)
        except Exception:
            services_import.mark_failed(batch_id)
            raise
