"""Reads for partnerships. Each returns data of one institution only, in a bounded
number of queries whatever the institution's size."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guildhouse.core.models import STAFF_ROLES, Institution, Membership, User
from guildhouse.partners.models import (
    DEFAULT_CHECK_IN_DAYS,
    Affiliation,
    Agreement,
    Commitment,
    CommitmentStatus,
    Contact,
    FollowUp,
    Interaction,
    Opportunity,
    Organisation,
    Placement,
    PlacementStatus,
    Stage,
    StageChange,
    Tag,
)

LIST_PAGE_SIZE = 50
BOARD_CARDS_PER_STAGE = 20


@dataclass(frozen=True)
class OrganisationFilters:
    query: str = ""
    kind: str = ""
    sector: str = ""
    stage_id: int | None = None
    tag_id: int | None = None
    owner_id: int | None = None


def organisation_list(
    *, institution: Institution, filters: OrganisationFilters
) -> QuerySet[Organisation]:
    """Organisations matching ``filters`` in name order (then id, for keyset pages).

    The name search is ``icontains``: on PostgreSQL a trigram index on ``UPPER(name)``
    serves it (migration 0002); SQLite scans the institution's rows.
    """
    orgs = (
        Organisation.objects.filter(institution=institution)
        .select_related("stage")
        .prefetch_related(
            Prefetch("owners", queryset=Membership.objects.select_related("user")),
        )
        .order_by("name", "pk")
    )
    if filters.query:
        orgs = orgs.filter(name__icontains=filters.query)
    if filters.kind:
        orgs = orgs.filter(kind=filters.kind)
    if filters.sector:
        orgs = orgs.filter(sector=filters.sector)
    if filters.stage_id is not None:
        orgs = orgs.filter(stage_id=filters.stage_id)
    if filters.tag_id is not None:
        orgs = orgs.filter(tags=filters.tag_id)
    if filters.owner_id is not None:
        orgs = orgs.filter(owners=filters.owner_id)
    return orgs


def keyset_page(
    orgs: QuerySet[Organisation], *, after: tuple[str, int] | None, size: int = LIST_PAGE_SIZE
) -> tuple[list[Organisation], tuple[str, int] | None]:
    """One page after the ``(name, id)`` cursor, and the cursor of the next page (or None)."""
    if after is not None:
        name, pk = after
        orgs = orgs.filter(Q(name__gt=name) | Q(name=name, pk__gt=pk))
    rows = list(orgs[: size + 1])
    if len(rows) > size:
        last = rows[size - 1]
        return rows[:size], (last.name, last.pk)
    return rows, None


def stage_list(*, institution: Institution) -> list[Stage]:
    return list(Stage.objects.of(institution))


def tag_list(*, institution: Institution) -> QuerySet[Tag]:
    return Tag.objects.filter(institution=institution)


def staff_list(*, institution: Institution) -> QuerySet[Membership]:
    """Who may own a relationship: active staff of the institution."""
    return (
        Membership.objects.active()
        .filter(institution=institution, role__in=STAFF_ROLES)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def staff_choices(*, institution: Institution) -> list[tuple[int, str]]:
    """``staff_list`` as (id, full name) options, read once for several selects."""
    return list(staff_list(institution=institution).values_list("pk", "user__full_name"))


@dataclass
class BoardColumn:
    stage: Stage
    count: int = 0
    cards: list[Organisation] = field(default_factory=list)
    # The stage <option>s with this column's stage selected, shared by its cards' forms.
    stage_options: str = ""


def pipeline_board(*, institution: Institution) -> list[BoardColumn]:
    """Each stage with its count and its longest-waiting organisations (up to a bound),
    in three queries whatever the number of organisations or stages."""
    columns = {s.pk: BoardColumn(s) for s in Stage.objects.of(institution)}
    counts = (
        Organisation.objects.filter(institution=institution)
        .order_by()
        .values_list("stage_id")
        .annotate(n=Count("pk"))
    )
    for stage_id, n in counts:
        columns[stage_id].count = n
    ranked = (
        Organisation.objects.filter(institution=institution)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("stage_id")],
                order_by=[F("stage_entered_at").asc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=BOARD_CARDS_PER_STAGE)
        .order_by("stage_entered_at", "pk")
    )
    for org in ranked:
        columns[org.stage_id].cards.append(org)
    stages = [c.stage for c in columns.values()]
    for column in columns.values():
        column.stage_options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((s.pk, " selected" if s.pk == column.stage.pk else "", s.name) for s in stages),
        )
    return list(columns.values())


def stale_list(
    *, institution: Institution, now: datetime.datetime | None = None
) -> QuerySet[Organisation]:
    """Organisations left in an open stage longer than that stage's threshold, the
    longest-waiting first."""
    now = now or timezone.now()
    stale = Q(pk__in=[])
    for stage in Stage.objects.of(institution).filter(
        is_closed=False, stale_after_days__isnull=False
    ):
        assert stage.stale_after_days is not None
        limit = now - datetime.timedelta(days=stage.stale_after_days)
        stale |= Q(stage=stage, stage_entered_at__lt=limit)
    return (
        Organisation.objects.filter(institution=institution)
        .filter(stale)
        .select_related("stage")
        .order_by("stage_entered_at", "pk")
    )


@dataclass(frozen=True)
class OverdueCheckIn:
    organisation: Organisation
    every_days: int
    days_overdue: int


def check_ins_overdue(
    *, institution: Institution, today: datetime.date | None = None
) -> list[OverdueCheckIn]:
    """Partners in an open stage whose last contact is older than their check-in cadence
    (their own, or DEFAULT_CHECK_IN_DAYS), the most overdue first. Two queries.

    A partner never contacted has no check-in yet: the stale list covers it.
    """
    today = today or timezone.localdate()
    orgs = Organisation.objects.filter(
        institution=institution, stage__is_closed=False, last_contact_on__isnull=False
    )
    cadences = set(orgs.values_list("check_in_every_days", flat=True).distinct())
    overdue = Q(pk__in=[])
    for every in cadences:
        days = every or DEFAULT_CHECK_IN_DAYS
        limit = today - datetime.timedelta(days=days)
        if every is None:
            overdue |= Q(check_in_every_days__isnull=True, last_contact_on__lt=limit)
        else:
            overdue |= Q(check_in_every_days=every, last_contact_on__lt=limit)
    rows = [
        OverdueCheckIn(
            organisation=org,
            every_days=org.check_in_every_days or DEFAULT_CHECK_IN_DAYS,
            days_overdue=(today - org.last_contact_on).days
            - (org.check_in_every_days or DEFAULT_CHECK_IN_DAYS),
        )
        for org in orgs.filter(overdue).select_related("stage")
        if org.last_contact_on is not None
    ]
    rows.sort(key=lambda row: (-row.days_overdue, row.organisation.name, row.organisation.pk))
    return rows


def organisation_affiliations(*, organisation: Organisation) -> QuerySet[Affiliation]:
    return organisation.affiliations.select_related("contact").order_by(
        F("end_date").desc(nulls_first=True), "contact__full_name", "pk"
    )


def contact_affiliations(*, contact_id: int) -> QuerySet[Affiliation]:
    return (
        Affiliation.objects.filter(contact_id=contact_id)
        .select_related("organisation")
        .order_by(F("end_date").desc(nulls_first=True), "-start_date", "pk")
    )


def stage_history(*, organisation: Organisation) -> QuerySet[StageChange]:
    return organisation.stage_changes.select_related("from_stage", "to_stage", "actor")


def partner_accounts(*, institution: Institution) -> QuerySet[Membership]:
    """Partner-contact accounts that may be linked to a contact."""
    return (
        Membership.objects.active()
        .filter(institution=institution, role="partner")
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def organisation_timeline(*, organisation: Organisation, limit: int = 20) -> list[Interaction]:
    """The latest interactions with their people and follow-ups, in four queries."""
    return list(
        organisation.interactions.select_related("created_by")
        .prefetch_related(
            Prefetch("staff", queryset=Membership.objects.select_related("user")),
            "contacts",
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner__user")),
        )
        .order_by("-occurred_on", "-pk")[:limit]
    )


def open_follow_ups(*, organisation: Organisation) -> QuerySet[FollowUp]:
    return organisation.follow_ups.filter(done_at__isnull=True).select_related("owner__user")


def follow_up_list(
    *, institution: Institution, owner: Membership | None, limit: int | None = 200
) -> QuerySet[FollowUp]:
    """Open follow-ups, oldest due first; one owner's, or everyone's when ``owner`` is None."""
    items = FollowUp.objects.filter(
        organisation__institution=institution, done_at__isnull=True
    ).select_related("organisation", "owner__user")
    if owner is not None:
        items = items.filter(owner=owner)
    return _limited(items.order_by("due_on", "pk"), limit)


def _limited(items: QuerySet[Any], limit: int | None) -> QuerySet[Any]:
    """The first ``limit`` rows, or all of them (for a paginator) when ``limit`` is None."""
    return items if limit is None else items[:limit]


def organisation_contacts(*, organisation: Organisation) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(affiliations__organisation=organisation)
        .distinct()
        .order_by("full_name", "pk")
    )


@dataclass(frozen=True)
class DeliveryRate:
    """Promises delivered on time out of those that fell due (delivered, or open and
    past their date); cancelled ones do not count."""

    on_time: int
    due: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.due) if self.due else None


def _rate_counts(today: datetime.date) -> dict[str, Count]:
    fell_due = Q(status=CommitmentStatus.DELIVERED) | Q(
        status=CommitmentStatus.OPEN, due_on__lt=today
    )
    on_time = Q(status=CommitmentStatus.DELIVERED, delivered_on__lte=F("due_on"))
    return {"due": Count("pk", filter=fell_due), "on_time": Count("pk", filter=on_time)}


def delivery_rate(
    *, organisation: Organisation, today: datetime.date | None = None
) -> DeliveryRate:
    today = today or timezone.localdate()
    counts = organisation.commitments.order_by().aggregate(**_rate_counts(today))
    return DeliveryRate(on_time=counts["on_time"], due=counts["due"])


@dataclass(frozen=True)
class OwnerRate:
    owner_id: int
    name: str
    rate: DeliveryRate
    open: int


def delivery_rates_by_owner(
    *, institution: Institution, today: datetime.date | None = None
) -> list[OwnerRate]:
    """Each staff member's on-time rate, in one grouped query."""
    today = today or timezone.localdate()
    counts = _rate_counts(today)
    rows = (
        Commitment.objects.filter(organisation__institution=institution)
        .order_by()
        .values_list("owner_id", "owner__user__full_name")
        .annotate(
            due=counts["due"],
            on_time=counts["on_time"],
            open=Count("pk", filter=Q(status=CommitmentStatus.OPEN)),
        )
        .order_by("owner__user__full_name", "owner_id")
    )
    return [
        OwnerRate(owner_id, name, DeliveryRate(on_time=on_time, due=due), open_count)
        for owner_id, name, due, on_time, open_count in rows
    ]


