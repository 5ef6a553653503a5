"""The mentoring demo: a programme in every state at Riverside, loaded once."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from guildhouse.core import demo as core_demo
from guildhouse.core.models import Membership
from guildhouse.mentoring import demo
from guildhouse.mentoring.models import (
    Application,
    MatchingRun,
    MentoringProgramme,
    Relationship,
)

TODAY = datetime.date(2026, 10, 5)


@pytest.fixture
def loaded(db: None) -> None:
    core_only = [d for d in core_demo.app_demos() if d.label == "core"]
    core_demo.run_demos(today=TODAY, demos=core_only)
    demo.load_demo(today=TODAY)


def test_a_programme_in_every_state_loaded_once(loaded: None) -> None:
    states = dict(MentoringProgramme.objects.values_list("name", "state"))
    assert states == {
        "First-year buddies": "recruiting",
        "Work placement mentoring": "matching",
        "Peer mentoring 2025-26": "running",
        "Peer mentoring 2024-25": "closed",
    }
    matching = MentoringProgramme.objects.get(name="Work placement mentoring")
    run = MatchingRun.objects.get(programme=matching)
    assert (run.status, run.mode, run.published_at) == ("done", "fair", None)
    assert run.matched == run.mentees == 12
    assert Application.objects.filter(programme=matching, side="mentor").count() == 6
    assert Application.objects.filter(programme=matching, mentor_kind="industry").count() == 1
    running = MentoringProgramme.objects.get(name="Peer mentoring 2025-26")
    statuses = sorted(
        Relationship.objects.filter(programme=running).values_list("status", flat=True)
    )
    assert statuses.count("closed") == 2  # one declined, one ended early (demo_lifecycle)
    assert set(statuses) == {"active", "closed"}
    closed = MentoringProgramme.objects.get(name="Peer mentoring 2024-25")
    assert set(
        Relationship.objects.filter(programme=closed).values_list("close_reason", flat=True)
    ) == {"completed"}

    # The demo learner sees her active match and why.
    aino = Membership.objects.get(user__email=demo.DEMO_LEARNER)
    pair = Relationship.objects.get(mentee__membership=aino, status="active")
    client = Client()
    client.force_login(aino.user)

    home = client.get(reverse("mentoring:home")).content.decode()
    page = client.get(reverse("mentoring:relationship_detail", args=[pair.pk])).content.decode()

    assert "<h3>First-year buddies</h3>" in home
    assert f"Mentor: {pair.mentor.membership.user.full_name}" in home
    assert '<dd id="relationship-status">Active</dd>' in page
    assert "You are both free on" in page or "You both want to talk about" in page

    # Loading twice changes nothing.
    before = (MentoringProgramme.objects.count(), Application.objects.count())
    demo.load_demo(today=TODAY)
    assert (MentoringProgramme.objects.count(), Application.objects.count()) == before
