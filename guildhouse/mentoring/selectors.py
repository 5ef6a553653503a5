"""Reads for peer mentoring. Each returns data of one institution only."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guildhouse.core.models import Institution, LearnerProfile, Membership, Role
from guildhouse.mentoring.intake import BUILTINS, slot_label
from guildhouse.mentoring.models import (
    Application,
    ApplicationStatus,
    MatchingRun,
    Meeting,
    MentoringProgramme,
    PairRule,
    Proposal,
    Question,
    QuestionKind,
    Relationship,
    RelationshipStatus,
    Side,
    State,
    TrainingCompletion,
)


def mentoring_programme_list(*, institution: Institution) -> QuerySet[MentoringProgramme]:
    return MentoringProgramme.objects.of(institution).order_by("-cohort_start", "name", "pk")


def programme_counts(*, programme: MentoringProgramme) -> dict[str, dict[str, int]]:
    """Applications by side and status (and each side's ``total``), from one grouped query."""
    counts: dict[str, dict[str, int]] = {
        side: {"total": 0, **dict.fromkeys(ApplicationStatus.values, 0)} for side in Side.values
    }
    rows = (
        Application.objects.filter(programme=programme)
        .order_by()
        .values_list("side", "status")
        .annotate(n=Count("pk"))
    )
    for side, status, n in rows:
        counts[side][status] = n
        counts[side]["total"] += n
    return counts


def answer_rows(*, application: Application) -> list[tuple[str, str]]:
    """The application's answers as (question, answer) in words, in form order."""
    rows = []
    for question in questions_for(programme=application.programme, side=application.side):
        builtin = BUILTINS.get(question.key) if question.builtin else None
        label = str(builtin.label) if builtin else question.label
        value = application.answers.get(question.key)
        labels = dict(builtin.choices.choices) if builtin and builtin.choices else {}
        if question.kind == QuestionKind.AVAILABILITY:
            text = ", ".join(slot_label(int(s)) for s in value or [])
        elif isinstance(value, list):
            text = ", ".join(str(labels.get(v, v)) for v in value)
        elif value is None:
            text = ""
        else:
            text = str(labels.get(value, value))
        rows.append((label, text))
    return rows


def application_ineligibility(
    *, programme: MentoringProgramme, membership: Membership, side: str
) -> str:
    """Why ``membership`` may not apply as ``side``, in plain words, or "" if they may."""
    if programme.institution_id != membership.institution_id:
        return _("This programme belongs to another institution.")
    if programme.state != State.RECRUITING:
        return _("This programme is not taking applications now.")
    if membership.role == Role.PARTNER:
        if side != Side.MENTOR or not programme.industry_mentors:
            return _("Partner contacts take part as mentors, where the programme invites them.")
        return ""
    if membership.role != Role.LEARNER:
        return _("Learners and partner contacts take part in mentoring programmes.")
    if side == Side.MENTOR and not programme.peer_mentors:
        return _("This programme's mentors are not learners.")
    profile = LearnerProfile.objects.filter(membership=membership).first()
    eligible = list(programme.eligible_programmes.values_list("pk", flat=True))
    if eligible and (profile is None or profile.programme_id not in eligible):
        return _("This programme is for learners of other study programmes.")
    year = profile.year_of_study if profile else 1
    if side == Side.MENTEE and not programme.min_year <= year <= programme.max_year:
        return _("This programme is for mentees in years %(first)s to %(last)s.") % {
            "first": programme.min_year,
            "last": programme.max_year,
        }
    return ""


def open_programmes_for(*, membership: Membership) -> list[tuple[MentoringProgramme, list[str]]]:
    """Recruiting programmes of the member's institution, each with the sides they may apply as."""
    programmes = (
        MentoringProgramme.objects.of(membership.institution)
        .filter(state=State.RECRUITING)
        .order_by("cohort_start", "name", "pk")
    )
    applied = set(
        Application.objects.filter(membership=membership).values_list("programme_id", flat=True)
    )
    result = []
    for programme in programmes:
        if programme.pk in applied:
            continue
        sides: list[str] = [
            side
            for side in (Side.MENTEE, Side.MENTOR)
            if not application_ineligibility(programme=programme, membership=membership, side=side)
        ]
        if sides:
            result.append((programme, sides))
    return result


def my_applications(*, membership: Membership) -> QuerySet[Application]:
    return (
        Application.objects.filter(membership=membership)
        .select_related("programme")
        .order_by("-created_at", "-pk")
    )


def application_list(
    *, programme: MentoringProgramme, side: str = "", status: str = ""
) -> QuerySet[Application]:
    applications = Application.objects.filter(programme=programme).select_related(
        "membership__user", "membership__learner_profile__programme"
    )
    if side:
        applications = applications.filter(side=side)
    if status:
        applications = applications.filter(status=status)
    return applications.order_by("side", "created_at", "pk")


def questions_for(*, programme: MentoringProgramme, side: str) -> list[Question]:
    return [q for q in Question.objects.filter(programme=programme) if q.asks(side)]


def completed_modules(*, membership: Membership) -> dict[str, TrainingCompletion]:
    return {c.module: c for c in TrainingCompletion.objects.filter(membership=membership)}


def trained_membership_ids(*, programme: MentoringProgramme, membership_ids: list[int]) -> set[int]:
    """Which of ``membership_ids`` completed every module the programme requires (one query)."""
    required = set(programme.required_modules)
    if not required:
        return set(membership_ids)
    done = (
        TrainingCompletion.objects.filter(membership_id__in=membership_ids, module__in=required)
        .order_by()
        .values("membership_id")
        .annotate(n=Count("pk"))
        .filter(n=len(required))
        .values_list("membership_id", flat=True)
    )
    return set(done)


def latest_run(*, programme: MentoringProgramme) -> MatchingRun | None:
    return (
        MatchingRun.objects.filter(programme=programme).select_related("started_by", "job").first()
    )


def run_proposals(*, run: MatchingRun) -> QuerySet[Proposal]:
    """The run's proposals, unmatched mentees first (they need attention), then by mentee."""
    return (
        Proposal.objects.filter(run=run)
        .select_related("mentee__membership__user", "mentor__membership__user")
        .order_by(F("mentor_id").asc(nulls_first=True), "mentee_id")
    )


def application_names(*, ids: set[int]) -> dict[int, str]:
    return dict(
        Application.objects.filter(pk__in=ids).values_list("pk", "membership__user__full_name")
    )


def pair_rules(*, programme: MentoringProgramme) -> dict[tuple[int, int], str]:
    return {
        (mentee, mentor): kind
        for mentee, mentor, kind in PairRule.objects.filter(programme=programme).values_list(
            "mentee_id", "mentor_id", "kind"
        )
    }


def my_relationships(*, membership: Membership) -> QuerySet[Relationship]:
    return (
        Relationship.objects.filter(
            Q(mentor__membership=membership) | Q(mentee__membership=membership)
        )
        .select_related("programme", "mentor__membership__user", "mentee__membership__user")
        .order_by("-published_at", "-pk")
    )


def relationship_counts(*, programme: MentoringProgramme) -> dict[str, int]:
    counts = dict.fromkeys(RelationshipStatus.values, 0)
    rows = (
        Relationship.objects.filter(programme=programme)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    for status, n in rows:
        counts[status] = n
    return counts


# When a part of the day starts, for suggested meeting times.
PART_HOURS = (9, 14, 18)


def suggested_times(
    *, relationship: Relationship, now: datetime.datetime, days: int = 14, count: int = 6
) -> list[datetime.datetime]:
    """The next times in the coming ``days`` when both people said they are usually free."""
    shared = set(relationship.mentee.answers.get("availability", [])) & set(
        relationship.mentor.answers.get("availability", [])
    )
    local = timezone.localtime(now)
    times = []
    for offset in range(1, days + 1):
        day = local.date() + datetime.timedelta(days=offset)
        for part, hour in enumerate(PART_HOURS):
            if day.weekday() * len(PART_HOURS) + part in shared:
                times.append(
                    timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
                )
                if len(times) == count:
                    return times
    return times


def meetings_of(*, relationship: Relationship) -> QuerySet[Meeting]:
    return Meeting.objects.filter(relationship=relationship).order_by("starts_at", "pk")
