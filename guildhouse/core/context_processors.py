"""Template context every page needs: the active institution, the switcher, the menu."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from guildhouse.core.navigation import menu_for


def shell(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    return {
        "active_membership": membership,
        "all_memberships": getattr(request, "memberships", []),
        # Until a staff member has enrolled MFA every menu entry would bounce back.
        "nav_items": (
            menu_for(membership, request.path)
            if membership and not getattr(request, "mfa_pending", False)
            else []
        ),
        "demo_mode": settings.DEMO_ALLOW_STAFF_WITHOUT_MFA,
    }
