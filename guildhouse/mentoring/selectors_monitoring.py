"""Reads for monitoring: the board, the overdue contacts, a pair's alerts and actions.

Every list reads ``PairWatch`` rows through an index and then only the rows shown, so
the number of queries does not grow with the number of pairs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guildhouse.core.models import Institution
from guildhouse.mentoring.models import (
    Flag,
    FlagTopic,
    MentoringProgramme,
    MonitoringAction,
    PairWatch,
    RiskAlert,
    RiskRule,
)
from guildhouse.mentoring.services_monitoring import INACTIVE_DAYS, LOW_QUALITY

# The rules, in words, as the board shows them.
RULE_TEXT = {
    RiskRule.NO_MEETING: gettext_lazy(
        "No meeting held for more than twice the programme's meeting cadence (counted from "
        "the start of the pair when there has been none)."
    ),
    RiskRule.MISSED_TWICE: gettext_lazy("The last two logged meetings were both missed."),
    RiskRule.LOW_QUALITY: gettext_lazy(
        "The latest relationship-quality check-in scored %(low)s or less of 5, or fell by a "
        "point or more since the one before."
    ),
    RiskRule.INACTIVE: gettext_lazy(
        "The mentor or the mentee has done nothing in Guildhouse for more than %(days)s days: "
        "no sign-in, no meeting planned or logged, no flag."
    ),
    RiskRule.FLAG: gettext_lazy("The mentor or the mentee raised a flag."),
}

SUGGESTION = {
    RiskRule.NO_MEETING: gettext_lazy(
        "Contact both and help them fix the date of their next meeting."
    ),
    RiskRule.MISSED_TWICE: gettext_lazy(
        "Ask both what keeps them from meeting; suggest another time, place or an online meeting."
    ),
    RiskRule.LOW_QUALITY: gettext_lazy(
        "Talk with each of them on their own about how it is going; consider a new match."
    ),
    RiskRule.INACTIVE: gettext_lazy(
        "Reach the quiet person by phone or in person and check they are still studying."
    ),
    RiskRule.FLAG: gettext_lazy("Read the flag and answer the person who raised it."),
}


def rules_in_words() -> list[tuple[str, str]]:
    return [(str(RiskRule(rule).label), rule_text(rule)) for rule in RiskRule.values]


def rule_text(rule: str) -> str:
    text = str(RULE_TEXT[RiskRule(rule)])
    return str(text % {"low": f"{LOW_QUALITY:g}", "days": INACTIVE_DAYS})


def reason(alert: RiskAlert) -> str:
    """Why this pair is at risk, with its numbers, in the reader's language."""
    detail: dict[str, object] = dict(alert.detail)
    if alert.rule == RiskRule.NO_MEETING:
        return _("No meeting held for %(days)s days (the limit is %(limit)s).") % {
            "days": detail.get("days"),
            "limit": detail.get("limit"),
        }
    if alert.rule == RiskRule.MISSED_TWICE:
        return _("The last two meetings were missed.")
    if alert.rule == RiskRule.LOW_QUALITY:
        raw_before, raw_score = detail.get("before"), detail.get("score")
        score = float(raw_score) if isinstance(raw_score, int | float) else 0.0
        before = [float(b) for b in raw_before] if isinstance(raw_before, list) else []
        if before and before[0] - score >= 1:
            return _("Relationship quality fell from %(before)s to %(score)s of 5.") % {
                "before": f"{before[0]:g}",
                "score": f"{score:g}",
            }
        return _("Relationship quality scored %(score)s of 5.") % {"score": f"{score:g}"}
    if alert.rule == RiskRule.INACTIVE:
        who = _("The mentee") if detail.get("side") == "mentee" else _("The mentor")
        return _("%(who)s has been inactive for %(days)s days.") % {
            "who": who,
            "days": detail.get("days"),
        }
    topic = str(FlagTopic(str(detail.get("topic", "other"))).label)
    if alert.urgent:
        return _("Urgent flag: %(topic)s.") % {"topic": topic}
    return _("Flag: %(topic)s.") % {"topic": topic}


