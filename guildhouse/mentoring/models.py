"""Peer-mentoring programmes: what a programme promises, who applies, and the pairs it makes."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import Institution, Membership, Programme, User
from guildhouse.mentoring.training import ModuleKey


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


def all_modules() -> list[str]:
    """By default a programme requires every training module."""
    return list(ModuleKey.values)


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
    required_modules = models.JSONField(
        _("training required before matching"), default=all_modules, blank=True
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


class Side(models.TextChoices):
    MENTEE = "mentee", _("Mentee")
    MENTOR = "mentor", _("Mentor")


class QuestionSide(models.TextChoices):
    BOTH = "both", _("Mentors and mentees")
    MENTEE = "mentee", _("Mentees only")
    MENTOR = "mentor", _("Mentors only")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    SCALE = "scale", _("Scale")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    AVAILABILITY = "availability", _("Weekly availability")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})


class Question(models.Model):
    """One question of a programme's enrolment form.

    Built-in questions (``builtin`` True) take their wording and choices from
    ``intake.BUILTINS[key]``; custom ones carry their own ``label`` and ``options``.
    """

    programme = models.ForeignKey(
        MentoringProgramme, on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(_("key"), max_length=40)
    builtin = models.BooleanField(default=False)
    side = models.CharField(_("asked of"), max_length=8, choices=QuestionSide, default="both")
    kind = models.CharField(_("type"), max_length=12, choices=QuestionKind)
    label = models.CharField(_("question"), max_length=300, blank=True)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    options = models.JSONField(_("choices"), default=list, blank=True)
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["position", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["programme", "key"], name="mentoring_question_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(scale_min__lt=F("scale_max")) & Q(scale_max__lte=F("scale_min") + 10),
                name="mentoring_question_scale_range",
                violation_error_message=_("A scale runs up from its first value, 2 to 11 steps."),
            ),
            models.CheckConstraint(
                condition=Q(builtin=True) | ~Q(label=""),
                name="mentoring_question_custom_has_label",
                violation_error_message=_("Write the question."),
            ),
        ]

    def __str__(self) -> str:
        return self.key

    def asks(self, side: str) -> bool:
        return self.side in (QuestionSide.BOTH, side)


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for screening")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("On the waiting list")
    DECLINED = "declined", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MentorKind(models.TextChoices):
    PEER = "peer", _("Peer learner")
    ALUMNUS = "alumnus", _("Alumni")
    INDUSTRY = "industry", _("Industry professional")


class Application(models.Model):
    """A person's enrolment in a programme, as a mentor or a mentee.

    ``seats_taken`` counts the mentor's open pairs; the database keeps it within
    ``capacity``, and ``services`` raise it only under a row lock.
    """

    programme = models.ForeignKey(
        MentoringProgramme, on_delete=models.CASCADE, related_name="applications"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="mentoring_applications"
    )
    side = models.CharField(_("applies as"), max_length=8, choices=Side)
    mentor_kind = models.CharField(
        _("kind of mentor"), max_length=10, choices=MentorKind, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus, default=ApplicationStatus.SUBMITTED
    )
    answers = models.JSONField(default=dict, blank=True)
    # Read only by the applicant, coordinators and support staff (access.py).
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("mentees this mentor takes"), default=1)
    seats_taken = models.PositiveSmallIntegerField(default=0)
    used_decline = models.BooleanField(default=False)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        indexes: ClassVar = [models.Index(fields=["programme", "side", "status"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["programme", "membership"],
                name="mentoring_application_one_per_person",
                violation_error_message=_("You have already applied to this programme."),
            ),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")),
                name="mentoring_application_seats_within_capacity",
                violation_error_message=_("This mentor has no free seats."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=MAX_CAPACITY),
                name="mentoring_application_capacity_range",
                violation_error_message=_("A mentor takes 1 to 12 mentees."),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decision_reason=""),
                name="mentoring_application_decline_has_reason",
                violation_error_message=_("Give a reason when you do not accept someone."),
            ),
            models.CheckConstraint(
                condition=Q(side="mentee", mentor_kind="")
                | (Q(side="mentor") & ~Q(mentor_kind="")),
                name="mentoring_application_mentor_kind_for_mentors",
                violation_error_message=_("Only mentors have a kind."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} as {self.side} in {self.programme}"


class MatchingPreference(models.Model):
    """Optional matching preferences, special-category data: stored only with consent.

    The row's existence is the consent: it lets the matching use the person's gender
    and background (from ``core.SpecialCategoryData``) to honour their own requests
    and other people's. Read only by the person and support staff, like the core's
    special-category data; coordinators see that a preference shaped a match, not which.
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="preference"
    )
    consent_given_at = models.DateTimeField(default=timezone.now)
    same_gender = models.BooleanField(_("a mentor or mentee of my own gender"), default=False)
    shared_background = models.BooleanField(_("someone who shares my background"), default=False)
    shared_language = models.BooleanField(
        _("someone who speaks the language I grew up with"), default=False
    )

    def __str__(self) -> str:
        return f"Matching preference of application {self.application_id}"


