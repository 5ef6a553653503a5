"""The batch release: items reach staff only in batches, by the institution's rule."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guildhouse.core.models import AuditEvent
from guildhouse.voice import selectors, services
from guildhouse.voice.models import Batch, Item, ReleaseRule
from guildhouse.voice.tasks import voice_release_batches
from tests.conftest import World
from tests.voice.make import category, more_learners

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")


def at(hour: int, day: int = 2) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, 0, tzinfo=HELSINKI)


def _write(world: World, n: int, first: int = 0) -> None:
    for i in range(first, first + n):
        services.item_submit(membership=world.learner, text=f"item {i}", category=category(world))


def test_new_items_wait_for_the_daily_release(world: World) -> None:
    _write(world, 2)
    page = world.client_for(world.staff).get(reverse("voice:inbox")).content.decode()
    assert "item 0" not in page
    assert services.batch_release(institution=world.institution, now=at(5)) is None
    batch = services.batch_release(institution=world.institution, now=at(6))
    assert batch is not None
    assert batch.size == 2
    assert Item.objects.filter(batch=batch).count() == 2
    _write(world, 1, first=2)
    assert services.batch_release(institution=world.institution, now=at(14)) is None  # same day
    assert services.batch_release(institution=world.institution, now=at(6, day=3)) is not None
    page = world.client_for(world.staff).get(reverse("voice:inbox")).content.decode()
    assert ("item 0" in page, "item 2" in page) == (True, True)
    event = AuditEvent.objects.filter(action="voice_release").order_by("created_at").first()
    assert event is not None
    assert (event.actor, event.changes) == (None, {"items": 2, "messages": 0})


def test_the_k_rule_waits_for_k_items_or_the_longest_wait(world: World) -> None:
    settings = selectors.voice_settings(institution=world.institution)
    settings.release_rule = ReleaseRule.WHEN_K_WAITING
    settings.save()
    _write(world, 4)
    assert services.batch_release(institution=world.institution, now=at(10)) is None
    _write(world, 1)
    assert services.batch_release(institution=world.institution, now=at(10)).size == 5  # type: ignore[union-attr]
    _write(world, 1)
    # Written in the week of Monday 30 November: released by 7 December at the latest.
    Item.objects.filter(batch__isnull=True).update(week=datetime.date(2026, 11, 30))
    assert services.batch_release(institution=world.institution, now=at(10, day=2)) is None
    assert services.batch_release(institution=world.institution, now=at(10, day=6)) is None
    assert services.batch_release(institution=world.institution, now=at(10, day=7)).size == 1  # type: ignore[union-attr]


def test_the_hourly_job_releases_every_institution_due(world: World) -> None:
    _write(world, 3)
    voice_release_batches.call(period_start=at(7))
    assert Batch.objects.get().size == 3
    assert Item.objects.waiting().count() == 0


def test_the_authors_added_information_waits_for_a_batch_too(world: World) -> None:
    submitted = services.item_submit(
        membership=world.learner, text="first", category=category(world)
    )
    services.batch_release(institution=world.institution, force=True)
    message = services.receipt_add(code=submitted.receipt_code, text="more")
    assert list(selectors.thread(item=submitted.item, for_author=False)) == []
    assert list(selectors.thread(item=submitted.item, for_author=True)) == [message]
    services.batch_release(institution=world.institution, force=True)
    assert [m.text for m in selectors.thread(item=submitted.item, for_author=False)] == ["more"]


@pytest.mark.parametrize("n", [3, 30])
def test_the_inbox_runs_a_fixed_number_of_queries(world: World, n: int) -> None:
    more_learners(world, 4)
    _write(world, n)
    services.batch_release(institution=world.institution, force=True)
    client = world.client_for(world.coordinator)
    client.get(reverse("voice:inbox"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("voice:inbox"))
    assert response.content.decode().count("item ") >= n
    assert len(queries) <= 12


@pytest.mark.parametrize("n", [2, 20])
def test_the_learner_list_and_moderation_run_a_fixed_number_of_queries(
    world: World, n: int
) -> None:
    _write(world, n)
    services.batch_release(institution=world.institution, force=True)
    Item.objects.filter(text__in=["item 0", "item 1"]).update(
        hidden=True, pending_review=True, hidden_reason="Reported"
    )
    learner = world.client_for(world.learner)
    coordinator = world.client_for(world.coordinator)
    for client, name in ((learner, "voice:item_list"), (coordinator, "voice:moderation_list")):
        client.get(reverse(name))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name))
        assert response.status_code == 200
        assert len(queries) <= 12, (name, [q["sql"] for q in queries.captured_queries])
    html = learner.get(reverse("voice:item_list")).content.decode()
    assert html.count('<li class="card">') == n - 2
