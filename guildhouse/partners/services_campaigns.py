"""Check-in campaigns: a short questionnaire sent to a chosen set of partners, answered
through a link without an account (seed 002, issue 9 item 7).

A link is a random secret (``secrets.token_urlsafe``, 256 bits) of which only the
SHA-256 is stored; it belongs to one organisation and one campaign, and stops working
after the campaign's closing day. Emails go out from a job after commit.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guildhouse.core.audit import audit_record
from guildhouse.core.models import Institution, User
from guildhouse.jobs.api import enqueue_on_commit
from guildhouse.partners.models import (
    Affiliation,
    Campaign,
    CampaignRecipient,
    CampaignResponse,
    CampaignToken,
    Organisation,
)

MAX_QUESTIONS = 10
MAX_QUESTION_LENGTH = 500
MAX_ANSWER_LENGTH = 4000
CAMPAIGN_ANSWERED = "partners.campaign_answered"


@dataclass(frozen=True)
class CampaignTemplate:
    key: str
    label: str | Promise
    title: str | Promise
    intro: str | Promise
    questions: tuple[str | Promise, ...]


# Ready-made questionnaires, as data; the coordinator may change them before sending.
TEMPLATES: dict[str, CampaignTemplate] = {
    "shutdown": CampaignTemplate(
        key="shutdown",
        label=gettext_lazy("Shutdown check-in"),
        title=gettext_lazy("How are you doing? A check-in from your partner school"),
        intro=gettext_lazy(
            "Everyone has had to change the way they work. We would like to hear how "
            "things are for you, and whether there is anything we can do to help."
        ),
        questions=(
            gettext_lazy("How has your workplace changed?"),
            gettext_lazy("Which changes will stay?"),
            gettext_lazy("How can we help?"),
            gettext_lazy("Can you still host learners?"),
        ),
    ),
}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _clean_questions(questions: Sequence[str]) -> list[str]:
    cleaned = [q.strip() for q in questions if q.strip()]
    if any(len(q) > MAX_QUESTION_LENGTH for q in cleaned):
        raise ValidationError(
            {
                "questions": _("A question may have at most %(n)d characters.")
                % {"n": MAX_QUESTION_LENGTH}
            }
        )
    if not cleaned:
        raise ValidationError({"questions": _("Ask at least one question.")})
    if len(cleaned) > MAX_QUESTIONS:
        raise ValidationError(
            {"questions": _("Ask at most %(n)d questions.") % {"n": MAX_QUESTIONS}}
        )
    return cleaned


def _check_closing_day(closes_on: datetime.date, today: datetime.date | None) -> None:
    if closes_on < (today or timezone.localdate()):
        raise ValidationError({"closes_on": _("The closing day cannot be in the past.")})


def campaign_create(
    *,
    actor: User,
    institution: Institution,
    title: str,
    intro: str,
    questions: Sequence[str],
    closes_on: datetime.date,
    today: datetime.date | None = None,
) -> Campaign:
    """A draft campaign; nothing is sent until ``campaign_send``."""
    _check_closing_day(closes_on, today)
    campaign = Campaign(
        institution=institution,
        title=title.strip(),
        intro=intro.strip(),
        questions=_clean_questions(questions),
        closes_on=closes_on,
        created_by=actor,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    campaign.full_clean()
    with transaction.atomic(durable=True):
        campaign.save()
        audit_record(
            actor=actor,
            institution=institution,
            action="create",
            obj=campaign,
            changes={"title": campaign.title, "questions": len(campaign.questions)},
        )
    return campaign


def campaign_update(
    *,
    actor: User,
    campaign: Campaign,
    title: str,
    intro: str,
    questions: Sequence[str],
    closes_on: datetime.date,
    today: datetime.date | None = None,
) -> Campaign:
    """Change a draft. Once sent, partners have the questions: it is not changed."""
    _check_closing_day(closes_on, today)
    with transaction.atomic(durable=True):
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.sent_at is not None:
            raise ValidationError(_("This campaign has already been sent: it cannot be changed."))
        locked.title, locked.intro = title.strip(), intro.strip()
        locked.questions, locked.closes_on = _clean_questions(questions), closes_on
        locked.full_clean()
        locked.save(update_fields=["title", "intro", "questions", "closes_on"])
        audit_record(
            actor=actor,
            institution=locked.institution,
            action="update",
            obj=locked,
            changes={"title": locked.title, "questions": len(locked.questions)},
        )
    return locked


def campaign_send(
    *,
    actor: User,
    campaign: Campaign,
    organisations: Sequence[Organisation],
    today: datetime.date | None = None,
) -> list[CampaignRecipient]:
    """Send the campaign to ``organisations`` (of its institution): one recipient each,
    and one email job per recipient after commit. A campaign is sent once."""
    today = today or timezone.localdate()
    if any(org.institution_id != campaign.institution_id for org in organisations):
        raise ValidationError(_("Those partners belong to another institution."))
    if not organisations:
        raise ValidationError(_("No partner matches: choose at least one."))
    if campaign.closes_on < today:
        raise ValidationError(_("This campaign closed on %(date)s.") % {"date": _d(campaign)})
    with transaction.atomic(durable=True):
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.sent_at is not None:
            raise ValidationError(_("This campaign has already been sent."))
        recipients = CampaignRecipient.objects.bulk_create(
            [CampaignRecipient(campaign=locked, organisation=org) for org in organisations]
        )
        locked.sent_at, locked.sent_by = timezone.now(), actor
        locked.save(update_fields=["sent_at", "sent_by"])
        audit_record(
            actor=actor,
            institution=locked.institution,
            action="partners_campaign_send",
            obj=locked,
            changes={"organisations": len(recipients)},
        )
        from guildhouse.partners.tasks import partners_campaign_email

        for recipient in recipients:
            enqueue_on_commit(partners_campaign_email, recipient_id=recipient.pk, reminder=False)
    campaign.sent_at, campaign.sent_by = locked.sent_at, actor
    return recipients


def _d(campaign: Campaign) -> str:
    return date_format(campaign.closes_on)


def unanswered(campaign: Campaign) -> list[CampaignRecipient]:
    return list(
        campaign.recipients.filter(responses__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def campaign_remind(
    *, actor: User | None, campaign: Campaign, today: datetime.date | None = None
) -> int:
    """Email the partners who have not answered yet (a new link each); how many."""
    today = today or timezone.localdate()
    if not campaign.is_open(today):
        raise ValidationError(_("Only an open campaign can send reminders."))
    with transaction.atomic(durable=True):
        count = remind_unanswered(campaign)
        audit_record(
            actor=actor,
            institution=campaign.institution,
            action="partners_campaign_remind",
            obj=campaign,
            changes={"organisations": count},
        )
    return count


def remind_unanswered(campaign: Campaign) -> int:
    """Enqueue reminder emails to those who have not answered, inside the caller's
    transaction (the emails go after commit); how many."""
    from guildhouse.partners.tasks import partners_campaign_email

    rest = unanswered(campaign)
    for recipient in rest:
        enqueue_on_commit(partners_campaign_email, recipient_id=recipient.pk, reminder=True)
    CampaignRecipient.objects.filter(pk__in=[r.pk for r in rest]).update(reminded_at=timezone.now())
    return len(rest)


def recipient_emails(recipient: CampaignRecipient, today: datetime.date) -> list[str]:
    """The addresses of the people who work at the organisation now."""
    emails = (
        Affiliation.objects.current(today)
        .filter(organisation_id=recipient.organisation_id)
        .exclude(contact__email="")
        .order_by("contact__full_name", "pk")
        .values_list("contact__email", flat=True)
    )
    return list(dict.fromkeys(e.lower() for e in emails))


def token_issue(recipient: CampaignRecipient) -> str:
    """A new secret link token for ``recipient``; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    CampaignToken.objects.create(recipient=recipient, token_hash=token_hash(token))
    return token