class TrainingCompletion(models.Model):
    """A person passed a training module's check. Counts for every programme they join."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="training_completions"
    )
    module = models.CharField(_("module"), max_length=20, choices=ModuleKey)
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["completed_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["membership", "module"], name="mentoring_training_once_per_module"
            ),
            models.CheckConstraint(
                condition=Q(module__in=ModuleKey.values), name="mentoring_training_module_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} completed {self.module}"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class MatchingRun(models.Model):
    """One run of the matching engine for a programme: what it proposed, and whether it was
    published. Proposals are kept so that a coordinator can compare and explain."""

    programme = models.ForeignKey(
        MentoringProgramme, on_delete=models.CASCADE, related_name="matching_runs"
    )
    mode = models.CharField(_("matching mode"), max_length=16, choices=MatchingMode)
    status = models.CharField(max_length=8, choices=RunStatus, default=RunStatus.RUNNING)
    started_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    mentees = models.PositiveIntegerField(default=0)
    mentors = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    job = models.ForeignKey(
        "jobs.TrackedJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-started_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["programme", "-started_at"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(matched__lte=F("mentees")), name="mentoring_run_matched_le_mentees"
            ),
            models.CheckConstraint(
                condition=Q(published_at=None) | Q(status="done"),
                name="mentoring_run_publish_only_done",
            ),
        ]

    def __str__(self) -> str:
        return f"Matching run {self.pk} of {self.programme}"


class Proposal(models.Model):
    """A mentee's outcome in a run: a proposed mentor (or none), with the engine's explanation."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    score = models.FloatField(null=True, blank=True)
    locked = models.BooleanField(default=False)
    # Numbers and codes only (explain.py turns them into words in the reader's language).
    explanation = models.JSONField(default=dict)

    class Meta:
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["run", "mentee"], name="mentoring_proposal_one_per_mentee"
            ),
            models.CheckConstraint(
                condition=Q(mentor=None, score=None) | (~Q(mentor=None) & ~Q(score=None)),
                name="mentoring_proposal_score_with_mentor",
            ),
        ]

    def __str__(self) -> str:
        return f"Proposal {self.mentee_id} -> {self.mentor_id}"


class PairRuleKind(models.TextChoices):
    LOCK = "lock", _("Keep this pair")
    EXCLUDE = "exclude", _("Never pair them")


