"""View decorators: sign-in, an active membership, and a role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guildhouse.core.access import require_role
from guildhouse.core.types import AuthedRequest

P = ParamSpec("P")
View = Callable[Concatenate[AuthedRequest, P], HttpResponse]


def member_required(
    *roles: str,
) -> Callable[[View[P]], Callable[Concatenate[HttpRequest, P], HttpResponse]]:
    """Require a signed-in user with an active membership, optionally in one of ``roles``.

    Signed-out visitors go to the login page; users with no membership get a page
    that says so; a role outside ``roles`` gets 403.
    """
    allowed = frozenset(roles)

    def decorator(view: View[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(request, "membership", None) is None:
                return render(request, "core/no_membership.html", status=403)
            authed: AuthedRequest = request  # type: ignore[assignment]
            if allowed:
                require_role(authed.membership, allowed)
            return view(authed, *args, **kwargs)

        return wrapper

    return decorator
