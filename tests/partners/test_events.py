"""Partnership events: attendees, the .ics download and the personal feed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guildhouse.calendars.api import feed_sources
from guildhouse.core.models import AuditEvent, Role
from guildhouse.partners import services_cpd, services_events
from guildhouse.partners.models import EventAttendee, PartnerEvent
from guildhouse.partners.selectors_alignment import academic_year
from guildhouse.partners.selectors_events import events_feed
from tests.conftest import World
from tests.factories import member_make
from tests.partners.conftest import PartnerWorld
from tests.partners.make import contact_make

TZ = timezone.get_current_timezone()


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def event_make(w: World, title: str = "Open house", days: int = 10) -> PartnerEvent:
    return services_events.event_save(
        actor=w.staff.user,
        institution=w.institution,
        event=None,
        kind="open_house",
        title=title,
        starts_at=_at(days, 15),
        ends_at=_at(days, 18),
        location="Main workshop",
    )


def test_staff_create_an_event_with_partner_organisations(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.staff)
    form = client.get(reverse("partners:event_create")).content.decode()
    assert 'name="organisation"' in form
    assert " multiple" not in form  # no list of every organisation to ctrl-click in
    assert "Add more on the event's page." in form
    response = client.post(
        reverse("partners:event_create"),
        {
            "kind": "showcase",
            "title": "Apprentice showcase",
            "starts_at": "2026-12-10T14:00",
            "ends_at": "2026-12-10T17:30",
            "location": "Hall B",
            "description": "Learners show their projects.",
            "organisation": "coastal",  # part of the name is enough
        },
    )
    event = PartnerEvent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:event_detail", args=[event.pk])
    assert (event.kind, event.title, event.location, event.sequence) == (
        "showcase",
        "Apprentice showcase",
        "Hall B",
        0,
    )
    assert timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M") == "2026-12-10 14:00"
    assert list(event.organisations.all()) == [pw.organisation]

    # More partners are added, and removed, on the event's page, by typing.
    detail = reverse("partners:event_detail", args=[event.pk])
    add = reverse("partners:event_organisation_add", args=[event.pk])
    response = client.post(add, {"partner-organisation": "Harbour Hotel"}, follow=True)
    assert "Harbour Hotel added." in response.content.decode()
    response = client.post(add, {"partner-organisation": "Harbour Hotel"}, follow=True)
    assert "Harbour Hotel was already named." in response.content.decode()
    response = client.post(add, {"partner-organisation": "Ridge Build"})  # another school's
    assert response.status_code == 400
    assert "Nothing here is called “Ridge Build”." in response.content.decode()
    assert 'value="Ridge Build"' in response.content.decode()
    assert sorted(o.name for o in event.organisations.all()) == [
        "Coastal Motors Ltd",
        "Harbour Hotel",
    ]
    page = client.get(detail).content.decode()
    assert "Remove Coastal Motors Ltd" in page
    assert "Remove Harbour Hotel" in page
    remove = reverse("partners:event_organisation_remove", args=[event.pk, pw.organisation.pk])
    response = client.post(remove, follow=True)
    assert "Coastal Motors Ltd removed." in response.content.decode()
    assert [o.name for o in event.organisations.all()] == ["Harbour Hotel"]
    assert list(
        AuditEvent.objects.filter(object_type="partners.partnerevent", object_id=str(event.pk))
        .order_by("pk")
        .values_list("action", "changes")
    ) == [
        (
            "create",
            {
                "kind": "showcase",
                "starts_at": "2026-12-10T14:00:00+02:00",
                "organisations": [pw.organisation.pk],
            },
        ),
        ("partners_event_organisation_add", {"organisation": pw.other_organisation.pk}),
        ("partners_event_organisation_remove", {"organisation": pw.organisation.pk}),
    ]

    # Changing the event leaves its partners alone; the form no longer offers them.
    form = client.get(reverse("partners:event_edit", args=[event.pk])).content.decode()
    assert 'name="organisation"' not in form
    client.post(
        reverse("partners:event_edit", args=[event.pk]),
        {
            "kind": "showcase",
            "title": "Apprentice showcase",
            "starts_at": "2026-12-10T15:00",
            "ends_at": "2026-12-10T17:30",
        },
    )
    event.refresh_from_db()
    assert event.sequence == 1
    assert [o.name for o in event.organisations.all()] == ["Harbour Hotel"]


def test_an_event_cannot_end_before_it_starts(pw: PartnerWorld) -> None:
    w = pw.world
    response = w.client_for(w.staff).post(
        reverse("partners:event_create"),
        {
            "kind": "workshop",
            "title": "CV workshop",
            "starts_at": "2026-12-10T14:00",
            "ends_at": "2026-12-10T13:00",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The event cannot end before it starts." in page
    assert 'value="CV workshop"' in page
    assert not PartnerEvent.objects.exists()


def test_attendees_are_staff_learners_or_contacts_once_each(pw: PartnerWorld) -> None:
    w = pw.world
    event = event_make(w)
    client = w.client_for(w.coordinator)
    url = reverse("partners:attendee_add", args=[event.pk])
    learner, staff = w.learner.user.full_name, w.staff.user.full_name
    client.post(url, {"attendee-membership": learner})
    client.post(url, {"attendee-contact": "tuan"})  # part of the name is enough
    # As the suggestion offers it: name, role, email.
    client.post(url, {"attendee-membership": f"{staff} · Staff · {w.staff.user.email}"})
    response = client.post(url, {"attendee-membership": learner}, follow=True)
    assert "They are already on the list of attendees." in response.content.decode()
    response = client.post(
        url,
        {"attendee-membership": staff, "attendee-contact": "Tuan Pham"},
        follow=True,
    )
    assert (
        "Choose either a staff member or learner, or a partner contact."
        in response.content.decode()
    )
    # Another institution's learner is not found by their name.
    outsider = w.outsider_learner.user.full_name
    response = client.post(url, {"attendee-membership": outsider})
    assert f"Nothing here is called “{outsider}”." in response.content.decode()
    assert EventAttendee.objects.filter(event=event).count() == 3
    page = client.get(reverse("partners:event_detail", args=[event.pk])).content.decode()
    assert f"{w.learner.user.full_name} (Learner)" in page
    assert "Tuan Pham (partner contact)" in page
    staff_row = EventAttendee.objects.get(event=event, membership=w.staff)
    client.post(reverse("partners:attendee_remove", args=[event.pk, staff_row.pk]))
    assert not EventAttendee.objects.filter(pk=staff_row.pk).exists()


def test_learners_and_partners_reach_only_events_they_attend(pw: PartnerWorld) -> None:
    w = pw.world
    event = event_make(w)
    detail = reverse("partners:event_detail", args=[event.pk])
    ics = reverse("partners:event_ics", args=[event.pk])
    for who in (w.learner, w.partner):
        assert w.client_for(who).get(detail).status_code == 404
        assert w.client_for(who).get(ics).status_code == 404
    services_events.attendee_add(actor=w.staff.user, event=event, membership=w.learner)
    services_events.attendee_add(actor=w.staff.user, event=event, contact=pw.partner_contact)
    for who in (w.learner, w.partner):
        page = w.client_for(who).get(detail).content.decode()
        assert "Open house" in page
        assert "Main workshop" in page
        assert "Attendees" not in page  # guests do not see who else comes
        assert w.client_for(who).get(ics).status_code == 200
    assert w.client_for(w.outsider).get(detail).status_code == 404
    assert w.client_for(w.stakeholder).get(detail).status_code == 403


def test_the_ics_download_and_the_personal_feed(pw: PartnerWorld) -> None:
    w = pw.world
    event = event_make(w, "Careers evening")
    other = contact_make(organisation=pw.organisation, actor=w.coordinator, full_name="Not Linked")
    services_events.attendee_add(actor=w.staff.user, event=event, contact=pw.partner_contact)
    services_events.attendee_add(actor=w.staff.user, event=event, contact=other)
    services_events.attendee_add(actor=w.staff.user, event=event, membership=w.staff)
    response = w.client_for(w.staff).get(reverse("partners:event_ics", args=[event.pk]))
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="event-{event.pk}.ics"' in response["Content-Disposition"]
    assert f"UID:partner-event-{event.pk}@guildhouse" in body
    assert "SUMMARY:Careers evening" in body
    assert "LOCATION:Main workshop" in body
    assert f"http://testserver/partners/events/{event.pk}/" in body.replace("\r\n ", "")

    assert events_feed in feed_sources()
    assert [e.summary for e in events_feed(w.staff.user, w.staff)] == ["Careers evening"]
    assert [e.summary for e in events_feed(w.partner.user, w.partner)] == ["Careers evening"]
    assert list(events_feed(w.learner.user, w.learner)) == []
    assert list(events_feed(w.coordinator.user, w.coordinator)) == []


def test_event_list_shows_coming_or_past_events_in_constant_queries(pw: PartnerWorld) -> None:
    w = pw.world
    event_make(w, "Coming fair", days=3)
    event_make(w, "Last year's fair", days=-200)
    client = w.client_for(w.support)

    def measure(url: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return len(queries), response.content.decode()

    few, page = measure(reverse("partners:event_list"))
    assert "Coming fair" in page
    assert "Last year&#x27;s fair" not in page
    _, past = measure(reverse("partners:event_list") + "?when=past")
    assert "Last year&#x27;s fair" in past
    assert "Coming fair" not in past
    for n in range(6):
        e = event_make(w, f"Workshop {n}", days=n + 1)
        services_events.attendee_add(
            actor=w.staff.user,
            event=e,
            membership=member_make(institution=w.institution, role=Role.LEARNER),
        )
    many, page = measure(reverse("partners:event_list"))
    assert many == few
    assert '<a href="/partners/events/' in page
    assert page.count("<td>1</td>") == 6


def test_the_staff_home_shows_cpd_hours_and_coming_events(pw: PartnerWorld) -> None:
    w = pw.world
    coming = event_make(w, "Supervisor workshop", days=2)
    event_make(w, "Not mine", days=3)
    past = event_make(w, "Old forum", days=-30)
    for event in (coming, past):
        services_events.attendee_add(actor=w.staff.user, event=event, membership=w.staff)
    services_cpd.cpd_record(
        actor=w.staff.user,
        membership=w.staff,
        kind="training",
        title="Course",
        starts_on=academic_year(timezone.localdate())[0],
        hours=Decimal("7.5"),
    )
    for role in (Role.STAFF, Role.SUPPORT, Role.COORDINATOR, Role.ADMIN):
        page = w.client_for(w.member(role)).get(reverse("home")).content.decode()
        assert "Industry network" in page
        assert reverse("partners:cpd_mine") in page
    page = w.client_for(w.staff).get(reverse("home")).content.decode()
    assert "Your CPD hours this academic year: 7.5." in page
    assert (
        f'<a href="{reverse("partners:event_detail", args=[coming.pk])}">Supervisor workshop</a>'
        in page
    )
    assert "Not mine" not in page
    assert "Old forum" not in page
    for role in (Role.LEARNER, Role.PARTNER, Role.STAKEHOLDER):
        page = w.client_for(w.member(role)).get(reverse("home")).content.decode()
        assert "Industry network" not in page


def test_the_event_page_names_its_partners_in_finnish(pw: PartnerWorld) -> None:
    w = pw.world
    event = event_make(w)
    services_events.event_organisation_add(
        actor=w.staff.user, event=event, organisation=pw.organisation
    )
    client = w.client_for(w.staff)
    client.cookies["django_language"] = "fi"
    page = client.get(reverse("partners:event_detail", args=[event.pk])).content.decode()
    assert '<h2 id="partners-heading">Kumppaniorganisaatiot</h2>' in page
    assert "Poista Coastal Motors Ltd" in page
    assert "<h3>Lisää kumppaniorganisaatio</h3>" in page
    response = client.post(
        reverse("partners:event_organisation_add", args=[event.pk]),
        {"partner-organisation": "Harbour Hotel"},
        follow=True,
    )
    assert "Harbour Hotel lisätty." in response.content.decode()
