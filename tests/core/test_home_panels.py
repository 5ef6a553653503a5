"""Apps add panels to the role home pages through ``guildhouse.core.home``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpRequest
from django.template import engines
from django.template.base import Template

from guildhouse.core import home
from guildhouse.core.models import Role
from tests.conftest import World


@pytest.fixture
def panel() -> Iterator[None]:
    def context(request: HttpRequest) -> dict[str, object] | None:
        if request.GET.get("hide"):
            return None
        return {"message": "Three partners need a check-in"}

    saved = dict(home._PANELS)
    home.register_home_panel(
        home.HomePanel(
            key="test_panel",
            template="core/home/_test_panel.html",
            roles=frozenset({Role.COORDINATOR}),
            context=context,
        )
    )
    yield
    home._PANELS.clear()
    home._PANELS.update(saved)


@pytest.fixture
def panel_template() -> Iterator[None]:
    """Serve the panel's template from memory (tests have no template folder)."""
    engine: Any = engines["django"].engine  # type: ignore[attr-defined]
    original = engine.get_template

    def get_template(name: str) -> Template:
        if name == "core/home/_test_panel.html":
            source = '<section class="card" id="test-panel">{{ panel.message }}</section>'
            return Template(source, engine=engine)
        found: Template = original(name)
        return found

    engine.get_template = get_template
    yield
    engine.get_template = original


def test_a_registered_panel_shows_for_its_roles_only(
    world: World, panel: None, panel_template: None
) -> None:
    body = world.client_for(world.coordinator).get("/").content.decode()
    assert '<section class="card" id="test-panel">Three partners need a check-in</section>' in body
    assert "test-panel" not in world.client_for(world.staff).get("/").content.decode()
    # A context function that returns None hides the panel.
    assert "test-panel" not in world.client_for(world.coordinator).get("/?hide=1").content.decode()
