"""Opportunities, periods and placements: compliance blocks confirmation with its
reasons; capacity holds in the database and under concurrency."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from guildhouse.core.models import AuditEvent, Role, User
from guildhouse.partners import services
from guildhouse.partners.models import (
    Opportunity,
    OpportunityPeriod,
    Placement,
)
from tests.factories import member_make, programme_make
from tests.partners.conftest import PartnerWorld

START = datetime.date(2026, 4, 6)
END = datetime.date(2026, 5, 15)


def _opportunity(
    pw: PartnerWorld, *, requirements: tuple[str, ...] = ("insurance", "induction")
) -> Opportunity:
    return services.opportunity_create(
        actor=pw.world.coordinator.user,
        organisation=pw.organisation,
        kind="work_placement",
        title="Workshop assistant",
        starts_on=START,
        location="Harbour Road 4, Port Aldwin",
        requirements=requirements,
    )


def _period(opportunity: Opportunity, capacity: int, actor_pw: PartnerWorld) -> OpportunityPeriod:
    return services.period_add(
        actor=actor_pw.world.coordinator.user,
        opportunity=opportunity,
        starts_on=START,
        ends_on=END,
        capacity=capacity,
    )


def _propose(pw: PartnerWorld, period: OpportunityPeriod, learner: object = None) -> Placement:
    return services.placement_propose(
        actor=pw.world.staff.user,
        period=period,
        learner=learner or pw.world.learner,  # type: ignore[arg-type]
        starts_on=START,
        ends_on=END,
        hours=200,
        supervisor_name="Tuan Pham",
    )


def test_coordinator_offers_an_opportunity_with_places(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.coordinator)
    url = reverse("partners:opportunity_create", args=[pw.organisation.pk])
    data = {
        "kind": "work_placement",
        "title": "Workshop assistant",
        "starts_on": "2026-04-06",
        "location": "Harbour Road 4",
        "programmes": [str(w.programme.pk)],
        "requirements": ["insurance", "background_check"],
    }
    response = client.post(url, data)
    opportunity = Opportunity.objects.get()
    assert response["Location"] == reverse("partners:opportunity_detail", args=[opportunity.pk])
    assert opportunity.requirements == ["insurance", "background_check"]
    assert list(opportunity.programmes.all()) == [w.programme]
    period_url = reverse("partners:period_add", args=[opportunity.pk])
    bad = {"period-starts_on": "2026-05-01", "period-ends_on": "2026-04-01", "period-capacity": "3"}
    page = client.post(period_url, bad, follow=True).content.decode()
    assert "The end cannot be before the start." in page
    good = {
        "period-starts_on": "2026-04-06",
        "period-ends_on": "2026-05-15",
        "period-capacity": "3",
    }
    client.post(period_url, good)
    period = OpportunityPeriod.objects.get()
    assert (period.capacity, period.confirmed) == (3, 0)
    page = client.get(response["Location"]).content.decode()
    assert "Insurance certificate, Safeguarding or background check" in page
    assert "<td>3</td><td>0</td><td>3</td>" in page


def test_confirmation_is_blocked_until_every_document_covers_the_dates(pw: PartnerWorld) -> None:
    w = pw.world
    period = _period(_opportunity(pw), 2, pw)
    placement = _propose(pw, period)
    coordinator = w.client_for(w.coordinator)
    detail = reverse("partners:placement_detail", args=[placement.pk])
    page = coordinator.get(detail).content.decode()
    assert "This placement cannot be confirmed yet:" in page
    assert "<li>Insurance certificate: not on file.</li>" in page
    assert "<li>Health and safety induction: not on file.</li>" in page
    staff = w.client_for(w.staff)
    record = reverse("partners:compliance_record", args=[placement.pk])
    staff.post(
        record,
        {
            "kind": "insurance",
            "reference": "If P&C 1234",
            "valid_from": "2026-01-01",
            "valid_until": "2026-04-30",
        },
    )
    staff.post(
        record, {"kind": "induction", "reference": "Run by Tuan Pham", "valid_from": "2026-04-07"}
    )
    response = coordinator.post(
        reverse("partners:placement_confirm", args=[placement.pk]), follow=True
    )
    page = response.content.decode()
    assert (
        "Not confirmed: Insurance certificate: expires on 04/30/2026, before the placement ends on "
        "05/15/2026. Health and safety induction: valid only from 04/07/2026, after the start on "
        "04/06/2026."
    ) in page
    placement.refresh_from_db()
    period.refresh_from_db()
    assert (placement.status, period.confirmed) == ("proposed", 0)
    # Renewed insurance replaces the old record; the induction is moved to the first day.
    staff.post(
        record,
        {
            "kind": "insurance",
            "reference": "If P&C 5678",
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
        },
    )
    staff.post(
        record, {"kind": "induction", "reference": "Run by Tuan Pham", "valid_from": "2026-04-06"}
    )
    assert placement.compliance_items.count() == 2
    page = coordinator.get(detail).content.decode()
    assert "Every document needed is on file and valid for the whole placement." in page
    response = coordinator.post(
        reverse("partners:placement_confirm", args=[placement.pk]), follow=True
    )
    assert "Placement confirmed." in response.content.decode()
    placement.refresh_from_db()
    period.refresh_from_db()
    assert (placement.status, placement.confirmed_by, period.confirmed) == (
        "confirmed",
        w.coordinator.user,
        1,
    )
    assert (
        AuditEvent.objects.filter(action="partners_confirm", object_id=str(placement.pk)).count()
        == 1
    )


def test_staff_propose_but_only_coordinators_confirm(pw: PartnerWorld) -> None:
    w = pw.world
    opportunity = _opportunity(pw, requirements=())
    opportunity.programmes.set([w.programme])
    period = _period(opportunity, 2, pw)
    url = reverse("partners:placement_propose", args=[period.pk])
    staff = w.client_for(w.staff)
    form = staff.get(url).content.decode()
    suggest = reverse("partners:lookup", args=["member"])
    assert f'hx-get="{suggest}?field=learner&amp;period={period.pk}"' in form
    # The suggestions are the learners of the opportunity's programmes: not staff, not
    # another programme's learners.
    care = programme_make(institution=w.institution, name="Care", code="CARE")
    other = member_make(institution=w.institution, role=Role.LEARNER, programme=care)
    learner = w.learner.user
    offered = staff.get(
        suggest, {"field": "learner", "learner": "Learner", "period": str(period.pk)}
    )
    assert offered.content.decode() == (
        f'<option value="{learner.full_name} · Learner · {learner.email}"></option>'
    )
    assert staff.get(suggest, {"period": "x"}).status_code == 404
    refused = staff.post(
        url,
        {
            "learner": other.user.full_name,
            "starts_on": "2026-04-06",
            "ends_on": "2026-05-01",
            "hours": "80",
        },
    )
    assert (
        f"No learner who may take this opportunity is called “{other.user.full_name}”."
        " It takes learners of its programmes only."
    ) in refused.content.decode()
    response = staff.post(
        url,
        {
            "learner": learner.full_name,
            "starts_on": "2026-04-01",
            "ends_on": "2026-05-01",
            "hours": "80",
        },
    )
    assert (
        "The placement must fall within the period, 04/06/2026 to 05/15/2026."
        in response.content.decode()
    )
    response = staff.post(
        url,
        {
            "learner": w.learner.user.full_name,
            "starts_on": "2026-04-06",
            "ends_on": "2026-05-01",
            "hours": "80",
        },
    )
    placement = Placement.objects.get()
    assert response["Location"] == reverse("partners:placement_detail", args=[placement.pk])
    again = staff.post(
        url,
        {
            "learner": w.learner.user.full_name,
            "starts_on": "2026-04-06",
            "ends_on": "2026-05-01",
            "hours": "80",
        },
    )
    assert (
        f"{w.learner.user.full_name} already has a place in this period." in again.content.decode()
    )
    confirm = reverse("partners:placement_confirm", args=[placement.pk])
    assert staff.post(confirm).status_code == 403
    assert w.client_for(w.support).post(confirm).status_code == 403
    placement.refresh_from_db()
    assert placement.status == "proposed"


def test_capacity_is_enforced_and_a_cancellation_gives_the_place_back(pw: PartnerWorld) -> None:
    w = pw.world
    period = _period(_opportunity(pw, requirements=()), 1, pw)
    second_learner = member_make(
        institution=w.institution, role=Role.LEARNER, programme=w.programme
    )
    first = _propose(pw, period)
    second = _propose(pw, period, second_learner)
    services.placement_confirm(actor=w.coordinator.user, placement=first)
    with pytest.raises(ValidationError) as refused:
        services.placement_confirm(actor=w.coordinator.user, placement=second)
    assert refused.value.messages == ["No places left in this period: 1 of 1 are confirmed."]
    services.placement_cancel(actor=w.coordinator.user, placement=first)
    period.refresh_from_db()
    assert period.confirmed == 0
    services.placement_confirm(actor=w.coordinator.user, placement=second)
    period.refresh_from_db()
    assert period.confirmed == 1


def test_the_database_refuses_more_confirmed_than_places(pw: PartnerWorld) -> None:
    period = _period(_opportunity(pw, requirements=()), 3, pw)
    with pytest.raises(IntegrityError), transaction.atomic():
        OpportunityPeriod.objects.filter(pk=period.pk).update(confirmed=4)
    period.refresh_from_db()
    assert period.confirmed == 0


def test_who_sees_which_placement(pw: PartnerWorld) -> None:
    w = pw.world
    period = _period(_opportunity(pw, requirements=()), 3, pw)
    own = _propose(pw, period)
    classmate = member_make(institution=w.institution, role=Role.LEARNER, programme=w.programme)
    theirs = _propose(pw, period, classmate)
    elsewhere = services.opportunity_create(
        actor=w.coordinator.user,
        organisation=pw.other_organisation,
        kind="internship",
        title="Front desk",
        starts_on=START,
    )
    hotel_period = _period(elsewhere, 2, pw)
    hotel = services.placement_propose(
        actor=w.staff.user,
        period=hotel_period,
        learner=classmate,
        starts_on=START,
        ends_on=END,
        hours=40,
    )
    learner = w.client_for(w.learner)
    assert learner.get(reverse("partners:placement_detail", args=[own.pk])).status_code == 200
    assert learner.get(reverse("partners:placement_detail", args=[theirs.pk])).status_code == 404
    mine = learner.get(reverse("partners:placement_list")).content.decode()
    assert w.learner.user.full_name in mine
    assert classmate.user.full_name not in mine
    partner = w.client_for(w.partner)  # works at Coastal Motors, not at the hotel
    listing = partner.get(reverse("partners:placement_list")).content.decode()
    assert listing.count('<th scope="row"><a href="/partners/placements/') == 2
    assert "Front desk" not in listing
    assert partner.get(reverse("partners:placement_detail", args=[hotel.pk])).status_code == 404
    assert (
        partner.get(reverse("partners:opportunity_detail", args=[elsewhere.pk])).status_code == 404
    )
    opportunities = partner.get(reverse("partners:opportunity_list")).content.decode()
    assert "Workshop assistant" in opportunities
    assert "Front desk" not in opportunities
    assert w.client_for(w.stakeholder).get(reverse("partners:placement_list")).status_code == 403
    assert (
        w.client_for(w.outsider)
        .get(reverse("partners:placement_detail", args=[own.pk]))
        .status_code
        == 404
    )


RACE_THREADS = 50
RACE_RUNS = 20


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (select_for_update) need PostgreSQL; SQLite serialises every writer",
)
@pytest.mark.django_db(transaction=True)
def test_fifty_coordinators_confirming_at_once_fill_exactly_three_places(pw: PartnerWorld) -> None:
    """Acceptance: 50 threads confirm placements on one period with 3 places; exactly 3
    are confirmed, 20 runs in a row."""
    w = pw.world
    opportunity = _opportunity(pw, requirements=())
    learners = [
        member_make(institution=w.institution, role=Role.LEARNER, programme=w.programme)
        for _ in range(RACE_THREADS)
    ]
    for run in range(RACE_RUNS):
        period = _period(opportunity, 3, pw)
        placements = Placement.objects.bulk_create(
            Placement(period=period, learner=learner, starts_on=START, ends_on=END, hours=10)
            for learner in learners
        )
        outcomes = _race(placements, actor=w.coordinator.user)
        period.refresh_from_db()
        confirmed = Placement.objects.filter(period=period, status="confirmed").count()
        assert (run, outcomes.count("confirmed"), confirmed, period.confirmed) == (run, 3, 3, 3)
        assert outcomes.count("full") == RACE_THREADS - 3


def _race(placements: list[Placement], *, actor: User) -> list[str]:
    """Confirm every placement at once, one thread each; each thread's outcome."""
    barrier = threading.Barrier(len(placements))
    outcomes: list[str] = []
    lock = threading.Lock()

    def confirm(placement: Placement) -> None:
        try:
            barrier.wait()
            services.placement_confirm(actor=actor, placement=placement)
            result = "confirmed"
        except ValidationError:
            result = "full"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=confirm, args=(p,)) for p in placements]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
