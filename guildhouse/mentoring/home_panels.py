"""Mentoring's cards on the role home pages (``guildhouse.core.home``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from guildhouse.core.home import HomePanel
from guildhouse.core.models import Role


def monitoring_panel(request: HttpRequest) -> dict[str, object] | None:
    """Pairs at risk and contacts overdue: one grouped query. Hidden with no pairs watched."""
    from guildhouse.mentoring.selectors_monitoring import monitoring_counts

    counts = monitoring_counts(institution=request.institution, today=timezone.localdate())  # type: ignore[attr-defined]
    if not (counts.watched or counts.at_risk):
        return None
    return {"at_risk": counts.at_risk, "urgent": counts.urgent, "overdue": counts.overdue}


def support_flags_panel(request: HttpRequest) -> dict[str, object] | None:
    """Open flags about wellbeing and safety, for support staff: one query."""
    from guildhouse.mentoring.selectors_monitoring import support_flags

    return {"flags": support_flags(institution=request.institution)}  # type: ignore[attr-defined]


PANELS = [
    HomePanel(
        key="mentoring_monitoring",
        template="mentoring/home/_monitoring.html",
        roles=frozenset({Role.COORDINATOR}),
        context=monitoring_panel,
        order=30,
    ),
    HomePanel(
        key="mentoring_support_flags",
        template="mentoring/home/_support_flags.html",
        roles=frozenset({Role.SUPPORT}),
        context=support_flags_panel,
        order=30,
    ),
]