def open_commitments(
    *, institution: Institution, owner: Membership | None = None, limit: int | None = 200
) -> QuerySet[Commitment]:
    items = Commitment.objects.filter(
        organisation__institution=institution, status=CommitmentStatus.OPEN
    ).select_related("organisation", "owner__user")
    if owner is not None:
        items = items.filter(owner=owner)
    return _limited(items.order_by("due_on", "pk"), limit)


def opportunity_list(
    *, viewer: Membership, kind: str = "", open_only: bool = False, limit: int | None = 200
) -> QuerySet[Opportunity]:
    """Opportunities the viewer may see: all of the institution for staff, their
    organisations' for a partner contact. Places left come from one annotation."""
    from guildhouse.partners.access import partner_organisation_ids

    items = Opportunity.objects.filter(organisation__institution_id=viewer.institution_id)
    if viewer.role == "partner":
        items = items.filter(organisation_id__in=partner_organisation_ids(viewer))
    if kind:
        items = items.filter(kind=kind)
    if open_only:
        items = items.filter(is_open=True)
    return _limited(
        items.select_related("organisation")
        .annotate(
            capacity=Sum("periods__capacity", default=0),
            confirmed=Sum("periods__confirmed", default=0),
        )
        .order_by("-starts_on", "pk"),
        limit,
    )


