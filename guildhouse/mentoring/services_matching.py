"""Writes for matching and pairs: runs, the coordinator's pair rules, publishing, declining.

Capacity is enforced twice over: ``match_publish`` locks the mentor's application row
and counts their open pairs inside one transaction, and the database refuses a
``seats_taken`` above ``capacity`` (a check constraint), so two coordinators
publishing at once can never over-fill a mentor.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guildhouse.core.audit import audit_record
from guildhouse.core.models import User
from guildhouse.jobs.api import job_progress, tracked_job_start
from guildhouse.matching import Mode, solve
from guildhouse.matching.explain import explain_assignment
from guildhouse.mentoring.adapter import build_round, explanation_data
from guildhouse.mentoring.models import (
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    CloseReason,
    MatchingMode,
    MatchingRun,
    MentoringProgramme,
    PairRule,
    PairRuleKind,
    Proposal,
    Relationship,
    RelationshipStatus,
    RunStatus,
    Side,
    State,
)
from guildhouse.mentoring.services_lifecycle import agreement_draft
from guildhouse.mentoring.tasks import mentoring_matching_run

logger = logging.getLogger(__name__)

MATCHING_STATES = (State.MATCHING, State.RUNNING)


def matching_run_start(*, actor: User, programme: MentoringProgramme, mode: str) -> MatchingRun:
    """Start a matching run for the programme in ``mode``; returns the run.

    The run is a background job (``tasks.mentoring_matching_run``) enqueued when this
    transaction commits; ``run.job`` shows its progress. One run at a time per programme.
    """
    if mode not in MatchingMode.values:
        raise ValidationError(_("Choose a matching mode."))
    with transaction.atomic(durable=True):
        locked = MentoringProgramme.objects.select_for_update().get(pk=programme.pk)
        if locked.state not in MATCHING_STATES:
            raise ValidationError(_("Matching runs while the programme is in matching or running."))
        if MatchingRun.objects.filter(programme=locked, status=RunStatus.RUNNING).exists():
            raise ValidationError(_("A matching run is already under way."))
        run = MatchingRun.objects.create(programme=locked, mode=mode, started_by=actor)
        run.job = tracked_job_start(
            actor=actor,
            institution=locked.institution,
            task=mentoring_matching_run,
            title=_("Matching for %(name)s") % {"name": locked.name},
            kwargs={"run_id": run.pk},
        )
        run.save(update_fields=["job"])
        audit_record(
            actor=actor,
            institution=locked.institution,
            action="matching_run",
            obj=run,
            changes={"mode": mode},
        )
    return run


STEPS = 4


def matching_run_execute(*, run_id: int, job_id: int | None = None) -> None:
    """Read the round, solve, explain, and store the proposals. Never raises: a failure
    is recorded on the run in words a coordinator can act on."""
    run = MatchingRun.objects.select_related("programme").get(pk=run_id)
    review = reverse("mentoring:matching_review", args=[run.programme_id])

    def progress(done: int, message: str) -> None:
        if job_id is not None:
            job_progress(
                job_id,
                done=done,
                total=STEPS,
                message=message,
                result_url=review if done == STEPS else "",
            )

    try:
        progress(0, _("Reading the applications"))
        round_ = build_round(run.programme)
        progress(1, _("Finding the best pairs"))
        capacity = round_.capacity
        if not round_.mentees or not round_.mentors:
            raise ValidationError(_("There must be accepted mentees and mentors with free seats."))
        try:
            result = solve(
                round_.source,
                capacity,
                mode=Mode(run.mode),
                locked=round_.locked,
                excluded=round_.excluded,
            )
        except ValueError:
            raise ValidationError(
                _(
                    "A pair you kept cannot be made (no common time, training missing or "
                    "the mentor is full). Stop keeping it and run again."
                )
            ) from None
        explained = explain_assignment(
            source=round_.source,
            assignment=result.assignment,
            capacity=capacity,
            locked=round_.locked,
            excluded=round_.excluded,
        )
        progress(2, _("Explaining each pair"))
        pairs, unmatched = explanation_data(explained, round_)
        locked_mentees = {i for i, _j in round_.locked}
        proposals = []
        for i, mentee in enumerate(round_.mentees):
            j = int(result.assignment[i])
            proposals.append(
                Proposal(
                    run=run,
                    mentee=mentee,
                    mentor=round_.mentors[j] if j >= 0 else None,
                    score=pairs[i]["score"] if j >= 0 else None,
                    locked=i in locked_mentees,
                    explanation=pairs[i] if j >= 0 else unmatched[i],
                )
            )
        progress(3, _("Saving the proposals"))
        with transaction.atomic(durable=True):
            Proposal.objects.bulk_create(proposals, batch_size=1000)
            MatchingRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE,
                finished_at=timezone.now(),
                mentees=len(round_.mentees),
                mentors=len(round_.mentors),
                matched=result.matched,
                total_score=result.total_score,
                seconds=result.seconds,
            )
        progress(
            STEPS,
            _("%(matched)s of %(mentees)s mentees have a proposed mentor.")
            % {"matched": result.matched, "mentees": len(round_.mentees)},
        )
    except ValidationError as error:
        _fail(run, " ".join(error.messages))
        progress(STEPS, _("The matching could not finish: see why on the matching page."))
    except Exception:
        logger.exception("matching run %s failed", run_id)
        _fail(run, _("The matching failed unexpectedly. Try again, or ask for help."))
        progress(STEPS, _("The matching could not finish: see why on the matching page."))


def _fail(run: MatchingRun, message: str) -> None:
    with transaction.atomic(durable=True):
        MatchingRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=message
        )


def pair_rule_set(
    *,
    actor: User,
    programme: MentoringProgramme,
    mentee: Application,
    mentor: Application,
    kind: str,
) -> PairRule | None:
    """Keep (lock) or exclude the pair in later runs; ``kind`` "" removes the rule.

    A mentee has at most one kept pair: keeping another replaces it.
    """
    if mentee.programme_id != programme.pk or mentor.programme_id != programme.pk:
        raise ValidationError(_("Both people must be in this programme."))
    if mentee.side != Side.MENTEE or mentor.side != Side.MENTOR:
        raise ValidationError(_("Choose a mentee and a mentor."))
    if kind not in ("", *PairRuleKind.values):
        raise ValidationError(_("Choose keep, exclude or neither."))
    with transaction.atomic(durable=True):
        PairRule.objects.filter(programme=programme, mentee=mentee, mentor=mentor).delete()
        rule = None
        if kind == PairRuleKind.LOCK:
            PairRule.objects.filter(programme=programme, mentee=mentee, kind=kind).delete()
        if kind:
            rule = PairRule.objects.create(
                programme=programme, mentee=mentee, mentor=mentor, kind=kind, created_by=actor
            )
        audit_record(
            actor=actor,
            institution=programme.institution,
            action="pair_rule",
            obj=programme,
            changes={"mentee": mentee.pk, "mentor": mentor.pk, "kind": kind or "none"},
        )
    return rule


def _relationship_create(
    *,
    actor: User,
    mentor: Application,
    mentee: Application,
    run: MatchingRun | None = None,
    score: float | None = None,
    explanation: dict[str, Any] | None = None,
) -> Relationship:
    """Inside a transaction: lock the mentor's row, count open pairs, then add this one."""
    locked_mentor = Application.objects.select_for_update().get(pk=mentor.pk)
    if locked_mentor.status != ApplicationStatus.ACCEPTED:
        raise ValidationError(_("The mentor's application is not accepted."))
    taken = Relationship.objects.filter(mentor=locked_mentor, status__in=OPEN_STATUSES).count()
    if taken >= locked_mentor.capacity:
        raise ValidationError(
            _("%(name)s has no free seats.") % {"name": locked_mentor.membership.user.full_name}
        )
    if Relationship.objects.filter(mentee=mentee, status__in=OPEN_STATUSES).exists():
        raise ValidationError(
            _("%(name)s already has a mentor.") % {"name": mentee.membership.user.full_name}
        )
    relationship = Relationship.objects.create(
        programme_id=mentee.programme_id,
        mentor=locked_mentor,
        mentee=mentee,
        run=run,
        score=score,
        explanation=explanation or {},
        published_by=actor,
    )
    locked_mentor.seats_taken = taken + 1
    locked_mentor.save(update_fields=["seats_taken"])
    agreement_draft(relationship)
    return relationship


