"""Runs every app's demo module in ``INSTALLED_APPS`` order, each app once.

An app joins the demo with a module ``guildhouse/<app>/demo.py`` (or a ``demo``
package) defining

    def load_demo(*, today: datetime.date) -> None: ...
    def load_region(*, progress: Callable[[str], None]) -> None: ...  # optional

Every app's ``load_demo`` runs first, in ``INSTALLED_APPS`` order (core is first, so
its schools and people exist for the others), then, with ``--scale region``, every
app's ``load_region``. When a hook returns, the runner writes a marker for that app
(an audit event without an institution), and an app with a marker is never run
again: an app added later is loaded on the next ``guildhouse demo`` and the others
stay as they are. A hook that fails leaves no marker, so the next run calls it
again; write it as one transaction, or so that it can run again. Mail is off while
hooks run: the demo's people have fictional addresses.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.test.utils import override_settings

from guildhouse.core.models import AuditEvent

# Audit actions of the per-app markers; the marker's object_id is the app label.
DEMO_LOADED = "demo_load"
REGION_LOADED = "demo_load_region"
MARKER_TYPE = "demo.app"
_NO_MAIL = "django.core.mail.backends.dummy.EmailBackend"

Hook = Callable[..., object]


@dataclass(frozen=True)
class AppDemo:
    """One app's demo hooks; either may be missing."""

    label: str
    load_demo: Hook | None = None
    load_region: Hook | None = None


@dataclass(frozen=True)
class Loaded:
    """A hook the runner called: which app, which scale, what it returned, how long it took."""

    label: str
    action: str  # DEMO_LOADED or REGION_LOADED
    result: object
    seconds: float

    @property
    def name(self) -> str:
        return self.label if self.action == DEMO_LOADED else f"{self.label} (region)"


def app_demos() -> list[AppDemo]:
    """The demo hooks of every Guildhouse app, in ``INSTALLED_APPS`` order.

    Apps without a ``demo`` module, and apps outside ``guildhouse``, are left out.
    """
    demos = []
    for config in apps.get_app_configs():
        if not config.name.startswith("guildhouse."):
            continue
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        demos.append(
            AppDemo(
                config.label,
                load_demo=getattr(module, "load_demo", None),
                load_region=getattr(module, "load_region", None),
            )
        )
    return demos


def loaded_apps(action: str) -> set[str]:
    """Labels of the apps whose demo (``DEMO_LOADED``) or region has finished loading."""
    markers = AuditEvent.objects.filter(action=action, institution=None).values_list(
        "object_type", "object_id"
    )
    # Before demos were per app, core's marker pointed at a demo institution.
    return {object_id if kind == MARKER_TYPE else "core" for kind, object_id in markers}


def run_demos(
    *,
    today: datetime.date,
    demo: bool = True,
    region: bool = False,
    progress: Callable[[str], None] | None = None,
    demos: Sequence[AppDemo] | None = None,
) -> list[Loaded]:
    """Call every hook that has not finished before; returns the ones called now, in order."""
    demos = app_demos() if demos is None else demos
    report = progress or (lambda message: None)
    steps: list[tuple[str, str, Hook, dict[str, object]]] = []
    if demo:
        steps += [
            (DEMO_LOADED, d.label, d.load_demo, {"today": today}) for d in demos if d.load_demo
        ]
    if region:
        steps += [
            (REGION_LOADED, d.label, d.load_region, {"progress": report})
            for d in demos
            if d.load_region
        ]
    done = {DEMO_LOADED: loaded_apps(DEMO_LOADED), REGION_LOADED: loaded_apps(REGION_LOADED)}
    loaded = []
    for action, label, hook, kwargs in steps:
        if label in done[action]:
            continue
        started = time.perf_counter()
        with override_settings(EMAIL_BACKEND=_NO_MAIL):
            result = hook(**kwargs)
        _mark(label, action)
        loaded.append(Loaded(label, action, result, round(time.perf_counter() - started, 2)))
    return loaded


def _mark(label: str, action: str) -> None:
    with transaction.atomic(durable=True):
        AuditEvent.objects.create(
            institution=None,
            actor=None,
            actor_label="system",
            action=action,
            object_type=MARKER_TYPE,
            object_id=label,
            object_label=label,
        )
