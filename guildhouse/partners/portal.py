"""Home panels of the partner portal: a partner contact's organisations with us, and a
learner's placement evaluations due. Registered from ``PartnersConfig.ready``."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from guildhouse.core.home import HomePanel, register_home_panel
from guildhouse.core.models import STAFF_ROLES, Role
from guildhouse.partners import selectors_public
from guildhouse.partners.access import PARTNER_RUNNERS


def partner_panel_context(request: HttpRequest) -> dict[str, object] | None:
    membership = getattr(request, "membership", None)
    if membership is None or membership.role != Role.PARTNER:
        return None
    return {"portal": selectors_public.partner_portal(viewer=membership)}


def learner_panel_context(request: HttpRequest) -> dict[str, object] | None:
    membership = getattr(request, "membership", None)
    if membership is None or membership.role != Role.LEARNER:
        return None
    due = selectors_public.learner_evaluations_due(viewer=membership)
    return {"due": due} if due else None


def staff_panel_context(request: HttpRequest) -> dict[str, object] | None:
    """Links to the public page's work; no query, so core's home keeps its count."""
    membership = getattr(request, "membership", None)
    if membership is None or membership.role not in STAFF_ROLES:
        return None
    return {
        "public_url": reverse("partners:public_page", args=[membership.institution.slug]),
        "runner": membership.role in PARTNER_RUNNERS,
    }


def register() -> None:
    register_home_panel(
        HomePanel(
            key="partners_public_work",
            template="partners/home/_staff_public.html",
            roles=STAFF_ROLES,
            context=staff_panel_context,
            order=60,
        )
    )
    register_home_panel(
        HomePanel(
            key="partners_portal",
            template="partners/home/_partner_portal.html",
            roles=frozenset({Role.PARTNER}),
            context=partner_panel_context,
            order=10,
        )
    )
    register_home_panel(
        HomePanel(
            key="partners_learner_evaluations",
            template="partners/home/_learner_evaluations.html",
            roles=frozenset({Role.LEARNER}),
            context=learner_panel_context,
            order=40,
        )
    )
