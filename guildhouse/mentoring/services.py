"""Writes for peer mentoring. Each is the only way its change is made: it validates, saves
in one durable transaction with an audit row, and does side effects after commit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guildhouse.core.audit import audit_record
from guildhouse.core.models import Institution, Membership, Programme, Role, User
from guildhouse.mentoring.intake import BUILTIN_QUESTIONS
from guildhouse.mentoring.models import (
    CHOICE_KINDS,
    TRANSITIONS,
    Application,
    ApplicationStatus,
    MatchingPreference,
    MentoringProgramme,
    MentorKind,
    Question,
    QuestionKind,
    Side,
    State,
    TrainingCompletion,
)
from guildhouse.mentoring.selectors import application_ineligibility
from guildhouse.mentoring.training import MODULES_BY_KEY

PROGRAMME_FIELDS = (
    "name",
    "goals",
    "cohort_start",
    "cohort_end",
    "cadence",
    "cadence_days",
    "meeting_minutes",
    "peer_mentors",
    "alumni_mentors",
    "industry_mentors",
    "min_year",
    "max_year",
    "default_capacity",
    "format",
    "skills",
    "matching_mode",
    "required_modules",
    "same_study_programme",
    "weight_interests",
    "weight_goals",
    "weight_style",
    "weight_experience",
    "weight_language",
)


def _plain(value: Any) -> Any:
    """A JSON-friendly copy of a field value for the audit row."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def mentoring_programme_create(
    *,
    actor: User,
    institution: Institution,
    eligible_programmes: Iterable[Programme] = (),
    **fields: Any,
) -> MentoringProgramme:
    """Create a programme in the draft state. Raises ``ValidationError`` for bad input."""
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"unknown programme fields: {sorted(unknown)}")
    programme = MentoringProgramme(institution=institution, created_by=actor, **fields)
    programme.full_clean()
    eligible = _eligible(institution, eligible_programmes)
    with transaction.atomic(durable=True):
        programme.save()
        programme.eligible_programmes.set(eligible)
        Question.objects.bulk_create(
            Question(
                programme=programme,
                key=b.key,
                builtin=True,
                kind=b.kind,
                required=b.required,
                position=n,
            )
            for n, b in enumerate(BUILTIN_QUESTIONS)
        )
        audit_record(
            actor=actor,
            institution=institution,
            action="create",
            obj=programme,
            changes={"name": programme.name, "state": programme.state},
        )
    return programme


def mentoring_programme_update(
    *,
    actor: User,
    programme: MentoringProgramme,
    eligible_programmes: Iterable[Programme] | None = None,
    **fields: Any,
) -> MentoringProgramme:
    """Change the given fields (and the eligible study programmes, if given)."""
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"unknown programme fields: {sorted(unknown)}")
    with transaction.atomic(durable=True):
        locked = MentoringProgramme.objects.select_for_update().get(pk=programme.pk)
        changes = {}
        for name, value in fields.items():
            if getattr(locked, name) != value:
                changes[name] = _plain(value)
                setattr(locked, name, value)
        locked.full_clean()
        locked.save()
        if eligible_programmes is not None:
            eligible = _eligible(locked.institution, eligible_programmes)
            before = set(locked.eligible_programmes.values_list("pk", flat=True))
            if before != {p.pk for p in eligible}:
                locked.eligible_programmes.set(eligible)
                changes["eligible_programmes"] = sorted(p.code for p in eligible)
        if changes:
            audit_record(
                actor=actor,
                institution=locked.institution,
                action="update",
                obj=locked,
                changes=changes,
            )
    return locked


def mentoring_programme_transition(
    *, actor: User, programme: MentoringProgramme, to: str
) -> MentoringProgramme:
    """Move the programme to state ``to``; raises ``ValidationError`` if not allowed from here.

    The row is locked, so two coordinators clicking at once cannot skip a state.
    """
    with transaction.atomic(durable=True):
        locked = MentoringProgramme.objects.select_for_update().get(pk=programme.pk)
        if to not in TRANSITIONS[locked.state]:
            raise ValidationError(
                _("A programme that is %(now)s cannot become %(to)s.")
                % {
                    "now": State(locked.state).label.lower(),
                    "to": State(to).label.lower() if to in State.values else to,
                }
            )
        before = locked.state
        locked.state = to
        locked.save(update_fields=["state"])
        audit_record(
            actor=actor,
            institution=locked.institution,
            action="state_change",
            obj=locked,
            changes={"state": [before, to]},
        )
    return locked


def _eligible(institution: Institution, programmes: Iterable[Programme]) -> list[Programme]:
    chosen = list(programmes)
    if any(p.institution_id != institution.pk for p in chosen):
        raise ValidationError(_("Choose study programmes of your own institution."))
    return chosen


def question_add(
    *,
    actor: User,
    programme: MentoringProgramme,
    side: str,
    kind: str,
    label: str,
    help_text: str = "",
    options: list[str] | None = None,
    required: bool = False,
    scale_min: int = 1,
    scale_max: int = 5,
) -> Question:
    """Add a custom question at the end of the programme's enrolment form.

    Only before matching starts, so that everyone accepted answered the same form.
    """
    options = [o.strip() for o in options or [] if o.strip()]
    if programme.state not in (State.DRAFT, State.RECRUITING):
        raise ValidationError(_("Questions can be added only before matching starts."))
    if kind in CHOICE_KINDS and len(options) < 2:
        raise ValidationError({"options": _("Give at least two choices, one per line.")})
    if kind not in CHOICE_KINDS and options:
        raise ValidationError({"options": _("Only choice questions have choices.")})
    with transaction.atomic(durable=True):
        last = Question.objects.filter(programme=programme).order_by("-position").first()
        count = Question.objects.filter(programme=programme, builtin=False).count()
        question = Question(
            programme=programme,
            key=f"custom-{count + 1}",
            side=side,
            kind=kind,
            label=label.strip(),
            help_text=help_text.strip(),
            options=options,
            required=required,
            scale_min=scale_min if kind == QuestionKind.SCALE else 1,
            scale_max=scale_max if kind == QuestionKind.SCALE else 5,
            position=(last.position + 1) if last else 0,
        )
        question.full_clean()
        question.save()
        audit_record(
            actor=actor,
            institution=programme.institution,
            action="create",
            obj=question,
            changes={"programme": programme.pk, "kind": kind, "label": question.label},
        )
    return question


