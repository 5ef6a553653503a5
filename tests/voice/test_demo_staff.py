"""The staff side's demo: a year of items in both languages, answered and reported."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from guildhouse.core import demo as core_demo
from guildhouse.core.models import Institution
from guildhouse.voice.models import (
    Action,
    Assembly,
    Item,
    PublicResponse,
    ReportSnapshot,
    ResourceAllocation,
    Stakeholder,
    TrainingSession,
)

TODAY = datetime.date(2026, 3, 2)


@pytest.mark.django_db
def test_staff_demo_is_a_believable_year(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"  # the partners demo uploads files
    core_demo.ensure_demo(today=TODAY)
    riverside = Institution.objects.get(name="Riverside Vocational College")
    items = Item.objects.visible().filter(institution=riverside)
    weeks = set(items.values_list("week", flat=True))
    assert len(weeks) >= 52
    assert min(weeks) <= TODAY - datetime.timedelta(days=360)
    texts = list(items.values_list("text", flat=True))
    assert any("ruokala" in t.lower() or "hitsaamo" in t.lower() for t in texts)
    assert any("canteen" in t.lower() or "workshop" in t.lower() for t in texts)
    assert items.count() >= 250
    assembly = Assembly.objects.get(institution=riverside, kind="assembly")
    assert assembly.minutes.startswith("Learners asked for a quiet lunch room")
    assert assembly.decisions.count() == 2
    assert Action.objects.filter(institution=riverside).count() == 6
    money = sum(
        a.amount
        for a in ResourceAllocation.objects.filter(action__institution=riverside, kind="money")
    )
    assert money == 11000
    assert PublicResponse.objects.filter(item__institution=riverside).count() == 7
    assert Stakeholder.objects.filter(institution=riverside).count() == 7
    assert TrainingSession.objects.filter(institution=riverside).count() == 2
    years = set(ReportSnapshot.objects.filter(institution=riverside).values_list("year", flat=True))
    assert years == {2024, 2025}


@pytest.mark.django_db
def test_region_generator_writes_at_least_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same code as the 200,000-item run, with a floor of 2,000 over two schools."""
    from guildhouse.voice import demo_staff
    from tests.factories import institution_make, member_make

    monkeypatch.setattr(demo_staff, "REGION_ITEMS", 2000)
    schools = [institution_make(name=f"Region school {n}") for n in (1, 2)]
    for school in schools:
        member_make(institution=school, role="staff")
    lines: list[str] = []
    demo_staff.load_region(progress=lines.append)
    counts = [Item.objects.visible().filter(institution=s).count() for s in schools]
    assert counts == [52 * 21, 52 * 21]  # ceil(1000 / 52) + 1 a week, for 52 weeks
    assert sum(counts) >= 2000
    assert lines[-1] == "voice: 2184 items in the region"
