"""Access to monitoring: the board and pair actions for those who run programmes; flags for
the person who raised them, coordinators, and support staff when the topic is theirs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from guildhouse.core.access import require_role
from guildhouse.core.models import Membership, Role
from guildhouse.mentoring.access import MANAGERS
from guildhouse.mentoring.models import Flag

# Who sees the monitoring board, the overdue contacts and a pair's monitoring page.
MONITORS = MANAGERS


def access_flag(viewer: Membership, pk: int, *, for_change: bool = False) -> Flag:
    """A flag: its raiser may read it; coordinators and admins read and resolve it;
    support staff too when it is about wellbeing or safety. Never the other person."""
    try:
        flag = Flag.objects.select_related(
            "relationship__programme",
            "relationship__mentee__membership__user",
            "relationship__mentor__membership__user",
            "raised_by__user",
            "resolved_by",
        ).get(pk=pk, relationship__programme__institution_id=viewer.institution_id)
    except Flag.DoesNotExist:
        raise Http404("No such flag.") from None
    if flag.raised_by_id == viewer.pk and not for_change:
        return flag
    if viewer.role == Role.SUPPORT and flag.reaches_support:
        return flag
    require_role(viewer, MONITORS)
    return flag


def require_pair_member(viewer: Membership, *people: int) -> None:
    if viewer.pk not in people:
        raise PermissionDenied("Only the two people in a pair can do this.")
