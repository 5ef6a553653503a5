"""Goal pages: the list with measured progress, create, change and delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guildhouse.core.decorators import member_required
from guildhouse.core.types import AuthedRequest
from guildhouse.core.views import posted
from guildhouse.partners import selectors_goals, services_goals
from guildhouse.partners.access import PARTNER_RUNNERS, PARTNER_WORKERS
from guildhouse.partners.access_network import access_goal
from guildhouse.partners.forms_goals import GoalForm
from guildhouse.partners.models import Goal


@require_GET
@member_required(*PARTNER_WORKERS)
def goal_list(request: AuthedRequest) -> HttpResponse:
    institution = request.institution
    today = timezone.localdate()
    goals = list(selectors_goals.goal_list(institution=institution))
    rows = selectors_goals.goals_progress(goals, institution=institution, today=today)
    context = {
        "rows": [(row, row.status(today)) for row in rows],
        "may_change": request.membership.role in PARTNER_RUNNERS,
    }
    return render(request, "partners/goals/goal_list.html", context)


def _initial(goal: Goal | None) -> dict[str, Any]:
    if goal is None:
        return {}
    return {
        "title": goal.title,
        "kpi": goal.kpi,
        "target": goal.target,
        "starts_on": goal.starts_on,
        "ends_on": goal.ends_on,
        "level": goal.level,
        "programme": goal.programme,
        "opportunity_kind": goal.opportunity_kind,
        "min_partners": goal.min_partners,
    }


def _goal_form(request: AuthedRequest, goal: Goal | None) -> HttpResponse:
    form = GoalForm(posted(request), initial=_initial(goal), institution=request.institution)
    if request.method == "POST" and form.is_valid():
        saved = services_goals.goal_save(
            actor=request.user, institution=request.institution, goal=goal, **form.cleaned_data
        )
        messages.success(request, _("Goal “%(title)s” saved.") % {"title": saved.title})
        return redirect("partners:goal_list")
    return render(request, "partners/goals/goal_form.html", {"form": form, "goal": goal})


@require_http_methods(["GET", "POST"])
@member_required(*PARTNER_RUNNERS)
def goal_create(request: AuthedRequest) -> HttpResponse:
    return _goal_form(request, None)


@require_http_methods(["GET", "POST"])
@member_required()
def goal_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _goal_form(request, access_goal(request.membership, pk, for_change=True))


@require_POST
@member_required()
def goal_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = access_goal(request.membership, pk, for_change=True)
    services_goals.goal_delete(actor=request.user, goal=goal)
    messages.success(request, _("Goal “%(title)s” deleted.") % {"title": goal.title})
    return redirect("partners:goal_list")
