"""Background jobs of the partnerships module."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import STAFF_ROLES, Institution, User
from guildhouse.jobs.api import periodic
from guildhouse.notifications.api import notify, register_kind
from guildhouse.partners import selectors
from guildhouse.partners.models import FollowUp, Organisation, ReminderSent

CHECK_IN_DUE = "partners.check_in_due"
FOLLOW_UP_OVERDUE = "partners.follow_up_overdue"
register_kind(CHECK_IN_DUE, label=_("A partner I own is due a check-in"), roles=STAFF_ROLES)
register_kind(FOLLOW_UP_OVERDUE, label=_("A follow-up of mine is overdue"), roles=STAFF_ROLES)


def _not_sent(institution: Institution, keys: list[str]) -> set[str]:
    sent = set(
        ReminderSent.objects.filter(institution=institution, key__in=keys).values_list(
            "key", flat=True
        )
    )
    return set(keys) - sent


def _remind_check_ins(institution: Institution, today: datetime.date) -> None:
    rows = selectors.check_ins_overdue(institution=institution, today=today)
    keyed = {f"check_in:{r.organisation.pk}:{r.organisation.last_contact_on}": r for r in rows}
    due = _not_sent(institution, list(keyed))
    owners = Organisation.owners.through.objects.filter(
        organisation_id__in=[keyed[key].organisation.pk for key in due],
        membership__is_active=True,
    ).select_related("membership__user")
    owners_of: dict[int, list[User]] = {}
    for link in owners:
        owners_of.setdefault(link.organisation_id, []).append(link.membership.user)
    for key in sorted(due):
        org = keyed[key].organisation
        assert org.last_contact_on is not None
        notify(
            recipients=owners_of.get(org.pk, []),
            kind=CHECK_IN_DUE,
            institution=institution,
            subject=_("Time to check in with %(partner)s"),
            body=_(
                "The last contact was on %(date)s; the plan is to be in touch every %(every)s days."
            ),
            context={
                "partner": org.name,
                "date": date_format(org.last_contact_on),
                "every": keyed[key].every_days,
            },
            url=reverse("partners:organisation_detail", args=[org.pk]),
        )
        ReminderSent.objects.create(institution=institution, key=key, sent_on=today)


def _remind_follow_ups(institution: Institution, today: datetime.date) -> None:
    overdue = list(
        FollowUp.objects.filter(
            organisation__institution=institution,
            done_at__isnull=True,
            due_on__lt=today,
            owner__is_active=True,
        )
        .select_related("organisation", "owner__user")
        .order_by("due_on", "pk")
    )
    keyed = {f"follow_up:{f.pk}:{f.due_on}": f for f in overdue}
    due = _not_sent(institution, list(keyed))
    for key, follow_up in keyed.items():
        if key not in due:
            continue
        notify(
            recipients=[follow_up.owner.user],
            kind=FOLLOW_UP_OVERDUE,
            institution=institution,
            subject=_("Overdue follow-up with %(partner)s"),
            body=_("“%(what)s” was due on %(date)s."),
            context={
                "partner": follow_up.organisation.name,
                "what": follow_up.description,
                "date": date_format(follow_up.due_on),
            },
            url=reverse("partners:organisation_detail", args=[follow_up.organisation_id]),
        )
        ReminderSent.objects.create(institution=institution, key=key, sent_on=today)


@periodic(every="daily")
def partners_daily_reminders(*, period_start: datetime.datetime) -> None:
    """Tell relationship owners about check-ins due and owners about overdue follow-ups,
    and (tasks_reminders.py) about agreements to renew or review, placements missing
    documents and campaigns left unanswered, once per episode (a second run sends
    nothing new)."""
    today = timezone.localdate(period_start)
    for institution in Institution.objects.order_by("pk"):
        with transaction.atomic():
            _remind_check_ins(institution, today)
            _remind_follow_ups(institution, today)
            # Agreements, placement documents and campaigns (tasks_reminders.py).
            tasks_reminders.remind_more(institution, today)


# --- Check-in campaigns and imports (issue 9, items 7 and 16) -------------------------

from guildhouse.partners import tasks_reminders  # noqa: E402  (registers its kinds)
from guildhouse.partners.tasks_campaigns import (  # noqa: E402  (registered with this module)
    partners_campaign_email,
    partners_import_check,
    partners_import_run,
)

__all__ = [
    "partners_campaign_email",
    "partners_daily_reminders",
    "partners_import_check",
    "partners_import_run",
]
