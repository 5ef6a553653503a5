"""The regional partnerships generator (issue 9, item 18): bulk rows that obey every
rule the services keep, the same rows for the same seed, at the size asked for."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db.models import Count, Max, Q

from guildhouse.core import demo as core_demo
from guildhouse.core.demo.runner import app_demos
from guildhouse.core.models import Institution
from guildhouse.partners import region, selectors
from guildhouse.partners.demo import load_region
from guildhouse.partners.models import (
    Affiliation,
    Agreement,
    ComplianceItem,
    Contact,
    FollowUp,
    Interaction,
    OpportunityPeriod,
    Organisation,
    Placement,
    StageChange,
    Tag,
)
from tests.conftest import World

TODAY = datetime.date(2026, 3, 2)


def _load(world: World, seed: int = 7) -> region.PartnersSummary:
    return region.load_partners(
        world.institution,
        organisations=60,
        interactions=3000,
        placements=4,
        rng=random.Random(seed),
        today=TODAY,
    )


@pytest.mark.django_db
def test_the_generator_keeps_every_derived_value_and_constraint(world: World) -> None:
    summary = _load(world)
    orgs = Organisation.objects.filter(institution=world.institution)
    assert orgs.count() == summary.organisations == 60
    assert Interaction.objects.filter(organisation__institution=world.institution).count() == (
        summary.interactions
    )
    assert 2700 <= summary.interactions <= 3300
    # The last contact is derived from the interactions, as the services keep it.
    latest = dict(
        orgs.annotate(latest=Max("interactions__occurred_on")).values_list("pk", "latest")
    )
    assert dict(orgs.values_list("pk", "last_contact_on")) == latest
    # Each period's confirmed count is its confirmed placements, within capacity.
    periods = OpportunityPeriod.objects.filter(
        opportunity__organisation__institution=world.institution
    ).annotate(n=Count("placements", filter=Q(placements__status="confirmed")))
    assert periods.exists()
    assert all(p.confirmed == p.n <= p.capacity for p in periods)
    placements = Placement.objects.filter(learner__institution=world.institution)
    assert placements.count() == summary.placements
    assert 1 <= summary.placements <= 4  # the world has few learners of the programme
    # A confirmed placement has every document its opportunity requires.
    for placement in placements.filter(status="confirmed").select_related("period__opportunity"):
        kinds = set(
            ComplianceItem.objects.filter(placement=placement).values_list("kind", flat=True)
        )
        assert kinds == set(placement.period.opportunity.requirements)
    # Every organisation past the first stage walked the pipeline step by step.
    first = world.institution.partner_stages.order_by("position").first()
    assert first is not None
    walked = orgs.exclude(stage=first).annotate(n=Count("stage_changes"))
    assert all(o.n >= 1 for o in walked)
    assert StageChange.objects.filter(organisation__institution=world.institution).count() == (
        summary.stage_changes
    )
    assert Contact.objects.filter(institution=world.institution).count() == summary.contacts
    assert Affiliation.objects.filter(contact__institution=world.institution).count() == (
        summary.affiliations
    )
    assert FollowUp.objects.filter(organisation__institution=world.institution).count() == (
        summary.follow_ups
    )
    assert Agreement.objects.filter(organisation__institution=world.institution).count() == (
        summary.agreements
    )
    # The pages read them: the list, the board and the health of every partner.
    board = selectors.pipeline_board(institution=world.institution)
    assert sum(c.count for c in board) == 60
    # New rows after the bulk load get fresh ids (PostgreSQL sequences moved on).
    org = orgs.order_by("pk").last()
    assert org is not None
    extra = Interaction.objects.create(
        organisation=org, kind="call", occurred_on=TODAY, summary="After the load"
    )
    assert extra.pk > max(Interaction.objects.exclude(pk=extra.pk).values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_partners(world: World) -> None:
    _load(world, seed=11)
    first = list(
        Organisation.objects.filter(institution=world.institution)
        .order_by("pk")
        .values_list("name", "sector", "stage__name", "last_contact_on")
    )
    Placement.objects.filter(learner__institution=world.institution).delete()
    Organisation.objects.filter(institution=world.institution).delete()
    Contact.objects.filter(institution=world.institution).delete()
    Tag.objects.filter(institution=world.institution).delete()
    _load(world, seed=11)
    again = list(
        Organisation.objects.filter(institution=world.institution)
        .order_by("pk")
        .values_list("name", "sector", "stage__name", "last_contact_on")
    )
    assert again == first
    names = [row[0] for row in first]
    assert len(set(names)) == 60  # no two firms of one name in one school
    assert all(name.strip() and "  " not in name for name in names)


@pytest.mark.django_db
def test_the_region_load_gives_each_regional_school_its_share() -> None:
    core_demo.load_region(institutions=2, learners=400, today=TODAY)
    messages: list[str] = []
    summary = load_region(
        progress=messages.append,
        organisations=41,
        interactions=900,
        placements=12,
        today=TODAY,
    )
    schools = Institution.objects.filter(slug__startswith="region-").order_by("pk")
    per_school = [Organisation.objects.filter(institution=s).count() for s in schools]
    assert per_school == [21, 20]
    assert summary.organisations == 41
    assert Placement.objects.count() == summary.placements == 12
    assert len(messages) == 2
    assert messages[0].startswith(
        "partners 1/2: Aldwin Harbour Vocational College, 21 organisations"
    )
    # The runner finds the hook in the partners demo module.
    hooks = {d.label: d.load_region for d in app_demos()}
    assert hooks["partners"] is load_region
    # A second load is refused: the schools already have their partners.
    with pytest.raises(core_demo.DemoError):
        load_region(organisations=2, interactions=10, placements=0, today=TODAY)
