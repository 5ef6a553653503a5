"""Request type with what our middleware adds, so views are typed end to end."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from guildhouse.core.models import Institution, Membership, User


class GuildhouseRequest(HttpRequest):
    """An ``HttpRequest`` after ``ActiveInstitutionMiddleware``.

    ``membership`` is the signed-in user's membership in the active institution,
    or ``None`` for anonymous visitors and users without any membership.
    """

    membership: Membership | None
    memberships: list[Membership]
    institution: Institution | None
    # A staff member who has not enrolled an authenticator yet (see RequireStaffMFAMiddleware).
    mfa_pending: bool
    htmx: HtmxDetails


class AuthedRequest(GuildhouseRequest):
    """A request that passed ``member_required``: membership is set."""

    user: User
    membership: Membership
    institution: Institution
