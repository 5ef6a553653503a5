"""Demo notifications: a few for the demo admins and coordinators (who invite people),
and one daily summary waiting.

The rows are written directly (not through ``notify``) so that loading the demo
emails nobody; the summary's notifications are dated today, so they wait for
tomorrow's summary and show as waiting on the settings page.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from guildhouse.core.demo import DEMO_INSTITUTIONS, DEMO_LOGINS
from guildhouse.core.models import Institution, Membership, Role, User
from guildhouse.notifications import kinds
from guildhouse.notifications.api import render_text
from guildhouse.notifications.models import (
    Delivery,
    EmailState,
    Notification,
    NotificationPreference,
)

DIGEST_PERSON = "coordinator@riverside.demo"


def load_demo(*, today: datetime.date) -> None:
    if NotificationPreference.objects.filter(user__email=DIGEST_PERSON).exists():
        return  # loaded already
    institutions = {
        i.name: i for i in Institution.objects.filter(name__in=DEMO_INSTITUTIONS.values())
    }
    zone = ZoneInfo(settings.TIME_ZONE)
    morning = datetime.datetime.combine(today, datetime.time(8, 0), tzinfo=zone)
    rows: list[Notification] = []
    with transaction.atomic():
        for login in DEMO_LOGINS:
            user = User.objects.get(email=login.email)
            where, role = login.memberships[0]
            if role not in (Role.ADMIN, Role.COORDINATOR):
                continue
            institution = institutions[DEMO_INSTITUTIONS[where]]
            newcomers = (
                Membership.objects.filter(institution=institution)
                .exclude(user=user)
                .select_related("user")
                .order_by("pk")[:3]
            )
            for index, newcomer in enumerate(newcomers):
                context = {"name": newcomer.user.full_name, "institution": institution.name}
                digest = login.email == DIGEST_PERSON
                rows.append(
                    Notification(
                        recipient=user,
                        institution=institution,
                        kind=kinds.INVITATION_ACCEPTED,
                        subject=render_text(kinds.INVITATION_ACCEPTED_SUBJECT, context, "en"),
                        body=render_text(kinds.INVITATION_ACCEPTED_BODY, context, "en"),
                        url=reverse("person_detail", args=[newcomer.pk]),
                        created_at=(morning if digest else morning - datetime.timedelta(days=1))
                        + datetime.timedelta(hours=index),
                        read_at=None if index else morning,
                        email_state=EmailState.DIGEST if digest else EmailState.SENT,
                    )
                )
            if login.email == DIGEST_PERSON:
                NotificationPreference.objects.update_or_create(
                    user=user,
                    kind=kinds.INVITATION_ACCEPTED,
                    defaults={"delivery": Delivery.DIGEST},
                )
        with translation.override("en"):
            Notification.objects.bulk_create(rows)