def placement_list(
    *, viewer: Membership, opportunity: Opportunity | None = None, limit: int | None = 200
) -> QuerySet[Placement]:
    """Placements the viewer may see: staff all, a learner their own, a partner contact
    their organisations'."""
    from guildhouse.partners.access import partner_organisation_ids

    items = Placement.objects.filter(learner__institution_id=viewer.institution_id)
    if opportunity is not None:
        items = items.filter(period__opportunity=opportunity)
    if viewer.role == "learner":
        items = items.filter(learner=viewer)
    elif viewer.role == "partner":
        items = items.filter(
            period__opportunity__organisation_id__in=partner_organisation_ids(viewer)
        )
    return _limited(
        items.select_related("learner__user", "period__opportunity__organisation").order_by(
            "-starts_on", "pk"
        ),
        limit,
    )


def learner_choices(*, opportunity: Opportunity) -> QuerySet[Membership]:
    """Active learners who may be proposed: of the opportunity's programmes if it has any."""
    learners = Membership.objects.active().filter(
        institution_id=opportunity.organisation.institution_id, role="learner"
    )
    programme_ids = list(opportunity.programmes.values_list("pk", flat=True))
    if programme_ids:
        learners = learners.filter(learner_profile__programme_id__in=programme_ids)
    return learners.select_related("user").order_by("user__full_name", "pk")


