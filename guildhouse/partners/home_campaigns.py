"""The coordinator's home panel of check-ins: partners due one, and open campaigns."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from guildhouse.core.home import HomePanel, register_home_panel
from guildhouse.core.models import Role
from guildhouse.partners import selectors_campaigns


def check_ins_panel(request: HttpRequest) -> dict[str, object] | None:
    institution = getattr(request, "institution", None)
    if institution is None:
        return None
    summary = selectors_campaigns.check_in_summary(
        institution=institution, today=timezone.localdate()
    )
    return {"summary": summary}


def register() -> None:
    register_home_panel(
        HomePanel(
            key="partners_check_ins",
            template="partners/home/_check_ins.html",
            roles=frozenset({Role.ADMIN, Role.COORDINATOR}),
            context=check_ins_panel,
            order=30,
        )
    )