def match_publish(*, actor: User, mentor: Application, mentee: Application) -> Relationship:
    """Pair one mentee with one mentor by hand; refuses a full mentor, even under a race."""
    if mentor.side != Side.MENTOR or mentee.side != Side.MENTEE:
        raise ValidationError(_("Choose a mentee and a mentor."))
    if mentor.programme_id != mentee.programme_id:
        raise ValidationError(_("Both people must be in this programme."))
    if mentee.status != ApplicationStatus.ACCEPTED:
        raise ValidationError(_("The mentee's application is not accepted."))
    with transaction.atomic(durable=True):
        relationship = _relationship_create(actor=actor, mentor=mentor, mentee=mentee)
        audit_record(
            actor=actor,
            institution=mentor.programme.institution,
            action="match_publish",
            obj=relationship,
            changes={"mentor": mentor.pk, "mentee": mentee.pk},
        )
    return relationship


def matching_run_publish(*, actor: User, run: MatchingRun) -> tuple[int, list[str]]:
    """Publish the run's proposed pairs; returns (pairs published, why others were not).

    A pair whose mentor filled up or whose mentee got a mentor since the run is left
    out with its reason; the rest are published together.
    """
    with transaction.atomic(durable=True):
        locked_run = MatchingRun.objects.select_for_update().get(pk=run.pk)
        if locked_run.status != RunStatus.DONE or locked_run.published_at is not None:
            raise ValidationError(
                _("Only a finished run that is not yet published can be published.")
            )
        latest = MatchingRun.objects.filter(programme_id=locked_run.programme_id).first()
        if latest is None or latest.pk != locked_run.pk:
            raise ValidationError(_("A newer run exists; publish that one."))
        published, skipped = 0, []
        proposals = (
            locked_run.proposals.filter(mentor__isnull=False)
            .select_related(
                "mentor__membership__user", "mentee__membership__user", "mentor__programme"
            )
            .order_by("mentor_id", "pk")
        )  # one lock order for every publisher: no deadlock
        for proposal in proposals:
            assert proposal.mentor is not None
            try:
                with transaction.atomic():
                    _relationship_create(
                        actor=actor,
                        mentor=proposal.mentor,
                        mentee=proposal.mentee,
                        run=locked_run,
                        score=proposal.score,
                        explanation=proposal.explanation,
                    )
            except ValidationError as error:
                skipped.extend(error.messages)
            else:
                published += 1
        locked_run.published_at = timezone.now()
        locked_run.published_by = actor
        locked_run.save(update_fields=["published_at", "published_by"])
        audit_record(
            actor=actor,
            institution=locked_run.programme.institution,
            action="matching_publish",
            obj=locked_run,
            changes={"published": published, "skipped": len(skipped)},
        )
    return published, skipped


