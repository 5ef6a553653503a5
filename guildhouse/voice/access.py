"""Who may reach which learner-voice object.

Learners write, read the public items and support or report them; they reach their
own item's thread only through its receipt code (no account link exists to check).
Staff of the institution read released items (teachers are the first point of
contact); coordinators and admins run the module (settings, consultations,
moderation); support staff alone see identified support cases. Outside the active
institution: 404.
"""

from __future__ import annotations

import uuid

from django.http import Http404

from guildhouse.core.access import require_role
from guildhouse.core.models import STAFF_ROLES, Membership, Role
from guildhouse.voice.models import Category, Consultation, Item, SupportCase

VOICE_STAFF = STAFF_ROLES
VOICE_RUNNERS = frozenset({Role.ADMIN, Role.COORDINATOR})
LEARNERS = frozenset({Role.LEARNER})
SUPPORT_CASE_READERS = frozenset({Role.SUPPORT})
# Who may report an item: the learners who read them, and staff.
REPORTERS = STAFF_ROLES | LEARNERS


def access_item(viewer: Membership, pk: uuid.UUID, *, roles: frozenset[str]) -> Item:
    """A released, visible item of the viewer's institution (a hidden one only for runners)."""
    items = Item.objects.filter(institution_id=viewer.institution_id, batch__isnull=False)
    try:
        item = items.select_related("category").get(pk=pk)
    except Item.DoesNotExist:
        raise Http404("No such item.") from None
    require_role(viewer, roles)
    if item.hidden and viewer.role not in VOICE_RUNNERS:
        raise Http404("No such item.")
    return item


def access_category(viewer: Membership, pk: int) -> Category:
    try:
        category = Category.objects.get(pk=pk, institution_id=viewer.institution_id)
    except Category.DoesNotExist:
        raise Http404("No such category.") from None
    require_role(viewer, VOICE_RUNNERS)
    return category


def access_consultation(viewer: Membership, pk: int, *, roles: frozenset[str]) -> Consultation:
    try:
        consultation = Consultation.objects.get(pk=pk, institution_id=viewer.institution_id)
    except Consultation.DoesNotExist:
        raise Http404("No such consultation.") from None
    require_role(viewer, roles)
    return consultation


def access_support_case(viewer: Membership, pk: int) -> SupportCase:
    """An identified support request of the viewer's institution, for support staff only."""
    try:
        case = SupportCase.objects.select_related("membership__user").get(
            pk=pk, institution_id=viewer.institution_id
        )
    except SupportCase.DoesNotExist:
        raise Http404("No such support request.") from None
    require_role(viewer, SUPPORT_CASE_READERS)
    return case
