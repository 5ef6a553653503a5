"""What other apps use: calendar events, ``.ics`` downloads and the personal feed.

::

    from guildhouse.calendars.api import CalendarEvent, ics_response, register_feed_source

See ``docs/calendars.md`` for how a module uses it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from guildhouse.calendars.ical import calendar_bytes

if TYPE_CHECKING:
    from guildhouse.core.models import Membership, User

CONTENT_TYPE = "text/calendar; charset=utf-8"
_LINE_BREAK = re.compile(r"[\r\n]")


@dataclass(frozen=True, kw_only=True)
class CalendarEvent:
    """One dated thing, as a calendar app shows it.

    ``uid`` names the thing for ever (``"meeting-12@guildhouse"``): a changed meeting
    keeps its UID and raises ``sequence``, so calendar apps update the entry instead of
    adding a second one. ``start`` and ``end`` are time-zone-aware datetimes, or both
    dates for an all-day thing (an agreement's review date); for dates ``end`` is the
    last day (inclusive) and may be left out for a one-day thing. ``url`` is absolute
    or a path on this site (``"/partners/agreements/12/"``). ``cancelled`` keeps the
    entry with ``STATUS:CANCELLED`` so that apps that already have it cross it out.
    """

    uid: str
    start: datetime.datetime | datetime.date
    summary: str
    end: datetime.datetime | datetime.date | None = None
    sequence: int = 0
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False

    def __post_init__(self) -> None:
        if not self.uid.strip() or _LINE_BREAK.search(self.uid):
            raise ValueError("A calendar event needs a UID on one line.")
        if not self.summary.strip():
            raise ValueError(f"Calendar event {self.uid}: the summary is empty.")
        if self.sequence < 0:
            raise ValueError(f"Calendar event {self.uid}: SEQUENCE cannot be negative.")
        if self.url and not self.url.startswith(("/", "https://", "http://")):
            raise ValueError(f"Calendar event {self.uid}: url must be absolute or a path.")
        timed = isinstance(self.start, datetime.datetime)
        if self.end is not None and isinstance(self.end, datetime.datetime) != timed:
            raise ValueError(f"Calendar event {self.uid}: start and end must both be dates.")
        if timed:
            for moment in (self.start, self.end):
                if isinstance(moment, datetime.datetime) and moment.utcoffset() is None:
                    raise ValueError(f"Calendar event {self.uid}: datetimes need a time zone.")
        if self.end is not None and self.end < self.start:
            raise ValueError(f"Calendar event {self.uid}: it ends before it starts.")

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime.datetime)


def ics_response(
    events: Iterable[CalendarEvent],
    filename: str = "calendar.ics",
    *,
    request: HttpRequest | None = None,
    name: str = "",
    refresh_hours: int | None = None,
) -> HttpResponse:
    """An ``.ics`` download of ``events`` (one or many).

    Pass ``request`` when an event's ``url`` is a path: it is made absolute with the
    request's host (an ``.ics`` file outside the site cannot follow a path); without
    it such an event raises ``ValueError``. ``name`` titles the calendar in apps that
    show one (``X-WR-CALNAME``); ``refresh_hours`` asks subscribing apps to re-read it
    that often (feeds only). The response is private and never stored by caches.
    """
    base = request.build_absolute_uri("/") if request is not None else None
    body = calendar_bytes(list(events), base_url=base, name=name, refresh_hours=refresh_hours)
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


FeedSource = Callable[["User", "Membership"], Iterable[CalendarEvent]]
_sources: list[FeedSource] = []


def register_feed_source(source: FeedSource) -> FeedSource:
    """Add ``source`` to everyone's personal feed; returns it, so it works as a decorator.

    ``source(user, membership)`` returns the events of ``membership``'s institution that
    this person may see: the same rule as the module's own pages. Register it once, in
    the app's ``AppConfig.ready``; registering the same function again does nothing.
    """
    if source not in _sources:
        _sources.append(source)
    return source


def feed_sources() -> tuple[FeedSource, ...]:
    return tuple(_sources)


def feed_events(user: User, membership: Membership) -> list[CalendarEvent]:
    """Every registered source's events for this person, in start order.

    Two events with the same UID would make calendar apps flicker between them; the
    first source's event is kept.
    """
    events: dict[str, CalendarEvent] = {}
    for source in _sources:
        for event in source(user, membership):
            events.setdefault(event.uid, event)
    return sorted(events.values(), key=_sort_key)


def _sort_key(event: CalendarEvent) -> tuple[datetime.datetime, str]:
    start = event.start
    if not isinstance(start, datetime.datetime):
        start = datetime.datetime.combine(start, datetime.time.min, tzinfo=datetime.UTC)
    return start, event.uid
