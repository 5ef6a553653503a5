"""Educators' professional network and CPD: own records, managers' totals, and who has
had no industry contact this year."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import Role, StaffProfile
from guildhouse.partners import services, services_cpd, services_events
from guildhouse.partners.models import CpdActivity
from guildhouse.partners.selectors_alignment import academic_year
from tests.conftest import World
from tests.factories import member_make
from tests.partners.conftest import PartnerWorld

TODAY = timezone.localdate()
START, END = academic_year(TODAY)


def _profiles(w: World) -> None:
    """Staff teaches Electrical installation in Teaching; support is in Learner support."""
    StaffProfile.objects.filter(membership=w.staff).update(department="Teaching")
    StaffProfile.objects.get(membership=w.staff).programmes.add(w.programme)
    StaffProfile.objects.filter(membership=w.support).update(department="Learner support")
    StaffProfile.objects.filter(membership__in=[w.admin, w.coordinator]).update(
        department="Management"
    )


def test_a_staff_member_records_cpd_and_sees_their_hours(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.staff)
    response = client.post(
        reverse("partners:cpd_mine"),
        {
            "kind": "return_to_industry",
            "title": "Two weeks at Coastal Motors' EV workshop",
            "starts_on": str(START + datetime.timedelta(days=10)),
            "ends_on": str(START + datetime.timedelta(days=23)),
            "hours": "60",
            "organisation": pw.organisation.name[:7],  # part of the name
        },
    )
    assert response.status_code == 302
    activity = CpdActivity.objects.get()
    assert (activity.membership, activity.kind, activity.hours, activity.organisation) == (
        w.staff,
        "return_to_industry",
        Decimal("60.0"),
        pw.organisation,
    )
    page = client.get(reverse("partners:cpd_mine")).content.decode()
    assert "<strong>60.0</strong>" in page
    assert (
        "Two weeks at Coastal Motors&#x27; EV workshop</strong> — Return-to-industry placement"
        in page
    )
    assert reverse("partners:cpd_summary") not in page  # staff see no totals


def test_bad_cpd_input_is_refused_and_kept(pw: PartnerWorld) -> None:
    w = pw.world
    response = w.client_for(w.staff).post(
        reverse("partners:cpd_mine"),
        {
            "kind": "training",
            "title": "Inspection course",
            "starts_on": "2026-10-10",
            "ends_on": "2026-10-01",
            "hours": "-3",
            "organisation": pw.outsider_organisation.name,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The end cannot be before the start." in page
    assert "Ensure this value is greater than or equal to 0." in page
    # Another institution's organisation is not found by its name.
    assert f"Nothing here is called “{pw.outsider_organisation.name}”." in page
    assert f'value="{pw.outsider_organisation.name}"' in page
    assert 'value="Inspection course"' in page
    assert not CpdActivity.objects.exists()


def test_only_the_author_removes_a_record(pw: PartnerWorld) -> None:
    w = pw.world
    activity = services_cpd.cpd_record(
        actor=w.staff.user,
        membership=w.staff,
        kind="professional_body",
        title="Electrical Contractors' Association",
        starts_on=START,
        hours=Decimal(0),
    )
    url = reverse("partners:cpd_delete", args=[activity.pk])
    assert w.client_for(w.coordinator).post(url).status_code == 403
    assert w.client_for(w.outsider).post(url).status_code == 404
    assert CpdActivity.objects.filter(pk=activity.pk).exists()
    assert w.client_for(w.staff).post(url).status_code == 302
    assert not CpdActivity.objects.filter(pk=activity.pk).exists()


def test_managers_see_totals_and_who_had_no_industry_contact(pw: PartnerWorld) -> None:
    w = pw.world
    _profiles(w)
    # Staff: an industry event (contact) and a course (CPD, not contact).
    services_cpd.cpd_record(
        actor=w.staff.user,
        membership=w.staff,
        kind="industry_event",
        title="Electrical trade fair",
        starts_on=START + datetime.timedelta(days=40),
        hours=Decimal("6.5"),
    )
    services_cpd.cpd_record(
        actor=w.support.user,
        membership=w.support,
        kind="training",
        title="First aid",
        starts_on=START + datetime.timedelta(days=40),
        hours=Decimal(8),
    )
    services_cpd.cpd_record(  # last year: does not count
        actor=w.support.user,
        membership=w.support,
        kind="industry_event",
        title="Old fair",
        starts_on=START - datetime.timedelta(days=1),
        hours=Decimal(4),
    )
    # The coordinator took part in a call with a partner: industry contact too.
    interaction = services.interaction_log(
        actor=w.coordinator.user,
        organisation=pw.organisation,
        kind="call",
        occurred_on=START + datetime.timedelta(days=3),
        summary="Placement dates.",
    )
    interaction.staff.add(w.coordinator)
    # The admin attended a partnership event.
    event = services_events.event_save(
        actor=w.admin.user,
        institution=w.institution,
        event=None,
        kind="showcase",
        title="Spring showcase",
        starts_at=timezone.make_aware(
            datetime.datetime.combine(START + datetime.timedelta(days=5), datetime.time(10))
        ),
        ends_at=timezone.make_aware(
            datetime.datetime.combine(START + datetime.timedelta(days=5), datetime.time(12))
        ),
    )
    services_events.attendee_add(actor=w.admin.user, event=event, membership=w.admin)
    page = w.client_for(w.coordinator).get(reverse("partners:cpd_summary")).content.decode()
    assert '<th scope="row">Learner support</th><td>1</td><td>0</td><td>8.0</td>' in page
    assert '<th scope="row">Management</th><td>2</td><td>2</td><td>0.0</td>' in page
    assert '<th scope="row">Teaching</th><td>1</td><td>1</td><td>6.5</td>' in page
    assert '<th scope="row">Electrical installation</th><td>1</td><td>1</td><td>6.5</td>' in page
    missing = page.split('id="missing-heading"')[1]
    assert "1 staff member has had no industry contact this year." in missing
    assert f"{w.support.user.full_name} (Support staff, Learner support)" in missing
    for had_contact in (w.staff, w.coordinator, w.admin):
        assert had_contact.user.full_name not in missing


def test_cpd_pages_run_the_same_queries_for_more_staff_and_records(pw: PartnerWorld) -> None:
    w = pw.world
    _profiles(w)
    client = w.client_for(w.coordinator)

    def measure(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few_summary = measure(reverse("partners:cpd_summary"))
    few_mine = measure(reverse("partners:cpd_mine"))
    for n in range(5):
        m = member_make(institution=w.institution, role=Role.STAFF)
        StaffProfile.objects.filter(membership=m).update(department=f"Dept {n}")
        for who in (m, w.coordinator):
            services_cpd.cpd_record(
                actor=who.user,
                membership=who,
                kind="training",
                title=f"Course {n}",
                starts_on=START,
                hours=Decimal(2),
                organisation=pw.organisation,
            )
    assert measure(reverse("partners:cpd_summary")) == few_summary
    assert measure(reverse("partners:cpd_mine")) == few_mine
