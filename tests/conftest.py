"""The shared test world: per test, one institution with a person in every role, a
programme, and an outsider institution with its own people and programme."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.conf import settings
from django.test import Client
from django.utils import translation

from guildhouse.core.models import Institution, Membership, Programme, Role, User
from tests.factories import institution_make, member_make, programme_make


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts, and ends, in the default language.

    A request with a Finnish cookie leaves Finnish active in the test's thread
    (LocaleMiddleware activates a language; nothing deactivates it), so a later test
    in the same worker would make its data and its expected texts in Finnish while
    its browser reads English pages.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def sign_in(client: Client, user: User) -> Client:
    """Sign ``user`` in as if through the login page with the authenticator code.

    ``force_login`` alone is a session without the second step, which
    RequireStaffMFAMiddleware signs out for anyone who has an authenticator. This
    records the step as allauth's MFA stage does (tests/core/test_mfa.py covers the
    real pages).
    """
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time()},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    # allauth's private key naming whose records these are.
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


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
        return sign_in(Client(), membership.user)


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
