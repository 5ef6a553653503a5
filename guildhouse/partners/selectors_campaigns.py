"""Reads of check-in campaigns: the list, one campaign's results, a partner's answers."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from guildhouse.core.models import Institution
from guildhouse.partners import selectors
from guildhouse.partners.models import (
    DEFAULT_CHECK_IN_DAYS,
    Campaign,
    CampaignRecipient,
    CampaignResponse,
    Organisation,
)


def campaign_list(*, institution: Institution, limit: int = 100) -> QuerySet[Campaign]:
    """Newest first, with how many partners were asked and answered (one query)."""
    return (
        Campaign.objects.filter(institution=institution)
        .annotate(
            asked=Count("recipients", distinct=True),
            answered=Count("recipients__responses", distinct=True),
        )
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class AnswerRow:
    organisation: Organisation
    response: CampaignResponse
    answers: list[str]  # one per question, "" where left blank


@dataclass(frozen=True)
class CampaignResults:
    asked: int
    answered: int
    rows: list[AnswerRow]
    waiting: list[CampaignRecipient]

    @property
    def percent(self) -> int | None:
        return round(100 * self.answered / self.asked) if self.asked else None


def campaign_results(*, campaign: Campaign) -> CampaignResults:
    """Answers side by side (one row per organisation that answered, columns in the
    order of the questions) and who has not answered yet; two queries."""
    recipients = list(
        campaign.recipients.select_related("organisation")
        .prefetch_related(Prefetch("responses", queryset=CampaignResponse.objects.all()))
        .order_by("organisation__name", "pk")
    )
    rows, waiting = [], []
    width = len(campaign.questions)
    for recipient in recipients:
        responses = list(recipient.responses.all())
        if not responses:
            waiting.append(recipient)
            continue
        answers = (list(responses[0].answers) + [""] * width)[:width]
        rows.append(AnswerRow(recipient.organisation, responses[0], answers))
    return CampaignResults(len(recipients), len(rows), rows, waiting)


@dataclass(frozen=True)
class PartnerAnswer:
    campaign: Campaign
    response: CampaignResponse
    pairs: list[tuple[str, str]]  # (question, answer)


def organisation_answers(*, organisation: Organisation, limit: int = 10) -> list[PartnerAnswer]:
    """The organisation's latest campaign answers with their questions (one query)."""
    responses = (
        CampaignResponse.objects.filter(recipient__organisation=organisation)
        .select_related("recipient__campaign")
        .order_by("-updated_at", "-pk")[:limit]
    )
    return [
        PartnerAnswer(
            r.recipient.campaign,
            r,
            [(q, a) for q, a in zip(r.recipient.campaign.questions, r.answers, strict=False)],
        )
        for r in responses
    ]


def audience(
    *, institution: Institution, filters: selectors.OrganisationFilters
) -> QuerySet[Organisation]:
    """The organisations a campaign would go to: the organisation list's filters, and
    without a stage filter every partner not in a closed (paused, ended) stage."""
    orgs = selectors.organisation_list(institution=institution, filters=filters)
    if filters.stage_id is None:
        orgs = orgs.filter(stage__is_closed=False)
    return orgs.annotate(
        emails=Count(
            "affiliations",
            filter=Q(affiliations__end_date__isnull=True) & ~Q(affiliations__contact__email=""),
        )
    )


@dataclass(frozen=True)
class CheckInSummary:
    overdue: int
    most_overdue: list[selectors.OverdueCheckIn]
    open_campaigns: Sequence[Campaign]


def check_in_summary(
    *, institution: Institution, today: datetime.date, limit: int = 5
) -> CheckInSummary:
    """For the coordinator's home: how many partners are due a check-in, the ``limit``
    most overdue, and the open campaigns with their answer counts. Four queries however
    many partners and cadences: the distinct cadences, the overdue partners' keys and
    dates, the few shown, and the campaigns."""
    orgs = Organisation.objects.filter(
        institution=institution, stage__is_closed=False, last_contact_on__isnull=False
    )
    cadences = set(orgs.order_by().values_list("check_in_every_days", flat=True).distinct())
    overdue = Q(pk__in=[])
    for every in cadences:
        limit_day = today - datetime.timedelta(days=every or DEFAULT_CHECK_IN_DAYS)
        mine = (
            Q(check_in_every_days=every)
            if every is not None
            else Q(check_in_every_days__isnull=True)
        )
        overdue |= mine & Q(last_contact_on__lt=limit_day)
    # The overdue partners' keys and dates only (three small columns), ranked here: a
    # constant number of queries however many cadences the partners have.
    due = [
        ((today - last).days - (every or DEFAULT_CHECK_IN_DAYS), name, pk)
        for pk, name, last, every in orgs.filter(overdue)
        .order_by()
        .values_list("pk", "name", "last_contact_on", "check_in_every_days")
        if last is not None
    ]
    count = len(due)
    ranked = sorted(due, key=lambda row: (-row[0], row[1], row[2]))
    top = {pk: by for by, _name, pk in ranked[:limit]}
    candidates = []
    for org in orgs.filter(pk__in=list(top)).select_related("stage"):
        assert org.last_contact_on is not None
        every = org.check_in_every_days or DEFAULT_CHECK_IN_DAYS
        candidates.append(selectors.OverdueCheckIn(org, every, top[org.pk]))
    candidates.sort(key=lambda r: (-r.days_overdue, r.organisation.name, r.organisation.pk))
    campaigns = list(
        Campaign.objects.filter(
            institution=institution, sent_at__isnull=False, closes_on__gte=today
        )
        .annotate(
            asked=Count("recipients", distinct=True),
            answered=Count("recipients__responses", distinct=True),
        )
        .order_by("closes_on", "pk")[:3]
    )
    return CheckInSummary(count, candidates[:limit], campaigns)
