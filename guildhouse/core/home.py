"""Panels that other apps add to the role home pages.

The home view (``core.views.home``) knows nothing of partnerships, mentoring or
learner voice. Each app registers its panels once, from its ``AppConfig.ready``::

    register_home_panel(HomePanel(
        key="partners_goals",
        template="partners/home/_goals.html",
        roles=frozenset({Role.ADMIN, Role.COORDINATOR}),
        context=goals_panel_context,   # (request) -> dict, or None to hide the panel
        order=10,
    ))

and the home page renders, after the built-in cards, every panel for the viewer's
role in ``order``, each template receiving its dict as ``panel``. A context function
runs a bounded number of queries (home pages assert their query count).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    roles: frozenset[str]
    context: Callable[[HttpRequest], dict[str, object] | None]
    order: int = 100


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    template: str
    data: dict[str, object]


_PANELS: dict[str, HomePanel] = {}


def register_home_panel(panel: HomePanel) -> None:
    """Add (or replace, by key) a panel; called from an app's ``ready``."""
    _PANELS[panel.key] = panel


def registered_panels() -> list[HomePanel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def panels_for(request: HttpRequest, role: str) -> list[RenderedPanel]:
    """The panels to show ``role`` on its home page, with their data."""
    shown = []
    for panel in registered_panels():
        if role not in panel.roles:
            continue
        data = panel.context(request)
        if data is not None:
            shown.append(RenderedPanel(panel.key, panel.template, data))
    return shown
