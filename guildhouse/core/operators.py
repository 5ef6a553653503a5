"""The operators' admin site (/operators/): it has no sign-in form of its own.

Django's admin login checks a password and nothing else. Operators sign in through
allauth's login instead, which asks for the authenticator code and counts failed
attempts; the admin's login URL only forwards there.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class OperatorsSite(AdminSite):
    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Any method: forward to allauth's sign-in, coming back to ``next`` (or here)."""
        # Imported here: this module is loaded with INSTALLED_APPS, before any model.
        from django.contrib.auth.views import redirect_to_login

        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:index", current_app=self.name)
        return redirect_to_login(target, login_url=reverse("account_login"))


class OperatorsAdminConfig(AdminConfig):
    default_site = "guildhouse.core.operators.OperatorsSite"
