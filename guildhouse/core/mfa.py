"""Two-step sign-in: who needs it, whether this session passed it, and the adapter that
encrypts authenticator secrets at rest (keys and rotation: ``mfa_keys``)."""

from __future__ import annotations

from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest

from guildhouse.core import mfa_keys
from guildhouse.core.models import User

# Set when a user enrols an authenticator in this session: the code they typed to
# activate it was their second step.
ENROLLED_SESSION_KEY = "guildhouse_mfa_enrolled_user"


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def encrypt(self, text: str) -> str:
        return mfa_keys.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_keys.decrypt(encrypted_text)


def needs_mfa(user: User, *, staff_role: bool) -> bool:
    """Staff roles in any institution and operators (the /operators/ admin) need MFA."""
    return staff_role or user.is_staff or user.is_superuser


def session_passed_mfa(request: HttpRequest, user: User) -> bool:
    """This session entered a code from the user's authenticator (at sign-in, on
    re-authentication, or when enrolling it), not a password alone."""
    if request.session.get(ENROLLED_SESSION_KEY) == str(user.pk):
        return True
    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records)


def remember_enrolment(sender: object, request: HttpRequest | None, user: User, **_: Any) -> None:
    """allauth's ``authenticator_added``: activating an authenticator proved its code."""
    if request is not None and getattr(request, "session", None) is not None:
        request.session[ENROLLED_SESSION_KEY] = str(user.pk)
        # allauth sends this after the commit, which may come after the response.
        request.session.save()