def agreement_list(*, viewer: Membership, limit: int | None = 200) -> QuerySet[Agreement]:
    """Agreements the viewer may read, those ending soonest first (open-ended last)."""
    from guildhouse.partners.access import partner_organisation_ids

    items = Agreement.objects.filter(organisation__institution_id=viewer.institution_id)
    if viewer.role == "partner":
        items = items.filter(organisation_id__in=partner_organisation_ids(viewer))
    return _limited(
        items.select_related("organisation", "amends").order_by(
            F("ends_on").asc(nulls_last=True), "pk"
        ),
        limit,
    )


@dataclass(frozen=True)
class ContributionTotals:
    ours: Decimal
    theirs: Decimal


def contribution_totals(*, agreement: Agreement) -> ContributionTotals:
    sums = dict(agreement.contributions.order_by().values_list("side").annotate(total=Sum("value")))
    cents = Decimal("0.01")  # SQLite's SUM drops trailing zeros
    return ContributionTotals(
        ours=Decimal(sums.get("institution") or 0).quantize(cents),
        theirs=Decimal(sums.get("partner") or 0).quantize(cents),
    )


# Relationship health: 0-100 points from four factors (docs/partners.md).
RECENCY_POINTS = 35
PROMISE_POINTS = 25
FEEDBACK_POINTS = 20
INTERACTION_POINTS = 10
PLACEMENT_POINTS = 5
ENGAGEMENT_POINTS = 5  # came to one of our events, or answered a check-in campaign


@dataclass(frozen=True)
class _Signals:
    """Feedback and engagement of a set of partners in the last 12 months."""

    feedback: dict[int, tuple[float, int]]  # organisation id -> (sum of 0..1 marks, count)
    engaged: set[int]


def _signals(organisations: QuerySet[Organisation], *, today: datetime.date) -> _Signals:
    """Three queries, whatever the number of partners: satisfaction answers (0-10),
    learners' evaluations of their placement (1-5), and events attended or campaigns
    answered."""
    from guildhouse.partners.models import (
        CampaignResponse,
        EvaluationBy,
        PartnerEvent,
        PlacementEvaluation,
        SatisfactionResponse,
    )

    start = today - datetime.timedelta(days=365)
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
    feedback: dict[int, tuple[float, int]] = {}
    for org_id, total, n in (
        SatisfactionResponse.objects.filter(organisation__in=organisations, answered_at__gte=since)
        .order_by()
        .values_list("organisation_id")
        .annotate(total=Sum("score"), n=Count("pk"))
    ):
        feedback[org_id] = (int(total) / 10, int(n))
    for org_id, total, n in (
        PlacementEvaluation.objects.filter(
            placement__period__opportunity__organisation__in=organisations,
            by=EvaluationBy.LEARNER,
            answered_at__gte=since,
        )
        .order_by()
        .values_list("placement__period__opportunity__organisation_id")
        .annotate(total=Sum("rating"), n=Count("pk"))
    ):
        marks, count = feedback.get(org_id, (0.0, 0))
        feedback[org_id] = (marks + (int(total) - int(n)) / 4, count + int(n))
    attended = (
        PartnerEvent.objects.filter(
            organisations__in=organisations, starts_at__gte=since, starts_at__date__lte=today
        )
        .order_by()
        .values_list("organisations", flat=True)
    )
    answered = (
        CampaignResponse.objects.filter(
            recipient__organisation__in=organisations, submitted_at__gte=since
        )
        .order_by()
        .values_list("recipient__organisation_id", flat=True)
    )
    engaged = set(attended.union(answered))  # one query: UNION of the two
    return _Signals(feedback=feedback, engaged=engaged)


