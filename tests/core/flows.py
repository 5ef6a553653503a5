"""What a person does in the browser, as test helpers: sign in through the real forms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

if TYPE_CHECKING:
    # The test client's response type exists in django-stubs only.
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret``."""
    counters = list(yield_hotp_counters_from_time())
    current: int = counters[len(counters) // 2]
    code: str = format_hotp_value(hotp_value(secret, current))
    return code


def wrong_code(secret: str) -> str:
    """A well-formed code that is not valid now."""
    valid = {
        format_hotp_value(hotp_value(secret, counter))
        for counter in yield_hotp_counters_from_time()
    }
    return next(code for code in ("000000", "111111", "222222") if code not in valid)


def password_login(client: Client, email: str, password: str = PASSWORD) -> TestResponse:
    """POST the allauth login form, as the sign-in page does."""
    return client.post(reverse("account_login"), {"login": email, "password": password})


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