def answer_url(recipient: CampaignRecipient, token: str) -> str:
    return reverse("partners:campaign_answer", args=[recipient.campaign_id, token])


class LinkInvalid(Exception):
    """The link is unknown, altered, or for another campaign."""


class LinkExpired(Exception):
    def __init__(self, campaign: Campaign) -> None:
        super().__init__("campaign closed")
        self.campaign = campaign


def recipient_for_token(
    *, campaign_id: int, token: str, today: datetime.date | None = None
) -> CampaignRecipient:
    """The recipient a link was made for. Raises ``LinkInvalid`` for an unknown or
    altered token or a token of another campaign, ``LinkExpired`` after closing."""
    if not token or len(token) > 100:
        raise LinkInvalid
    found = (
        CampaignToken.objects.select_related("recipient__campaign", "recipient__organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if found is None or found.recipient.campaign_id != campaign_id:
        raise LinkInvalid
    recipient = found.recipient
    if not recipient.campaign.is_open(today):
        raise LinkExpired(recipient.campaign)
    return recipient


def campaign_answer(
    *,
    recipient: CampaignRecipient,
    respondent_name: str,
    answers: Sequence[str],
    today: datetime.date | None = None,
) -> CampaignResponse:
    """Save the organisation's answer, or update it if one exists; the campaign's
    creator is told the first time."""
    campaign = recipient.campaign
    if not campaign.is_open(today):
        raise LinkExpired(campaign)
    cleaned = [a.strip()[:MAX_ANSWER_LENGTH] for a in answers]
    if len(cleaned) != len(campaign.questions):
        raise ValidationError(_("The form did not match the questions; please try again."))
    if not any(cleaned):
        raise ValidationError(_("Answer at least one question."))
    now, name = timezone.now(), respondent_name.strip()[:200]
    try:
        with transaction.atomic(durable=True):
            return _answer_save(recipient, name, cleaned, now)
    except IntegrityError:
        # Two people of the organisation answered at the same moment: the database let
        # one insert in; this one updates it.
        with transaction.atomic(durable=True):
            return _answer_save(recipient, name, cleaned, now)


def _answer_save(
    recipient: CampaignRecipient, name: str, answers: list[str], now: datetime.datetime
) -> CampaignResponse:
    campaign = recipient.campaign
    response = CampaignResponse.objects.select_for_update().filter(recipient=recipient).first()
    created = response is None
    if response is None:
        response = CampaignResponse.objects.create(
            recipient=recipient,
            respondent_name=name,
            answers=answers,
            submitted_at=now,
            updated_at=now,
        )
    else:
        response.respondent_name, response.answers, response.updated_at = name, answers, now
        response.save(update_fields=["respondent_name", "answers", "updated_at"])
    audit_record(
        actor=None,
        institution=campaign.institution,
        action="partners_campaign_answer",
        obj=response,
        changes={"organisation": recipient.organisation_id, "updated": not created},
    )
    if created and campaign.created_by is not None:
        from guildhouse.notifications.api import notify

        notify(
            recipients=[campaign.created_by],
            kind=CAMPAIGN_ANSWERED,
            institution=campaign.institution,
            subject=gettext_lazy("%(partner)s answered “%(campaign)s”"),
            context={"partner": recipient.organisation.name, "campaign": campaign.title},
            url=reverse("partners:campaign_detail", args=[campaign.pk]),
        )
    return response
