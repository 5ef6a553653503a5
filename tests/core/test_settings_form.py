"""Institution settings: the smallest reported group is checked with clear words, and a
saved change leaves exactly one audit row."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from guildhouse.core.models import AuditEvent, Institution
from tests.conftest import World

SETTINGS = {"name": "Riverside Vocational College", "short_name": "Riverside"}
WORDS = {
    "en": {
        "small": "Enter 3 or more: a smaller group could reveal who someone is.",
        "large": "Enter 50 or less: a larger number would hide almost every figure.",
        "range": "Enter a whole number from 3 to 50.",
    },
    "fi": {
        "small": "Anna vähintään 3: pienemmästä ryhmästä voisi tunnistaa ihmisen.",
        "large": "Anna enintään 50: suurempi luku piilottaisi lähes kaikki luvut.",
        "range": "Anna kokonaisluku väliltä 3\u201350.",
    },
}


def admin_client(world: World, language: str) -> Client:
    client = world.client_for(world.admin)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client


def snapshot(world: World) -> tuple[object, ...]:
    institution = Institution.objects.get(pk=world.institution.pk)
    return (institution.min_group_size, institution.name, AuditEvent.objects.count())


@pytest.mark.parametrize("language", ["en", "fi"])
@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("1", "small"),
        ("2", "small"),
        ("-5", "small"),
        ("0", "small"),
        ("51", "large"),
        ("99999", "large"),
        ("abc", "range"),
        ("", "range"),
        ("4.5", "range"),
    ],
)
def test_a_bad_smallest_group_gets_a_clear_error_and_changes_nothing(
    world: World, language: str, value: str, error: str
) -> None:
    client = admin_client(world, language)
    before = snapshot(world)

    response = client.post(
        reverse("institution_settings"), SETTINGS | {"min_group_size": value, "name": "New name"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert WORDS[language][error] in body
    assert "onstraint" not in body
    assert "\u2265" not in body  # "must be ≥ 0"
    assert "&ge;" not in body
    assert body.count('class="errorlist"') == 1
    assert snapshot(world) == before


@pytest.mark.parametrize("value", [3, 50])
def test_the_bounds_are_accepted_and_audited(world: World, value: int) -> None:
    client = world.client_for(world.admin)
    AuditEvent.objects.all().delete()

    response = client.post(
        reverse("institution_settings"), SETTINGS | {"min_group_size": str(value)}
    )

    assert (response.status_code, response["Location"]) == (302, reverse("institution_settings"))
    assert Institution.objects.get(pk=world.institution.pk).min_group_size == value
    # institution_update writes one row: who, which institution, exactly what changed.
    event = AuditEvent.objects.get()
    assert (
        event.institution_id,
        event.actor_id,
        event.actor_label,
        event.action,
        event.object_type,
        event.object_id,
        event.object_label,
        event.changes,
    ) == (
        world.institution.pk,
        world.admin.user.pk,
        world.admin.user.email,
        "update",
        "core.institution",
        str(world.institution.pk),
        "Riverside Vocational College",
        {"min_group_size": value},
    )


def test_the_form_explains_the_setting(world: World) -> None:
    body = world.client_for(world.admin).get(reverse("institution_settings")).content.decode()
    assert "Reports hide any figure about fewer people than this" in body
    assert 'min="3"' in body
    assert 'max="50"' in body
