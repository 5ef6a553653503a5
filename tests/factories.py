"""Factories for tests and the demo: plain functions, keyword-only, sensible defaults."""

from __future__ import annotations

import datetime
import itertools

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from guildhouse.core.models import (
    STAFF_ROLES,
    Institution,
    LearnerProfile,
    Membership,
    Programme,
    Role,
    StaffProfile,
    User,
)

PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


def institution_make(*, name: str = "", short_name: str = "") -> Institution:
    n = next(_counter)
    short = short_name or f"Inst{n}"
    return Institution.objects.create(
        name=name or f"Institution {n}", short_name=short, slug=f"{short.lower()}-{n}"
    )


def programme_make(*, institution: Institution, name: str = "", code: str = "") -> Programme:
    n = next(_counter)
    return Programme.objects.create(
        institution=institution,
        name=name or f"Programme {n}",
        code=code or f"P{n}",
        field="07",
        level="4",
    )


def user_make(*, email: str = "", full_name: str = "", mfa: bool = False) -> User:
    n = next(_counter)
    user = User.objects.create_user(
        email or f"person{n}@example.org", PASSWORD, full_name=full_name or f"Person {n}"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if mfa:
        totp_enrol(user)
    return user


def totp_enrol(user: User) -> str:
    """Give ``user`` an authenticator app; returns the TOTP secret (to compute codes)."""
    secret: str = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def member_make(
    *,
    institution: Institution,
    role: str,
    user: User | None = None,
    programme: Programme | None = None,
    mfa: bool | None = None,
) -> Membership:
    """A user with ``role`` in ``institution``. Staff roles get an authenticator by default,
    as production requires; pass ``mfa=False`` to test the requirement itself."""
    if user is None:
        user = user_make(
            full_name=f"{role.title()} {next(_counter)}",
            mfa=role in STAFF_ROLES if mfa is None else mfa,
        )
    membership = Membership.objects.create(user=user, institution=institution, role=role)
    if role == Role.LEARNER:
        LearnerProfile.objects.create(
            membership=membership,
            programme=programme,
            cohort="2025",
            year_of_study=1,
            date_of_birth=datetime.date(2009, 3, 14),
        )
    elif role in STAFF_ROLES:
        StaffProfile.objects.create(membership=membership, job_title=f"{role.title()} of things")
    return membership
