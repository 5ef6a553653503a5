"""The role-aware main menu. Later modules add their entries here."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import STAFF_ROLES, Membership, Role

ALL = frozenset(Role.values)
STAFF = STAFF_ROLES


@dataclass(frozen=True)
class MenuEntry:
    url_name: str
    label: Promise
    roles: frozenset[str]


@dataclass(frozen=True)
class MenuItem:
    url: str
    label: Promise
    current: bool


MENU: tuple[MenuEntry, ...] = (
    MenuEntry("home", _("Home"), ALL),
    MenuEntry("programme_list", _("Programmes"), STAFF),
    MenuEntry("people_list", _("People"), STAFF),
    MenuEntry("partners:organisation_list", _("Partners"), STAFF),
    MenuEntry("partners:pipeline_board", _("Pipeline"), STAFF),
    MenuEntry("partners:opportunity_list", _("Opportunities"), STAFF | {Role.PARTNER}),
    MenuEntry("partners:agreement_list", _("Agreements"), STAFF | {Role.PARTNER}),
    MenuEntry(
        "partners:placement_list",
        _("Placements"),
        STAFF | {Role.PARTNER, Role.LEARNER},
    ),
    MenuEntry("mentoring:programme_list", _("Mentoring"), STAFF),
    MenuEntry("mentoring:home", _("Mentoring"), frozenset({Role.LEARNER, Role.PARTNER})),
    MenuEntry("voice:inbox", _("Learner voice"), STAFF),
    MenuEntry("voice:speak_up", _("Speak up"), frozenset({Role.LEARNER})),
    MenuEntry("voice:board", _("You said, we did"), frozenset({Role.LEARNER})),
    MenuEntry("voice:report", _("Learner voice reports"), frozenset({Role.STAKEHOLDER})),
    MenuEntry("voice:support_case_list", _("Support requests"), frozenset({Role.SUPPORT})),
    MenuEntry("invitation_list", _("Invitations"), frozenset({Role.ADMIN})),
    MenuEntry("audit_list", _("Audit log"), frozenset({Role.ADMIN})),
    MenuEntry("institution_settings", _("Institution"), frozenset({Role.ADMIN})),
    MenuEntry("profile", _("My profile"), ALL),
)


def menu_for(membership: Membership, path: str) -> list[MenuItem]:
    items = []
    for entry in MENU:
        if membership.role not in entry.roles:
            continue
        url = reverse(entry.url_name)
        current = path == url if url == "/" else path.startswith(url)
        items.append(MenuItem(url=url, label=entry.label, current=current))
    return items
