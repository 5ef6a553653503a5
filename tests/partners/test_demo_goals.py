"""The demo's goals, programme alignment, CPD records and events."""

from __future__ import annotations

import datetime

import pytest

from guildhouse.core import demo as core_demo
from guildhouse.core.models import Institution
from guildhouse.partners import demo, selectors_alignment, selectors_cpd, selectors_goals
from guildhouse.partners.models import (
    CpdActivity,
    CurriculumReview,
    EventAttendee,
    Goal,
    PartnerEvent,
    ProgrammeSector,
)

TODAY = datetime.date(2026, 11, 30)


@pytest.mark.django_db
@pytest.mark.usefixtures("private_dir")
def test_the_demo_has_goals_alignment_cpd_and_events() -> None:
    core_demo.ensure_demo(today=TODAY)
    demo.load_demo(today=TODAY)
    riverside = Institution.objects.get(name="Riverside Vocational College")
    goals = list(selectors_goals.goal_list(institution=riverside))
    assert len(goals) == 5
    assert Goal.objects.count() == 10  # five in each school
    progress = {
        p.goal.title: p
        for p in selectors_goals.goals_progress(goals, institution=riverside, today=TODAY)
    }
    lectures = progress["Twenty guest lectures by industry this year"]
    # Coastal Motors' lecture on electric cars next month.
    assert (lectures.value, lectures.goal.target) == (1, 20)
    assert progress["Nine in ten partners hear from us on time"].denominator
    assert (
        ProgrammeSector.objects.filter(
            programme__institution=riverside, programme__code="ELE"
        ).count()
        == 2
    )
    assert CurriculumReview.objects.filter(programme__institution=riverside).count() == 2
    rows = {
        r.programme.code: r
        for r in selectors_alignment.coverage(institution=riverside, today=TODAY)
    }
    assert rows["ELE"].placement_year == 2
    assert rows["ELE"].need_placement > 0
    assert rows["ELE"].active_partners >= 1
    assert CpdActivity.objects.filter(membership__institution=riverside).count() > 0
    start, end = selectors_alignment.academic_year(TODAY)
    missing, total = selectors_cpd.without_industry_contact(
        institution=riverside, start=start, end=end
    )
    assert 0 < total == len(missing)
    assert PartnerEvent.objects.filter(institution=riverside).count() == 4
    assert (
        EventAttendee.objects.filter(
            event__institution=riverside, contact__email="partner@riverside.demo"
        ).count()
        == 4
    )
