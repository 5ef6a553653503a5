"""Reads for educators' professional network and CPD.

*Industry contact* in a year (decisions.md): an industry event or return-to-industry
placement recorded in the staff member's CPD, attending a partnership event, or taking
part in an interaction with a partner. Years are academic years (1 August to 31 July),
as on the coverage page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from guildhouse.core.models import STAFF_ROLES, Institution, Membership
from guildhouse.partners.models import (
    INDUSTRY_CONTACT_CPD,
    CpdActivity,
    EventAttendee,
    Interaction,
)

NO_CONTACT_SHOWN = 200


def my_activities(*, membership: Membership) -> QuerySet[CpdActivity]:
    return CpdActivity.objects.filter(membership=membership).select_related("organisation")


def hours_in(*, membership: Membership, start: datetime.date, end: datetime.date) -> Decimal:
    total = CpdActivity.objects.filter(
        membership=membership, starts_on__range=(start, end)
    ).aggregate(h=Sum("hours"))["h"]
    return total or Decimal(0)


def _staff(institution: Institution) -> QuerySet[Membership]:
    return Membership.objects.filter(institution=institution, is_active=True, role__in=STAFF_ROLES)


def industry_contact(start: datetime.date, end: datetime.date) -> Exists:
    """True for a staff membership with any industry contact between the dates."""
    cpd = CpdActivity.objects.filter(
        membership=OuterRef("pk"), kind__in=INDUSTRY_CONTACT_CPD, starts_on__range=(start, end)
    )
    events = EventAttendee.objects.filter(
        membership=OuterRef("pk"), event__starts_at__date__range=(start, end)
    )
    talks = Interaction.staff.through.objects.filter(
        membership_id=OuterRef("pk"), interaction__occurred_on__range=(start, end)
    )
    return Exists(cpd) | Exists(events) | Exists(talks)  # type: ignore[return-value]


@dataclass(frozen=True)
class GroupTotal:
    name: str
    staff: int
    with_contact: int
    hours: Decimal


def totals_by_department(
    *, institution: Institution, start: datetime.date, end: datetime.date
) -> list[GroupTotal]:
    """Per department: staff, how many had industry contact, CPD hours. Two queries."""
    people = (
        _staff(institution)
        .annotate(contact=industry_contact(start, end))
        .order_by()
        .values("staff_profile__department")
        .annotate(n=Count("pk"), with_contact=Count("pk", filter=Q(contact=True)))
    )
    hours = dict(
        CpdActivity.objects.filter(
            membership__in=_staff(institution), starts_on__range=(start, end)
        )
        .order_by()
        .values_list("membership__staff_profile__department")
        .annotate(h=Coalesce(Sum("hours"), Decimal(0)))
    )
    rows = [
        GroupTotal(
            name=row["staff_profile__department"] or "",
            staff=row["n"],
            with_contact=row["with_contact"],
            hours=hours.get(row["staff_profile__department"], Decimal(0)),
        )
        for row in people
    ]
    return sorted(rows, key=lambda r: (r.name == "", r.name))


def totals_by_programme(
    *, institution: Institution, start: datetime.date, end: datetime.date
) -> list[GroupTotal]:
    """Per programme taught: staff, how many had industry contact, CPD hours (a teacher
    of two programmes counts in both). Two queries."""
    people = (
        _staff(institution)
        .filter(staff_profile__programmes__isnull=False)
        .annotate(contact=industry_contact(start, end))
        .order_by()
        .values("staff_profile__programmes__name")
        .annotate(n=Count("pk"), with_contact=Count("pk", filter=Q(contact=True)))
    )
    hours = dict(
        CpdActivity.objects.filter(
            membership__in=_staff(institution),
            starts_on__range=(start, end),
            membership__staff_profile__programmes__isnull=False,
        )
        .order_by()
        .values_list("membership__staff_profile__programmes__name")
        .annotate(h=Coalesce(Sum("hours"), Decimal(0)))
    )
    rows = [
        GroupTotal(
            name=row["staff_profile__programmes__name"],
            staff=row["n"],
            with_contact=row["with_contact"],
            hours=hours.get(row["staff_profile__programmes__name"], Decimal(0)),
        )
        for row in people
    ]
    return sorted(rows, key=lambda r: r.name)


def without_industry_contact(
    *, institution: Institution, start: datetime.date, end: datetime.date
) -> tuple[list[Membership], int]:
    """Staff with no industry contact between the dates, by name (the first 200), and
    how many there are. Two queries."""
    people = (
        _staff(institution)
        .exclude(industry_contact(start, end))
        .select_related("user", "staff_profile")
        .order_by("sort_name", "pk")
    )
    return list(people[:NO_CONTACT_SHOWN]), people.count()
