"""The partnership panels of the role home pages (guildhouse.core.home)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django.utils import timezone

from guildhouse.core.home import HomePanel, register_home_panel
from guildhouse.core.models import Role
from guildhouse.core.types import AuthedRequest
from guildhouse.partners import selectors, selectors_goals

RUNNERS = frozenset({Role.ADMIN, Role.COORDINATOR})
HOME_CHECK_INS = 5


def goals_panel(request: HttpRequest) -> dict[str, object] | None:
    """Running goals with their measured progress (bounded queries, see selectors_goals)."""
    institution = cast(AuthedRequest, request).institution
    today = timezone.localdate()
    goals = selectors_goals.home_goals(institution=institution, today=today)
    rows = selectors_goals.goals_progress(goals, institution=institution, today=today)
    return {"rows": [(row, row.status(today)) for row in rows]}


def check_ins_panel(request: HttpRequest) -> dict[str, object] | None:
    """The most overdue check-ins, with how many there are in all (two queries)."""
    rows = selectors.check_ins_overdue(institution=cast(AuthedRequest, request).institution)
    return {"rows": rows[:HOME_CHECK_INS], "total": len(rows)}


def register_panels() -> None:
    register_home_panel(
        HomePanel(
            key="partners_goals",
            template="partners/home/_goals.html",
            roles=RUNNERS,
            context=goals_panel,
            order=10,
        )
    )
    register_home_panel(
        HomePanel(
            key="partners_check_ins",
            template="partners/home/_check_ins.html",
            roles=RUNNERS,
            context=check_ins_panel,
            order=11,
        )
    )
