"""Institutional goals: KPIs measured from the records, the goals page and the home."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import Membership, Programme, Role
from guildhouse.partners import selectors_goals, services, services_alignment, services_goals
from guildhouse.partners.models import (
    Agreement,
    AgreementStatus,
    Goal,
    GoalKpi,
    Organisation,
    Placement,
    PlacementStatus,
)
from tests.conftest import World
from tests.factories import member_make, programme_make
from tests.partners.conftest import PartnerWorld

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
START = TODAY - 100 * DAY
END = TODAY + 100 * DAY


def _goal(w: World, kpi: str, target: int, **extra: object) -> Goal:
    return services_goals.goal_save(
        actor=w.coordinator.user,
        institution=w.institution,
        goal=None,
        title=f"{kpi} {target}",
        kpi=kpi,
        target=target,
        starts_on=extra.pop("starts_on", START),  # type: ignore[arg-type]
        ends_on=extra.pop("ends_on", END),  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


def _placement(
    pw: PartnerWorld, learner: Membership, ends_on: datetime.date, *, confirm: bool
) -> Placement:
    """A placement of ``learner`` at Coastal Motors ending on ``ends_on``."""
    w = pw.world
    opportunity = services.opportunity_create(
        actor=w.coordinator.user,
        organisation=pw.organisation,
        kind="work_placement",
        title=f"Workshop {learner.pk} {ends_on}",
        starts_on=ends_on - 30 * DAY,
    )
    period = services.period_add(
        actor=w.coordinator.user,
        opportunity=opportunity,
        starts_on=ends_on - 30 * DAY,
        ends_on=ends_on,
        capacity=3,
    )
    placement = services.placement_propose(
        actor=w.staff.user,
        period=period,
        learner=learner,
        starts_on=ends_on - 30 * DAY,
        ends_on=ends_on,
        hours=100,
    )
    if confirm:
        Placement.objects.filter(pk=placement.pk).update(status=PlacementStatus.CONFIRMED)
    return placement


def test_placement_share_counts_confirmed_placements_ended_in_the_period(
    pw: PartnerWorld,
) -> None:
    w = pw.world
    level3 = Programme.objects.create(
        institution=w.institution, name="Catering", code="CAT", field="10", level="3"
    )
    done = member_make(institution=w.institution, role=Role.LEARNER, programme=level3)
    member_make(institution=w.institution, role=Role.LEARNER, programme=level3)  # none
    future = member_make(institution=w.institution, role=Role.LEARNER, programme=level3)
    proposed = member_make(institution=w.institution, role=Role.LEARNER, programme=level3)
    _placement(pw, done, TODAY - 5 * DAY, confirm=True)
    _placement(pw, future, TODAY + 5 * DAY, confirm=True)  # not completed yet
    _placement(pw, proposed, TODAY - 5 * DAY, confirm=False)  # never confirmed
    _placement(pw, w.learner, TODAY - 5 * DAY, confirm=True)  # level 4, not counted
    level_goal = _goal(w, GoalKpi.PLACEMENT_SHARE, 80, level="3")
    everyone = _goal(w, GoalKpi.PLACEMENT_SHARE, 50)
    outside = member_make(institution=w.other_institution, role=Role.LEARNER)
    assert outside.institution_id != w.institution.pk

    by_goal = {
        p.goal.pk: p
        for p in selectors_goals.goals_progress(
            [level_goal, everyone], institution=w.institution, today=TODAY
        )
    }
    assert (by_goal[level_goal.pk].numerator, by_goal[level_goal.pk].denominator) == (1, 4)
    assert by_goal[level_goal.pk].value == 25
    assert by_goal[level_goal.pk].progress_percent == 31
    assert not by_goal[level_goal.pk].met
    assert (by_goal[everyone.pk].numerator, by_goal[everyone.pk].denominator) == (2, 5)
    assert by_goal[everyone.pk].value == 40

    page = w.client_for(w.staff).get(reverse("partners:goal_list")).content.decode()
    assert "<strong>25 %</strong> / 80 % — In progress" in page
    assert "1 of 4 learners completed a placement in the period." in page
    assert "EQF 3" in page
    assert '<progress max="100" value="31"' in page
    # Staff read goals but do not change them.
    assert reverse("partners:goal_edit", args=[level_goal.pk]) not in page


def test_programme_coverage_counts_programmes_with_n_active_partners(pw: PartnerWorld) -> None:
    w = pw.world
    care = programme_make(institution=w.institution, name="Care", code="CARE")
    services_alignment.alignment_save(
        actor=w.coordinator.user, programme=w.programme, sectors=["07"], placement_year=None
    )
    Organisation.objects.filter(pk__in=[pw.organisation.pk, pw.other_organisation.pk]).update(
        sector="07", last_contact_on=TODAY - 10 * DAY
    )
    goal2 = _goal(w, GoalKpi.PROGRAMME_COVERAGE, 100, min_partners=2)
    goal3 = _goal(w, GoalKpi.PROGRAMME_COVERAGE, 100, min_partners=3)
    only_el = _goal(w, GoalKpi.PROGRAMME_COVERAGE, 100, min_partners=2, programme=w.programme)
    rows = selectors_goals.goals_progress(
        [goal2, goal3, only_el], institution=w.institution, today=TODAY
    )
    assert [(r.numerator, r.denominator, r.value) for r in rows] == [
        (1, 2, 50),
        (0, 2, 0),
        (1, 1, 100),
    ]
    assert rows[0].explanation == (
        "1 of 2 programmes have at least 2 active partners. Short: Care."
    )
    assert rows[2].met
    assert care.pk  # the programme with no sector has no partners


def test_opportunity_count_agreements_and_check_ins(pw: PartnerWorld) -> None:
    w = pw.world
    for days, kind in ((-10, "guest_lecture"), (20, "guest_lecture"), (-10, "site_visit")):
        services.opportunity_create(
            actor=w.coordinator.user,
            organisation=pw.organisation,
            kind=kind,
            title=f"{kind} {days}",
            starts_on=TODAY + days * DAY,
        )
    services.opportunity_create(  # before the period
        actor=w.coordinator.user,
        organisation=pw.organisation,
        kind="guest_lecture",
        title="Old lecture",
        starts_on=START - DAY,
    )
    for title, starts, ends, status in (
        ("In force", TODAY - 50 * DAY, None, AgreementStatus.SIGNED),
        ("Ended", TODAY - 500 * DAY, TODAY - 1 * DAY, AgreementStatus.SIGNED),
        ("Draft", TODAY - 50 * DAY, None, AgreementStatus.DRAFT),
    ):
        Agreement.objects.create(
            organisation=pw.organisation,
            kind="mou",
            title=title,
            starts_on=starts,
            ends_on=ends,
            status=status,
            signed_on=starts if status == AgreementStatus.SIGNED else None,
        )
    Organisation.objects.filter(pk=pw.organisation.pk).update(last_contact_on=TODAY - 61 * DAY)
    Organisation.objects.filter(pk=pw.other_organisation.pk).update(last_contact_on=TODAY - 5 * DAY)
    lectures = _goal(w, GoalKpi.OPPORTUNITY_COUNT, 20, opportunity_kind="guest_lecture")
    agreements = _goal(w, GoalKpi.ACTIVE_AGREEMENTS, 1)
    check_ins = _goal(w, GoalKpi.CHECK_INS_ON_TIME, 90)
    rows = selectors_goals.goals_progress(
        [lectures, agreements, check_ins], institution=w.institution, today=TODAY
    )
    assert [(r.value, r.met) for r in rows] == [(2, False), (1, True), (50, False)]
    assert rows[0].explanation == "2 opportunities of type “Guest lecture” start in the period."
    assert rows[2].explanation == "1 of 2 partners checked in on time."
    page = w.client_for(w.coordinator).get(reverse("partners:goal_list")).content.decode()
    assert "<strong>1</strong> / 1 — Target met" in page
    assert "<strong>2</strong> / 20 — In progress" in page


def test_a_coordinator_sets_a_goal_and_filters_it_does_not_take_are_cleared(
    pw: PartnerWorld,
) -> None:
    w = pw.world
    client = w.client_for(w.coordinator)
    response = client.post(
        reverse("partners:goal_create"),
        {
            "title": "Twenty guest lectures",
            "kpi": "opportunity_count",
            "target": "20",
            "starts_on": "2026-08-01",
            "ends_on": "2027-07-31",
            "level": "3",
            "opportunity_kind": "guest_lecture",
            "min_partners": "4",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(institution=w.institution)
    assert (goal.title, goal.kpi, goal.target, goal.level, goal.opportunity_kind) == (
        "Twenty guest lectures",
        "opportunity_count",
        20,
        "",
        "guest_lecture",
    )
    assert goal.min_partners is None
    response = client.post(
        reverse("partners:goal_edit", args=[goal.pk]),
        {
            "title": "Every programme covered",
            "kpi": "programme_coverage",
            "target": "100",
            "starts_on": "2026-08-01",
            "ends_on": "2027-07-31",
            "min_partners": "3",
        },
    )
    goal = Goal.objects.get(pk=goal.pk)
    assert (goal.kpi, goal.opportunity_kind, goal.min_partners) == ("programme_coverage", "", 3)
    client.post(reverse("partners:goal_delete", args=[goal.pk]))
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_bad_goal_input_is_refused_with_specific_errors_and_kept(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.coordinator)
    response = client.post(
        reverse("partners:goal_create"),
        {
            "title": "Everyone placed",
            "kpi": "placement_share",
            "target": "150",
            "starts_on": "2027-08-01",
            "ends_on": "2026-07-31",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "A share cannot be more than 100 %." in page
    assert "The period cannot end before it starts." in page
    assert 'value="Everyone placed"' in page
    response = client.post(
        reverse("partners:goal_create"),
        {
            "title": "Lectures",
            "kpi": "opportunity_count",
            "target": "5",
            "starts_on": "2026-08-01",
            "ends_on": "2027-07-31",
        },
    )
    assert "Choose the type of opportunity to count." in response.content.decode()
    response = client.post(
        reverse("partners:goal_create"),
        {
            "title": "Coverage",
            "kpi": "programme_coverage",
            "target": "100",
            "starts_on": "2026-08-01",
            "ends_on": "2027-07-31",
        },
    )
    assert "Give N, the active partners each programme needs." in response.content.decode()
    assert not Goal.objects.exists()


def test_the_coordinator_home_shows_goals_and_overdue_check_ins(pw: PartnerWorld) -> None:
    w = pw.world
    _goal(w, GoalKpi.ACTIVE_AGREEMENTS, 5)
    old = _goal(
        w, GoalKpi.ACTIVE_AGREEMENTS, 7, starts_on=TODAY - 400 * DAY, ends_on=TODAY - 40 * DAY
    )
    Organisation.objects.filter(pk=pw.organisation.pk).update(last_contact_on=TODAY - 70 * DAY)
    for role in (Role.COORDINATOR, Role.ADMIN):
        page = w.client_for(w.member(role)).get(reverse("home")).content.decode()
        assert "Partnership goals" in page
        assert "active_agreements 5" in page
        assert old.title not in page  # ended more than 30 days ago
        assert "<strong>0</strong> / 5 — In progress" in page
        assert "Partner check-ins" in page
        assert "1 partner is due a check-in." in page
        assert 'Coastal Motors Ltd</a> <span class="muted">10 days overdue</span>' in page
        assert reverse("partners:check_in_list") in page
    staff_home = w.client_for(w.staff).get(reverse("home")).content.decode()
    assert "Partnership goals" not in staff_home
    assert "Partner check-ins" not in staff_home


def _measure(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 200
    return len(queries)


def test_goal_list_and_home_run_the_same_queries_for_more_goals_and_data(
    pw: PartnerWorld,
) -> None:
    w = pw.world
    client = w.client_for(w.coordinator)

    def one_of_each() -> None:
        _goal(w, GoalKpi.PLACEMENT_SHARE, 80, level="4")
        _goal(w, GoalKpi.PROGRAMME_COVERAGE, 100, min_partners=2)
        _goal(w, GoalKpi.OPPORTUNITY_COUNT, 20, opportunity_kind="guest_lecture")
        _goal(w, GoalKpi.ACTIVE_AGREEMENTS, 3)
        _goal(w, GoalKpi.CHECK_INS_ON_TIME, 90)

    one_of_each()
    few_list = _measure(client, reverse("partners:goal_list"))
    few_home = _measure(client, reverse("home"))
    one_of_each()
    one_of_each()
    for n in range(5):
        member_make(institution=w.institution, role=Role.LEARNER, programme=w.programme)
        programme_make(institution=w.institution, name=f"Extra {n}", code=f"X{n}")
    many_list = _measure(client, reverse("partners:goal_list"))
    many_home = _measure(client, reverse("home"))
    assert few_list == many_list
    # The home shows the first six goals: fewer KPI kinds among them, never more queries.
    assert many_home <= few_home <= 21  # every app's home panels, not only partners'
    assert many_list <= 16
