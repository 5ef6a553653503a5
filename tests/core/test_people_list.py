"""The people list tells people with the same name apart: email, group, student number."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guildhouse.core.models import LearnerProfile, Membership, Role
from tests.conftest import World
from tests.factories import member_make, user_make


def grace(world: World, *, email: str, cohort: str, number: str) -> Membership:
    member = member_make(
        institution=world.institution,
        role=Role.LEARNER,
        user=user_make(email=email, full_name="Grace Doyle"),
        programme=world.programme,
    )
    LearnerProfile.objects.filter(membership=member).update(cohort=cohort, student_number=number)
    return member


def rows_named(body: str, name: str) -> list[str]:
    """The text of each table row whose name cell is ``name``, tags removed."""
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    texts = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
    return [text for text in texts if text.startswith(name + " ")]


def test_two_learners_with_the_same_name_are_told_apart(world: World) -> None:
    grace(world, email="grace.doyle@students.example", cohort="2024", number="RVC-00101")
    grace(world, email="grace.doyle2@students.example", cohort="2025", number="RVC-00207")
    client = world.client_for(world.staff)

    for response in (
        client.get(reverse("people_list"), {"role": "learner"}),
        client.get(reverse("people_list"), {"q": "grace"}, headers={"HX-Request": "true"}),
    ):
        assert response.status_code == 200
        assert rows_named(response.content.decode(), "Grace Doyle") == [
            "Grace Doyle grace.doyle@students.example Learner Electrical installation "
            "Group 2024 · student no. RVC-00101",
            "Grace Doyle grace.doyle2@students.example Learner Electrical installation "
            "Group 2025 · student no. RVC-00207",
        ]


def test_showing_more_per_person_adds_no_query_per_row(world: World) -> None:
    client = world.client_for(world.staff)
    url = reverse("people_list")
    client.get(url)  # sessions, caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        grace(world, email=f"grace{n}@students.example", cohort="2025", number=f"N{n}")
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert len(rows_named(body, "Grace Doyle")) == 10
    assert len(many.captured_queries) == len(few.captured_queries)
