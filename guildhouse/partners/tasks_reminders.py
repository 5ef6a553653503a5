"""More reminders of the daily partnership job (issue 9, item 17): agreements to renew
or review, placements still missing documents before their start, and check-in
campaigns left unanswered. Each is sent once per episode, remembered in
``ReminderSent`` under a key that names the thing and the date that made it due."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import STAFF_ROLES, Institution, Role, User
from guildhouse.core.selectors import role_users
from guildhouse.notifications.api import notify, register_kind
from guildhouse.partners import services_campaigns
from guildhouse.partners.models import (
    Agreement,
    AgreementStatus,
    Campaign,
    Organisation,
    Placement,
    PlacementStatus,
    ReminderSent,
    ReminderSettings,
)
from guildhouse.partners.services import compliance_gaps

AGREEMENT_RENEWAL = "partners.agreement_renewal"
AGREEMENT_REVIEW = "partners.agreement_review"
COMPLIANCE_MISSING = "partners.compliance_missing"
CAMPAIGN_UNANSWERED = "partners.campaign_unanswered"
register_kind(
    AGREEMENT_RENEWAL, label=_("An agreement is coming up for renewal"), roles=STAFF_ROLES
)
register_kind(AGREEMENT_REVIEW, label=_("An agreement is due for review"), roles=STAFF_ROLES)
register_kind(
    COMPLIANCE_MISSING,
    label=_("A placement starts soon without its documents"),
    roles=STAFF_ROLES,
)
register_kind(
    CAMPAIGN_UNANSWERED, label=_("Partners have not answered a check-in"), roles=STAFF_ROLES
)
register_kind(
    services_campaigns.CAMPAIGN_ANSWERED,
    label=_("A partner answered a check-in"),
    default="in_app",
    roles=STAFF_ROLES,
)


def reminder_settings(institution: Institution) -> ReminderSettings:
    """The institution's settings, or the defaults (unsaved) when it has none."""
    found = ReminderSettings.objects.filter(institution=institution).first()
    return found or ReminderSettings(institution=institution)


def _owners(organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    links = Organisation.owners.through.objects.filter(
        organisation_id__in=list(organisation_ids), membership__is_active=True
    ).select_related("membership__user")
    found: dict[int, list[User]] = {}
    for link in links:
        found.setdefault(link.organisation_id, []).append(link.membership.user)
    return found


def _fresh(institution: Institution, keys: Iterable[str]) -> set[str]:
    wanted = set(keys)
    sent = set(
        ReminderSent.objects.filter(institution=institution, key__in=wanted).values_list(
            "key", flat=True
        )
    )
    return wanted - sent


def _mark(institution: Institution, key: str, today: datetime.date) -> None:
    ReminderSent.objects.create(institution=institution, key=key, sent_on=today)


def _remind_agreements(
    institution: Institution, today: datetime.date, config: ReminderSettings
) -> None:
    """Signed agreements ending within ``renewal_days``, or with a review date within
    ``review_days`` (not past): the organisation's owners and the coordinators."""
    signed = Agreement.objects.filter(
        organisation__institution=institution, status=AgreementStatus.SIGNED
    ).select_related("organisation")
    ending = signed.filter(
        ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=config.renewal_days)
    ).order_by("ends_on", "pk")
    reviewing = signed.filter(
        review_on__gte=today, review_on__lte=today + datetime.timedelta(days=config.review_days)
    ).order_by("review_on", "pk")
    renewals = {f"agreement_renewal:{a.pk}:{a.ends_on}": a for a in ending}
    reviews = {f"agreement_review:{a.pk}:{a.review_on}": a for a in reviewing}
    fresh = _fresh(institution, [*renewals, *reviews])
    if not fresh:
        return
    coordinators = role_users(institution_id=institution.pk, role=Role.COORDINATOR)
    owners = _owners(a.organisation_id for a in [*ending, *reviewing])
    for key, agreement in renewals.items():
        if key not in fresh:
            continue
        assert agreement.ends_on is not None
        notify(
            recipients=[*owners.get(agreement.organisation_id, []), *coordinators],
            kind=AGREEMENT_RENEWAL,
            institution=institution,
            subject=_("The agreement “%(title)s” with %(partner)s ends on %(date)s"),
            body=_("Decide whether to renew it, and talk to the partner in good time."),
            context={
                "title": agreement.title,
                "partner": agreement.organisation.name,
                "date": date_format(agreement.ends_on),
            },
            url=reverse("partners:agreement_detail", args=[agreement.pk]),
        )
        _mark(institution, key, today)
    for key, agreement in reviews.items():
        if key not in fresh:
            continue
        assert agreement.review_on is not None
        notify(
            recipients=[*owners.get(agreement.organisation_id, []), *coordinators],
            kind=AGREEMENT_REVIEW,
            institution=institution,
            subject=_("Review the agreement “%(title)s” with %(partner)s by %(date)s"),
            context={
                "title": agreement.title,
                "partner": agreement.organisation.name,
                "date": date_format(agreement.review_on),
            },
            url=reverse("partners:agreement_detail", args=[agreement.pk]),
        )
        _mark(institution, key, today)