def _add_signals(orgs: Sequence[RankedPartner], signals: _Signals) -> None:
    """Give each partner its feedback and engagement points and its total."""
    for org in orgs:
        marks, count = signals.feedback.get(org.pk, (0.0, 0))
        points = FEEDBACK_POINTS // 2 if count == 0 else round(FEEDBACK_POINTS * marks / count)
        engaged = org.pk in signals.engaged
        org.h_feedback_n, org.h_feedback_mean = count, marks / count if count else 0.0
        org.h_feedback, org.h_engaged = points, engaged
        org.h_activity += ENGAGEMENT_POINTS if engaged else 0
        org.health = org.h_recency + org.h_promises + org.h_activity + points


HEALTH_SORTS = frozenset({"health", "-health"})  # weakest first, strongest first


@dataclass(frozen=True)
class HealthFactor:
    name: str
    points: int
    out_of: int
    reason: str


@dataclass(frozen=True)
class Health:
    score: int
    factors: list[HealthFactor]
    promises: DeliveryRate


def health_explain(org: RankedPartner, *, today: datetime.date) -> Health:
    """The reasons behind a scored partner's score, factor by factor."""
    every = org.check_in_every_days or DEFAULT_CHECK_IN_DAYS
    if org.last_contact_on is None:
        recency = _("Nobody has been in touch yet.")
    else:
        recency = ngettext(
            "Last contact %(days)d day ago; check in every %(every)d days.",
            "Last contact %(days)d days ago; check in every %(every)d days.",
            (today - org.last_contact_on).days,
        ) % {"days": (today - org.last_contact_on).days, "every": every}
    if org.h_due == 0:
        promises = _("No promise has fallen due yet, so this counts half.")
    else:
        promises = _("Delivered on time: %(on_time)d of %(due)d.") % {
            "on_time": org.h_on_time,
            "due": org.h_due,
        }
    activity = _(
        "In the last 12 months: %(interactions)d interactions, %(placements)d placements hosted."
    ) % {"interactions": org.h_interactions, "placements": org.h_placements}
    if org.h_engaged:
        activity += " " + _("Came to one of our events or answered a check-in campaign.")
    else:
        activity += " " + _("No event attended and no check-in campaign answered.")
    if org.h_feedback_n == 0:
        feedback = _("No feedback in the last 12 months, so this counts half.")
    else:
        feedback = ngettext(
            "%(n)d answer in the last 12 months (partner survey and learners' evaluations), "
            "on average %(mean)d%% of the best mark.",
            "%(n)d answers in the last 12 months (partner survey and learners' evaluations), "
            "on average %(mean)d%% of the best mark.",
            org.h_feedback_n,
        ) % {"n": org.h_feedback_n, "mean": round(100 * org.h_feedback_mean)}
    factors = [
        HealthFactor(_("Contact"), org.h_recency, RECENCY_POINTS, recency),
        HealthFactor(_("Promises kept"), org.h_promises, PROMISE_POINTS, promises),
        HealthFactor(_("Feedback"), org.h_feedback, FEEDBACK_POINTS, feedback),
        HealthFactor(
            _("Activity"),
            org.h_activity,
            INTERACTION_POINTS + PLACEMENT_POINTS + ENGAGEMENT_POINTS,
            activity,
        ),
    ]
    return Health(
        score=org.health, factors=factors, promises=DeliveryRate(org.h_on_time, org.h_due)
    )


def partner_health(*, organisation: Organisation, today: datetime.date | None = None) -> Health:
    """One partner's health, by the same rules as the list: its cadence and last contact
    as stored now, then ``_score``'s queries on its rows alone."""
    today = today or timezone.localdate()
    one = Organisation.objects.filter(pk=organisation.pk)
    scored = [
        RankedPartner(*row)
        for row in one.values_list(
            "pk", "name", "stage__name", "check_in_every_days", "last_contact_on"
        )
    ]
    _score(scored, organisations=one, today=today)
    return health_explain(scored[0], today=today)


@dataclass(slots=True)
class RankedPartner:
    """A partner on the health list: what the list shows, the inputs of its score and
    the score, without a model instance: a school has a thousand partners to rank for
    every page of fifty."""

    pk: int
    name: str
    stage_name: str
    check_in_every_days: int | None
    last_contact_on: datetime.date | None
    h_recency: int = 0
    h_due: int = 0
    h_on_time: int = 0
    h_promises: int = 0
    h_interactions: int = 0
    h_placements: int = 0
    h_activity: int = 0
    h_feedback: int = 0
    h_feedback_n: int = 0
    h_feedback_mean: float = 0.0
    h_engaged: bool = False
    health: int = 0


