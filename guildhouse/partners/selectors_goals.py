"""Reads for institutional goals: each goal's progress, measured from the records.

A goal's value is never typed in. ``goals_progress`` measures any number of goals in
a bounded number of queries (one per KPI kind present, whatever the number of goals
or the size of the institution): goals of one kind share one aggregate query with a
filtered count per goal. What each KPI counts is written in docs/partners.md.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guildhouse.core.models import Institution, Membership, Role
from guildhouse.partners.models import (
    Agreement,
    AgreementStatus,
    Goal,
    GoalKpi,
    Opportunity,
    Organisation,
    Placement,
    PlacementStatus,
)
from guildhouse.partners.selectors import check_ins_overdue
from guildhouse.partners.selectors_alignment import programme_partner_counts

PERCENT_KPIS = frozenset(
    {GoalKpi.PLACEMENT_SHARE, GoalKpi.PROGRAMME_COVERAGE, GoalKpi.CHECK_INS_ON_TIME}
)
# Goals shown on the home panel: those still running or ended in the last 30 days.
HOME_GOALS = 6
HOME_RECENT_DAYS = 30


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    value: int  # a percentage for the share KPIs, else a count
    numerator: int
    denominator: int | None  # for shares; None for counts
    explanation: str

    @property
    def is_percent(self) -> bool:
        return self.goal.kpi in PERCENT_KPIS

    @property
    def met(self) -> bool:
        return self.value >= self.goal.target

    @property
    def progress_percent(self) -> int:
        """How far towards the target, 0 to 100 (for the progress bar)."""
        if self.goal.target == 0:
            return 100
        return min(100, round(100 * self.value / self.goal.target))

    def status(self, today: datetime.date) -> str:
        if self.met:
            return _("Target met")
        if today > self.goal.ends_on:
            return _("Target missed")
        if today < self.goal.starts_on:
            return _("Not started")
        return _("In progress")


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _measured_until(goal: Goal, today: datetime.date) -> datetime.date:
    """Counts as of the period's end, or today while it runs."""
    return min(goal.ends_on, today)


def _placement_share(
    goals: list[Goal], institution: Institution, today: datetime.date
) -> dict[int, GoalProgress]:
    """Active learners (of the level or programme) with a confirmed placement that
    ended within the period, by today: one query for all such goals."""
    aggregates = {}
    for goal in goals:
        who = Q()
        if goal.programme_id:
            who &= Q(learner_profile__programme_id=goal.programme_id)
        if goal.level:
            who &= Q(learner_profile__programme__level=goal.level)
        done = Exists(
            Placement.objects.filter(
                learner=OuterRef("pk"),
                status=PlacementStatus.CONFIRMED,
                ends_on__gte=goal.starts_on,
                ends_on__lte=_measured_until(goal, today),
            )
        )
        aggregates[f"all_{goal.pk}"] = Count("pk", filter=who)
        aggregates[f"done_{goal.pk}"] = Count("pk", filter=who & Q(done))
    totals = Membership.objects.filter(
        institution=institution, role=Role.LEARNER, is_active=True
    ).aggregate(**aggregates)
    result = {}
    for goal in goals:
        whole, part = totals[f"all_{goal.pk}"], totals[f"done_{goal.pk}"]
        explanation = ngettext(
            "%(part)s of %(whole)s learner completed a placement in the period.",
            "%(part)s of %(whole)s learners completed a placement in the period.",
            whole,
        ) % {"part": part, "whole": whole}
        result[goal.pk] = GoalProgress(goal, _share(part, whole), part, whole, explanation)
    return result


def _programme_coverage(
    goals: list[Goal], institution: Institution, today: datetime.date
) -> dict[int, GoalProgress]:
    """Active programmes (or the goal's one) with at least N active partners today."""
    rows = programme_partner_counts(institution=institution, today=today)
    result = {}
    for goal in goals:
        chosen = [(p, k) for p, k in rows if not goal.programme_id or p.pk == goal.programme_id]
        n = goal.min_partners or 1
        part = sum(1 for _, k in chosen if k >= n)
        short = [p.name for p, k in chosen if k < n]
        explanation = ngettext(
            "%(part)s of %(whole)s programme has at least %(n)s active partners.",
            "%(part)s of %(whole)s programmes have at least %(n)s active partners.",
            len(chosen),
        ) % {"part": part, "whole": len(chosen), "n": n}
        if short:
            explanation += " " + _("Short: %(names)s.") % {"names": ", ".join(short)}
        result[goal.pk] = GoalProgress(
            goal, _share(part, len(chosen)), part, len(chosen), explanation
        )
    return result