def _remind_compliance(
    institution: Institution, today: datetime.date, config: ReminderSettings
) -> None:
    """Proposed placements starting within ``compliance_days`` whose documents do not
    cover them yet: whoever proposed it, the organisation's owners, the coordinators."""
    soon = (
        Placement.objects.filter(
            learner__institution=institution,
            status=PlacementStatus.PROPOSED,
            starts_on__gte=today,
            starts_on__lte=today + datetime.timedelta(days=config.compliance_days),
        )
        .select_related("period__opportunity__organisation", "learner__user", "created_by")
        .prefetch_related("compliance_items")
        .order_by("starts_on", "pk")
    )
    keyed = {f"compliance:{p.pk}:{p.starts_on}": p for p in soon}
    fresh = _fresh(institution, keyed)
    if not fresh:
        return
    coordinators = role_users(institution_id=institution.pk, role=Role.COORDINATOR)
    owners = _owners(p.period.opportunity.organisation_id for p in keyed.values())
    for key, placement in keyed.items():
        if key not in fresh:
            continue
        gaps = compliance_gaps(placement)
        if not gaps:
            continue  # complete: no reminder, and none remembered (a gap may come later)
        organisation = placement.period.opportunity.organisation
        creator = [placement.created_by] if placement.created_by else []
        notify(
            recipients=[*creator, *owners.get(organisation.pk, []), *coordinators],
            kind=COMPLIANCE_MISSING,
            institution=institution,
            subject=_("%(learner)s starts at %(partner)s on %(date)s without every document"),
            body=_("Missing: %(gaps)s"),
            context={
                "learner": placement.learner.user.full_name,
                "partner": organisation.name,
                "date": date_format(placement.starts_on),
                "gaps": " ".join(gaps),
            },
            url=reverse("partners:placement_detail", args=[placement.pk]),
        )
        _mark(institution, key, today)


def _remind_campaigns(
    institution: Institution, today: datetime.date, config: ReminderSettings
) -> None:
    """Open campaigns closing within ``campaign_days`` with partners who have not
    answered: the coordinator who created it hears how many, and those partners get a
    reminder email (once per campaign and closing day)."""
    closing = Campaign.objects.filter(
        institution=institution,
        sent_at__isnull=False,
        closes_on__gte=today,
        closes_on__lte=today + datetime.timedelta(days=config.campaign_days),
    ).select_related("created_by", "institution")
    keyed = {f"campaign:{c.pk}:{c.closes_on}": c for c in closing.order_by("closes_on", "pk")}
    for key in sorted(_fresh(institution, keyed)):
        campaign = keyed[key]
        count = services_campaigns.remind_unanswered(campaign)
        if count and campaign.created_by is not None:
            notify(
                recipients=[campaign.created_by],
                kind=CAMPAIGN_UNANSWERED,
                institution=institution,
                subject=_("%(count)s partners have not answered “%(campaign)s”"),
                body=_("It closes on %(date)s; a reminder has gone to them by email."),
                context={
                    "count": count,
                    "campaign": campaign.title,
                    "date": date_format(campaign.closes_on),
                },
                url=reverse("partners:campaign_detail", args=[campaign.pk]),
            )
        _mark(institution, key, today)


def remind_more(institution: Institution, today: datetime.date) -> None:
    """Run inside the daily job's transaction for one institution."""
    config = reminder_settings(institution)
    _remind_agreements(institution, today, config)
    _remind_compliance(institution, today, config)
    _remind_campaigns(institution, today, config)
