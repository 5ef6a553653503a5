"""Key figures of mentoring programmes (each programme is one cohort), from a fixed number of
grouped queries whatever the number of programmes, pairs or meetings.

Definitions (also on the KPI page and in docs/mentoring.md):

- participation: accepted mentees and mentors (and mentees who applied);
- match rate: mentees who were ever matched, of the accepted mentees;
- time to match: mean days from a mentee's acceptance to their first published match;
- meeting adherence: meetings held, of the meetings expected by the cadence over the days
  each pair was active (from both acceptances to its end, today, or the cohort end);
- retention: pairs that reached the planned end, of the started pairs that have ended;
  and started mentees still enrolled (an active membership);
- satisfaction: mean relationship-quality check-in score (1-5);
- skill gain: mean post minus pre self-assessment (1-5) on the programme's skills;
- mentoring hours: the length of the meetings held.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guildhouse.mentoring.models import (
    Application,
    ApplicationStatus,
    CloseReason,
    EvidenceNote,
    Meeting,
    MeetingStatus,
    MentoringProgramme,
    Relationship,
    RelationshipStatus,
    Side,
)

DECLINED = (CloseReason.DECLINED_BY_MENTEE, CloseReason.DECLINED_BY_MENTOR)
DAY = datetime.timedelta(days=1)


def _rate(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Kpis:
    programme: MentoringProgramme
    applied: int = 0
    mentees: int = 0
    mentors: int = 0
    matched: int = 0
    time_to_match_days: float | None = None
    started: int = 0
    ended: int = 0
    completed: int = 0
    enrolled: int = 0
    held: int = 0
    missed: int = 0
    expected: float = 0.0
    minutes: int = 0
    satisfaction: float | None = None
    skill_gain: float | None = None
    evidence: int = 0
    tags: list[tuple[str, int]] = field(default_factory=list)

    @property
    def match_rate(self) -> float | None:
        return _rate(self.matched, self.mentees)

    @property
    def adherence(self) -> float | None:
        return _rate(self.held, self.expected)

    @property
    def retention(self) -> float | None:
        return _rate(self.completed, self.ended)

    @property
    def still_enrolled(self) -> float | None:
        return _rate(self.enrolled, self.started)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    def rows(self) -> list[tuple[str, str, str]]:
        """(key, label, value in words) for the table and the exports."""

        def number(value: float | None, unit: str = "") -> str:
            return "-" if value is None else f"{value:g}{unit}"

        expected = round(self.expected, 1)
        return [
            ("mentees", str(_("Mentees taking part")), str(self.mentees)),
            ("mentors", str(_("Mentors taking part")), str(self.mentors)),
            ("applied", str(_("Mentees who applied")), str(self.applied)),
            ("match_rate", str(_("Match rate")), number(self.match_rate, " %")),
            ("time_to_match", str(_("Time to match (days)")), number(self.time_to_match_days)),
            ("started", str(_("Pairs started")), str(self.started)),
            ("held", str(_("Meetings held")), str(self.held)),
            ("expected", str(_("Meetings expected by the cadence")), number(expected)),
            ("adherence", str(_("Meeting adherence")), number(self.adherence, " %")),
            ("retention", str(_("Pairs reaching the planned end")), number(self.retention, " %")),
            ("still_enrolled", str(_("Mentees still enrolled")), number(self.still_enrolled, " %")),
            ("satisfaction", str(_("Satisfaction (1-5)")), number(self.satisfaction)),
            ("skill_gain", str(_("Skill gain (post minus pre)")), number(self.skill_gain)),
            ("hours", str(_("Mentoring hours")), f"{self.hours:g}"),
            ("evidence", str(_("Interview and focus-group notes")), str(self.evidence)),
        ]

    def bars(self) -> list[tuple[str, float]]:
        """The percentages the chart draws, in the table's order and words."""
        shown = [
            (_("Match rate"), self.match_rate),
            (_("Meeting adherence"), self.adherence),
            (_("Pairs reaching the planned end"), self.retention),
            (_("Mentees still enrolled"), self.still_enrolled),
            (
                _("Satisfaction (1-5)"),
                None if self.satisfaction is None else round(100 * self.satisfaction / 5, 1),
            ),
        ]
        return [(str(label), min(value, 100.0)) for label, value in shown if value is not None]


