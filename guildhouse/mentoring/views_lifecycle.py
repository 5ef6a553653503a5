"""A pair's agreement, goals and closure; and what the pair page shows of them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.models import Membership
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.mentoring import services_lifecycle
from guildhouse.mentoring.access import (
    MANAGERS,
    PAIR_PRIVATE_READERS,
    access_goal,
    access_relationship,
    goals_readable,
    in_pair,
    survey_answers_readable,
)
from guildhouse.mentoring.forms_lifecycle import (
    AgreementForm,
    ChecklistForm,
    ContactForm,
    GoalForm,
    MilestoneForm,
    ProgressForm,
)
from guildhouse.mentoring.models import (
    Closure,
    Goal,
    Milestone,
    Relationship,
    RelationshipStatus,
    Side,
    SurveyResponse,
)
from guildhouse.mentoring.surveys import due_surveys


def _errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def pair_context(viewer: Membership, relationship: Relationship, side: str) -> dict[str, Any]:
    """What the pair page shows of the agreement, goals, closure and surveys for ``viewer``."""
    agreement = services_lifecycle.agreement_draft(relationship)
    started = relationship.status != RelationshipStatus.PROPOSED
    closure = Closure.objects.filter(relationship=relationship).first()
    context: dict[str, Any] = {
        "agreement": agreement,
        "agreement_own_version": getattr(agreement, f"{side}_accepted_version", None)
        if side
        else None,
        "can_edit_agreement": bool(side) and not started,
        "show_goals": goals_readable(viewer, relationship),
        "can_add_goal": bool(side)
        and relationship.status in (RelationshipStatus.ACTIVE, RelationshipStatus.PAUSED),
        "closure": closure,
        "show_closure": started and (bool(side) or viewer.role in MANAGERS),
        "checklist_form": ChecklistForm(
            initial={f: getattr(closure, f) for f in services_lifecycle.CHECKLIST}
            if closure
            else None
        ),
        "contact_form": ContactForm(
            initial={"contact": getattr(closure, f"{side}_contact", "")}
            if closure and side
            else None
        )
        if side
        else None,
        "contact_shared": bool(closure and closure.contact_shared and side),
        "other": (relationship.mentor if side == Side.MENTEE else relationship.mentee)
        if side
        else None,
    }
    if context["show_goals"]:
        context["goals"] = list(
            Goal.objects.filter(relationship=relationship).prefetch_related("milestones")
        )
        context["goal_form"] = GoalForm()
    if side:
        own = relationship.mentee if side == Side.MENTEE else relationship.mentor
        context["due"] = due_surveys(
            relationship=relationship,
            side=side,
            respondent_id=own.membership_id,
            today=timezone.localdate(),
        )
    responses = SurveyResponse.objects.filter(relationship=relationship).order_by(
        "-submitted_at", "-pk"
    )
    if viewer.role not in PAIR_PRIVATE_READERS:
        responses = responses.filter(respondent=viewer)
    context["responses"] = [r for r in responses[:20] if survey_answers_readable(viewer, r)]
    return context


@require_http_methods(["GET", "POST"])
@member_required()
def agreement_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = access_relationship(request.membership, pk)
    if not in_pair(request.membership, relationship):
        raise PermissionDenied("Only the pair edits its agreement.")
    agreement = services_lifecycle.agreement_draft(relationship)
    form = AgreementForm(posted(request), instance=agreement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_lifecycle.agreement_update(
                actor=request.user,
                relationship=relationship,
                cadence=data["cadence"],
                cadence_days=data["cadence_days"],
                meeting_minutes=data["meeting_minutes"],
                ends_on=data["ends_on"],
                focus=data["focus"],
                mentor_commitment=data["mentor_commitment"],
                mentee_commitment=data["mentee_commitment"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Agreement changed. You both need to accept it again."))
            return redirect("mentoring:relationship_detail", pk=pk)
    # Unsaved changes must not leak into the instance the page shows.
    agreement.refresh_from_db()
    return render(
        request,
        "mentoring/agreement_form.html",
        {"relationship": relationship, "agreement": agreement, "form": form},
    )


@require_POST
@member_required()
def goal_add(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = access_relationship(request.membership, pk)
    if not in_pair(request.membership, relationship):
        raise PermissionDenied("Only the pair writes its goals.")
    form = GoalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("mentoring:relationship_detail", pk=pk)
    try:
        services_lifecycle.goal_add(
            actor=request.user, relationship=relationship, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Goal added."))
    return redirect("mentoring:relationship_detail", pk=pk)


@require_http_methods(["GET", "POST"])
@member_required()
def goal_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = access_goal(request.membership, pk, for_change=request.method == "POST")
    can_change = in_pair(request.membership, goal.relationship) and goal.relationship.status in (
        RelationshipStatus.ACTIVE,
        RelationshipStatus.PAUSED,
    )
    milestone_form = MilestoneForm(prefix="milestone")
    progress_form = ProgressForm(
        prefix="progress", initial={"progress": goal.progress, "status": goal.status}
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "milestone":
                milestone_form = MilestoneForm(request.POST, prefix="milestone")
                if milestone_form.is_valid():
                    services_lifecycle.milestone_add(
                        actor=request.user, goal=goal, **milestone_form.cleaned_data
                    )
                    messages.success(request, _("Milestone added."))
                    return redirect("mentoring:goal_detail", pk=pk)
            elif action == "progress":
                progress_form = ProgressForm(request.POST, prefix="progress")
                if progress_form.is_valid():
                    services_lifecycle.goal_progress(
                        actor=request.user, goal=goal, **progress_form.cleaned_data
                    )
                    messages.success(request, _("Progress saved."))
                    return redirect("mentoring:goal_detail", pk=pk)
            elif action in ("done", "undone"):
                try:
                    milestone = goal.milestones.get(pk=int(request.POST.get("milestone", "0")))
                except (ValueError, Milestone.DoesNotExist):
                    raise Http404("No such milestone.") from None
                services_lifecycle.milestone_done(
                    actor=request.user, milestone=milestone, done=action == "done"
                )
                messages.success(request, _("Milestone updated."))
                return redirect("mentoring:goal_detail", pk=pk)
            else:
                raise Http404("Unknown action.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(
        request,
        "mentoring/goal_detail.html",
        {
            "goal": goal,
            "relationship": goal.relationship,
            "milestones": list(goal.milestones.all()),
            "updates": list(goal.updates.select_related("author__user")[:50]),
            "can_change": can_change,
            "milestone_form": milestone_form,
            "progress_form": progress_form,
        },
    )


@require_POST
@member_required()
def closure_update(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = access_relationship(request.membership, pk)
    viewer = request.membership
    if not in_pair(viewer, relationship) and viewer.role not in MANAGERS:
        raise PermissionDenied("Not your pair.")
    checklist = contact = None
    if request.POST.get("action") == "contact":
        form: ChecklistForm | ContactForm = ContactForm(request.POST)
        if form.is_valid():
            contact = form.cleaned_data["contact"]
    else:
        form = ChecklistForm(request.POST)
        if form.is_valid():
            checklist = form.cleaned_data
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("mentoring:relationship_detail", pk=pk)
    try:
        services_lifecycle.closure_update(
            actor=request.user,
            membership=viewer,
            relationship=relationship,
            checklist=checklist,
            contact=contact,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("mentoring:relationship_detail", pk=pk)
