"""Who reaches the staff side of learner voice.

- Every staff role reads released items, writes internal notes and sees actions,
  assemblies, people and reports. Coordinators and admins triage any item, reply and
  publish responses; a staff member triages the items they own.
- **Management is the admin role**: only admins allocate resources (seed 004: the
  managers provide money, staff time, curriculum time and space). Coordinators plan
  actions and run assemblies, the register and training records.
- Learners read the "You said, we did" board (and their own receipt thread, on the
  learner side). Stakeholder accounts read only the aggregated, suppressed reports.
- Anything of another institution is 404.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404

from guildhouse.core.access import require_role
from guildhouse.core.models import STAFF_ROLES, Membership, Role
from guildhouse.voice.models import Action, Assembly, Item, Stakeholder

VOICE_STAFF = STAFF_ROLES
VOICE_RUNNERS = frozenset({Role.ADMIN, Role.COORDINATOR})
MANAGEMENT = frozenset({Role.ADMIN})
BOARD_READERS = STAFF_ROLES | {Role.LEARNER}
REPORT_READERS = STAFF_ROLES | {Role.STAKEHOLDER}


def may_triage(viewer: Membership, item: Item) -> bool:
    if viewer.institution_id != item.institution_id:
        return False
    return viewer.role in VOICE_RUNNERS or (
        viewer.role in VOICE_STAFF and item.owner_id == viewer.pk
    )


def access_staff_item(viewer: Membership, pk: uuid.UUID, *, for_change: bool = False) -> Item:
    """A released, visible item of the viewer's institution (waiting or hidden: 404)."""
    try:
        item = (
            Item.objects.visible()
            .select_related("category", "programme", "owner__user", "batch")
            .get(pk=pk, institution_id=viewer.institution_id)
        )
    except Item.DoesNotExist:
        raise Http404("No such item.") from None
    require_role(viewer, VOICE_STAFF)
    if for_change and not may_triage(viewer, item):
        raise PermissionDenied("Only coordinators and the item's owner may change this.")
    return item


def access_action(viewer: Membership, pk: int, *, for_change: bool = False) -> Action:
    try:
        action = Action.objects.select_related("category", "owner__user", "assembly").get(
            pk=pk, institution_id=viewer.institution_id
        )
    except Action.DoesNotExist:
        raise Http404("No such action.") from None
    require_role(viewer, VOICE_RUNNERS if for_change else VOICE_STAFF)
    return action


def access_assembly(viewer: Membership, pk: int, *, for_change: bool = False) -> Assembly:
    try:
        assembly = Assembly.objects.get(pk=pk, institution_id=viewer.institution_id)
    except Assembly.DoesNotExist:
        raise Http404("No such assembly.") from None
    require_role(viewer, VOICE_RUNNERS if for_change else VOICE_STAFF)
    return assembly


def access_stakeholder(viewer: Membership, pk: int, *, for_change: bool = False) -> Stakeholder:
    try:
        stakeholder = Stakeholder.objects.get(pk=pk, institution_id=viewer.institution_id)
    except Stakeholder.DoesNotExist:
        raise Http404("No such stakeholder.") from None
    require_role(viewer, VOICE_RUNNERS if for_change else VOICE_STAFF)
    return stakeholder
