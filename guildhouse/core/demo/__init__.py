"""The demo: core's demo data, and the runner that loads every app's (``runner``).

Core's part is split by what it makes: ``logins`` (the two schools and the printed
accounts), ``names`` (generated names and emails), ``people`` (the consortium's plan
and its loader, through the services) and ``region`` (the benchmark dataset, in
bulk). Other apps' demos find the demo schools by name in ``DEMO_INSTITUTIONS``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from django.utils import timezone

from guildhouse.core.demo.logins import (
    CONSORTIUM,
    DEMO_INSTITUTIONS,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_URL,
    DemoLogin,
)
from guildhouse.core.demo.names import email_part, person_name
from guildhouse.core.demo.people import (
    DEMO_SEED,
    DemoError,
    DemoPlan,
    academic_year_start,
    birth_date,
    demo_plan,
    load_demo,
    load_plan,
)
from guildhouse.core.demo.region import (
    REGION_SEED,
    RegionSummary,
    load_region,
    region_admin_email,
    region_institution_name,
    region_sizes,
)
from guildhouse.core.demo.runner import (
    DEMO_LOADED,
    REGION_LOADED,
    AppDemo,
    Loaded,
    app_demos,
    loaded_apps,
    run_demos,
)
from guildhouse.core.models import AuditEvent, Institution, Membership, Programme, Role, User

__all__ = [
    "CONSORTIUM",
    "DEMO_INSTITUTIONS",
    "DEMO_LOADED",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DEMO_SEED",
    "DEMO_URL",
    "REGION_LOADED",
    "REGION_SEED",
    "AppDemo",
    "DemoCounts",
    "DemoError",
    "DemoLogin",
    "DemoPlan",
    "Loaded",
    "RegionSummary",
    "academic_year_start",
    "app_demos",
    "birth_date",
    "demo_counts",
    "demo_is_loaded",
    "demo_plan",
    "email_part",
    "ensure_demo",
    "ensure_region",
    "load_demo",
    "load_plan",
    "load_region",
    "loaded_apps",
    "person_name",
    "region_admin_email",
    "region_institution_name",
    "region_is_loaded",
    "region_sizes",
    "run_demos",
]


@dataclass(frozen=True)
class DemoCounts:
    institutions: int
    programmes: int
    users: int
    memberships: dict[str, int]  # by role
    audit_events: int


def demo_counts() -> DemoCounts:
    """What the database holds now: all of it, demo or not."""
    by_role = dict.fromkeys(Role.values, 0)
    for role in Membership.objects.values_list("role", flat=True):
        by_role[role] += 1
    return DemoCounts(
        institutions=Institution.objects.count(),
        programmes=Programme.objects.count(),
        users=User.objects.count(),
        memberships=by_role,
        audit_events=AuditEvent.objects.count(),
    )


def demo_is_loaded() -> bool:
    """True once core's demo has finished loading in this database."""
    return "core" in loaded_apps(DEMO_LOADED)


def region_is_loaded() -> bool:
    """True once core's regional dataset has finished loading in this database."""
    return "core" in loaded_apps(REGION_LOADED)


def ensure_demo(*, today: datetime.date | None = None) -> bool:
    """Load every app's demo that is not loaded yet; returns whether any loaded now.

    Raises ``DemoError`` (and changes nothing) when the database holds institutions
    but not core's finished demo: the demo never mixes with real data.
    """
    return bool(run_demos(today=today or timezone.localdate()))


def ensure_region(
    *,
    institutions: int = 20,
    learners: int = 100_000,
    progress: Callable[[str], None] | None = None,
    apps: frozenset[str] | None = None,
) -> RegionSummary | None:
    """Load every app's regional data that is not loaded yet (core's of the given size),
    or only the apps labelled in ``apps`` (a test of core's region need not build a
    million partner interactions).

    Returns what core's load created, or ``None`` when core's region was already there.
    """
    demos = [
        replace(d, load_region=partial(load_region, institutions=institutions, learners=learners))
        if d.label == "core"
        else d
        for d in app_demos()
        if apps is None or d.label in apps
    ]
    loaded = run_demos(
        today=timezone.localdate(), demo=False, region=True, progress=progress, demos=demos
    )
    return next((r.result for r in loaded if isinstance(r.result, RegionSummary)), None)
