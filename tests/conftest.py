"""The shared test world: per test, one institution with a person in every role, a
programme, and an outsider institution with its own people and programme."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from guildhouse.core.models import Institution, Membership, Programme, Role
from tests.factories import institution_make, member_make, programme_make


@dataclass
class World:
    institution: Institution
    programme: Programme
    admin: Membership
    coordinator: Membership
    staff: Membership
    support: Membership
    learner: Membership
    partner: Membership
    stakeholder: Membership
    other_institution: Institution
    other_programme: Programme
    outsider: Membership  # an admin of the other institution
    outsider_learner: Membership

    def member(self, role: str) -> Membership:
        return getattr(self, role)  # type: ignore[no-any-return]

    def client_for(self, membership: Membership) -> Client:
        client = Client()
        client.force_login(membership.user)
        return client


@pytest.fixture
def world(db: None) -> World:
    institution = institution_make(name="Riverside Vocational College", short_name="Riverside")
    programme = programme_make(institution=institution, name="Electrical installation", code="EL")
    other = institution_make(name="Hilltop Skills Centre", short_name="Hilltop")
    other_programme = programme_make(institution=other, name="Health care", code="HC")
    members = {
        role: member_make(
            institution=institution,
            role=role,
            programme=programme if role == Role.LEARNER else None,
        )
        for role in Role.values
    }
    return World(
        institution=institution,
        programme=programme,
        other_institution=other,
        other_programme=other_programme,
        outsider=member_make(institution=other, role=Role.ADMIN),
        outsider_learner=member_make(
            institution=other, role=Role.LEARNER, programme=other_programme
        ),
        **members,
    )