class PairRule(models.Model):
    """A coordinator's decision about one pair, kept across runs until removed."""

    programme = models.ForeignKey(
        MentoringProgramme, on_delete=models.CASCADE, related_name="pair_rules"
    )
    mentee = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=PairRuleKind)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["programme", "mentee", "mentor"], name="mentoring_pair_rule_once"
            ),
            models.UniqueConstraint(
                fields=["programme", "mentee"],
                condition=Q(kind="lock"),
                name="mentoring_pair_rule_one_lock_per_mentee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.mentee_id} / {self.mentor_id}"


class RelationshipStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (RelationshipStatus.PROPOSED, RelationshipStatus.ACTIVE, RelationshipStatus.PAUSED)


class CloseReason(models.TextChoices):
    DECLINED_BY_MENTEE = "declined_by_mentee", _("Declined by the mentee")
    DECLINED_BY_MENTOR = "declined_by_mentor", _("Declined by the mentor")
    COMPLETED = "completed", _("Reached the planned end")
    NO_CONTACT = "no_contact", _("Lost contact")
    LEFT_SCHOOL = "left_school", _("Left the institution")
    POOR_FIT = "poor_fit", _("Not a good fit")
    OTHER = "other", _("Other reason")


class Relationship(models.Model):
    """A published pair. Open (proposed, active, paused) pairs take a seat of the mentor."""

    programme = models.ForeignKey(
        MentoringProgramme, on_delete=models.CASCADE, related_name="relationships"
    )
    mentor = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="mentor_relationships"
    )
    mentee = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="mentee_relationships"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RelationshipStatus, default=RelationshipStatus.PROPOSED
    )
    score = models.FloatField(null=True, blank=True)
    explanation = models.JSONField(default=dict, blank=True)
    run = models.ForeignKey(
        MatchingRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    mentee_accepted_at = models.DateTimeField(null=True, blank=True)
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(_("reason"), max_length=20, choices=CloseReason, blank=True)
    close_note = models.TextField(_("in your own words"), blank=True)

    class Meta:
        ordering: ClassVar = ["-published_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["programme", "status"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=OPEN_STATUSES),
                name="mentoring_relationship_one_open_per_mentee",
                violation_error_message=_("This mentee already has a mentor."),
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & ~Q(close_reason="") & ~Q(closed_at=None))
                | (~Q(status="closed") & Q(close_reason="") & Q(closed_at=None)),
                name="mentoring_relationship_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")), name="mentoring_relationship_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"Relationship {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """A meeting of a pair: planned by either side, then logged as held, missed or cancelled.

    ``notes`` are private to the pair unless ``notes_shared`` (access.meeting_notes_readable).
    """

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="meetings"
    )
    proposed_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("planned length in minutes"), default=45)
    mode = models.CharField(_("where"), max_length=10, choices=MeetingMode)
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("meeting link"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus, default=MeetingStatus.PLANNED
    )
    sequence = models.PositiveIntegerField(default=0)  # calendar revision
    held_minutes = models.PositiveSmallIntegerField(_("how long it lasted"), null=True, blank=True)
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    notes_shared = models.BooleanField(_("share the notes with the coordinator"), default=False)
    logged_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["starts_at", "pk"]
        indexes: ClassVar = [models.Index(fields=["relationship", "starts_at"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(minutes__gte=15) & Q(minutes__lte=180),
                name="mentoring_meeting_minutes_range",
                violation_error_message=_("A meeting lasts 15 to 180 minutes."),
            ),
            models.CheckConstraint(
                condition=(Q(mode="in_person") & ~Q(place="")) | (Q(mode="online") & ~Q(link="")),
                name="mentoring_meeting_place_or_link",
                violation_error_message=_(
                    "Give the place for a meeting in person, or the link for one online."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(status="held") & Q(held_minutes__gte=1) & Q(held_minutes__lte=480))
                | (~Q(status="held") & Q(held_minutes=None)),
                name="mentoring_meeting_held_has_length",
                violation_error_message=_("Say how long a held meeting lasted (1 to 480 minutes)."),
            ),
        ]

    def __str__(self) -> str:
        return f"Meeting {self.pk} of relationship {self.relationship_id}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.minutes)


# --- Surveys (issue 10, item 8) -------------------------------------------------------
# Survey definitions are data: a ``Survey`` row per programme, kind and side with its
# ``SurveyQuestion`` rows. Built-in questions carry a key and take their wording from
# ``surveys.py`` (both languages ship with the code); a coordinator may add questions.
# Answers keep their numbers where KPIs read them cheaply: ``SurveyResponse.score`` (the
# mean of the scale answers, 1-5) and one ``SkillRating`` row per skill (before, after).


class SurveyKind(models.TextChoices):
    QUALITY = "quality", _("Relationship check-in")
    MEETING = "meeting", _("Meeting rating")
    SKILLS = "skills", _("Skills self-assessment")
    END = "end", _("End-of-programme survey")
    EXIT = "exit", _("Exit survey")


class SurveyQuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale from 1 to 5")
    TEXT = "text", _("Free text")
    SKILLS = "skills", _("Each skill of the programme, before and now")


SCORE_MIN, SCORE_MAX = 1, 5


class Survey(models.Model):
    """One survey of a programme, answered by one side of each pair."""

    programme = models.ForeignKey(
        MentoringProgramme, on_delete=models.CASCADE, related_name="surveys"
    )
    kind = models.CharField(_("survey"), max_length=10, choices=SurveyKind)
    side = models.CharField(_("answered by"), max_length=8, choices=Side)
    # Only for check-ins: first due this many days after the pair starts, then every
    # ``every_days`` days while the pair is open.
    first_after_days = models.PositiveSmallIntegerField(null=True, blank=True)
    every_days = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar = ["programme", "kind", "side"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["programme", "kind", "side"], name="mentoring_survey_one_per_kind_side"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="quality", first_after_days__gte=1, every_days__gte=7)
                    | (~Q(kind="quality") & Q(first_after_days=None, every_days=None))
                ),
                name="mentoring_survey_schedule_for_checkins",
                violation_error_message=_(
                    "Only check-ins have a schedule: first after a day or more, then every "
                    "week or more."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} survey for {self.side}s of programme {self.programme_id}"


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=40)
    builtin = models.BooleanField(default=False)
    kind = models.CharField(max_length=8, choices=SurveyQuestionKind)
    # Custom questions only; built-in ones take their wording from surveys.py.
    text = models.CharField(_("question"), max_length=300, blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["survey", "position", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["survey", "key"], name="mentoring_survey_question_key"),
            models.CheckConstraint(
                condition=Q(builtin=True) | ~Q(text=""),
                name="mentoring_survey_question_custom_has_text",
                violation_error_message=_("Write the question."),
            ),
        ]

    def __str__(self) -> str:
        return self.key


