"""Peer-mentoring programmes: what a programme promises, who applies, and the pairs it makes."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import Institution, Programme, User


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECRUITING = "recruiting", _("Recruiting")
    MATCHING = "matching", _("Matching")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


# Where a programme may go next. Matching may reopen recruitment (someone applied late);
# a programme that never started may be closed at any point before it runs.
TRANSITIONS: dict[str, frozenset[str]] = {
    State.DRAFT: frozenset({State.RECRUITING, State.CLOSED}),
    State.RECRUITING: frozenset({State.MATCHING, State.CLOSED}),
    State.MATCHING: frozenset({State.RECRUITING, State.RUNNING, State.CLOSED}),
    State.RUNNING: frozenset({State.CLOSED}),
    State.CLOSED: frozenset(),
}


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    CUSTOM = "custom", _("Custom")


class Format(models.TextChoices):
    ONE_TO_ONE = "one_to_one", _("One mentor, one mentee")
    GROUP = "group", _("One mentor, a small group")


class MatchingMode(models.TextChoices):
    # The engine's modes (guildhouse.matching.Mode), in words a coordinator uses.
    OPTIMAL = "optimal", _("Best total fit")
    PARTICIPATION = "participation", _("Match as many mentees as possible")
    FAIR = "fair", _("Fairest: lift the weakest pair")
    STABLE = "stable", _("Stable: no two people would rather swap")


MIN_MEETING_MINUTES, MAX_MEETING_MINUTES = 15, 120
MAX_CAPACITY = 12


class MentoringProgrammeQuerySet(models.QuerySet["MentoringProgramme"]):
    def of(self, institution: Institution) -> MentoringProgrammeQuerySet:
        return self.filter(institution=institution)


class MentoringProgramme(models.Model):
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="mentoring_programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    goals = models.TextField(
        _("goals and objectives"),
        help_text=_("What mentees should gain. Stated at the start, they guide every review."),
    )
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.DRAFT)
    cohort_start = models.DateField(_("cohort starts"))
    cohort_end = models.DateField(_("cohort ends"))
    cadence = models.CharField(
        _("meeting cadence"), max_length=12, choices=Cadence, default=Cadence.FORTNIGHTLY
    )
    cadence_days = models.PositiveSmallIntegerField(
        _("days between meetings"),
        null=True,
        blank=True,
        help_text=_("Only for a custom cadence."),
    )
    meeting_minutes = models.PositiveSmallIntegerField(_("expected meeting length"), default=45)
    peer_mentors = models.BooleanField(_("learners may mentor"), default=True)
    alumni_mentors = models.BooleanField(_("alumni may mentor"), default=False)
    industry_mentors = models.BooleanField(
        _("partner contacts may mentor"),
        default=False,
        help_text=_("Industry professionals who are partner contacts of the institution."),
    )
    eligible_programmes = models.ManyToManyField(
        Programme,
        blank=True,
        related_name="mentoring_programmes",
        verbose_name=_("eligible study programmes"),
        help_text=_("Leave empty to welcome learners of every study programme."),
    )
    min_year = models.PositiveSmallIntegerField(_("from year of study"), default=1)
    max_year = models.PositiveSmallIntegerField(_("to year of study"), default=3)
    default_capacity = models.PositiveSmallIntegerField(_("mentees per mentor"), default=1)
    format = models.CharField(_("format"), max_length=12, choices=Format, default=Format.ONE_TO_ONE)
    skills = models.JSONField(_("skills the programme develops"), default=list, blank=True)
    matching_mode = models.CharField(
        _("matching mode"), max_length=16, choices=MatchingMode, default=MatchingMode.OPTIMAL
    )
    same_study_programme = models.BooleanField(
        _("pair learners of the same study programme only"),
        default=False,
        help_text=_("Partner contacts and alumni may still mentor anyone."),
    )
    weight_interests = models.FloatField(_("weight of shared interests"), default=1.0)
    weight_goals = models.FloatField(_("weight of similar career goals"), default=1.0)
    weight_style = models.FloatField(_("weight of communication style"), default=0.5)
    weight_experience = models.FloatField(_("weight of experience gap"), default=1.0)
    weight_language = models.FloatField(_("weight of shared languages"), default=0.5)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MentoringProgrammeQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-cohort_start", "name"]
        indexes: ClassVar = [models.Index(fields=["institution", "state"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(cohort_end__gt=F("cohort_start")),
                name="mentoring_programme_ends_after_start",
                violation_error_message=_("The cohort must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(
                    cadence="custom",
                    cadence_days__isnull=False,
                    cadence_days__gte=1,
                    cadence_days__lte=90,
                )
                | (~Q(cadence="custom") & Q(cadence_days=None)),
                name="mentoring_programme_custom_cadence_has_days",
                violation_error_message=_(
                    "Give the days between meetings (1 to 90) for a custom cadence, and only then."
                ),
            ),
            models.CheckConstraint(
                condition=Q(meeting_minutes__gte=MIN_MEETING_MINUTES)
                & Q(meeting_minutes__lte=MAX_MEETING_MINUTES),
                name="mentoring_programme_meeting_minutes_range",
                violation_error_message=_("A meeting lasts 15 to 120 minutes."),
            ),
            models.CheckConstraint(
                condition=Q(peer_mentors=True) | Q(alumni_mentors=True) | Q(industry_mentors=True),
                name="mentoring_programme_some_mentor_kind",
                violation_error_message=_("Choose at least one kind of mentor."),
            ),
            models.CheckConstraint(
                condition=Q(min_year__gte=1) & Q(min_year__lte=F("max_year")) & Q(max_year__lte=6),
                name="mentoring_programme_year_range",
                violation_error_message=_(
                    "Years of study run from 1 to 6, the first no later than the last."
                ),
            ),
            models.CheckConstraint(
                condition=Q(default_capacity__gte=1) & Q(default_capacity__lte=MAX_CAPACITY),
                name="mentoring_programme_capacity_range",
                violation_error_message=_("A mentor takes 1 to 12 mentees."),
            ),
            models.CheckConstraint(
                condition=Q(weight_interests__gte=0)
                & Q(weight_goals__gte=0)
                & Q(weight_style__gte=0)
                & Q(weight_experience__gte=0)
                & Q(weight_language__gte=0),
                name="mentoring_programme_weights_not_negative",
                violation_error_message=_("Weights cannot be negative."),
            ),
            models.CheckConstraint(
                condition=GreaterThan(
                    F("weight_interests")
                    + F("weight_goals")
                    + F("weight_style")
                    + F("weight_experience")
                    + F("weight_language"),
                    0,
                ),
                name="mentoring_programme_some_weight",
                violation_error_message=_("At least one weight must be above 0."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=State.values),
                name="mentoring_programme_state_valid",
                violation_error_message=_("Unknown state."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def next_states(self) -> list[State]:
        return [State(s) for s in State.values if s in TRANSITIONS[self.state]]

    @property
    def cadence_in_days(self) -> int:
        if self.cadence == Cadence.WEEKLY:
            return 7
        if self.cadence == Cadence.FORTNIGHTLY:
            return 14
        return self.cadence_days or 14
