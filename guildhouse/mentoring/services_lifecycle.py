"""Writes for a pair's life after publishing: the agreement, goals, and a good closure.

The pair's two people write; coordinators read (and may tick the closure checklist).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guildhouse.core.audit import audit_record
from guildhouse.core.models import Membership, Role, User
from guildhouse.mentoring.models import (
    Agreement,
    Closure,
    FutureContact,
    Goal,
    GoalStatus,
    GoalUpdate,
    Milestone,
    Relationship,
    RelationshipStatus,
    Side,
)
from guildhouse.mentoring.services_surveys import pair_side

CHECKLIST = ("final_meeting", "goals_reviewed", "achievements_recognised", "next_steps")


def agreement_draft(relationship: Relationship) -> Agreement:
    """The pair's agreement, drafted from the programme the first time it is asked for."""
    programme = relationship.programme
    agreement, _created = Agreement.objects.get_or_create(
        relationship=relationship,
        defaults={
            "cadence": programme.cadence,
            "cadence_days": programme.cadence_days,
            "meeting_minutes": programme.meeting_minutes,
            "ends_on": programme.cohort_end,
        },
    )
    return agreement


def agreement_update(
    *,
    actor: User,
    relationship: Relationship,
    cadence: str,
    cadence_days: int | None,
    meeting_minutes: int,
    ends_on: datetime.date,
    focus: str,
    mentor_commitment: str,
    mentee_commitment: str,
) -> Agreement:
    """Change the terms while the pair is proposed; both must then accept them again."""
    side = pair_side(actor, relationship)
    with transaction.atomic(durable=True):
        locked = (
            Relationship.objects.select_for_update()
            .select_related("programme__institution")
            .get(pk=relationship.pk)
        )
        if locked.status != RelationshipStatus.PROPOSED:
            raise ValidationError(
                _("The agreement can be changed only before both of you have accepted it.")
            )
        if ends_on > locked.programme.cohort_end or ends_on <= timezone.localdate():
            raise ValidationError(
                _("Choose an end date after today and no later than the programme ends.")
            )
        agreement = agreement_draft(locked)
        agreement.cadence = cadence
        agreement.cadence_days = cadence_days if cadence == "custom" else None
        agreement.meeting_minutes = meeting_minutes
        agreement.ends_on = ends_on
        agreement.focus = focus.strip()
        agreement.mentor_commitment = mentor_commitment.strip()
        agreement.mentee_commitment = mentee_commitment.strip()
        agreement.version += 1
        agreement.mentee_accepted_version = agreement.mentor_accepted_version = None
        agreement.updated_at = timezone.now()
        agreement.full_clean()
        agreement.save()
        locked.mentee_accepted_at = locked.mentor_accepted_at = None
        locked.save(update_fields=["mentee_accepted_at", "mentor_accepted_at"])
        audit_record(
            actor=actor,
            institution=locked.programme.institution,
            action="agreement_update",
            obj=agreement,
            changes={"side": side, "version": agreement.version},
        )
    return agreement


def _require_open(relationship: Relationship) -> None:
    if relationship.status not in (RelationshipStatus.ACTIVE, RelationshipStatus.PAUSED):
        raise ValidationError(_("Goals are kept while the pair is active or paused."))


def _member(actor: User, relationship: Relationship) -> Membership:
    side = pair_side(actor, relationship)
    return (relationship.mentee if side == Side.MENTEE else relationship.mentor).membership


def goal_add(
    *,
    actor: User,
    relationship: Relationship,
    title: str,
    description: str = "",
    target_date: datetime.date | None = None,
) -> Goal:
    """Add one of the mentee's goals (either person of the pair may write it down)."""
    member = _member(actor, relationship)
    _require_open(relationship)
    goal = Goal(
        relationship=relationship,
        title=title.strip(),
        description=description.strip(),
        target_date=target_date,
        created_by=member,
    )
    goal.full_clean()
    with transaction.atomic(durable=True):
        goal.save()
        audit_record(
            actor=actor,
            institution=relationship.programme.institution,
            action="goal_add",
            obj=goal,
            changes={"title": goal.title},
        )
    return goal


def milestone_add(
    *, actor: User, goal: Goal, title: str, target_date: datetime.date | None = None
) -> Milestone:
    _member(actor, goal.relationship)
    _require_open(goal.relationship)
    milestone = Milestone(goal=goal, title=title.strip(), target_date=target_date)
    milestone.full_clean()
    with transaction.atomic(durable=True):
        milestone.save()
        audit_record(
            actor=actor,
            institution=goal.relationship.programme.institution,
            action="milestone_add",
            obj=goal,
            changes={"milestone": milestone.title},
        )
    return milestone


def milestone_done(*, actor: User, milestone: Milestone, done: bool) -> Milestone:
    _member(actor, milestone.goal.relationship)
    _require_open(milestone.goal.relationship)
    with transaction.atomic(durable=True):
        milestone.done_at = timezone.now() if done else None
        milestone.save(update_fields=["done_at"])
        audit_record(
            actor=actor,
            institution=milestone.goal.relationship.programme.institution,
            action="milestone_done",
            obj=milestone.goal,
            changes={"milestone": milestone.pk, "done": done},
        )
    return milestone


def goal_progress(*, actor: User, goal: Goal, progress: int, note: str, status: str) -> GoalUpdate:
    """Record where a goal stands now (0-100 %) with a note; the goal keeps the latest."""
    member = _member(actor, goal.relationship)
    _require_open(goal.relationship)
    if status not in GoalStatus.values:
        raise ValidationError(_("Choose the goal's status."))
    update = GoalUpdate(goal=goal, author=member, progress=progress, note=note.strip())
    update.full_clean()
    with transaction.atomic(durable=True):
        update.save()
        Goal.objects.filter(pk=goal.pk).update(progress=progress, status=status)
        audit_record(
            actor=actor,
            institution=goal.relationship.programme.institution,
            action="goal_progress",
            obj=goal,
            changes={"progress": progress, "status": status},
        )
    goal.progress, goal.status = progress, status
    return update


def closure_update(
    *,
    actor: User,
    membership: Membership,
    relationship: Relationship,
    checklist: dict[str, bool] | None = None,
    contact: str | None = None,
) -> Closure:
    """Tick the closure checklist (the pair or a coordinator) and record the actor's own
    future-contact choice (the pair only). A proposed pair has nothing to close yet."""
    in_pair = membership.pk in (
        relationship.mentee.membership_id,
        relationship.mentor.membership_id,
    )
    if not in_pair and (membership.role not in (Role.ADMIN, Role.COORDINATOR) or contact):
        raise ValidationError(_("Only the two people in a pair can do this."))
    if relationship.status == RelationshipStatus.PROPOSED:
        raise ValidationError(_("The closure checklist opens once the pair has started."))
    if contact is not None and contact not in (*FutureContact.values, ""):
        raise ValidationError(_("Choose whether you would like to stay in touch."))
    with transaction.atomic(durable=True):
        closure, _created = Closure.objects.select_for_update().get_or_create(
            relationship=relationship
        )
        changes: dict[str, object] = {}
        for field in CHECKLIST:
            if checklist is not None and field in checklist:
                setattr(closure, field, bool(checklist[field]))
                changes[field] = bool(checklist[field])
        if contact is not None:
            side = pair_side(actor, relationship)
            setattr(closure, f"{side}_contact", contact)
            changes["contact_side"] = side
        closure.updated_at = timezone.now()
        closure.save()
        audit_record(
            actor=actor,
            institution=relationship.programme.institution,
            action="closure_update",
            obj=relationship,
            changes=changes,
        )
    return closure
