"""Acceptance (issue 9): every partnership list page, the partner page and the
coordinator's home run a bounded number of queries, the same at two data sizes.

The data comes from the regional generator (``guildhouse.partners.region``), first a
small load, then one about ten times larger; each page is read at both sizes and its
queries counted. Extra learners make the second load's placements grow too.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guildhouse.core.models import Membership, Role
from guildhouse.partners.models import Contact, FollowUp, Interaction, Organisation, Placement
from guildhouse.partners.region import load_partners
from tests.conftest import World
from tests.factories import member_make

# No page may run more queries than this, whatever the data.
MAX_QUERIES = 30


@dataclass(frozen=True)
class Page:
    name: str
    viewer: str  # a role of the world
    path: str


def _pages(world: World) -> list[Page]:
    busiest = (
        Organisation.objects.filter(institution=world.institution)
        .annotate(n=Count("interactions"))
        .order_by("-n", "pk")
        .first()
    )
    assert busiest is not None
    r = reverse
    return [
        Page("organisations", "coordinator", r("partners:organisation_list")),
        Page("organisations search", "coordinator", r("partners:organisation_list") + "?q=a"),
        Page("organisations mine", "staff", r("partners:organisation_list") + "?mine=on"),
        Page("partner page", "coordinator", r("partners:organisation_detail", args=[busiest.pk])),
        Page("pipeline board", "coordinator", r("partners:pipeline_board")),
        Page("stale list", "coordinator", r("partners:stale_list")),
        Page("check-ins overdue", "coordinator", r("partners:check_in_list")),
        Page("health", "coordinator", r("partners:health_list")),
        Page("health strongest", "coordinator", r("partners:health_list") + "?sort=-health"),
        Page("my follow-ups", "coordinator", r("partners:follow_up_list")),
        Page("all follow-ups", "coordinator", r("partners:follow_up_list") + "?who=everyone"),
        Page("promises", "coordinator", r("partners:commitment_list")),
        Page("opportunities", "coordinator", r("partners:opportunity_list")),
        Page("opportunities (partner)", "partner", r("partners:opportunity_list")),
        Page("placements", "coordinator", r("partners:placement_list")),
        Page("placements (learner)", "learner", r("partners:placement_list")),
        Page("placements (partner)", "partner", r("partners:placement_list")),
        Page("agreements", "coordinator", r("partners:agreement_list")),
        Page("agreements (partner)", "partner", r("partners:agreement_list")),
        Page("coordinator home", "coordinator", "/"),
        # The pages of the goals, public/feedback and campaigns work (merged branches).
        Page("goals", "coordinator", r("partners:goal_list")),
        Page("programme coverage", "coordinator", r("partners:coverage")),
        Page("my CPD", "staff", r("partners:cpd_mine")),
        Page("CPD summary", "coordinator", r("partners:cpd_summary")),
        Page("events", "coordinator", r("partners:event_list")),
        Page("success stories", "coordinator", r("partners:story_list")),
        Page("enquiries", "coordinator", r("partners:enquiry_list")),
        Page("feedback", "coordinator", r("partners:feedback_overview")),
        Page("placement requests", "coordinator", r("partners:request_list")),
        Page("placement requests (partner)", "partner", r("partners:request_list")),
        Page("campaigns", "coordinator", r("partners:campaign_list")),
        Page("staff home", "staff", "/"),
        Page("partner home", "partner", "/"),
    ]


def _count(client: Client, page: Page) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.path)
    assert response.status_code == 200, page
    return len(captured)


def _counts(world: World) -> dict[str, int]:
    clients = {
        role: world.client_for(getattr(world, role))
        for role in ("coordinator", "staff", "partner", "learner")
    }
    pages = _pages(world)
    for page in pages:  # warm caches (sessions, site settings) outside the count
        clients[page.viewer].get(page.path)
    return {page.name: _count(clients[page.viewer], page) for page in pages}


@pytest.mark.django_db
def test_partnership_pages_run_the_same_queries_at_two_data_sizes(world: World) -> None:
    rng = random.Random(5)
    for _ in range(5):
        member_make(institution=world.institution, role=Role.LEARNER, programme=world.programme)
    load_partners(world.institution, organisations=12, interactions=300, placements=6, rng=rng)
    # The coordinator owns a follow-up at both sizes (an empty page skips its query).
    FollowUp.objects.create(
        organisation=Organisation.objects.filter(institution=world.institution).earliest("pk"),
        description="Call back",
        owner=world.coordinator,
        due_on=datetime.date(2026, 1, 5),
    )
    # The generator makes the school's partner accounts contacts of active partners.
    assert Contact.objects.get(membership=world.partner).affiliations.count() >= 1
    small_sizes = (
        Organisation.objects.filter(institution=world.institution).count(),
        Interaction.objects.filter(organisation__institution=world.institution).count(),
        Placement.objects.filter(learner__institution=world.institution).count(),
    )
    small = _counts(world)

    for _ in range(40):
        member_make(institution=world.institution, role=Role.LEARNER, programme=world.programme)
    load_partners(world.institution, organisations=120, interactions=4000, placements=60, rng=rng)
    large_sizes = (
        Organisation.objects.filter(institution=world.institution).count(),
        Interaction.objects.filter(organisation__institution=world.institution).count(),
        Placement.objects.filter(learner__institution=world.institution).count(),
    )
    large = _counts(world)

    assert (small_sizes[0], large_sizes[0]) == (12, 132)
    assert large_sizes[1] > 10 * small_sizes[1] // 2
    assert large_sizes[2] > 2 * small_sizes[2]
    assert Membership.objects.filter(institution=world.institution, role="learner").count() == 46
    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large
