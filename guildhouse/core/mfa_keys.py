"""Authenticator secrets at rest: Fernet keys from ``GUILDHOUSE_MFA_KEYS``.

allauth stores each authenticator's secret (the TOTP key, the recovery-code seed) in
``mfa_authenticator.data`` through the MFA adapter's encrypt/decrypt hooks
(``guildhouse.core.mfa.MFAAdapter``). The first key encrypts, every key decrypts, so
a key is rotated by putting a new one first and running ``guildhouse mfa_keys rotate``.

Imported by settings.py: no Django models here.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# A Fernet token is URL-safe base64 of a 0x80 version byte and a timestamp: it always
# starts with "gAAAAA". allauth's clear secrets (base32 TOTP keys, hex seeds, digit
# codes) never contain a lower-case "g", so the prefix tells the two apart.
FERNET_PREFIX = "gAAAAA"


UNKNOWN_KEY = (
    "An MFA secret cannot be decrypted with any key in GUILDHOUSE_MFA_KEYS: "
    "a key that is still in use was removed."
)


def development_key(secret_key: str) -> str:
    """A Fernet key derived from SECRET_KEY, for development only."""
    digest = hashlib.sha256(b"guildhouse-mfa-secrets:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def parse_keys(raw: str) -> list[str]:
    """The comma-separated keys of GUILDHOUSE_MFA_KEYS, each checked to be a Fernet key."""
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                f"GUILDHOUSE_MFA_KEYS: key {position} is not a Fernet key (32 bytes in "
                "URL-safe base64); make one with `guildhouse mfa_keys new`."
            ) from None
    return keys


def fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.MFA_ENCRYPTION_KEYS])


def is_encrypted(value: str) -> bool:
    return value.startswith(FERNET_PREFIX)


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(value: str) -> str:
    """The clear secret. Refuses a clear value: the migration encrypted every old one."""
    if not is_encrypted(value):
        raise ValueError("An MFA secret is stored unencrypted; run `guildhouse migrate`.")
    try:
        return fernet().decrypt(value.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(UNKNOWN_KEY) from None


# The places in Authenticator.data where allauth keeps secrets it passed to encrypt().
SECRET_FIELDS = ("secret", "seed")
SECRET_LISTS = ("migrated_codes",)


def reencrypt_data(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every secret encrypted under the first key (clear ones included)."""
    multi = fernet()

    def one(value: str) -> str:
        if not is_encrypted(value):
            return encrypt(value)
        try:
            return multi.rotate(value.encode()).decode()
        except InvalidToken:
            raise ImproperlyConfigured(UNKNOWN_KEY) from None

    return _map_secrets(data, one)


def decrypt_data(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every secret in clear (to undo the migration that encrypted them)."""
    return _map_secrets(data, lambda value: decrypt(value) if is_encrypted(value) else value)


def _map_secrets(data: dict[str, Any], one: Callable[[str], str]) -> dict[str, Any]:
    result = dict(data)
    for name in SECRET_FIELDS:
        if isinstance(result.get(name), str):
            result[name] = one(result[name])
    for name in SECRET_LISTS:
        if isinstance(result.get(name), list):
            result[name] = [one(value) for value in result[name]]
    return result
