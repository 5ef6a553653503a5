"""Reads for programme alignment: which partners serve which programme, and whether
there are enough places for the learners who need one this academic year.

Definitions (docs/decisions.md, "Programme alignment"):

- the *period* is the academic year that contains the day (1 August to 31 July);
- an *active partner* is an organisation in an open pipeline stage that someone was in
  touch with in the last 365 days (its derived last-contact date);
- a partner *serves* a programme when its sector is one of the programme's sectors or
  it offers an opportunity for that programme;
- a learner *needs a placement* this period when they are an active learner of the
  programme in its placement year of study (``ProgrammeAlignment.placement_year``);
  they *have* one when a proposed or confirmed placement of theirs overlaps the period.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from guildhouse.core.models import Institution, Membership, Programme, Role
from guildhouse.partners.models import (
    CurriculumReview,
    Opportunity,
    OpportunityPeriod,
    Organisation,
    Placement,
    PlacementStatus,
    ProgrammeSector,
)

ACTIVE_WITHIN_DAYS = 365


def academic_year(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The academic year (1 August to 31 July) that contains ``day``."""
    start_year = day.year if day.month >= 8 else day.year - 1
    return datetime.date(start_year, 8, 1), datetime.date(start_year + 1, 7, 31)


def _scalar(qs: QuerySet[Any], expression: Func) -> Coalesce:
    """A correlated subquery returning one number (0 when there are no rows)."""
    return Coalesce(
        Subquery(qs.order_by().annotate(n=expression).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def active_partners(*, institution: Institution, today: datetime.date) -> QuerySet[Organisation]:
    since = today - datetime.timedelta(days=ACTIVE_WITHIN_DAYS)
    return Organisation.objects.filter(
        institution=institution, stage__is_closed=False, last_contact_on__gte=since
    )


def serves_programme(programme_ref: OuterRef | int) -> Q:
    """Organisations of a sector of the programme, or offering an opportunity for it."""
    return Q(
        Exists(ProgrammeSector.objects.filter(programme=programme_ref, sector=OuterRef("sector")))
    ) | Q(Exists(Opportunity.objects.filter(organisation=OuterRef("pk"), programmes=programme_ref)))


@dataclass(frozen=True)
class CoverageRow:
    programme: Programme
    sectors: list[str]
    placement_year: int | None
    active_partners: int
    open_opportunities: int
    capacity: int
    places_left: int
    need_placement: int
    placed: int

    @property
    def unplaced(self) -> int:
        return max(self.need_placement - self.placed, 0)

    @property
    def short_of_places(self) -> int:
        """Learners still to place beyond the places left (0 when there are enough)."""
        return max(self.unplaced - self.places_left, 0)


def coverage(*, institution: Institution, today: datetime.date | None = None) -> list[CoverageRow]:
    """Every active programme of the institution with its coverage this academic year.

    Two queries whatever the number of programmes, partners or learners: the programmes
    with every figure as a correlated subquery, and their sectors.
    """
    today = today or timezone.localdate()
    start, end = academic_year(today)
    partners = active_partners(institution=institution, today=today).filter(
        serves_programme(OuterRef(OuterRef("pk")))
    )
    opportunities = Opportunity.objects.filter(
        organisation__institution=institution,
        programmes=OuterRef("pk"),
        is_open=True,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    periods = OpportunityPeriod.objects.filter(
        opportunity__organisation__institution=institution,
        opportunity__programmes=OuterRef("pk"),
        starts_on__lte=end,
        ends_on__gte=start,
    )
    learners = Membership.objects.filter(
        institution=institution,
        role=Role.LEARNER,
        is_active=True,
        learner_profile__programme=OuterRef("pk"),
        learner_profile__year_of_study=OuterRef("partner_alignment__placement_year"),
    )
    placed = learners.filter(
        Exists(
            Placement.objects.filter(
                learner=OuterRef("pk"), starts_on__lte=end, ends_on__gte=start
            ).exclude(status=PlacementStatus.CANCELLED)
        )
    )
    count = Func(F("pk"), function="COUNT")
    programmes = (
        Programme.objects.filter(institution=institution, active=True)
        .select_related("partner_alignment")
        .annotate(
            n_partners=_scalar(partners, count),
            n_opportunities=_scalar(opportunities, count),
            n_capacity=_scalar(periods, Func(F("capacity"), function="SUM")),
            n_left=_scalar(periods, Func(F("capacity") - F("confirmed"), function="SUM")),
            n_need=_scalar(learners, count),
            n_placed=_scalar(placed, count),
        )
        .order_by("name", "pk")
    )
    rows = list(programmes)
    sectors: dict[int, list[str]] = {}
    for link in ProgrammeSector.objects.filter(programme__in=[p.pk for p in rows]):
        sectors.setdefault(link.programme_id, []).append(link.get_sector_display())
    result = []
    for p in rows:
        alignment = getattr(p, "partner_alignment", None)
        year = alignment.placement_year if alignment is not None else None
        result.append(
            CoverageRow(
                programme=p,
                sectors=sectors.get(p.pk, []),
                placement_year=year,
                active_partners=p.n_partners,
                open_opportunities=p.n_opportunities,
                capacity=p.n_capacity,
                places_left=p.n_left,
                need_placement=p.n_need if year else 0,
                placed=p.n_placed if year else 0,
            )
        )
    return result


def programme_partners(
    *, programme: Programme, today: datetime.date | None = None
) -> QuerySet[Organisation]:
    """The active partners serving ``programme``, by name."""
    today = today or timezone.localdate()
    return (
        active_partners(institution=programme.institution, today=today)
        .filter(serves_programme(programme.pk))
        .select_related("stage")
        .order_by("name", "pk")
    )


def programme_skill_needs(*, programme: Programme) -> QuerySet[Organisation]:
    """Skill needs reported by the organisations serving ``programme`` (any stage: a
    prospect's needs are input to the review too), newest contact first."""
    return (
        Organisation.objects.filter(institution=programme.institution)
        .filter(serves_programme(programme.pk))
        .exclude(skill_needs="")
        .order_by(F("last_contact_on").desc(nulls_last=True), "name", "pk")
    )


def programme_reviews(*, programme: Programme) -> QuerySet[CurriculumReview]:
    return CurriculumReview.objects.filter(programme=programme).select_related("created_by")
