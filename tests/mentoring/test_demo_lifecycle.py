"""The lifecycle demo: agreements, goals, surveys, closure and a rematch waiting."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from guildhouse.core.models import Membership
from guildhouse.mentoring import demo
from guildhouse.mentoring.models import (
    Agreement,
    Closure,
    Goal,
    MentoringProgramme,
    Relationship,
    SkillRating,
    SurveyResponse,
)
from tests.conftest import sign_in
from tests.mentoring.test_demo import loaded

__all__ = ["loaded"]


def test_lifecycle_demo(loaded: None) -> None:
    running = MentoringProgramme.objects.get(name="Peer mentoring 2025-26")
    closed = MentoringProgramme.objects.get(name="Peer mentoring 2024-25")
    active = Relationship.objects.filter(programme=running, status="active")
    assert Agreement.objects.filter(relationship__in=active).count() == active.count()
    assert all(a.accepted_by_both for a in Agreement.objects.filter(relationship__in=active))
    assert Goal.objects.filter(relationship__programme=running).count() == active.count() + 1
    early = Relationship.objects.get(programme=running, close_reason="poor_fit")
    assert SurveyResponse.objects.get(relationship=early, kind="exit").score == 3.0
    quality = SurveyResponse.objects.filter(programme=running, kind="quality")
    assert (
        min(s or 5.0 for s in quality.values_list("score", flat=True)) < 2.5
    )  # the struggling pair
    assert (
        SkillRating.objects.filter(programme=closed).count()
        == 3 * Relationship.objects.filter(programme=closed).count()
    )
    assert Closure.objects.filter(relationship__programme=closed).count() == (
        Relationship.objects.filter(programme=closed).count()
    )

    aino = Membership.objects.get(user__email=demo.DEMO_LEARNER)
    client = sign_in(Client(), aino.user)
    due = client.get(reverse("mentoring:my_surveys")).context["due"]
    assert [d.kind for d in due] == ["quality", "meeting", "meeting", "meeting"]
    pair = Relationship.objects.get(mentee__membership=aino, status="active")
    page = client.get(reverse("mentoring:relationship_detail", args=[pair.pk])).content.decode()
    assert "Find a work placement for the spring" in page
    assert "Surveys for you" in page
