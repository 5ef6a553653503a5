"""Demo data for goals, programme alignment, CPD and events, written through the
services (called from ``demo._load_institution`` after the partners exist)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from guildhouse.core.models import FieldOfEducation as F
from guildhouse.core.models import Institution, Membership, Role
from guildhouse.partners import (
    services_alignment,
    services_cpd,
    services_events,
    services_goals,
)
from guildhouse.partners.models import Contact, GoalKpi, Organisation
from guildhouse.partners.selectors_alignment import academic_year

# Extra sectors a programme prepares for, beyond its own field.
_EXTRA_SECTORS = {"ELE": (F.ICT,), "AUT": (F.ENGINEERING,), "BUS": (F.SERVICES,), "HOS": ()}

_REVIEWS = {
    "ELE": (
        "Head of electrical installation, two teachers, Jonas Berg (Nordvolt Electrical "
        "Services), a year-3 learner representative",
        "Solar and heat-pump installation; inspection and measurement skills.",
        "Add a ten-day solar installation module to year 2 from next autumn. Nordvolt "
        "hosts the practical week. Review the inspection assessment with the partners "
        "in the spring.",
    ),
    "HOS": (
        "Hospitality team, Harbour Hotel's head chef, the student union",
        "Breakfast service at volume; food allergy handling.",
        "Run the breakfast kitchen pilot again with Harbour Hotel. Add an allergen "
        "course to year 1.",
    ),
}


def _goals(institution: Institution, coordinator: Membership, today: datetime.date) -> None:
    start, end = academic_year(today)
    level3 = institution.programmes.filter(level="3").first()
    specs: list[dict[str, object]] = [
        {
            "title": "80 % of level-3 learners complete a placement this year",
            "kpi": GoalKpi.PLACEMENT_SHARE,
            "target": 80,
            "level": "3" if level3 else "",
        },
        {
            "title": "Every programme has at least three active partners",
            "kpi": GoalKpi.PROGRAMME_COVERAGE,
            "target": 100,
            "min_partners": 3,
        },
        {
            "title": "Twenty guest lectures by industry this year",
            "kpi": GoalKpi.OPPORTUNITY_COUNT,
            "target": 20,
            "opportunity_kind": "guest_lecture",
        },
        {
            "title": "Six signed agreements in force",
            "kpi": GoalKpi.ACTIVE_AGREEMENTS,
            "target": 6,
        },
        {
            "title": "Nine in ten partners hear from us on time",
            "kpi": GoalKpi.CHECK_INS_ON_TIME,
            "target": 90,
        },
    ]
    for spec in specs:
        services_goals.goal_save(
            actor=coordinator.user,
            institution=institution,
            goal=None,
            starts_on=start,
            ends_on=end,
            **spec,  # type: ignore[arg-type]
        )


def _alignment(institution: Institution, coordinator: Membership, today: datetime.date) -> None:
    for programme in institution.programmes.order_by("code"):
        sectors = {programme.field, *_EXTRA_SECTORS.get(programme.code, ())}
        services_alignment.alignment_save(
            actor=coordinator.user,
            programme=programme,
            sectors=sorted(sectors),
            placement_year=2,
        )
        review = _REVIEWS.get(programme.code)
        if review is not None:
            participants, needs, decisions = review
            services_alignment.review_add(
                actor=coordinator.user,
                programme=programme,
                held_on=today - datetime.timedelta(days=45),
                participants=participants,
                skill_needs=needs,
                decisions=decisions,
            )


def _cpd(institution: Institution, today: datetime.date) -> None:
    """The demo teacher and the coordinator have records; the first few other staff
    members have some, so that the no-contact list has people on it and off it."""
    start, _end = academic_year(today)
    staff = list(
        Membership.objects.filter(institution=institution, role__in=[Role.STAFF, Role.COORDINATOR])
        .select_related("user")
        .order_by("pk")
    )
    nordvolt = Organisation.objects.filter(institution=institution, name__startswith="Nordvolt")
    records = (
        ("industry_event", "Nordic Electrical Trade Fair", 7, Decimal("6.5"), None),
        ("return_to_industry", "Two weeks on solar installations", 30, Decimal(60), nordvolt),
        ("professional_body", "Association of Electrical Teachers", 0, Decimal(0), None),
        ("training", "Heat-pump refrigerant handling certificate", 60, Decimal(16), None),
    )
    for n, member in enumerate(staff[:6]):
        for kind, title, day, hours, org in records[: 4 - n % 3]:
            if start + datetime.timedelta(days=day) > today:
                continue
            services_cpd.cpd_record(
                actor=member.user,
                membership=member,
                kind=kind,
                title=title,
                starts_on=start + datetime.timedelta(days=day),
                hours=hours,
                organisation=org.first() if org is not None else None,
            )


def _events(institution: Institution, coordinator: Membership, today: datetime.date) -> None:
    tz = timezone.get_current_timezone()
    learners = list(
        Membership.objects.filter(institution=institution, role=Role.LEARNER).order_by("pk")[:6]
    )
    staff = list(
        Membership.objects.filter(institution=institution, role=Role.STAFF).order_by("pk")[:3]
    )
    contacts = list(
        Contact.objects.filter(institution=institution, membership__isnull=False).order_by("pk")
    )
    orgs = list(Organisation.objects.filter(institution=institution).order_by("pk")[:3])
    specs = (
        ("open_house", "Open house for employers", 12, 15, 18, "Main workshop hall"),
        ("showcase", "Apprentice project showcase", 30, 13, 16, "Hall B"),
        (
            "workshop",
            "Supervising a learner at work: a workshop for supervisors",
            5,
            9,
            12,
            "Room 204",
        ),
        (
            "industry_event",
            "Regional energy transition forum",
            -20,
            9,
            16,
            "Port Aldwin Congress Centre",
        ),
    )
    for kind, title, days, start_hour, end_hour, location in specs:
        day = today + datetime.timedelta(days=days)
        event = services_events.event_save(
            actor=coordinator.user,
            institution=institution,
            event=None,
            kind=kind,
            title=title,
            starts_at=datetime.datetime.combine(day, datetime.time(start_hour), tzinfo=tz),
            ends_at=datetime.datetime.combine(day, datetime.time(end_hour), tzinfo=tz),
            location=location,
            organisations=orgs[:2],
        )
        for member in [coordinator, *staff[:2], *learners[:3]]:
            services_events.attendee_add(actor=coordinator.user, event=event, membership=member)
        for contact in contacts[:2]:
            services_events.attendee_add(actor=coordinator.user, event=event, contact=contact)


def load(institution: Institution, *, coordinator: Membership, today: datetime.date) -> None:
    _alignment(institution, coordinator, today)
    _goals(institution, coordinator, today)
    _cpd(institution, today)
    _events(institution, coordinator, today)