@dataclass(frozen=True)
class PreferenceInput:
    """The optional matching preferences, given with consent (else pass ``None``)."""

    same_gender: bool = False
    shared_background: bool = False
    shared_language: bool = False


def application_submit(
    *,
    actor: User,
    programme: MentoringProgramme,
    membership: Membership,
    side: str,
    answers: dict[str, Any],
    accessibility_needs: str = "",
    preference: PreferenceInput | None = None,
) -> Application:
    """Enrol ``membership`` as a mentor or mentee, or update their waiting application.

    ``answers`` are the enrolment form's cleaned answers by question key. Without
    ``preference`` any earlier preference (and with it the consent) is erased. The
    audit row names the fields that changed, never accessibility needs or preferences.
    """
    with transaction.atomic(durable=True):
        locked = MentoringProgramme.objects.select_for_update().get(pk=programme.pk)
        application = Application.objects.filter(programme=locked, membership=membership).first()
        if application is not None and (
            application.side != side or application.status != ApplicationStatus.SUBMITTED
        ):
            raise ValidationError(
                _("You have already applied to this programme; it can no longer be changed.")
            )
        if application is None and (
            problem := application_ineligibility(programme=locked, membership=membership, side=side)
        ):
            raise ValidationError(problem)
        created = application is None
        if application is None:
            application = Application(
                programme=locked,
                membership=membership,
                side=side,
                mentor_kind=_mentor_kind(membership) if side == Side.MENTOR else "",
                capacity=locked.default_capacity,
            )
        changed = [
            name
            for name, value in (("answers", answers), ("accessibility_needs", accessibility_needs))
            if getattr(application, name) != value
        ]
        application.answers = answers
        application.accessibility_needs = accessibility_needs
        application.full_clean()
        application.save()
        existing = MatchingPreference.objects.filter(application=application).first()
        if preference is None:
            if existing is not None:
                existing.delete()
                changed.append("matching_preferences")
        else:
            values = asdict(preference)
            if existing is None or any(getattr(existing, k) != v for k, v in values.items()):
                changed.append("matching_preferences")
            MatchingPreference.objects.update_or_create(application=application, defaults=values)
        if created or changed:
            audit_record(
                actor=actor,
                institution=locked.institution,
                action="apply" if created else "update",
                obj=application,
                changes={"side": side, "fields": changed},
            )
    return application


def _mentor_kind(membership: Membership) -> str:
    return MentorKind.INDUSTRY if membership.role == Role.PARTNER else MentorKind.PEER


SCREENING_DECISIONS = (
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.DECLINED,
)


def application_screen(
    *,
    actor: User,
    application: Application,
    decision: str,
    reason: str = "",
    capacity: int | None = None,
) -> Application:
    """Accept, wait-list or decline an application; declining needs a reason.

    For a mentor, ``capacity`` sets how many mentees they take (never below the pairs
    they already have).
    """
    if decision not in SCREENING_DECISIONS:
        raise ValidationError(_("Choose accept, waiting list or not accepted."))
    with transaction.atomic(durable=True):
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status == ApplicationStatus.WITHDRAWN:
            raise ValidationError(_("The applicant has withdrawn."))
        if locked.seats_taken and decision != ApplicationStatus.ACCEPTED:
            raise ValidationError(_("This mentor already has mentees; close those pairs first."))
        before = locked.status
        locked.status = decision
        locked.decision_reason = reason.strip()
        if capacity is not None and locked.side == Side.MENTOR:
            if capacity < locked.seats_taken:
                raise ValidationError(
                    _("This mentor already has %(n)s mentees; capacity cannot be lower.")
                    % {"n": locked.seats_taken}
                )
            locked.capacity = capacity
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor,
            institution=locked.programme.institution,
            action="screen",
            obj=locked,
            changes={"status": [before, decision], "reason": locked.decision_reason},
        )
    return locked


def training_complete(
    *, actor: User, membership: Membership, module: str, answers: list[int]
) -> TrainingCompletion:
    """Record that ``membership`` passed ``module``'s check; every answer must be right.

    Raises ``ValidationError`` saying how many answers are not right yet (not which, so
    the check still checks). Passing again keeps the first completion.
    """
    definition = MODULES_BY_KEY.get(module)
    if definition is None:
        raise ValidationError(_("No such training module."))
    wrong = sum(
        1
        for question, answer in zip(definition.check, answers, strict=False)
        if question.correct != answer
    ) + max(0, len(definition.check) - len(answers))
    if wrong:
        raise ValidationError(
            ngettext(
                "%(wrong)d of %(total)d answers is not right yet. "
                "Read the module again and try once more.",
                "%(wrong)d of %(total)d answers are not right yet. "
                "Read the module again and try once more.",
                wrong,
            )
            % {"wrong": wrong, "total": len(definition.check)}
        )
    with transaction.atomic(durable=True):
        completion, created = TrainingCompletion.objects.get_or_create(
            membership=membership, module=module
        )
        if created:
            audit_record(
                actor=actor,
                institution=membership.institution,
                action="training_complete",
                obj=completion,
                changes={"module": module},
            )
    return completion
