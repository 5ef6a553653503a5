"""Partnership test set-up: each institution of the world has a partner organisation,
and the world's partner account is a contact of Riverside's."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from guildhouse.partners import services
from guildhouse.partners.models import Contact, Organisation
from tests.conftest import World
from tests.partners.make import contact_make, organisation_make


@dataclass
class PartnerWorld:
    world: World
    organisation: Organisation  # Riverside's; the world's partner works here
    other_organisation: Organisation  # another of Riverside's; nobody of the world works here
    outsider_organisation: Organisation  # Hilltop's
    partner_contact: Contact


@pytest.fixture(autouse=True)
def private_dir(settings: SettingsWrapper, tmp_path: Path) -> Path:
    """Uploaded agreements go to a per-test folder, never the developer's data folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


@pytest.fixture
def pw(world: World) -> PartnerWorld:
    org = organisation_make(
        institution=world.institution,
        actor=world.coordinator,
        name="Coastal Motors Ltd",
        website="https://www.coastalmotors.example",
        owners=(world.staff,),
        city="Port Aldwin",
    )
    other = organisation_make(
        institution=world.institution, actor=world.coordinator, name="Harbour Hotel"
    )
    outsider_org = organisation_make(
        institution=world.other_institution, actor=world.outsider, name="Ridge Build"
    )
    contact = contact_make(
        organisation=org,
        actor=world.coordinator,
        full_name="Tuan Pham",
        email="tuan@coastal.example",
    )
    services.contact_link_account(
        actor=world.coordinator.user, contact=contact, membership=world.partner
    )
    return PartnerWorld(world, org, other, outsider_org, contact)
