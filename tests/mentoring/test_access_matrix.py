"""Every mentoring page against every role, the outsider and an anonymous visitor."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guildhouse.mentoring.models import MentoringProgramme
from tests.access_matrix import Page, check_page
from tests.conftest import World
from tests.mentoring.factories import mentoring_programme_make

READERS = frozenset({"admin", "coordinator", "staff", "support"})
MANAGERS = frozenset({"admin", "coordinator"})


def _programme(world: World) -> MentoringProgramme:
    programme = MentoringProgramme.objects.filter(institution=world.institution).first()
    return programme or mentoring_programme_make(
        institution=world.institution, name="Secret buddies"
    )


def _programmes(world: World) -> object:
    return list(MentoringProgramme.objects.filter(institution=world.institution).values())


PAGES = [
    Page(
        "programme list",
        lambda w: reverse("mentoring:programme_list"),
        READERS,
        outsider_status=200,
        secret=lambda w: _programme(w).name,
    ),
    Page(
        "programme create",
        lambda w: reverse("mentoring:programme_create"),
        MANAGERS,
        outsider_status=200,
    ),
    Page(
        "programme detail",
        lambda w: reverse("mentoring:programme_detail", args=[_programme(w).pk]),
        READERS,
        secret=lambda w: _programme(w).name,
    ),
    Page(
        "programme edit",
        lambda w: reverse("mentoring:programme_edit", args=[_programme(w).pk]),
        MANAGERS,
        secret=lambda w: _programme(w).name,
    ),
    Page(
        "programme edit (post)",
        lambda w: reverse("mentoring:programme_edit", args=[_programme(w).pk]),
        MANAGERS,
        method="post",
        ok_status=200,
        data={"name": "Changed"},
        state=_programmes,
    ),
    Page(
        "programme state",
        lambda w: reverse("mentoring:programme_transition", args=[_programme(w).pk]),
        MANAGERS,
        ok_status=302,
        method="post",
        data={"to": "recruiting"},
        state=_programmes,
    ),
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_access_matrix(world: World, page: Page) -> None:
    assert check_page(world, page) == []