def _opportunity_count(
    goals: list[Goal], institution: Institution, today: datetime.date
) -> dict[int, GoalProgress]:
    """Opportunities of the goal's type starting within the period (all of them, held
    or planned: a planned guest lecture counts once it is on the books)."""
    aggregates = {}
    for goal in goals:
        which = Q(kind=goal.opportunity_kind, starts_on__range=(goal.starts_on, goal.ends_on))
        if goal.programme_id:
            which &= Q(
                Exists(
                    Opportunity.programmes.through.objects.filter(
                        opportunity_id=OuterRef("pk"), programme_id=goal.programme_id
                    )
                )
            )
        aggregates[f"n_{goal.pk}"] = Count("pk", filter=which)
    totals = Opportunity.objects.filter(organisation__institution=institution).aggregate(
        **aggregates
    )
    result = {}
    for goal in goals:
        n = totals[f"n_{goal.pk}"]
        explanation = ngettext(
            "%(n)s opportunity of type “%(kind)s” starts in the period.",
            "%(n)s opportunities of type “%(kind)s” start in the period.",
            n,
        ) % {"n": n, "kind": goal.get_opportunity_kind_display()}
        result[goal.pk] = GoalProgress(goal, n, n, None, explanation)
    return result


def _active_agreements(
    goals: list[Goal], institution: Institution, today: datetime.date
) -> dict[int, GoalProgress]:
    """Signed agreements in force on the period's last day (today while it runs)."""
    aggregates = {}
    for goal in goals:
        day = _measured_until(goal, today)
        aggregates[f"n_{goal.pk}"] = Count(
            "pk",
            filter=Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day)),
        )
    totals = Agreement.objects.filter(
        organisation__institution=institution, status=AgreementStatus.SIGNED
    ).aggregate(**aggregates)
    result = {}
    for goal in goals:
        n = totals[f"n_{goal.pk}"]
        explanation = ngettext(
            "%(n)s signed agreement in force.", "%(n)s signed agreements in force.", n
        ) % {"n": n}
        result[goal.pk] = GoalProgress(goal, n, n, None, explanation)
    return result


def _check_ins_on_time(
    goals: list[Goal], institution: Institution, today: datetime.date
) -> dict[int, GoalProgress]:
    """Partners in an open stage that we have been in touch with, whose last contact is
    within their check-in cadence today (three queries)."""
    overdue = len(check_ins_overdue(institution=institution, today=today))
    whole = Organisation.objects.filter(
        institution=institution, stage__is_closed=False, last_contact_on__isnull=False
    ).count()
    part = whole - overdue
    explanation = ngettext(
        "%(part)s of %(whole)s partner checked in on time.",
        "%(part)s of %(whole)s partners checked in on time.",
        whole,
    ) % {"part": part, "whole": whole}
    return {g.pk: GoalProgress(g, _share(part, whole), part, whole, explanation) for g in goals}


_MEASURES = {
    GoalKpi.PLACEMENT_SHARE: _placement_share,
    GoalKpi.PROGRAMME_COVERAGE: _programme_coverage,
    GoalKpi.OPPORTUNITY_COUNT: _opportunity_count,
    GoalKpi.ACTIVE_AGREEMENTS: _active_agreements,
    GoalKpi.CHECK_INS_ON_TIME: _check_ins_on_time,
}


def goals_progress(
    goals: list[Goal], *, institution: Institution, today: datetime.date | None = None
) -> list[GoalProgress]:
    """Progress of each goal, in the order given; at most one to three queries per KPI
    kind present among them."""
    today = today or timezone.localdate()
    measured: dict[int, GoalProgress] = {}
    for kpi, measure in _MEASURES.items():
        of_kind = [g for g in goals if g.kpi == kpi]
        if of_kind:
            measured.update(measure(of_kind, institution, today))
    return [measured[g.pk] for g in goals]


def goal_list(*, institution: Institution) -> QuerySet[Goal]:
    return Goal.objects.filter(institution=institution).select_related("programme")


def home_goals(*, institution: Institution, today: datetime.date) -> list[Goal]:
    """The goals for the home panel: running or ended in the last 30 days, soonest end
    first (an index on institution and end date serves it)."""
    since = today - datetime.timedelta(days=HOME_RECENT_DAYS)
    return list(goal_list(institution=institution).filter(ends_on__gte=since)[:HOME_GOALS])
