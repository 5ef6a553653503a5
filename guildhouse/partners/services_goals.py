"""Writes for institutional goals. A goal holds its target and what it measures; its
progress is measured from the records (selectors_goals), never stored."""

from __future__ import annotations

import datetime

from django.db import transaction

from guildhouse.core.audit import audit_record
from guildhouse.core.models import Institution, Programme, User
from guildhouse.partners.models import Goal, GoalKpi


def goal_save(
    *,
    actor: User,
    institution: Institution,
    goal: Goal | None,
    title: str,
    kpi: str,
    target: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    level: str = "",
    programme: Programme | None = None,
    opportunity_kind: str = "",
    min_partners: int | None = None,
) -> Goal:
    """Create a goal (``goal`` None) or change one; filters a KPI does not take are
    cleared, so a goal never carries a filter that silently does nothing."""
    if programme is not None and programme.institution_id != institution.pk:
        raise ValueError("The programme belongs to another institution.")
    if kpi != GoalKpi.OPPORTUNITY_COUNT:
        opportunity_kind = ""
    if kpi != GoalKpi.PROGRAMME_COVERAGE:
        min_partners = None
    if kpi not in (GoalKpi.PLACEMENT_SHARE, GoalKpi.PROGRAMME_COVERAGE, GoalKpi.OPPORTUNITY_COUNT):
        programme = None
    if kpi != GoalKpi.PLACEMENT_SHARE:
        level = ""
    created = goal is None
    goal = goal or Goal(institution=institution, created_by=actor)
    goal.title = title.strip()
    goal.kpi = kpi
    goal.target = target
    goal.starts_on = starts_on
    goal.ends_on = ends_on
    goal.level = level
    goal.programme = programme
    goal.opportunity_kind = opportunity_kind
    goal.min_partners = min_partners
    goal.full_clean()
    with transaction.atomic(durable=True):
        goal.save()
        audit_record(
            actor=actor,
            institution=institution,
            action="create" if created else "update",
            obj=goal,
            changes={
                "kpi": kpi,
                "target": target,
                "starts_on": str(starts_on),
                "ends_on": str(ends_on),
            },
        )
    return goal


def goal_delete(*, actor: User, goal: Goal) -> None:
    with transaction.atomic(durable=True):
        audit_record(
            actor=actor,
            institution=goal.institution,
            action="delete",
            obj=goal,
            changes={"title": goal.title},
        )
        goal.delete()