def suggestion(alert: RiskAlert) -> str:
    if alert.rule == RiskRule.FLAG and alert.urgent:
        return _("Read the flag and answer the person who raised it today.")
    return str(SUGGESTION[RiskRule(alert.rule)])


def _watch_rows(watches: QuerySet[PairWatch]) -> QuerySet[PairWatch]:
    return watches.select_related(
        "relationship__programme",
        "relationship__mentee__membership__user",
        "relationship__mentor__membership__user",
    )


def at_risk(
    *, institution: Institution, programme: MentoringProgramme | None = None
) -> QuerySet[PairWatch]:
    """Pairs with open alerts, urgent first, then those with most alerts; alerts prefetched."""
    watches = PairWatch.objects.filter(institution=institution, open_alerts__gt=0)
    if programme is not None:
        watches = watches.filter(programme=programme)
    return (
        _watch_rows(watches)
        .prefetch_related(
            Prefetch(
                "relationship__risk_alerts",
                queryset=RiskAlert.objects.filter(closed_at=None).order_by("-urgent", "opened_at"),
                to_attr="open_alerts_list",
            )
        )
        .order_by("-urgent", "-open_alerts", "relationship_id")
    )


def contacts_overdue(
    *, institution: Institution, today: datetime.date, programme: MentoringProgramme | None = None
) -> QuerySet[PairWatch]:
    """Active pairs whose next coordinator contact is past due, longest overdue first."""
    # A pair paused or ended since the last daily check is no longer due a contact.
    watches = PairWatch.objects.filter(
        institution=institution, next_contact_due__lt=today, relationship__status="active"
    )
    if programme is not None:
        watches = watches.filter(programme=programme)
    return _watch_rows(watches).order_by("next_contact_due", "relationship_id")


@dataclass(frozen=True)
class MonitoringCounts:
    at_risk: int
    urgent: int
    overdue: int
    watched: int


def monitoring_counts(
    *, institution: Institution, today: datetime.date, programme: MentoringProgramme | None = None
) -> MonitoringCounts:
    """Pairs at risk, with an urgent flag, overdue a contact, and watched: one grouped query."""
    watches = PairWatch.objects.filter(institution=institution)
    if programme is not None:
        watches = watches.filter(programme=programme)
    row = watches.order_by().aggregate(
        at_risk=Count("pk", filter=Q(open_alerts__gt=0)),
        urgent=Count("pk", filter=Q(urgent=True)),
        overdue=Count("pk", filter=Q(next_contact_due__lt=today, relationship__status="active")),
        watched=Count("pk", filter=~Q(next_contact_due=None)),
    )
    return MonitoringCounts(row["at_risk"], row["urgent"], row["overdue"], row["watched"])


def pair_alerts(*, relationship_id: int) -> list[RiskAlert]:
    """A pair's open alerts, then the 20 latest closed ones."""
    alerts = RiskAlert.objects.filter(relationship_id=relationship_id)
    return [
        *alerts.filter(closed_at=None).order_by("-urgent", "opened_at"),
        *alerts.exclude(closed_at=None).order_by("-closed_at")[:20],
    ]


def pair_actions(*, relationship_id: int) -> QuerySet[MonitoringAction]:
    return (
        MonitoringAction.objects.filter(relationship_id=relationship_id)
        .select_related("actor")
        .order_by("-taken_on", "-pk")[:50]
    )


def support_flags(*, institution: Institution, limit: int = 5) -> list[Flag]:
    """Open flags about wellbeing or safety, urgent and oldest first (support staff's list)."""
    from guildhouse.mentoring.models import SUPPORT_TOPICS

    return list(
        Flag.objects.filter(
            relationship__programme__institution=institution,
            resolved_at=None,
            topic__in=SUPPORT_TOPICS,
        )
        .select_related("relationship__programme")
        .order_by("-urgent", "created_at")[:limit]
    )