def survey_figures(programme_ids: list[int]) -> dict[int, tuple[float | None, float | None]]:
    """Mean relationship-quality score and mean skill gain (after minus before) per
    programme, from the surveys: two grouped queries."""
    from guildhouse.mentoring.models import SkillRating, SurveyKind, SurveyResponse

    quality = dict(
        SurveyResponse.objects.filter(
            programme_id__in=programme_ids, kind=SurveyKind.QUALITY, score__isnull=False
        )
        .order_by()
        .values("programme_id")
        .annotate(mean=Avg("score"))
        .values_list("programme_id", "mean")
    )
    gain = dict(
        SkillRating.objects.filter(programme_id__in=programme_ids)
        .order_by()
        .values("programme_id")
        .annotate(mean=Avg(F("after") - F("before")))
        .values_list("programme_id", "mean")
    )
    return {
        pk: (
            round(quality[pk], 1) if pk in quality else None,
            round(gain[pk], 1) if pk in gain else None,
        )
        for pk in set(quality) | set(gain)
    }


def programme_kpis(
    programmes: list[MentoringProgramme], *, now: datetime.datetime | None = None
) -> dict[int, Kpis]:
    """Key figures of each programme: four grouped queries (applications, pairs, meetings,
    evidence) plus the surveys', whatever the number of rows."""
    now = now or timezone.now()
    ids = [p.pk for p in programmes]
    result = {p.pk: Kpis(programme=p) for p in programmes}
    if not ids:
        return result
    accepted = Q(status=ApplicationStatus.ACCEPTED)
    for row in (
        Application.objects.filter(programme_id__in=ids)
        .order_by()
        .values("programme_id")
        .annotate(
            applied=Count("pk", filter=Q(side=Side.MENTEE)),
            mentees=Count("pk", filter=Q(side=Side.MENTEE) & accepted),
            mentors=Count("pk", filter=Q(side=Side.MENTOR) & accepted),
        )
    ):
        kpis = result[row["programme_id"]]
        kpis.applied, kpis.mentees, kpis.mentors = row["applied"], row["mentees"], row["mentors"]

    started = Q(mentee_accepted_at__isnull=False, mentor_accepted_at__isnull=False)
    start = Greatest("mentee_accepted_at", "mentor_accepted_at")
    cohort_end = Cast("programme__cohort_end", DateTimeField())
    end = Least(Coalesce("closed_at", Value(now)), Value(now), cohort_end)
    for prow in (
        Relationship.objects.filter(programme_id__in=ids)
        .order_by()
        .values("programme_id")
        .annotate(
            matched=Count("mentee_id", distinct=True),
            started=Count("pk", filter=started),
            ended=Count(
                "pk",
                filter=started
                & Q(status=RelationshipStatus.CLOSED)
                & ~Q(close_reason__in=DECLINED),
            ),
            completed=Count("pk", filter=started & Q(close_reason=CloseReason.COMPLETED)),
            enrolled=Count(
                "mentee_id", distinct=True, filter=started & Q(mentee__membership__is_active=True)
            ),
            wait=Avg(
                ExpressionWrapper(
                    F("published_at") - F("mentee__decided_at"), output_field=DurationField()
                )
            ),
            active=Sum(
                ExpressionWrapper(end - start, output_field=DurationField()),
                filter=started & Q(**{"programme__cohort_end__isnull": False}),
            ),
        )
    ):
        kpis = result[prow["programme_id"]]
        kpis.matched, kpis.started = prow["matched"], prow["started"]
        kpis.ended, kpis.completed, kpis.enrolled = (
            prow["ended"],
            prow["completed"],
            prow["enrolled"],
        )
        wait: datetime.timedelta | None = prow["wait"]
        kpis.time_to_match_days = round(wait / DAY, 1) if wait is not None else None
        active: datetime.timedelta | None = prow["active"]
        if active is not None and active > datetime.timedelta(0):
            kpis.expected = active / DAY / kpis.programme.cadence_in_days

    for mrow in (
        Meeting.objects.filter(relationship__programme_id__in=ids)
        .order_by()
        .values("relationship__programme_id")
        .annotate(
            held=Count("pk", filter=Q(status=MeetingStatus.HELD)),
            missed=Count("pk", filter=Q(status=MeetingStatus.MISSED)),
            minutes=Sum("held_minutes", filter=Q(status=MeetingStatus.HELD)),
        )
    ):
        kpis = result[mrow["relationship__programme_id"]]
        kpis.held, kpis.missed, kpis.minutes = mrow["held"], mrow["missed"], mrow["minutes"] or 0

    tag_counts: dict[int, dict[str, int]] = {}
    for programme_id, tags in EvidenceNote.objects.filter(programme_id__in=ids).values_list(
        "programme_id", "tags"
    ):
        result[programme_id].evidence += 1
        counts = tag_counts.setdefault(programme_id, {})
        for tag in tags:
            counts[tag] = counts.get(tag, 0) + 1
    for programme_id, counts in tag_counts.items():
        result[programme_id].tags = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    for programme_id, (satisfaction, gain) in survey_figures(ids).items():
        result[programme_id].satisfaction, result[programme_id].skill_gain = satisfaction, gain
    return result
