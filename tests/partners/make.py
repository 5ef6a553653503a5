"""Partnership factories for tests: plain functions going through the services."""

from __future__ import annotations

import itertools

from guildhouse.core.models import Institution, Membership
from guildhouse.partners import services
from guildhouse.partners.models import Contact, Organisation

_n = itertools.count(1)


def organisation_make(
    *,
    institution: Institution,
    actor: Membership,
    name: str = "",
    website: str = "",
    owners: tuple[Membership, ...] = (),
    kind: str = "business",
    city: str = "",
) -> Organisation:
    return services.organisation_create(
        actor=actor.user,
        institution=institution,
        name=name or f"Company {next(_n)}",
        kind=kind,
        website=website,
        city=city,
        owners=owners,
        allow_duplicate=True,
    )


def contact_make(
    *, organisation: Organisation, actor: Membership, full_name: str = "", email: str = ""
) -> Contact:
    n = next(_n)
    return services.contact_create(
        actor=actor.user,
        organisation=organisation,
        full_name=full_name or f"Contact {n}",
        email=email or f"contact{n}@example.com",
        role="Manager",
    )
