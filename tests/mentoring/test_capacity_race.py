"""Capacity under concurrency: 50 publishers racing for one mentor with 3 seats get exactly 3.

Runs on PostgreSQL only: SQLite has no row locks (``select_for_update`` does nothing
there) and serialises every writer on the database file, so there is no race to test.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from guildhouse.core.models import Role
from guildhouse.mentoring import services_matching
from guildhouse.mentoring.models import Application, Relationship
from tests.factories import institution_make, member_make
from tests.mentoring.factories import application_make, mentoring_programme_make

THREADS = 50
CAPACITY = 3
RUNS = 20

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no row locks and serialises writers: the race needs PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_fifty_publishers_fill_exactly_the_capacity_twenty_times_in_a_row() -> None:
    institution = institution_make()
    coordinator = member_make(institution=institution, role=Role.COORDINATOR)
    programme = mentoring_programme_make(institution=institution, state="matching")
    mentor = application_make(
        programme=programme,
        membership=member_make(institution=institution, role=Role.LEARNER),
        side="mentor",
        capacity=CAPACITY,
    )
    mentees = [
        application_make(
            programme=programme, membership=member_make(institution=institution, role=Role.LEARNER)
        )
        for _ in range(THREADS)
    ]
    mentor = Application.objects.select_related("programme__institution").get(pk=mentor.pk)

    for attempt in range(RUNS):
        Relationship.objects.all().delete()
        Application.objects.filter(pk=mentor.pk).update(seats_taken=0)
        barrier = threading.Barrier(THREADS)

        def publish(mentee: Application, barrier: threading.Barrier = barrier) -> bool:
            try:
                barrier.wait()
                services_matching.match_publish(
                    actor=coordinator.user, mentor=mentor, mentee=mentee
                )
                return True
            except ValidationError:
                return False
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            published = sum(pool.map(publish, mentees))

        assert published == CAPACITY, f"run {attempt + 1}"
        assert Relationship.objects.filter(mentor=mentor, status="proposed").count() == CAPACITY
        assert Application.objects.get(pk=mentor.pk).seats_taken == CAPACITY
