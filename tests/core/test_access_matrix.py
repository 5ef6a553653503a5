"""Every core page against every role, the outsider and an anonymous visitor."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.access_matrix import ADMIN, EVERYONE, STAFF, Page, check_page
from tests.conftest import World

CORE_PAGES = [
    Page("home", lambda w: reverse("home"), EVERYONE, outsider_status=200),
    Page("profile", lambda w: reverse("profile"), EVERYONE, outsider_status=200),
    Page(
        "programme list",
        lambda w: reverse("programme_list"),
        STAFF,
        outsider_status=200,
        secret=lambda w: w.programme.name,
    ),
    Page(
        "programme detail",
        lambda w: reverse("programme_detail", args=[w.programme.pk]),
        STAFF,
        secret=lambda w: w.programme.name,
    ),
    Page(
        "programme edit",
        lambda w: reverse("programme_edit", args=[w.programme.pk]),
        ADMIN,
        secret=lambda w: w.programme.name,
    ),
    Page("programme create", lambda w: reverse("programme_create"), ADMIN, outsider_status=200),
    Page(
        "people list",
        lambda w: reverse("people_list"),
        STAFF,
        outsider_status=200,
        secret=lambda w: w.coordinator.user.email,
    ),
    Page(
        "person detail",
        lambda w: reverse("person_detail", args=[w.learner.pk]),
        STAFF | {"learner"},
        secret=lambda w: w.learner.user.email,
    ),
    Page("invitation list", lambda w: reverse("invitation_list"), ADMIN, outsider_status=200),
    Page("audit log", lambda w: reverse("audit_list"), ADMIN, outsider_status=200),
    # The institution's name is in every member's header; the settings form is what is guarded.
    Page(
        "institution settings",
        lambda w: reverse("institution_settings"),
        ADMIN,
        outsider_status=200,
        secret=lambda w: 'name="min_group_size"',
    ),
]


@pytest.mark.parametrize("page", CORE_PAGES, ids=lambda p: p.name)
def test_core_page_access(world: World, page: Page) -> None:
    assert check_page(world, page) == []