class SurveyResponse(models.Model):
    """One person's answers to one survey for one pair (and, for ratings, one meeting).

    ``score`` is the mean of the scale answers (1-5), stored so that satisfaction and
    quality KPIs are one aggregate over an index. Only the respondent and the staff who
    see the pair read it; never the other side (docs/mentoring.md, Surveys).
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # Denormalised from the survey for cheap aggregation per programme and kind.
    programme = models.ForeignKey(
        MentoringProgramme, on_delete=models.CASCADE, related_name="survey_responses"
    )
    kind = models.CharField(max_length=10, choices=SurveyKind)
    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="survey_responses"
    )
    respondent = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="mentoring_survey_responses"
    )
    side = models.CharField(max_length=8, choices=Side)
    # The check-in's number (0 for the first); 0 for every other survey.
    round = models.PositiveSmallIntegerField(default=0)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="ratings"
    )
    due_on = models.DateField()
    submitted_at = models.DateTimeField(default=timezone.now)
    score = models.FloatField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering: ClassVar = ["-submitted_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["programme", "kind", "submitted_at"]),
            models.Index(fields=["relationship", "kind"]),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["survey", "relationship", "respondent", "round"],
                condition=Q(meeting=None),
                name="mentoring_survey_response_once",
                violation_error_message=_("You have already answered this survey."),
            ),
            models.UniqueConstraint(
                fields=["survey", "meeting", "respondent"],
                condition=Q(meeting__isnull=False),
                name="mentoring_survey_rating_once_per_meeting",
                violation_error_message=_("You have already rated this meeting."),
            ),
            models.CheckConstraint(
                condition=Q(score=None) | (Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX)),
                name="mentoring_survey_response_score_range",
            ),
            models.CheckConstraint(
                condition=Q(kind="meeting", meeting__isnull=False)
                | (~Q(kind="meeting") & Q(meeting=None)),
                name="mentoring_survey_response_meeting_for_ratings",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} response {self.pk}"


class SkillRating(models.Model):
    """A retrospective self-assessment of one programme skill: before the programme and now."""

    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="skill_ratings"
    )
    programme = models.ForeignKey(
        MentoringProgramme, on_delete=models.CASCADE, related_name="skill_ratings"
    )
    skill = models.CharField(_("skill"), max_length=100)
    before = models.PositiveSmallIntegerField(_("before the programme"))
    after = models.PositiveSmallIntegerField(_("now"))

    class Meta:
        ordering: ClassVar = ["pk"]
        indexes: ClassVar = [models.Index(fields=["programme", "skill"])]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["response", "skill"], name="mentoring_skill_once"),
            models.CheckConstraint(
                condition=Q(before__gte=SCORE_MIN)
                & Q(before__lte=SCORE_MAX)
                & Q(after__gte=SCORE_MIN)
                & Q(after__lte=SCORE_MAX),
                name="mentoring_skill_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill}: {self.before} -> {self.after}"


# --- Agreement, closure, goals, reminders (issue 10, items 5, 6 and 7) ----------------


class Agreement(models.Model):
    """The mentoring agreement of a pair, drafted at publishing from the programme.

    Accepting the match is accepting this agreement: the pair becomes active when both
    have accepted its current ``version``. Either side may change the terms while the
    pair is proposed; a change raises the version and asks both to accept again. The
    roles and the confidentiality paragraph (with its limits) are the same for every
    pair and ship with the code (``agreements.py``).
    """

    relationship = models.OneToOneField(
        Relationship, on_delete=models.CASCADE, related_name="agreement"
    )
    cadence = models.CharField(_("how often we meet"), max_length=12, choices=Cadence)
    cadence_days = models.PositiveSmallIntegerField(
        _("days between meetings"), null=True, blank=True
    )
    meeting_minutes = models.PositiveSmallIntegerField(_("how long a meeting lasts"))
    ends_on = models.DateField(_("we meet until"))
    focus = models.TextField(_("what we will work on"), blank=True)
    mentor_commitment = models.TextField(_("the mentor also commits to"), blank=True)
    mentee_commitment = models.TextField(_("the mentee also commits to"), blank=True)
    version = models.PositiveIntegerField(default=1)
    mentee_accepted_version = models.PositiveIntegerField(null=True, blank=True)
    mentor_accepted_version = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(meeting_minutes__gte=MIN_MEETING_MINUTES)
                & Q(meeting_minutes__lte=MAX_MEETING_MINUTES),
                name="mentoring_agreement_meeting_minutes_range",
                violation_error_message=_("A meeting lasts 15 to 120 minutes."),
            ),
            models.CheckConstraint(
                condition=Q(cadence="custom", cadence_days__gte=1, cadence_days__lte=90)
                | (~Q(cadence="custom") & Q(cadence_days=None)),
                name="mentoring_agreement_custom_cadence_has_days",
                violation_error_message=_(
                    "Give the days between meetings (1 to 90) for a custom cadence, and only then."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(mentee_accepted_version=None) | Q(mentee_accepted_version__lte=F("version"))
                )
                & (Q(mentor_accepted_version=None) | Q(mentor_accepted_version__lte=F("version"))),
                name="mentoring_agreement_accepted_known_version",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement of relationship {self.relationship_id} v{self.version}"

    @property
    def accepted_by_both(self) -> bool:
        return self.mentee_accepted_version == self.version == self.mentor_accepted_version


class FutureContact(models.TextChoices):
    YES = "yes", _("Yes, I would like to stay in touch")
    NO = "no", _("No, thank you")


class Closure(models.Model):
    """How a pair is brought to a good end: the checklist and each side's future-contact choice.

    Contact details are shown to the other side only when both chose ``yes``.
    """

    relationship = models.OneToOneField(
        Relationship, on_delete=models.CASCADE, related_name="closure"
    )
    final_meeting = models.BooleanField(_("we held a closing meeting"), default=False)
    goals_reviewed = models.BooleanField(_("we went through the goals and progress"), default=False)
    achievements_recognised = models.BooleanField(
        _("we recognised what the mentee achieved"), default=False
    )
    next_steps = models.BooleanField(_("the mentee knows where to get support next"), default=False)
    mentee_contact = models.CharField(
        _("stay in touch after the programme?"), max_length=4, choices=FutureContact, blank=True
    )
    mentor_contact = models.CharField(
        _("stay in touch after the programme?"), max_length=4, choices=FutureContact, blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Closure of relationship {self.relationship_id}"

    @property
    def contact_shared(self) -> bool:
        return self.mentee_contact == FutureContact.YES == self.mentor_contact

    @property
    def checklist_done(self) -> int:
        return sum(
            (self.final_meeting, self.goals_reviewed, self.achievements_recognised, self.next_steps)
        )


class GoalStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Set aside")


class Goal(models.Model):
    """A mentee's goal in a pair: seen by the pair and the programme's coordinators."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("what success looks like"), blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus, default=GoalStatus.OPEN
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        indexes: ClassVar = [models.Index(fields=["relationship", "status"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="mentoring_goal_progress_percent",
                violation_error_message=_("Progress is 0 to 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["target_date", "pk"]

    def __str__(self) -> str:
        return self.title


class GoalUpdate(models.Model):
    """A progress update on a goal: where it stands now (0-100 %) and a note."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("what happened"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="mentoring_goal_update_progress_percent",
                violation_error_message=_("Progress is 0 to 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return f"Update {self.pk} of goal {self.goal_id}"


class MeetingReminder(models.Model):
    """A reminder sent for a planned meeting (one per meeting and calendar revision)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reminders")
    sequence = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["meeting", "sequence"], name="mentoring_meeting_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder for meeting {self.meeting_id}"


# --- Monitoring and at-risk detection, KPIs' qualitative evidence (issue 10, items 9-10) ---


class RiskRule(models.TextChoices):
    NO_MEETING = "no_meeting", _("No meeting for twice the cadence")
    MISSED_TWICE = "missed_twice", _("Two missed meetings in a row")
    LOW_QUALITY = "low_quality", _("Low or falling relationship quality")
    INACTIVE = "inactive", _("A participant has been inactive")
    FLAG = "flag", _("A participant raised a flag")


class FlagTopic(models.TextChoices):
    WELLBEING = "wellbeing", _("Wellbeing or mental health")
    SAFETY = "safety", _("Safety or inappropriate behaviour")
    RELATIONSHIP = "relationship", _("How the pair gets on")
    SCHEDULING = "scheduling", _("Finding time to meet")
    STUDIES = "studies", _("Studies or work placement")
    OTHER = "other", _("Something else")


# Topics that reach support staff as well as the coordinator.
SUPPORT_TOPICS = frozenset({FlagTopic.WELLBEING, FlagTopic.SAFETY})


class Flag(models.Model):
    """A concern a mentor or mentee raises about their pair; read by the person, the
    coordinators and, for wellbeing and safety topics, support staff (never the other
    person of the pair)."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="flags")
    raised_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(_("topic"), max_length=14, choices=FlagTopic)
    urgent = models.BooleanField(_("urgent"), default=False)
    message = models.TextField(_("what is happening"))
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("what was done"), blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["relationship", "resolved_at"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(topic__in=FlagTopic.values), name="mentoring_flag_topic_known"
            ),
            models.CheckConstraint(
                condition=Q(resolved_at=None) | ~Q(resolution=""),
                name="mentoring_flag_resolved_has_note",
                violation_error_message=_("Say what was done."),
            ),
        ]

    def __str__(self) -> str:
        return f"Flag {self.pk} on relationship {self.relationship_id}"

    @property
    def reaches_support(self) -> bool:
        return self.topic in SUPPORT_TOPICS


class RiskAlert(models.Model):
    """A pair at risk by one rule, opened by the daily check (or a flag), closed when the
    rule no longer holds or a coordinator resolves it. ``detail`` holds numbers only."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="risk_alerts"
    )
    rule = models.CharField(max_length=14, choices=RiskRule)
    detail = models.JSONField(default=dict, blank=True)
    flag = models.ForeignKey(
        Flag, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    urgent = models.BooleanField(default=False)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-urgent", "opened_at", "pk"]
        indexes: ClassVar = [models.Index(fields=["closed_at", "relationship"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["relationship", "rule"],
                condition=Q(closed_at=None) & Q(flag=None),
                name="mentoring_alert_one_open_per_rule",
            ),
            models.UniqueConstraint(
                fields=["flag"],
                condition=Q(closed_at=None) & ~Q(flag=None),
                name="mentoring_alert_one_open_per_flag",
            ),
            models.CheckConstraint(
                condition=Q(rule__in=RiskRule.values), name="mentoring_alert_rule_known"
            ),
            models.CheckConstraint(
                condition=(Q(rule="flag") & ~Q(flag=None)) | (~Q(rule="flag") & Q(flag=None)),
                name="mentoring_alert_flag_rule_has_flag",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} on relationship {self.relationship_id}"


class ActionKind(models.TextChoices):
    CONTACT_BOTH = "contact_both", _("Talked with both")
    CONTACT_MENTEE = "contact_mentee", _("Talked with the mentee")
    CONTACT_MENTOR = "contact_mentor", _("Talked with the mentor")
    REFERRED = "referred", _("Referred to support staff")
    NOTE = "note", _("Note")


# Actions that count as the coordinator's contact with the pair (MENTOR's standard).
CONTACT_KINDS = frozenset(
    {ActionKind.CONTACT_BOTH, ActionKind.CONTACT_MENTEE, ActionKind.CONTACT_MENTOR}
)


class MonitoringAction(models.Model):
    """What a coordinator did about a pair: contacts count towards the monitoring standard."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="monitoring_actions"
    )
    kind = models.CharField(_("what you did"), max_length=16, choices=ActionKind)
    note = models.TextField(_("note"), blank=True)
    alert = models.ForeignKey(
        RiskAlert, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    taken_on = models.DateField(_("when"), default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-taken_on", "-pk"]
        indexes: ClassVar = [models.Index(fields=["relationship", "kind"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(kind__in=ActionKind.values), name="mentoring_action_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on relationship {self.relationship_id}"


class PairWatch(models.Model):
    """What the daily check last found for an open pair, kept so that the board, the
    overdue list and the home counts are indexed reads, not a scan of every meeting."""

    relationship = models.OneToOneField(
        Relationship, on_delete=models.CASCADE, related_name="watch", primary_key=True
    )
    programme = models.ForeignKey(MentoringProgramme, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    started_on = models.DateField()
    contacts = models.PositiveIntegerField(default=0)
    last_contact_on = models.DateField(null=True, blank=True)
    next_contact_due = models.DateField(null=True, blank=True)  # None: the pair is not active
    open_alerts = models.PositiveSmallIntegerField(default=0)
    urgent = models.BooleanField(default=False)  # an open urgent flag
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["institution", "next_contact_due"]),
            models.Index(fields=["programme", "next_contact_due"]),
            models.Index(fields=["institution", "-urgent", "-open_alerts"]),
        ]

    def __str__(self) -> str:
        return f"Watch of relationship {self.relationship_id}"


class EvidenceKind(models.TextChoices):
    INTERVIEW = "interview", _("Interview")
    FOCUS_GROUP = "focus_group", _("Focus group")
    OBSERVATION = "observation", _("Observation")


class EvidenceNote(models.Model):
    """Qualitative evidence of a programme: notes from an interview or focus group, tagged."""

    programme = models.ForeignKey(
        MentoringProgramme, on_delete=models.CASCADE, related_name="evidence_notes"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EvidenceKind)
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("notes"))
    tags = models.JSONField(_("themes"), default=list, blank=True)
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-held_on", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(kind__in=EvidenceKind.values), name="mentoring_evidence_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title
