"""CalendarEvent and ics_response: what a module's ``.ics`` download contains, parsed
back with the icalendar library."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import translation
from icalendar import Calendar, Component

from guildhouse.calendars.api import CalendarEvent, ics_response

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
UTC = datetime.UTC


def meeting(**changes: object) -> CalendarEvent:
    fields: dict[str, object] = {
        "uid": "meeting-12@guildhouse",
        "start": datetime.datetime(2026, 12, 1, 8, 0, tzinfo=UTC),  # 10:00 in Helsinki
        "end": datetime.datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        "summary": "Mentoring meeting",
        "description": "Bring your goals.",
        "location": "Room B12",
        "url": "/mentoring/meetings/12/",
    }
    return CalendarEvent(**(fields | changes))  # type: ignore[arg-type]


def parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def props(component: Component) -> dict[str, Any]:
    """The component's properties by name (icalendar's own types are a wide union)."""
    return dict(component.items())


def only_event(calendar: Calendar) -> dict[str, Any]:
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return props(events[0])


def download(*events: CalendarEvent, filename: str = "meeting.ics") -> HttpResponse:
    request = RequestFactory().get("/mentoring/meetings/12/ics/")
    return ics_response(list(events), filename=filename, request=request)


def test_a_meeting_download_has_the_exact_event_in_the_institution_time_zone() -> None:
    response = download(meeting())

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="meeting.ics"'
    assert response["Cache-Control"] == "private, no-store"
    body: bytes = response.content
    assert b"\r\n" in body
    calendar = parse(body)
    assert str(calendar["PRODID"]) == "-//Guildhouse//Guildhouse calendars//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert [str(props(tz)["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]
    event = only_event(calendar)
    assert str(event["UID"]) == "meeting-12@guildhouse"
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Mentoring meeting"
    assert str(event["LOCATION"]) == "Room B12"
    assert str(event["URL"]) == "http://testserver/mentoring/meetings/12/"
    assert str(event["DESCRIPTION"]) == (
        "Bring your goals.\n\nhttp://testserver/mentoring/meetings/12/"
    )
    start = event["DTSTART"].dt
    assert start == datetime.datetime(2026, 12, 1, 10, 0, tzinfo=HELSINKI)
    assert str(start.tzinfo) == "Europe/Helsinki"
    assert event["DTEND"].dt == datetime.datetime(2026, 12, 1, 11, 30, tzinfo=HELSINKI)
    assert b"DTSTART;TZID=Europe/Helsinki:20261201T100000" in body
    assert event["DTSTAMP"].dt.tzinfo is not None


def test_summer_time_is_kept_by_the_vtimezone() -> None:
    body = download(
        meeting(start=datetime.datetime(2026, 7, 1, 7, 0, tzinfo=UTC), end=None)
    ).content
    assert b"DTSTART;TZID=Europe/Helsinki:20260701T100000" in body  # UTC+3 in summer
    assert b"TZOFFSETTO:+0300" in body
    assert b"TZOFFSETTO:+0200" in body


@override_settings(TIME_ZONE="America/New_York")
def test_the_time_zone_is_the_deployments_setting() -> None:
    body = download(meeting()).content
    assert b"DTSTART;TZID=America/New_York:20261201T030000" in body
    assert b"X-WR-TIMEZONE:America/New_York" in body


def test_an_update_keeps_the_uid_and_raises_the_sequence() -> None:
    first = only_event(parse(download(meeting()).content))
    moved = meeting(start=datetime.datetime(2026, 12, 2, 8, 0, tzinfo=UTC), end=None, sequence=1)
    second = only_event(parse(download(moved).content))
    assert str(second["UID"]) == str(first["UID"])
    assert (first["SEQUENCE"], second["SEQUENCE"]) == (0, 1)
    assert second["DTSTART"].dt == datetime.datetime(2026, 12, 2, 10, 0, tzinfo=HELSINKI)


def test_a_cancellation_says_so_in_status_and_title() -> None:
    with translation.override("en"):
        event = only_event(parse(download(meeting(cancelled=True, sequence=2)).content))
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert str(event["SUMMARY"]) == "Cancelled: Mentoring meeting"
    with translation.override("fi"):
        event = only_event(parse(download(meeting(cancelled=True)).content))
    assert str(event["SUMMARY"]) == "Peruttu: Mentoring meeting"


def test_a_date_is_an_all_day_event_and_end_is_the_last_day() -> None:
    review = CalendarEvent(
        uid="agreement-7-review@guildhouse",
        start=datetime.date(2027, 3, 15),
        summary="Review the agreement with Nordic Steel",
    )
    fair = CalendarEvent(
        uid="event-3@guildhouse",
        start=datetime.date(2027, 4, 1),
        end=datetime.date(2027, 4, 3),
        summary="Skills fair",
    )
    response = ics_response([review, fair], filename="dates.ics")
    calendar = parse(response.content)
    events = {str(e["UID"]): props(e) for e in calendar.walk("VEVENT")}
    assert events["agreement-7-review@guildhouse"]["DTSTART"].dt == datetime.date(2027, 3, 15)
    assert events["agreement-7-review@guildhouse"]["DTEND"].dt == datetime.date(2027, 3, 16)
    assert events["event-3@guildhouse"]["DTEND"].dt == datetime.date(2027, 4, 4)
    assert str(events["event-3@guildhouse"]["TRANSP"]) == "TRANSPARENT"
    assert b"DTSTART;VALUE=DATE:20270315" in response.content
    assert calendar.walk("VTIMEZONE") == []  # no times, no zone needed


def test_text_is_escaped_and_folded_and_survives_a_round_trip() -> None:
    summary = "Tapaaminen: Åsa, Đức; Mäkinen \\ co"
    description = "Line one\r\nLine two, with; punctuation\x00 and a very long tail " + "ä" * 80
    response = download(meeting(summary=summary, description=description, url=""))
    body: bytes = response.content
    assert "SUMMARY:Tapaaminen: Åsa\\, Đức\\; Mäkinen \\\\ co".encode() in body
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded, in octets
    event = only_event(parse(body))
    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]) == description.replace("\r\n", "\n").replace("\x00", "")


def test_the_filename_may_hold_any_characters() -> None:
    response = ics_response([], filename="tapaaminen-äö.ics")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''tapaaminen-%C3%A4%C3%B6.ics"
    )
    assert parse(response.content).walk("VEVENT") == []


def test_a_path_url_needs_the_request() -> None:
    with pytest.raises(ValueError, match="pass request="):
        ics_response([meeting()])
    absolute = meeting(url="https://example.org/x")
    assert str(only_event(parse(ics_response([absolute]).content))["URL"]) == (
        "https://example.org/x"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"uid": " "}, "UID"),
        ({"uid": "a\nb"}, "UID"),
        ({"summary": ""}, "summary"),
        ({"sequence": -1}, "SEQUENCE"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"start": datetime.datetime(2026, 12, 1, 10, 0)}, "time zone"),
        ({"end": datetime.date(2026, 12, 1)}, "both"),
        ({"end": datetime.datetime(2026, 11, 30, 10, 0, tzinfo=UTC)}, "ends before"),
    ],
)
def test_bad_events_are_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        meeting(**changes)