def _score(
    orgs: Sequence[RankedPartner],
    *,
    organisations: QuerySet[Organisation],
    today: datetime.date,
) -> None:
    """Give each of ``orgs`` (the partners of ``organisations``) its factors and score.

    Five queries, whatever the number of partners: promises, interactions and
    placements here, then feedback and engagement (``_signals``). The score is added up
    in Python rather than in SQL: sorting by an annotation of correlated subqueries had
    PostgreSQL run each of them several times per row (0.5 s for a school of 1,000
    partners, docs/benchmarks.md).
    """
    year_ago = today - datetime.timedelta(days=365)
    promises = {
        org_id: (due, kept)
        for org_id, due, kept in Commitment.objects.filter(organisation__in=organisations)
        .order_by()
        .values_list("organisation_id")
        .annotate(**_rate_counts(today))
    }
    interactions = dict(
        Interaction.objects.filter(
            organisation__in=organisations, occurred_on__gte=year_ago, occurred_on__lte=today
        )
        .order_by()
        .values_list("organisation_id")
        .annotate(n=Count("*"))  # COUNT(*): read from the (organisation, date) index alone
    )
    hosted = dict(
        Placement.objects.filter(
            period__opportunity__organisation__in=organisations,
            status=PlacementStatus.CONFIRMED,
            starts_on__gte=year_ago,
            starts_on__lte=today,
        )
        .order_by()
        .values_list("period__opportunity__organisation_id")
        .annotate(n=Count("pk"))
    )
    for org in orgs:
        every = org.check_in_every_days or DEFAULT_CHECK_IN_DAYS
        contact = org.last_contact_on
        if contact is not None and contact >= today - datetime.timedelta(days=every):
            org.h_recency = RECENCY_POINTS
        elif contact is not None and contact >= today - datetime.timedelta(days=2 * every):
            org.h_recency = RECENCY_POINTS // 2
        due, kept = promises.get(org.pk, (0, 0))
        count, placed = interactions.get(org.pk, 0), hosted.get(org.pk, 0)
        org.h_activity = (
            INTERACTION_POINTS if count >= 4 else INTERACTION_POINTS // 2 if count >= 1 else 0
        ) + (PLACEMENT_POINTS if placed >= 1 else 0)
        org.h_promises = PROMISE_POINTS // 2 if due == 0 else kept * PROMISE_POINTS // due
        org.h_due, org.h_on_time, org.h_interactions, org.h_placements = due, kept, count, placed
        org.health = org.h_recency + org.h_promises + org.h_activity
    _add_signals(orgs, _signals(organisations, today=today))


def health_ranked(
    *, institution: Institution, sort: str = "health", today: datetime.date | None = None
) -> list[RankedPartner]:
    """Every partner in an open stage with the inputs of its health and the score,
    weakest first (or strongest first): the partners, then ``_score``'s queries."""
    today = today or timezone.localdate()
    open_partners = Organisation.objects.filter(institution=institution, stage__is_closed=False)
    orgs = [
        RankedPartner(*row)
        for row in open_partners.order_by("name", "pk").values_list(
            "pk", "name", "stage__name", "check_in_every_days", "last_contact_on"
        )
    ]
    _score(orgs, organisations=open_partners, today=today)
    strongest = sort == "-health"
    orgs.sort(key=lambda o: -o.health if strongest else o.health)
    return orgs  # a stable sort: name, then id, within a score


def health_list(
    *, institution: Institution, sort: str = "health", today: datetime.date | None = None
) -> list[tuple[RankedPartner, Health]]:
    """The first page's worth of ``health_ranked`` (up to 200) with their reasons."""
    today = today or timezone.localdate()
    rows = health_ranked(institution=institution, sort=sort, today=today)
    return [(org, health_explain(org, today=today)) for org in rows[: LIST_PAGE_SIZE * 4]]


def current_contacts(
    *, organisation: Organisation, today: datetime.date | None = None
) -> list[Contact]:
    """The people working at ``organisation`` now, by name, with their accounts."""
    current = Affiliation.objects.current(today or timezone.localdate()).filter(
        organisation=organisation
    )
    return list(
        Contact.objects.filter(affiliations__in=current)
        .select_related("membership__user")
        .distinct()
        .order_by("full_name", "pk")
    )


def account_users(contacts: Sequence[Contact]) -> list[User]:
    """The users behind those of ``contacts`` with an active Guildhouse account: the
    people a notification reaches."""
    return [
        c.membership.user for c in contacts if c.membership is not None and c.membership.is_active
    ]
