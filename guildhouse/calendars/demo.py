"""Demo data for calendars: every printed demo login has a calendar link.

Links are normally random and shown once. The demo's are derived from the secret key
and the person's email (``demo_feed_token``), so that the same demo database always
has the same links and ``demo_feed_path`` can tell a visitor theirs, as the demo's
printed password does. Core has no dated things yet: the feeds are empty until the
modules register their feed sources.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac

from django.conf import settings

from guildhouse.calendars import services
from guildhouse.calendars.models import CalendarFeed
from guildhouse.core.demo import DEMO_INSTITUTIONS, DEMO_LOGINS
from guildhouse.core.models import Membership


def demo_feed_token(email: str, institution_short_name: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"guildhouse-demo-calendar:{email}:{institution_short_name}".encode(),
        hashlib.sha256,
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def demo_feed_path(email: str, institution_short_name: str) -> str:
    """The feed path (``/calendar/feed/….ics``) of a printed demo login."""
    from django.urls import reverse

    return reverse("calendar_feed", args=[demo_feed_token(email, institution_short_name)])


def load_demo(*, today: datetime.date) -> None:
    """Give each printed demo login a calendar link in each of their schools (once)."""
    for login in DEMO_LOGINS:
        for short_name, _role in login.memberships:
            membership = (
                Membership.objects.select_related("user", "institution")
                .filter(user__email=login.email, institution__name=DEMO_INSTITUTIONS[short_name])
                .first()
            )
            if membership is None or CalendarFeed.objects.filter(membership=membership).exists():
                continue
            services.calendar_feed_create(
                actor=membership.user,
                membership=membership,
                token=demo_feed_token(login.email, short_name),
            )
