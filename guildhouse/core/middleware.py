"""Per-request context: the active institution, and the staff MFA requirement."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from guildhouse.core.mfa import needs_mfa, session_passed_mfa
from guildhouse.core.models import Membership, Role, User
from guildhouse.core.types import GuildhouseRequest

SESSION_KEY = "guildhouse_institution_id"
ROLE_PRIORITY: tuple[str, ...] = (
    Role.ADMIN,
    Role.COORDINATOR,
    Role.SUPPORT,
    Role.STAFF,
    Role.PARTNER,
    Role.STAKEHOLDER,
    Role.LEARNER,
)


class ActiveInstitutionMiddleware:
    """Sets ``request.membership`` to the signed-in user's membership in the active institution.

    The active institution is the one chosen with the switcher (kept in the session),
    or else the one where the user holds their widest role (a coordinator at one school
    who teaches at another starts as coordinator), then by institution name. A stale
    choice (membership ended) falls back the same way.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        gh_request: GuildhouseRequest = request  # type: ignore[assignment]
        gh_request.memberships = []
        gh_request.membership = None
        gh_request.institution = None
        if request.user.is_authenticated:
            memberships = list(
                Membership.objects.active()
                .filter(user_id=request.user.pk)
                .select_related("institution")
                .order_by("institution__name")
            )
            chosen = request.session.get(SESSION_KEY)
            active = next((m for m in memberships if m.institution_id == chosen), None)
            if active is None and memberships:
                active = min(memberships, key=lambda m: ROLE_PRIORITY.index(m.role))
            gh_request.memberships = memberships
            gh_request.membership = active
            gh_request.institution = active.institution if active else None
        return self.get_response(request)


# Paths a staff member without an authenticator may still reach: signing in and out,
# setting up MFA itself, and static files; calendar feeds identify by token, not session.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/calendar/feed/")


def has_mfa(user_id: int) -> bool:
    from allauth.mfa.models import Authenticator

    return bool(
        Authenticator.objects.filter(user_id=user_id, type=Authenticator.Type.TOTP).exists()
    )


class RequireStaffMFAMiddleware:
    """Staff roles (admin, coordinator, staff, support) and operators must use MFA.

    Until they enrol an authenticator app, every page except account management
    sends them to the set-up page. Once enrolled, a session that has not passed the
    code (signed in with a password alone, by whatever path) is signed out and sent
    to the sign-in page. ``GUILDHOUSE_DEMO_ALLOW_STAFF_WITHOUT_MFA`` lifts both for
    the demo only.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        gh_request: GuildhouseRequest = request  # type: ignore[assignment]
        gh_request.mfa_pending = False
        user = request.user
        if (
            settings.DEMO_ALLOW_STAFF_WITHOUT_MFA
            or not isinstance(user, User)
            or not needs_mfa(user, staff_role=any(m.is_staff_role for m in gh_request.memberships))
        ):
            return self.get_response(request)
        if not has_mfa(user.pk):
            gh_request.mfa_pending = True
            if not request.path.startswith(MFA_EXEMPT_PREFIXES):
                return HttpResponseRedirect(reverse("mfa_required"))
        elif not session_passed_mfa(request, user):
            logout(request)
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Every response to a signed-in user may carry personal data: no cache keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
