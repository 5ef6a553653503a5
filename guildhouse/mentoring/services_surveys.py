"""Writes for surveys: a participant answers a due survey; a coordinator adds a question."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guildhouse.core.audit import audit_record
from guildhouse.core.models import User
from guildhouse.mentoring.models import (
    SCORE_MAX,
    SCORE_MIN,
    Meeting,
    Relationship,
    Side,
    SkillRating,
    Survey,
    SurveyQuestion,
    SurveyQuestionKind,
    SurveyResponse,
)
from guildhouse.mentoring.surveys import due_surveys


def pair_side(actor: User, relationship: Relationship) -> str:
    """``mentee`` or ``mentor`` for the actor in the pair; refuses anyone else."""
    if relationship.mentee.membership.user_id == actor.pk:
        return Side.MENTEE
    if relationship.mentor.membership.user_id == actor.pk:
        return Side.MENTOR
    raise ValidationError(_("Only the two people in a pair can do this."))


def _scale(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if SCORE_MIN <= number <= SCORE_MAX else None


def survey_submit(
    *,
    actor: User,
    relationship: Relationship,
    kind: str,
    answers: dict[str, Any],
    meeting: Meeting | None = None,
) -> SurveyResponse:
    """Store the actor's answers to a survey that is due for them now.

    ``answers`` maps question keys to 1-5 (scale), text, or for the skills question a
    mapping skill -> [before, now]. The response's ``score`` is the mean of its scale
    answers; each skill becomes a ``SkillRating`` row. Refuses a survey that is not
    due (or already answered) and missing required answers; nothing is stored then.
    """
    side = pair_side(actor, relationship)
    respondent = relationship.mentee if side == Side.MENTEE else relationship.mentor
    due = [
        d
        for d in due_surveys(
            relationship=relationship,
            side=side,
            respondent_id=respondent.membership_id,
            today=timezone.localdate(),
        )
        if d.kind == kind and (meeting is None or (d.meeting and d.meeting.pk == meeting.pk))
    ]
    if not due:
        raise ValidationError(_("This survey is not open for you now, or you have answered it."))
    item = due[0]
    survey: Survey = item.survey
    stored: dict[str, Any] = {}
    scores: list[int] = []
    skills: list[tuple[str, int, int]] = []
    errors: list[str] = []
    for question in SurveyQuestion.objects.filter(survey=survey):
        value = answers.get(question.key)
        if question.kind == SurveyQuestionKind.SCALE:
            number = _scale(value)
            if number is None:
                if question.required or value not in (None, ""):
                    errors.append(_("Choose a number from 1 to 5 for every statement."))
                continue
            stored[question.key] = number
            scores.append(number)
        elif question.kind == SurveyQuestionKind.TEXT:
            text = str(value or "").strip()[:2000]
            if question.required and not text:
                errors.append(_("Answer every question that is not marked optional."))
            if text:
                stored[question.key] = text
        else:
            given = value if isinstance(value, dict) else {}
            for skill in relationship.programme.skills:
                pair = given.get(skill) or (None, None)
                before, after = _scale(pair[0]), _scale(pair[1])
                if before is None or after is None:
                    errors.append(_("Rate every skill, before the programme and now."))
                    break
                skills.append((skill, before, after))
            stored[question.key] = {s: [b, a] for s, b, a in skills}
    if errors:
        raise ValidationError(sorted(set(errors)))
    response = SurveyResponse(
        survey=survey,
        programme_id=relationship.programme_id,
        kind=survey.kind,
        relationship=relationship,
        respondent_id=respondent.membership_id,
        side=side,
        round=item.round,
        meeting=item.meeting,
        due_on=item.due_on,
        score=round(sum(scores) / len(scores), 3) if scores else None,
        answers=stored,
    )
    try:
        with transaction.atomic(durable=True):
            response.save()
            SkillRating.objects.bulk_create(
                SkillRating(
                    response=response,
                    programme_id=relationship.programme_id,
                    skill=skill,
                    before=before,
                    after=after,
                )
                for skill, before, after in skills
            )
            # The answers stay out of the audit row: they are the respondent's.
            audit_record(
                actor=actor,
                institution=relationship.programme.institution,
                action="survey_answer",
                obj=response,
                changes={"kind": survey.kind, "round": item.round},
            )
    except IntegrityError:
        raise ValidationError(_("You have already answered this survey.")) from None
    return response


def survey_question_add(
    *, actor: User, survey: Survey, text: str, kind: str, required: bool
) -> SurveyQuestion:
    """Add a coordinator's own question (scale or free text) at the end of a survey."""
    if kind not in (SurveyQuestionKind.SCALE, SurveyQuestionKind.TEXT):
        raise ValidationError(_("Choose a scale or a free-text question."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the question."))
    with transaction.atomic(durable=True):
        count = SurveyQuestion.objects.filter(survey=survey, builtin=False).count()
        question = SurveyQuestion.objects.create(
            survey=survey,
            key=f"custom-{count + 1}",
            kind=kind,
            text=text[:300],
            required=required,
            position=100 + count,
        )
        audit_record(
            actor=actor,
            institution=survey.programme.institution,
            action="survey_question_add",
            obj=survey,
            changes={"key": question.key, "kind": kind},
        )
    return question
