"""Programme alignment: sectors, the coverage page, skill needs and curriculum reviews."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import LearnerProfile, Role
from guildhouse.partners import selectors_alignment, services, services_alignment
from guildhouse.partners.models import (
    CurriculumReview,
    Organisation,
    Placement,
    PlacementStatus,
    ProgrammeAlignment,
    ProgrammeSector,
    Stage,
)
from tests.factories import member_make, programme_make
from tests.partners.conftest import PartnerWorld
from tests.partners.make import organisation_make

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def test_academic_year_runs_from_august_to_july() -> None:
    assert selectors_alignment.academic_year(datetime.date(2026, 11, 30)) == (
        datetime.date(2026, 8, 1),
        datetime.date(2027, 7, 31),
    )
    assert selectors_alignment.academic_year(datetime.date(2027, 7, 31)) == (
        datetime.date(2026, 8, 1),
        datetime.date(2027, 7, 31),
    )


def _setup(pw: PartnerWorld) -> None:
    """Electrical installation (year-2 placements) with two active partners: Coastal
    Motors by its sector, Harbour Hotel by an opportunity; a paused and a long-silent
    engineering firm do not count."""
    w = pw.world
    services_alignment.alignment_save(
        actor=w.coordinator.user, programme=w.programme, sectors=["07", "06"], placement_year=2
    )
    Organisation.objects.filter(pk=pw.organisation.pk).update(
        sector="07", last_contact_on=TODAY - 30 * DAY, skill_needs="Heat-pump installers."
    )
    Organisation.objects.filter(pk=pw.other_organisation.pk).update(
        sector="10", last_contact_on=TODAY - 300 * DAY
    )
    paused = organisation_make(institution=w.institution, actor=w.coordinator, name="Paused Co")
    silent = organisation_make(institution=w.institution, actor=w.coordinator, name="Silent Co")
    Organisation.objects.filter(pk=paused.pk).update(
        sector="07",
        last_contact_on=TODAY,
        stage=Stage.objects.get(institution=w.institution, name="Paused"),
        skill_needs="Cable pulling.",
    )
    Organisation.objects.filter(pk=silent.pk).update(sector="07", last_contact_on=TODAY - 400 * DAY)
    Organisation.objects.filter(pk=pw.outsider_organisation.pk).update(
        sector="07", last_contact_on=TODAY
    )
    start, _end = selectors_alignment.academic_year(TODAY)
    hotel = services.opportunity_create(
        actor=w.coordinator.user,
        organisation=pw.other_organisation,
        kind="work_placement",
        title="Hotel maintenance",
        starts_on=start,
        programmes=[w.programme],
    )
    period = services.period_add(
        actor=w.coordinator.user,
        opportunity=hotel,
        starts_on=start + 30 * DAY,
        ends_on=start + 60 * DAY,
        capacity=3,
    )
    services.period_add(  # last year's: not this period
        actor=w.coordinator.user,
        opportunity=hotel,
        starts_on=start - 60 * DAY,
        ends_on=start - 30 * DAY,
        capacity=9,
    )
    learners = [
        member_make(institution=w.institution, role=Role.LEARNER, programme=w.programme)
        for _ in range(3)
    ]
    LearnerProfile.objects.filter(membership__in=learners).update(year_of_study=2)
    placement = services.placement_propose(
        actor=w.staff.user,
        period=period,
        learner=learners[0],
        starts_on=start + 30 * DAY,
        ends_on=start + 60 * DAY,
        hours=80,
    )
    Placement.objects.filter(pk=placement.pk).update(status=PlacementStatus.CONFIRMED)
    type(period).objects.filter(pk=period.pk).update(confirmed=1)


def test_coverage_counts_partners_opportunities_places_and_learners(pw: PartnerWorld) -> None:
    _setup(pw)
    w = pw.world
    care = programme_make(institution=w.institution, name="Care", code="CARE")
    rows = {r.programme.pk: r for r in selectors_alignment.coverage(institution=w.institution)}
    el = rows[w.programme.pk]
    assert el.sectors == [
        "Information and communication technologies",
        "Engineering, manufacturing and construction",
    ]
    assert (el.active_partners, el.open_opportunities, el.capacity, el.places_left) == (2, 1, 3, 2)
    assert (el.placement_year, el.need_placement, el.placed, el.unplaced) == (2, 3, 1, 2)
    assert el.short_of_places == 0
    assert (rows[care.pk].active_partners, rows[care.pk].need_placement) == (0, 0)
    assert w.other_programme.pk not in rows

    page = w.client_for(w.support).get(reverse("partners:coverage")).content.decode()
    url = reverse("partners:programme_alignment", args=[w.programme.pk])
    assert f'<a href="{url}">Electrical installation</a>' in page
    assert "<td>2</td>\n    <td>1</td>\n    <td>3 (2)</td>" in page
    assert '<td>3 <span class="help">year 2</span></td>\n    <td>1</td>' in page
    assert "no placement year set" in page


def test_the_programme_page_lists_partners_skill_needs_and_reviews(pw: PartnerWorld) -> None:
    _setup(pw)
    w = pw.world
    services_alignment.review_add(
        actor=w.coordinator.user,
        programme=w.programme,
        held_on=datetime.date(2026, 10, 5),
        participants="Head of department, Jonas Berg (Nordvolt)",
        decisions="Add a heat-pump module in year 2.",
    )
    url = reverse("partners:programme_alignment", args=[w.programme.pk])
    page = w.client_for(w.staff).get(url).content.decode()
    assert "Coastal Motors Ltd</a> (Prospect)" in page
    assert "Harbour Hotel</a> (Prospect)" in page
    for absent in ("Silent Co", "Ridge Build"):
        assert absent not in page
    # Skill needs come from any stage: the paused firm's are input to the review too.
    assert "Heat-pump installers." in page
    assert "Cable pulling." in page
    assert "Add a heat-pump module in year 2." in page
    assert "Head of department, Jonas Berg (Nordvolt)" in page
    assert "<form" not in page.split('id="alignment-heading"')[1].split("</section>")[0]
    assert "Engineering, manufacturing and construction" in page
    assert "Placement in year 2." in page


def test_a_coordinator_sets_sectors_and_the_placement_year(pw: PartnerWorld) -> None:
    w = pw.world
    url = reverse("partners:programme_alignment", args=[w.programme.pk])
    client = w.client_for(w.coordinator)
    response = client.post(url, {"sectors": ["07", "04"], "placement_year": "3"})
    assert response.status_code == 302
    assert sorted(
        ProgrammeSector.objects.filter(programme=w.programme).values_list("sector", flat=True)
    ) == ["04", "07"]
    assert ProgrammeAlignment.objects.get(programme=w.programme).placement_year == 3
    client.post(url, {"sectors": ["07"], "placement_year": ""})
    assert list(
        ProgrammeSector.objects.filter(programme=w.programme).values_list("sector", flat=True)
    ) == ["07"]
    assert ProgrammeAlignment.objects.get(programme=w.programme).placement_year is None
    response = client.post(url, {"sectors": ["99"], "placement_year": "9"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice. 99 is not one of the available choices." in page
    assert "Ensure this value is less than or equal to 6." in page
    assert list(
        ProgrammeSector.objects.filter(programme=w.programme).values_list("sector", flat=True)
    ) == ["07"]


def test_a_coordinator_records_a_review_and_bad_input_keeps_what_was_typed(
    pw: PartnerWorld,
) -> None:
    w = pw.world
    url = reverse("partners:review_add", args=[w.programme.pk])
    client = w.client_for(w.coordinator)
    response = client.post(
        url,
        {
            "review-held_on": "2026-10-05",
            "review-participants": "Anna, Jonas",
            "review-decisions": "",
        },
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert "Anna, Jonas" in response.content.decode()
    assert not CurriculumReview.objects.exists()
    response = client.post(
        url,
        {
            "review-held_on": "2026-10-05",
            "review-participants": "Anna, Jonas",
            "review-skill_needs": "Solar, heat pumps",
            "review-decisions": "New module.",
        },
    )
    assert response.status_code == 302
    review = CurriculumReview.objects.get()
    assert (review.held_on, review.participants, review.skill_needs, review.decisions) == (
        datetime.date(2026, 10, 5),
        "Anna, Jonas",
        "Solar, heat pumps",
        "New module.",
    )


def test_coverage_page_queries_do_not_grow_with_programmes_or_partners(pw: PartnerWorld) -> None:
    _setup(pw)
    w = pw.world
    client = w.client_for(w.coordinator)

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("partners:coverage")).status_code == 200
        return len(queries)

    few = measure()
    for n in range(4):
        p = programme_make(institution=w.institution, name=f"Extra {n}", code=f"X{n}")
        services_alignment.alignment_save(
            actor=w.coordinator.user, programme=p, sectors=["07"], placement_year=1
        )
        organisation_make(institution=w.institution, actor=w.coordinator, name=f"Firm {n}")
        member_make(institution=w.institution, role=Role.LEARNER, programme=p)
    assert measure() == few
    assert few <= 10
