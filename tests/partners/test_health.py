"""Relationship health: a score out of 100 that explains itself factor by factor."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guildhouse.partners import selectors
from guildhouse.partners.models import (
    Commitment,
    Contact,
    EvaluationBy,
    Interaction,
    Opportunity,
    OpportunityPeriod,
    Organisation,
    PartnerEvent,
    Placement,
    PlacementEvaluation,
    SatisfactionResponse,
)
from tests.partners.conftest import PartnerWorld
from tests.partners.make import organisation_make


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _healthy(pw: PartnerWorld) -> None:
    """Coastal Motors: contacted 10 days ago, 4 interactions this year, 1 of 2 promises
    on time, one confirmed placement this year."""
    w, org = pw.world, pw.organisation
    for days in (10, 50, 100, 200):
        Interaction.objects.create(
            organisation=org, kind="call", occurred_on=_ago(days), summary="x"
        )
    Interaction.objects.create(organisation=org, kind="call", occurred_on=_ago(400), summary="x")
    Organisation.objects.filter(pk=org.pk).update(last_contact_on=_ago(10))
    common = {"organisation": org, "side": "partner", "owner": w.staff}
    Commitment.objects.create(
        **common, description="a", due_on=_ago(30), status="delivered", delivered_on=_ago(31)
    )
    Commitment.objects.create(
        **common, description="b", due_on=_ago(30), status="delivered", delivered_on=_ago(20)
    )
    Commitment.objects.create(**common, description="c", due_on=_ago(-30))  # not yet due
    opportunity = Opportunity.objects.create(
        organisation=org, kind="placement", title="Workshop", starts_on=_ago(90)
    )
    period = OpportunityPeriod.objects.create(
        opportunity=opportunity, starts_on=_ago(90), ends_on=_ago(10), capacity=2, confirmed=1
    )
    Placement.objects.create(
        period=period,
        learner=w.learner,
        starts_on=_ago(90),
        ends_on=_ago(10),
        hours=200,
        status="confirmed",
    )


def test_the_score_adds_up_its_factors_with_reasons(pw: PartnerWorld) -> None:
    _healthy(pw)
    health = selectors.partner_health(organisation=pw.organisation)
    assert health.score == 35 + 12 + 10 + 15
    assert [(f.name, f.points, f.out_of, f.reason) for f in health.factors] == [
        ("Contact", 35, 35, "Last contact 10 days ago; check in every 60 days."),
        ("Promises kept", 12, 25, "Delivered on time: 1 of 2."),
        ("Feedback", 10, 20, "No feedback in the last 12 months, so this counts half."),
        (
            "Activity",
            15,
            20,
            "In the last 12 months: 4 interactions, 1 placements hosted. "
            "No event attended and no check-in campaign answered.",
        ),
    ]


def test_feedback_and_events_count_towards_health(pw: PartnerWorld) -> None:
    """A survey answer of 8/10 and a learner's 5/5 make 90 % of 20 points; coming to
    an event earns the last 5 points of activity. Feedback older than a year is left out."""
    _healthy(pw)
    w, org = pw.world, pw.organisation
    contact = Contact.objects.create(institution=w.institution, full_name="Tuan Pham")
    now = timezone.now()
    SatisfactionResponse.objects.create(
        organisation=org, contact=contact, year=now.year, score=8, answered_at=now
    )
    SatisfactionResponse.objects.create(
        organisation=org,
        contact=contact,
        year=now.year - 2,
        score=0,
        answered_at=now - datetime.timedelta(days=700),
    )
    PlacementEvaluation.objects.create(
        placement=Placement.objects.get(learner=w.learner),
        by=EvaluationBy.LEARNER,
        rating=5,
        again=True,
    )
    event = PartnerEvent.objects.create(
        institution=w.institution,
        kind="showcase",
        title="Spring showcase",
        starts_at=now - datetime.timedelta(days=20),
        ends_at=now - datetime.timedelta(days=20) + datetime.timedelta(hours=2),
    )
    event.organisations.add(org)
    health = selectors.partner_health(organisation=org)
    assert [(f.name, f.points, f.reason) for f in health.factors][2:] == [
        (
            "Feedback",
            18,
            "2 answers in the last 12 months (partner survey and learners' evaluations), "
            "on average 90% of the best mark.",
        ),
        (
            "Activity",
            20,
            "In the last 12 months: 4 interactions, 1 placements hosted. "
            "Came to one of our events or answered a check-in campaign.",
        ),
    ]
    assert health.score == 35 + 12 + 18 + 20
    ranked = selectors.health_ranked(institution=w.institution, sort="-health")
    assert (ranked[0].name, ranked[0].health) == ("Coastal Motors Ltd", 85)


def test_a_quiet_partner_scores_low_and_says_why(pw: PartnerWorld) -> None:
    Organisation.objects.filter(pk=pw.other_organisation.pk).update(
        last_contact_on=_ago(100), check_in_every_days=30
    )
    quiet = Organisation.objects.get(pk=pw.other_organisation.pk)
    health = selectors.partner_health(organisation=quiet)
    assert health.score == 0 + 12 + 10 + 0
    assert [(f.points, f.reason) for f in health.factors] == [
        (0, "Last contact 100 days ago; check in every 30 days."),
        (12, "No promise has fallen due yet, so this counts half."),
        (10, "No feedback in the last 12 months, so this counts half."),
        (
            0,
            "In the last 12 months: 0 interactions, 0 placements hosted. "
            "No event attended and no check-in campaign answered.",
        ),
    ]
    Organisation.objects.filter(pk=pw.other_organisation.pk).update(last_contact_on=_ago(50))
    assert selectors.partner_health(organisation=quiet).score == 17 + 12 + 10


def test_the_partner_page_shows_the_score_and_its_reasons(pw: PartnerWorld) -> None:
    _healthy(pw)
    w = pw.world
    url = reverse("partners:organisation_detail", args=[pw.organisation.pk])
    page = w.client_for(w.staff).get(url).content.decode()
    assert '<p class="health-score">Health: 72 of 100</p>' in page
    assert "<strong>Promises kept: 12 of 25</strong> — Delivered on time: 1 of 2." in page


def test_the_health_list_sorts_both_ways_in_constant_queries(pw: PartnerWorld) -> None:
    w = pw.world
    _healthy(pw)
    client = w.client_for(w.coordinator)
    url = reverse("partners:health_list")
    with CaptureQueriesContext(connection) as small:
        page = client.get(url).content.decode()
    assert page.index("Harbour Hotel") < page.index("Coastal Motors Ltd")
    assert "Ridge Build" not in page
    for i in range(8):
        org = organisation_make(institution=w.institution, actor=w.coordinator, name=f"Firm {i}")
        Organisation.objects.filter(pk=org.pk).update(
            last_contact_on=_ago(5 * i), check_in_every_days=10 + i
        )
        Interaction.objects.create(organisation=org, kind="visit", occurred_on=_ago(1), summary="x")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
    strongest = client.get(url, {"sort": "-health"}).content.decode()
    assert strongest.index("Coastal Motors Ltd") < strongest.index("Firm 0")
    assert strongest.index("Firm 0") < strongest.index("Harbour Hotel")
    assert "<td>72</td>" in strongest
    rows = selectors.health_list(institution=w.institution, sort="-health")
    assert [(o.name, h.score) for o, h in rows][:3] == [
        ("Coastal Motors Ltd", 72),
        ("Firm 0", 62),
        ("Firm 1", 62),
    ]
    assert client.get(url, {"sort": "nonsense"}).status_code == 200
