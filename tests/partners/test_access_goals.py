"""Access matrix rows of goals, programme alignment, CPD and events: every role, the
outsider (another institution's admin) and an anonymous visitor."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.urls import reverse

from guildhouse.core.models import Role
from guildhouse.partners import services_cpd, services_events, services_goals
from guildhouse.partners.models import (
    CpdActivity,
    CurriculumReview,
    EventAttendee,
    Goal,
    Organisation,
    PartnerEvent,
    ProgrammeAlignment,
    ProgrammeSector,
)
from tests.access_matrix import STAFF, Page, check_page
from tests.conftest import World
from tests.partners.conftest import PartnerWorld

RUNNERS = frozenset({Role.ADMIN, Role.COORDINATOR})
# The matrix event's attendees include the world's learner and partner contact.
EVENT_READERS = STAFF | {Role.LEARNER, Role.PARTNER}
SECRET_GOAL = "Secret goal of Riverside"
SECRET_EVENT = "Secret supplier evening"


def _goal(w: World) -> Goal:
    found = Goal.objects.filter(institution=w.institution, title=SECRET_GOAL).first()
    return found or services_goals.goal_save(
        actor=w.coordinator.user,
        institution=w.institution,
        goal=None,
        title=SECRET_GOAL,
        kpi="active_agreements",
        target=4,
        starts_on=datetime.date(2026, 8, 1),
        ends_on=datetime.date(2027, 7, 31),
    )


def _event(w: World) -> PartnerEvent:
    found = PartnerEvent.objects.filter(institution=w.institution, title=SECRET_EVENT).first()
    if found is not None:
        return found
    event = services_events.event_save(
        actor=w.staff.user,
        institution=w.institution,
        event=None,
        kind="industry_event",
        title=SECRET_EVENT,
        starts_at=datetime.datetime(2026, 12, 3, 16, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 12, 3, 19, tzinfo=datetime.UTC),
    )
    services_events.attendee_add(actor=w.staff.user, event=event, membership=w.learner)
    contact = w.partner.partner_contact
    services_events.attendee_add(actor=w.staff.user, event=event, contact=contact)
    return event


def _cpd(w: World) -> CpdActivity:
    found = CpdActivity.objects.filter(membership=w.staff).first()
    return found or services_cpd.cpd_record(
        actor=w.staff.user,
        membership=w.staff,
        kind="industry_event",
        title="Secret trade fair",
        starts_on=datetime.date(2026, 9, 1),
        hours=Decimal(5),
    )


def _goals(w: World) -> object:
    return list(Goal.objects.filter(institution=w.institution).order_by("pk").values())


def _alignment(w: World) -> object:
    return (
        list(ProgrammeAlignment.objects.filter(programme__institution=w.institution).values()),
        list(ProgrammeSector.objects.filter(programme__institution=w.institution).values()),
        list(CurriculumReview.objects.filter(programme__institution=w.institution).values()),
    )


def _cpds(w: World) -> object:
    return list(CpdActivity.objects.filter(membership__institution=w.institution).values())


def _events(w: World) -> object:
    links = PartnerEvent.organisations.through.objects.filter(
        partnerevent__institution=w.institution
    )
    return (
        list(PartnerEvent.objects.filter(institution=w.institution).order_by("pk").values()),
        list(EventAttendee.objects.filter(event__institution=w.institution).values()),
        sorted(links.values_list("partnerevent_id", "organisation_id")),
    )


GOAL_DATA = {
    "title": "Five agreements",
    "kpi": "active_agreements",
    "target": "5",
    "starts_on": "2026-08-01",
    "ends_on": "2027-07-31",
}
EVENT_DATA = {
    "kind": "workshop",
    "title": "CV workshop",
    "starts_at": "2026-12-10T14:00",
    "ends_at": "2026-12-10T16:00",
}

PAGES = [
    Page(
        "goal list",
        lambda w: (_goal(w), reverse("partners:goal_list"))[1],
        STAFF,
        outsider_status=200,
        secret=lambda w: SECRET_GOAL,
        shows=lambda w, v: SECRET_GOAL,
    ),
    Page("goal create", lambda w: reverse("partners:goal_create"), RUNNERS, outsider_status=200),
    Page(
        "goal create (POST)",
        lambda w: reverse("partners:goal_create"),
        RUNNERS,
        ok_status=302,
        method="post",
        outsider_status=302,
        data=GOAL_DATA,
        state=_goals,
    ),
    Page(
        "goal edit",
        lambda w: reverse("partners:goal_edit", args=[_goal(w).pk]),
        RUNNERS,
        secret=lambda w: SECRET_GOAL,
        shows=lambda w, v: SECRET_GOAL,
    ),
    Page(
        "goal edit (POST)",
        lambda w: reverse("partners:goal_edit", args=[_goal(w).pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        data={**GOAL_DATA, "title": SECRET_GOAL},
        state=_goals,
    ),
    Page(
        "coverage",
        lambda w: reverse("partners:coverage"),
        STAFF,
        outsider_status=200,
        secret=lambda w: "Electrical installation",
        shows=lambda w, v: "Electrical installation",
    ),
    Page(
        "programme alignment",
        lambda w: reverse("partners:programme_alignment", args=[w.programme.pk]),
        STAFF,
        secret=lambda w: "Electrical installation",
        shows=lambda w, v: "Alignment of Electrical installation",
    ),
    Page(
        "programme alignment (POST)",
        lambda w: reverse("partners:programme_alignment", args=[w.programme.pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        data={"sectors": "07", "placement_year": "2"},
        state=_alignment,
    ),
    Page(
        "review add",
        lambda w: reverse("partners:review_add", args=[w.programme.pk]),
        RUNNERS,
        shows=lambda w, v: "Curriculum review of Electrical installation",
    ),
    Page(
        "review add (POST)",
        lambda w: reverse("partners:review_add", args=[w.programme.pk]),
        RUNNERS,
        ok_status=302,
        method="post",
        data={
            "review-held_on": "2026-10-05",
            "review-participants": "Anna",
            "review-decisions": "New module.",
        },
        state=_alignment,
    ),
    Page(
        "my CPD",
        lambda w: (_cpd(w), reverse("partners:cpd_mine"))[1],
        STAFF,
        outsider_status=200,
        secret=lambda w: "Secret trade fair",
    ),
    Page(
        "my CPD (POST)",
        lambda w: reverse("partners:cpd_mine"),
        STAFF,
        ok_status=302,
        method="post",
        outsider_status=302,
        data={"kind": "training", "title": "First aid", "starts_on": "2026-09-01", "hours": "8"},
        state=_cpds,
    ),
    Page(
        "CPD summary",
        lambda w: (_cpd(w), reverse("partners:cpd_summary"))[1],
        RUNNERS,
        outsider_status=200,
        shows=lambda w, v: "No industry contact this year",
    ),
    Page(
        "event list",
        lambda w: (_event(w), reverse("partners:event_list"))[1] + "?when=past",
        STAFF,
        outsider_status=200,
        secret=lambda w: SECRET_EVENT,
    ),
    Page("event create", lambda w: reverse("partners:event_create"), STAFF, outsider_status=200),
    Page(
        "event create (POST)",
        lambda w: reverse("partners:event_create"),
        STAFF,
        ok_status=302,
        method="post",
        outsider_status=302,
        data=EVENT_DATA,
        state=_events,
    ),
    Page(
        "event detail",
        lambda w: reverse("partners:event_detail", args=[_event(w).pk]),
        EVENT_READERS,
        secret=lambda w: SECRET_EVENT,
        shows=lambda w, v: SECRET_EVENT,
    ),
    Page(
        "event calendar (.ics)",
        lambda w: reverse("partners:event_ics", args=[_event(w).pk]),
        EVENT_READERS,
        secret=lambda w: SECRET_EVENT,
        shows=lambda w, v: f"SUMMARY:{SECRET_EVENT}",
    ),
    Page(
        "event edit",
        lambda w: reverse("partners:event_edit", args=[_event(w).pk]),
        STAFF,
        secret=lambda w: SECRET_EVENT,
        shows=lambda w, v: SECRET_EVENT,
    ),
    Page(
        "event edit (POST)",
        lambda w: reverse("partners:event_edit", args=[_event(w).pk]),
        STAFF,
        ok_status=302,
        method="post",
        data={**EVENT_DATA, "title": SECRET_EVENT},
        state=lambda w: list(
            PartnerEvent.objects.filter(institution=w.institution).values("title", "kind")
        ),
    ),
    Page(
        "attendee add (POST)",
        lambda w: reverse("partners:attendee_add", args=[_event(w).pk]),
        STAFF,
        ok_status=302,
        method="post",
        data={"attendee-membership": ""},  # filled with the world's staff member below
        state=_events,
    ),
    Page(
        "event partner add (POST)",
        lambda w: reverse("partners:event_organisation_add", args=[_event(w).pk]),
        STAFF,
        ok_status=302,
        method="post",
        data={"partner-organisation": ""},  # filled with the school's partner below
        state=_events,
    ),
]


def _with_world_data(page: Page, w: World) -> Page:
    if page.name == "attendee add (POST)":
        user = w.staff.user  # as the lookup's suggestion offers them
        chosen = f"{user.full_name} · Staff · {user.email}"
        return Page(**{**page.__dict__, "data": {"attendee-membership": chosen}})
    if page.name == "event partner add (POST)":
        partner = Organisation.objects.filter(institution=w.institution).earliest("pk")
        return Page(**{**page.__dict__, "data": {"partner-organisation": partner.name}})
    return page


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_goal_alignment_cpd_and_event_access(pw: PartnerWorld, page: Page) -> None:
    assert check_page(pw.world, _with_world_data(page, pw.world)) == []


Fresh = Callable[[], tuple[str, Callable[[], bool]]]


def _post_by_role(w: World, fresh: Fresh, allowed: frozenset[str]) -> None:
    """POST a delete as every role and the outsider, each on a fresh object; a denied
    one leaves it in place."""
    for role in (*Role.values, "outsider"):
        url, still_there = fresh()
        who = w.outsider if role == "outsider" else w.member(role)
        status = w.client_for(who).post(url).status_code
        expected = 302 if role in allowed else 404 if role == "outsider" else 403
        assert (role, status) == (role, expected)
        assert (role, still_there()) == (role, role not in allowed)


def test_goal_delete_by_role(pw: PartnerWorld) -> None:
    w = pw.world

    def fresh() -> tuple[str, Callable[[], bool]]:
        goal = _goal(w)
        return (
            reverse("partners:goal_delete", args=[goal.pk]),
            lambda: Goal.objects.filter(pk=goal.pk).exists(),
        )

    _post_by_role(w, fresh, RUNNERS)


def test_cpd_delete_only_by_its_author(pw: PartnerWorld) -> None:
    w = pw.world

    def fresh() -> tuple[str, Callable[[], bool]]:
        activity = _cpd(w)
        return (
            reverse("partners:cpd_delete", args=[activity.pk]),
            lambda: CpdActivity.objects.filter(pk=activity.pk).exists(),
        )

    _post_by_role(w, fresh, frozenset({Role.STAFF}))


def test_attendee_remove_by_role(pw: PartnerWorld) -> None:
    w = pw.world

    def fresh() -> tuple[str, Callable[[], bool]]:
        event = _event(w)
        attendee = EventAttendee.objects.filter(event=event, membership=w.staff).first()
        attendee = attendee or services_events.attendee_add(
            actor=w.staff.user, event=event, membership=w.staff
        )
        return (
            reverse("partners:attendee_remove", args=[event.pk, attendee.pk]),
            lambda: EventAttendee.objects.filter(pk=attendee.pk).exists(),
        )

    _post_by_role(w, fresh, STAFF)


def test_event_partner_remove_by_role(pw: PartnerWorld) -> None:
    w = pw.world

    def fresh() -> tuple[str, Callable[[], bool]]:
        event = _event(w)
        services_events.event_organisation_add(
            actor=w.staff.user, event=event, organisation=pw.organisation
        )
        return (
            reverse("partners:event_organisation_remove", args=[event.pk, pw.organisation.pk]),
            lambda: event.organisations.filter(pk=pw.organisation.pk).exists(),
        )

    _post_by_role(w, fresh, STAFF)


def test_the_home_panels_are_for_coordinators_and_admins_only(pw: PartnerWorld) -> None:
    w = pw.world
    _goal(w)
    for role in Role.values:
        page = w.client_for(w.member(role)).get(reverse("home")).content.decode()
        assert (SECRET_GOAL in page) == (role in RUNNERS), role
        assert ("Partner check-ins" in page) == (role in RUNNERS), role
    page = w.client_for(w.outsider).get(reverse("home")).content.decode()
    assert SECRET_GOAL not in page
