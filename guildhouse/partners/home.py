"""The partnership panels of the role home pages (guildhouse.core.home)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django.utils import timezone

from guildhouse.core.home import HomePanel, register_home_panel
from guildhouse.core.models import STAFF_ROLES, Role
from guildhouse.core.types import AuthedRequest
from guildhouse.partners import selectors_cpd, selectors_goals
from guildhouse.partners.models import PartnerEvent
from guildhouse.partners.selectors_alignment import academic_year

RUNNERS = frozenset({Role.ADMIN, Role.COORDINATOR})
HOME_EVENTS = 3


def goals_panel(request: HttpRequest) -> dict[str, object] | None:
    """Running goals with their measured progress (bounded queries, see selectors_goals)."""
    institution = cast(AuthedRequest, request).institution
    today = timezone.localdate()
    goals = selectors_goals.home_goals(institution=institution, today=today)
    rows = selectors_goals.goals_progress(goals, institution=institution, today=today)
    return {"rows": [(row, row.status(today)) for row in rows]}


def network_panel(request: HttpRequest) -> dict[str, object] | None:
    """The viewer's CPD hours this academic year and the next events they attend, with
    the way to goals, coverage, events and CPD (two queries)."""
    authed = cast(AuthedRequest, request)
    today = timezone.localdate()
    start, end = academic_year(today)
    events = (
        PartnerEvent.objects.filter(
            institution=authed.institution,
            attendees__membership=authed.membership,
            ends_at__gte=timezone.now(),
        )
        .order_by("starts_at", "pk")
        .distinct()[:HOME_EVENTS]
    )
    return {
        "hours": selectors_cpd.hours_in(membership=authed.membership, start=start, end=end),
        "events": list(events),
    }


def register_panels() -> None:
    register_home_panel(
        HomePanel(
            key="partners_network",
            template="partners/home/_network.html",
            roles=STAFF_ROLES,
            context=network_panel,
            order=12,
        )
    )
    register_home_panel(
        HomePanel(
            key="partners_goals",
            template="partners/home/_goals.html",
            roles=RUNNERS,
            context=goals_panel,
            order=10,
        )
    )
    # The check-ins panel (key "partners_check_ins") is home_campaigns': check-ins due
    # and open campaigns in one card (merge of partners-goals and partners-campaigns).
