"""The monitoring demo: pairs at risk for each reason, flags, contacts, KPIs with evidence."""

from __future__ import annotations

from django.conf import LazySettings
from django.test import Client
from django.urls import reverse

from guildhouse.core.models import Membership
from guildhouse.mentoring.models import (
    EvidenceNote,
    Flag,
    MentoringProgramme,
    MonitoringAction,
    RiskAlert,
)
from tests.conftest import sign_in
from tests.mentoring.test_demo import loaded

__all__ = ["loaded"]


def test_monitoring_demo(loaded: None, settings: LazySettings) -> None:
    running = MentoringProgramme.objects.get(name="Peer mentoring 2025-26")
    closed = MentoringProgramme.objects.get(name="Peer mentoring 2024-25")
    rules = set(
        RiskAlert.objects.filter(relationship__programme=running, closed_at=None).values_list(
            "rule", flat=True
        )
    )
    assert {"missed_twice", "low_quality", "no_meeting", "flag"} <= rules
    assert sorted(Flag.objects.values_list("topic", "urgent")) == [
        ("scheduling", False),
        ("wellbeing", True),
    ]
    assert MonitoringAction.objects.filter(kind="contact_both").count() > 0
    assert EvidenceNote.objects.filter(programme=closed).count() == 2

    coordinator = Membership.objects.get(
        user__email="coordinator@riverside.demo", institution=running.institution
    )
    settings.DEMO_ALLOW_STAFF_WITHOUT_MFA = True  # demo staff have no authenticator
    client = sign_in(Client(), coordinator.user)
    board = client.get(reverse("mentoring:monitoring_board")).content.decode()
    assert "Urgent flag: Wellbeing or mental health." in board
    assert "The last two meetings were missed." in board
    kpis = client.get(reverse("mentoring:programme_kpis", args=[closed.pk])).content.decode()
    assert '<tr id="kpi-retention"><th scope="row">Pairs reaching the planned end</th>' in kpis
    assert "End-of-year focus group with mentees" in kpis
