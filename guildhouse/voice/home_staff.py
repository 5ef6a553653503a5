"""Home panels: for coordinators, released items past their response target; for support
staff, the support requests still waiting for a first contact."""

from __future__ import annotations

from django.http import HttpRequest

from guildhouse.core.home import HomePanel, register_home_panel
from guildhouse.core.models import Role
from guildhouse.voice.selectors import support_cases_waiting
from guildhouse.voice.selectors_staff import overdue_items

PANEL_ROWS = 5


def overdue_panel_context(request: HttpRequest) -> dict[str, object] | None:
    """Two queries: the categories' targets, then the first overdue items and their count."""
    institution = getattr(request, "institution", None)
    if institution is None:
        return None
    items = list(overdue_items(institution=institution)[: PANEL_ROWS + 1])
    return {"items": items[:PANEL_ROWS], "more": len(items) > PANEL_ROWS}


def support_panel_context(request: HttpRequest) -> dict[str, object] | None:
    """One query: how many requests no one has marked contacted or closed."""
    institution = getattr(request, "institution", None)
    if institution is None:
        return None
    return {"waiting": support_cases_waiting(institution=institution)}


def register() -> None:
    register_home_panel(
        HomePanel(
            key="voice_overdue",
            template="voice/home/_overdue.html",
            roles=frozenset({Role.ADMIN, Role.COORDINATOR}),
            context=overdue_panel_context,
            order=40,
        )
    )
    register_home_panel(
        HomePanel(
            key="voice_support_cases",
            template="voice/home/_support_cases.html",
            roles=frozenset({Role.SUPPORT}),
            context=support_panel_context,
            order=5,  # first: a learner is waiting for a person
        )
    )
