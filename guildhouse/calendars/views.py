"""The personal calendar feed (token-only, no sign-in) and the pages that manage it."""

from __future__ import annotations

import logging
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from guildhouse.calendars import selectors, services
from guildhouse.calendars.api import feed_events, ics_response
from guildhouse.calendars.models import CalendarFeed
from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest

logger = logging.getLogger(__name__)

# Calendar apps re-read a feed every few hours; several devices of one person stay far
# below this. A runaway client past it gets 429 until the hour is over.
FEED_READS_PER_HOUR = 60
# Asked of subscribing apps (REFRESH-INTERVAL); most choose their own interval anyway.
FEED_REFRESH_HOURS = 1


def _plain(status: int, text: str, **headers: str) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    for name, value in headers.items():
        response[name] = value
    return response


def _over_limit(feed: CalendarFeed) -> int:
    """Seconds to wait if this feed was read too often this hour, else 0."""
    now = int(time.time())
    window = now // 3600
    key = f"calendars:feed-reads:{feed.pk}:{window}"
    cache.add(key, 0, timeout=3600)
    try:
        reads = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        reads = 1
    return (window + 1) * 3600 - now if reads > FEED_READS_PER_HOUR else 0


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's calendar as ``.ics``, for calendar apps that cannot sign in.

    Who it is for comes from the token only, never from a session: a signed-in
    browser opening someone else's link sees that person's feed, as a calendar app
    would. Nothing here writes a session or a cookie. The token is never logged
    (see ``redaction``).
    """
    feed = selectors.calendar_feed_find(token)
    if feed is None:
        return _plain(404, "No such calendar.")
    wait = _over_limit(feed)
    if wait:
        return _plain(429, "Too many requests for this calendar.", **{"Retry-After": str(wait)})
    membership = feed.membership
    try:
        events = feed_events(membership.user, membership)
    except Exception:
        # The app keeps its last copy on a 503; a partial feed would delete entries.
        logger.exception("A calendar feed source failed (feed %s)", feed.pk)
        unavailable = "The calendar is unavailable; try again later."
        return _plain(503, unavailable, **{"Retry-After": "600"})
    services.calendar_feed_mark_read(feed=feed)
    institution = membership.institution
    return ics_response(
        events,
        filename=f"guildhouse-{institution.slug}.ics",
        request=request,
        name=f"Guildhouse · {institution.short_name}",
        refresh_hours=FEED_REFRESH_HOURS,
    )


def _feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("calendar_feed", args=[token]))


@require_POST
@member_required()
def calendar_link_create(request: AuthedRequest) -> HttpResponse:
    """Make (or replace) the calendar link of the active membership and show it once."""
    replaced = selectors.calendar_feed_of(request.membership.pk) is not None
    feed, token = services.calendar_feed_create(actor=request.user, membership=request.membership)
    url = _feed_url(request, token)
    context = {
        "feed": feed,
        "url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[1],
        "replaced": replaced,
        "membership": request.membership,
    }
    response = render(request, "calendars/link_created.html", context)
    # The page holds the secret link: no cache, no back-button copy.
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@member_required()
def calendar_link_revoke(request: AuthedRequest) -> HttpResponse:
    if services.calendar_feed_revoke(actor=request.user, membership=request.membership):
        messages.success(request, _("Your calendar link is turned off. It no longer works."))
    else:
        messages.info(request, _("You had no calendar link."))
    return redirect(reverse("profile") + "#calendar-heading")
