"""The core pages stay cheap as a school grows (issue 6, items 20-23).

Each page runs the same number of queries with a few members and with many, the people
list and audit log page by an order that an index serves, and search is scoped to the
institution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guildhouse.core import selectors
from guildhouse.core.models import AuditEvent, Institution, Membership, Role, User
from tests.conftest import World
from tests.factories import member_make, programme_make, user_make


def learners(world: World, names: list[str]) -> list[Membership]:
    return [
        member_make(
            institution=world.institution,
            role=Role.LEARNER,
            user=user_make(full_name=name),
            programme=world.programme,
        )
        for name in names
    ]


def audit_events(institution: Institution, n: int) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(
            institution=institution,
            actor_label="bulk@example.org",
            action="update",
            object_type="core.programme",
            object_label=f"Event {i}",
            changes={"name": f"Name {i}"},
        )
        for i in range(n)
    )


def row_names(html: str) -> list[str]:
    """The names in the people table, in page order."""
    return re.findall(r'<th scope="row"><a href="/people/\d+/">([^<]+)</a>', html)


def get(client: Client, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response.content.decode()


# Page, who asks, and its exact query count. Five come first on every full page (session,
# user, memberships, the staff MFA check, the bell's unread count); the home adds its
# counts (one query) and its programmes; a list adds its count and one page of rows; a
# programme page also the programme itself. Apps' home panels add theirs on the admin
# and coordinator homes: partnerships five (goals, CPD hours and coming events one
# each, the check-ins card two: the cadences in use, the open campaigns), learner
# voice's overdue items one (the categories' targets; the items only when there are
# categories) and, for coordinators, mentoring's monitoring counts.
PAGES = [
    ("/", Role.ADMIN, 13),
    ("/", Role.COORDINATOR, 14),
    ("/people/", Role.ADMIN, 7),
    ("/people/?page=2", Role.ADMIN, 7),
    ("/people/?q=learner", Role.ADMIN, 7),
    ("/people/?q=le", Role.ADMIN, 7),
    ("/people/?role=learner&page=2", Role.COORDINATOR, 7),
    ("/programmes/", Role.ADMIN, 6),
    ("/programmes/{programme}/?page=2", Role.ADMIN, 8),
    ("/audit/", Role.ADMIN, 7),
    ("/audit/?page=2", Role.ADMIN, 7),
]


@dataclass
class Counted:
    queries: int
    html: str


def count(world: World, path: str, role: str, *, htmx: bool = False) -> Counted:
    client = world.client_for(world.member(role))
    url = path.format(programme=world.programme.pk)
    headers = {"HX-Request": "true"} if htmx else {}
    with CaptureQueriesContext(connection) as captured:
        html = get(client, url, **headers)
    return Counted(len(captured), html)


@pytest.mark.parametrize(("path", "role", "queries"), PAGES)
def test_a_page_runs_the_same_queries_with_few_and_many_people(
    world: World, path: str, role: str, queries: int
) -> None:
    learners(world, [f"Learner {i:03}" for i in range(60)])
    audit_events(world.institution, 60)
    small = count(world, path, role)
    learners(world, [f"Learner {i:03}" for i in range(60, 200)])
    programme_make(institution=world.institution, name="Welding", code="WE")
    audit_events(world.institution, 200)
    large = count(world, path, role)
    assert (small.queries, large.queries) == (queries, queries)


def test_people_search_htmx_runs_the_same_queries_with_few_and_many_people(
    world: World,
) -> None:
    learners(world, [f"Learner {i:03}" for i in range(5)])
    small = count(world, "/people/?q=learner", Role.ADMIN, htmx=True)
    learners(world, [f"Learner {i:03}" for i in range(5, 120)])
    large = count(world, "/people/?q=learner", Role.ADMIN, htmx=True)
    assert (small.queries, large.queries) == (6, 6)
    assert "<html" not in large.html
    assert "121 people" in large.html  # 120 made here and the world's learner


def test_people_pages_follow_the_name_order_to_the_last_page(world: World) -> None:
    made = learners(world, [f"Learner {i:03}" for i in range(120)])
    twins = learners(world, ["Grace Doyle", "Grace Doyle"])
    everyone = sorted(
        Membership.objects.filter(institution=world.institution, is_active=True),
        key=lambda m: (m.user.full_name, m.pk),
    )
    expected = [m.user.full_name for m in everyone]
    assert len(expected) == len(made) + len(twins) + len(Role.values) == 129
    client = world.client_for(world.admin)
    shown = []
    for number in (1, 2, 3):
        html = get(client, f"/people/?page={number}")
        assert f"Page {number} of 3" in html
        shown += row_names(html)
    assert shown == expected
    # Two people of the same name keep one order (by when they joined) on every visit.
    html = get(client, "/people/?q=grace")
    assert re.findall(r'<a href="/people/(\d+)/">Grace Doyle', html) == [str(m.pk) for m in twins]
    last = get(client, "/people/?page=3")
    assert 'rel="prev"' in last
    assert 'rel="next"' not in last


def test_role_filter_pages_only_that_role_in_name_order(world: World) -> None:
    learners(world, [f"Learner {i:03}" for i in range(55)])
    html = get(world.client_for(world.admin), "/people/?role=learner&page=2")
    assert row_names(html) == [f"Learner {i:03}" for i in range(50, 55)] + [
        world.learner.user.full_name
    ]


@pytest.mark.parametrize("query", ["zq", "zqx-unique"])
def test_search_finds_a_person_by_email_only_in_this_institution(world: World, query: str) -> None:
    # Short searches (fewer than 3 characters) and longer ones take different paths.
    mine = learners(world, ["Ada Lovelace"])[0]
    User.objects.filter(pk=mine.user.pk).update(email="zqx-unique@example.org")
    theirs = member_make(
        institution=world.other_institution,
        role=Role.LEARNER,
        user=user_make(email="zqx-unique@other.example.org", full_name="Zqx Unique"),
    )
    html = get(world.client_for(world.admin), f"/people/?q={query}")
    assert row_names(html) == ["Ada Lovelace"]
    assert f"/people/{theirs.pk}/" not in html


@pytest.mark.parametrize("query", ["lov", "LOVELACE", "ov"])
def test_search_finds_a_name_in_any_case_and_not_other_schools(world: World, query: str) -> None:
    learners(world, ["Ada Lovelace", "Grace Hopper"])
    member_make(
        institution=world.other_institution,
        role=Role.LEARNER,
        user=user_make(full_name="Ada Lovelace the Second"),
    )
    html = get(world.client_for(world.admin), f"/people/?q={query}")
    assert row_names(html) == ["Ada Lovelace"]


def test_sort_name_follows_the_users_name(world: World) -> None:
    user = world.learner.user
    user.full_name = "Zara Renamed"
    user.save()
    assert Membership.objects.get(pk=world.learner.pk).sort_name == "Zara Renamed"
    # Saving other fields (a sign-in records last_login) costs no membership update.
    with CaptureQueriesContext(connection) as captured:
        user.save(update_fields=["last_login"])
    assert len(captured) == 1


def test_institution_counts_come_in_one_query(world: World) -> None:
    learners(world, ["A One", "B Two"])
    gone = learners(world, ["C Gone"])[0]
    Membership.objects.filter(pk=gone.pk).update(is_active=False)
    with CaptureQueriesContext(connection) as captured:
        counts = selectors.institution_counts(institution=world.institution)
    assert len(captured) == 1
    assert "JOIN" not in captured[0]["sql"].upper()
    # The world has one learner and one of each of the four staff roles.
    assert counts == selectors.InstitutionCounts(
        learners=3, staff=4, programmes=1, open_invitations=0
    )


def test_programme_learner_count_leaves_out_inactive_learners(world: World) -> None:
    learners(world, ["A One", "B Two"])
    gone = learners(world, ["C Gone"])[0]
    Membership.objects.filter(pk=gone.pk).update(is_active=False)
    programme = selectors.programme_list(institution=world.institution).get()
    assert programme.learner_count == 3  # type: ignore[attr-defined]
    assert "DISTINCT" not in str(selectors.programme_list(institution=world.institution).query)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_postgresql_has_the_trigram_indexes(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            # Core's own; other apps add theirs (partners: organisation names).
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE indexname LIKE %s AND tablename LIKE %s ORDER BY 1",
            ["%trgm", "core%"],
        )
        indexes = dict(cursor.fetchall())
    assert sorted(indexes) == ["membership_sort_name_trgm", "user_email_trgm"]
    assert "gin_trgm_ops" in indexes["user_email_trgm"]