def relationship_accept(
    *, actor: User, relationship: Relationship, version: int | None = None
) -> Relationship:
    """The actor (mentor or mentee of the pair) accepts the match and its agreement
    (``version``, the one they read; refused if it changed since); when both have
    accepted the current version, the pair is active."""
    with transaction.atomic(durable=True):
        locked = (
            Relationship.objects.select_for_update()
            .select_related("mentor", "mentee", "programme__institution")
            .get(pk=relationship.pk)
        )
        side = _side_of(actor, locked)
        if locked.status != RelationshipStatus.PROPOSED:
            raise ValidationError(_("Only a proposed match can be accepted."))
        # Accepting the match is accepting its agreement (the version shown on the page).
        agreement = agreement_draft(locked)
        if version is not None and version != agreement.version:
            raise ValidationError(
                _("The agreement has just changed. Read it again before you accept.")
            )
        field = "mentee_accepted_at" if side == Side.MENTEE else "mentor_accepted_at"
        if getattr(locked, field) is None:
            setattr(locked, field, timezone.now())
        setattr(agreement, f"{side}_accepted_version", agreement.version)
        agreement.save()
        if locked.mentee_accepted_at and locked.mentor_accepted_at and agreement.accepted_by_both:
            locked.status = RelationshipStatus.ACTIVE
        locked.save()
        audit_record(
            actor=actor,
            institution=locked.programme.institution,
            action="relationship_accept",
            obj=locked,
            changes={"side": side, "status": locked.status},
        )
    return locked


