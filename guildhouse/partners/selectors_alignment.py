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

from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
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


def programme_partner_counts(
    *, institution: Institution, today: datetime.date
) -> list[tuple[Programme, int]]:
    """The active programmes by name, each with its number of active partners (one query:
    the count is a subquery over the school's active partners, a few hundred rows)."""
    partners = active_partners(institution=institution, today=today).filter(
        serves_programme(OuterRef(OuterRef("pk")))
    )
    count = Subquery(
        partners.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]
    )
    programmes = (
        Programme.objects.filter(institution=institution, active=True)
        .select_related("partner_alignment")
        .annotate(n_partners=Coalesce(count, 0, output_field=IntegerField()))
        .order_by("name", "pk")
    )
    return [(p, p.n_partners) for p in programmes]


def coverage(*, institution: Institution, today: datetime.date | None = None) -> list[CoverageRow]:
    """Every active programme of the institution with its coverage this academic year.

    Five queries whatever the number of programmes, partners, periods or learners: the
    programmes with their active partners, their sectors, then the open opportunities,
    the places and the learners, each grouped by programme in the database. (The first
    version computed every figure as a correlated subquery of the programme query; at
    regional scale PostgreSQL ran the periods' and learners' ones over 65,000 periods
    and 5,000 learners again for each programme: 160 ms of a 180 ms page.)
    """
    today = today or timezone.localdate()
    start, end = academic_year(today)
    rows = programme_partner_counts(institution=institution, today=today)
    ids = [p.pk for p, _ in rows]
    sectors: dict[int, list[str]] = {}
    for link in ProgrammeSector.objects.filter(programme__in=ids):
        sectors.setdefault(link.programme_id, []).append(link.get_sector_display())
    opportunities = {
        row["programme_id"]: row["n"]
        for row in Opportunity.programmes.through.objects.filter(
            programme__in=ids,
            opportunity__organisation__institution=institution,
            opportunity__is_open=True,
        )
        .filter(Q(opportunity__ends_on__isnull=True) | Q(opportunity__ends_on__gte=today))
        .values("programme_id")
        .annotate(n=Count("opportunity_id", distinct=True))
        .order_by()
    }
    places: dict[int, tuple[int, int]] = {
        programme_id: (capacity or 0, left or 0)
        for programme_id, capacity, left in OpportunityPeriod.objects.filter(
            opportunity__organisation__institution=institution,
            opportunity__programmes__in=ids,
            starts_on__lte=end,
            ends_on__gte=start,
        )
        .values("opportunity__programmes")
        .annotate(n_places=Sum("capacity"), n_left=Sum(F("capacity") - F("confirmed")))
        .values_list("opportunity__programmes", "n_places", "n_left")
        .order_by()
    }
    has_placement = Exists(
        Placement.objects.filter(
            learner=OuterRef("pk"), starts_on__lte=end, ends_on__gte=start
        ).exclude(status=PlacementStatus.CANCELLED)
    )
    learners: dict[tuple[int, int], tuple[int, int]] = {
        (programme_id, year): (need, placed)
        for programme_id, year, need, placed in Membership.objects.filter(
            institution=institution,
            role=Role.LEARNER,
            is_active=True,
            learner_profile__programme__in=ids,
        )
        .values("learner_profile__programme", "learner_profile__year_of_study")
        .annotate(need=Count("pk"), placed=Count("pk", filter=Q(has_placement)))
        .values_list(
            "learner_profile__programme", "learner_profile__year_of_study", "need", "placed"
        )
        .order_by()
    }

    result = []
    for p, n_partners in rows:
        alignment = getattr(p, "partner_alignment", None)
        year = alignment.placement_year if alignment is not None else None
        capacity, left = places.get(p.pk, (0, 0))
        need, placed = learners.get((p.pk, year), (0, 0)) if year else (0, 0)
        result.append(
            CoverageRow(
                programme=p,
                sectors=sectors.get(p.pk, []),
                placement_year=year,
                active_partners=n_partners,
                open_opportunities=opportunities.get(p.pk, 0),
                capacity=capacity,
                places_left=left,
                need_placement=need,
                placed=placed,
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
