"""Turning calendar events into iCalendar (RFC 5545) bytes with the ``icalendar`` library.

Times are written in the institution's time zone (``settings.TIME_ZONE``) with a
``TZID`` and its ``VTIMEZONE``, so every app shows the meeting at the wall-clock time
it was booked for, across daylight-saving changes; all-day things are plain dates.
The library does the escaping (commas, semicolons, line breaks) and line folding.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

if TYPE_CHECKING:
    from guildhouse.calendars.api import CalendarEvent

PRODID = "-//Guildhouse//Guildhouse calendars//EN"
# Control characters other than tab and line feed are not allowed in iCalendar text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ONE_DAY = datetime.timedelta(days=1)


def _text(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _absolute(url: str, base_url: str | None, uid: str) -> str:
    if not url or url.startswith(("https://", "http://")):
        return url
    if base_url is None:
        raise ValueError(
            f"Calendar event {uid}: url {url!r} is a path; pass request= to ics_response."
        )
    return urljoin(base_url, url)


def _event(item: CalendarEvent, *, base_url: str | None, stamp: datetime.datetime) -> Event:
    zone = timezone.get_default_timezone()
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", item.sequence)
    summary = _text(item.summary)
    if item.cancelled:
        # Some apps ignore STATUS in subscribed calendars; the title says it too.
        summary = _("Cancelled: %(summary)s") % {"summary": summary}
    event.add("summary", summary)
    if isinstance(item.start, datetime.datetime):
        event.add("dtstart", item.start.astimezone(zone))
        end = item.end if item.end is not None else item.start
        assert isinstance(end, datetime.datetime)
        event.add("dtend", end.astimezone(zone))
    else:
        # DTEND of an all-day event is the day after the last day (RFC 5545 3.6.1).
        last = item.end if item.end is not None else item.start
        event.add("dtstart", item.start)
        event.add("dtend", last + _ONE_DAY)
        event.add("transp", "TRANSPARENT")  # a review date does not make anyone busy
    url = _absolute(item.url, base_url, item.uid)
    description = _text(item.description)
    if url:
        event.add("url", url)
        # Google Calendar ignores URL: the link goes at the end of the description too.
        description = f"{description}\n\n{url}" if description else url
    if description:
        event.add("description", description)
    if item.location:
        event.add("location", _text(item.location))
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    return event


def calendar_bytes(
    events: list[CalendarEvent],
    *,
    base_url: str | None = None,
    name: str = "",
    refresh_hours: int | None = None,
) -> bytes:
    """The ``VCALENDAR`` of ``events`` as UTF-8 bytes with CRLF line ends.

    ``refresh_hours`` asks subscribing apps to re-read a feed that often
    (``REFRESH-INTERVAL``, ``X-PUBLISHED-TTL``).
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    zone_name = str(timezone.get_default_timezone())
    calendar.add("x-wr-timezone", zone_name)
    if name:
        calendar.add("x-wr-calname", _text(name))
    if refresh_hours is not None:
        interval = datetime.timedelta(hours=refresh_hours)
        calendar.add("refresh-interval", interval, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(interval))  # X- props default to text
    stamp = timezone.now().replace(microsecond=0)
    for item in events:
        calendar.add_component(_event(item, base_url=base_url, stamp=stamp))
    zone = timezone.get_default_timezone()
    moments = [
        moment.astimezone(zone)
        for e in events
        for moment in (e.start, e.end)
        if isinstance(moment, datetime.datetime)
    ]
    if moments:
        # VTIMEZONE rules for the years the events span, not the library's 1970-2038.
        calendar.add_missing_timezones(
            first_date=datetime.date(min(moments).year, 1, 1),
            last_date=datetime.date(max(moments).year + 1, 1, 1),
        )
    body: bytes = calendar.to_ical()
    return body