def relationship_decline(*, actor: User, relationship: Relationship, reason: str) -> Relationship:
    """The actor declines the proposed match, once per application, with a reason.

    The mentor's seat is freed, the mentee goes back to the pool, and the pair is
    never proposed again.
    """
    if not reason.strip():
        raise ValidationError(_("Tell us briefly why, so that the next match fits better."))
    with transaction.atomic(durable=True):
        locked = (
            Relationship.objects.select_for_update()
            .select_related("programme__institution")
            .get(pk=relationship.pk)
        )
        side = _side_of(actor, locked)
        own = Application.objects.select_for_update().get(
            pk=locked.mentee_id if side == Side.MENTEE else locked.mentor_id
        )
        if locked.status != RelationshipStatus.PROPOSED:
            raise ValidationError(_("Only a proposed match can be declined."))
        if own.used_decline:
            raise ValidationError(
                _("You have already declined a match once; talk to the coordinator.")
            )
        mentor = Application.objects.select_for_update().get(pk=locked.mentor_id)
        locked.status = RelationshipStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.close_reason = (
            CloseReason.DECLINED_BY_MENTEE
            if side == Side.MENTEE
            else CloseReason.DECLINED_BY_MENTOR
        )
        locked.close_note = reason.strip()
        locked.save()
        own.used_decline = True
        own.save(update_fields=["used_decline"])
        mentor.refresh_from_db()
        mentor.seats_taken = Relationship.objects.filter(
            mentor=mentor, status__in=OPEN_STATUSES
        ).count()
        mentor.save(update_fields=["seats_taken"])
        audit_record(
            actor=actor,
            institution=locked.programme.institution,
            action="relationship_decline",
            obj=locked,
            changes={"side": side},
        )
    return locked


def _side_of(actor: User, relationship: Relationship) -> str:
    ids = Application.objects.filter(
        pk__in=[relationship.mentee_id, relationship.mentor_id], membership__user=actor
    ).values_list("pk", flat=True)
    if relationship.mentee_id in ids:
        return Side.MENTEE
    if relationship.mentor_id in ids:
        return Side.MENTOR
    raise ValidationError(_("Only the two people in a pair can do this."))


CLOSING_REASONS = tuple(
    r for r in CloseReason.values if r not in ("declined_by_mentee", "declined_by_mentor")
)


def relationship_close(
    *, actor: User, relationship: Relationship, reason: str, note: str = ""
) -> Relationship:
    """End an open pair with a reason code (planned end or early closure); frees the seat.

    The code feeds the rematch: a closed pair is never proposed again.
    """
    if reason not in CLOSING_REASONS:
        raise ValidationError(_("Choose why the pair ends."))
    with transaction.atomic(durable=True):
        locked = (
            Relationship.objects.select_for_update()
            .select_related("programme__institution")
            .get(pk=relationship.pk)
        )
        if not locked.is_open:
            raise ValidationError(_("This pair has already ended."))
        mentor = Application.objects.select_for_update().get(pk=locked.mentor_id)
        locked.status = RelationshipStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.close_reason = reason
        locked.close_note = note.strip()
        locked.save()
        mentor.seats_taken = Relationship.objects.filter(
            mentor=mentor, status__in=OPEN_STATUSES
        ).count()
        mentor.save(update_fields=["seats_taken"])
        audit_record(
            actor=actor,
            institution=locked.programme.institution,
            action="relationship_close",
            obj=locked,
            changes={"reason": reason},
        )
    return locked


def relationship_pause(*, actor: User, relationship: Relationship, pause: bool) -> Relationship:
    """Pause an active pair (exams, illness) or resume a paused one; it keeps its seat."""
    with transaction.atomic(durable=True):
        locked = (
            Relationship.objects.select_for_update()
            .select_related("programme__institution")
            .get(pk=relationship.pk)
        )
        before, after = (
            (RelationshipStatus.ACTIVE, RelationshipStatus.PAUSED)
            if pause
            else (RelationshipStatus.PAUSED, RelationshipStatus.ACTIVE)
        )
        if locked.status != before:
            raise ValidationError(
                _("Only an active pair can be paused.")
                if pause
                else _("Only a paused pair can be resumed.")
            )
        locked.status = after
        locked.save(update_fields=["status"])
        audit_record(
            actor=actor,
            institution=locked.programme.institution,
            action="relationship_pause" if pause else "relationship_resume",
            obj=locked,
            changes={"status": [before, after]},
        )
    return locked
