"""Double clicks and simultaneous reports: the database keeps one support per learner
and hides an item exactly once when the N-th report arrives."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from guildhouse.core.models import Membership
from guildhouse.voice import services
from guildhouse.voice.models import Item, Report, Support
from tests.conftest import World
from tests.voice.make import more_learners, released_item

THREADS = 8


def _at_once(work: list[Callable[[], bool]]) -> list[bool]:
    barrier = threading.Barrier(len(work))
    outcomes: list[bool] = []
    lock = threading.Lock()

    def run(job: Callable[[], bool]) -> None:
        try:
            barrier.wait()
            result = job()
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_one_learner_clicking_me_too_eight_times_at_once_counts_once(world: World) -> None:
    item = released_item(world, "Too few sockets.")
    learner = more_learners(world, 1)[0]
    outcomes = _at_once([lambda: services.item_support(membership=learner, item=item)] * THREADS)
    item.refresh_from_db()
    assert (sorted(outcomes), item.support_count, Support.objects.count()) == (
        [False] * (THREADS - 1) + [True],
        1,
        1,
    )


@pytest.mark.django_db(transaction=True)
def test_eight_reports_at_once_hide_the_item_once(world: World) -> None:
    item = released_item(world, "Names a teacher.")
    reporters = more_learners(world, THREADS)

    def report(reporter: Membership) -> Callable[[], bool]:
        return lambda: services.item_report(membership=reporter, item=item, reason="personal")

    outcomes = _at_once([report(r) for r in reporters])
    item.refresh_from_db()
    assert outcomes == [True] * THREADS
    assert (item.report_count, item.hidden, item.pending_review, Report.objects.count()) == (
        THREADS,
        True,
        True,
        THREADS,
    )
    assert item.hidden_reason == "Hidden automatically after 3 reports."
    assert Item.objects.visible().count() == 0
