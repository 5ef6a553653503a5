"""System checks that ``guildhouse check --deploy`` runs: no development secrets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


def development_secrets(**_: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        errors.append(
            checks.Error(
                "SECRET_KEY is the public development key.",
                hint="Set SECRET_KEY to a random string of 50+ characters.",
                id="guildhouse.E001",
            )
        )
    if settings.MFA_KEYS_FROM_SECRET_KEY:
        errors.append(
            checks.Error(
                "GUILDHOUSE_MFA_KEYS is not set: authenticator secrets are encrypted with "
                "a key derived from SECRET_KEY.",
                hint="Make a key with `guildhouse mfa_keys new` and set GUILDHOUSE_MFA_KEYS.",
                id="guildhouse.E002",
            )
        )
    return errors


def register() -> None:
    checks.register(development_secrets, checks.Tags.security, deploy=True)
