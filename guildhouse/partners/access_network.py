"""Who may reach goals, programme alignment, CPD records and events.

Goals and alignment: every staff role reads them, coordinators and admins change them.
CPD records: each staff member keeps their own; coordinators and admins see the totals
of everyone. Events: staff see and run them; a learner or partner contact reaches an
event only as one of its attendees (any other is 404). Outside the institution: 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from guildhouse.core.access import require_role
from guildhouse.core.models import Membership, Programme, Role
from guildhouse.partners.access import PARTNER_RUNNERS, PARTNER_WORKERS
from guildhouse.partners.models import CpdActivity, EventAttendee, Goal, PartnerEvent

# Who may be listed as an attendee, or reach an event they attend.
EVENT_GUESTS = frozenset({Role.LEARNER, Role.PARTNER})


def access_goal(viewer: Membership, pk: int, *, for_change: bool = False) -> Goal:
    try:
        goal = Goal.objects.select_related("programme").get(
            pk=pk, institution_id=viewer.institution_id
        )
    except Goal.DoesNotExist:
        raise Http404("No such goal.") from None
    require_role(viewer, PARTNER_RUNNERS if for_change else PARTNER_WORKERS)
    return goal


def access_aligned_programme(viewer: Membership, pk: int, *, for_change: bool = False) -> Programme:
    try:
        programme = Programme.objects.get(pk=pk, institution_id=viewer.institution_id)
    except Programme.DoesNotExist:
        raise Http404("No such programme.") from None
    require_role(viewer, PARTNER_RUNNERS if for_change else PARTNER_WORKERS)
    return programme


def access_cpd_activity(viewer: Membership, pk: int) -> CpdActivity:
    """A CPD record is changed only by the staff member who kept it."""
    try:
        activity = CpdActivity.objects.select_related("membership").get(
            pk=pk, membership__institution_id=viewer.institution_id
        )
    except CpdActivity.DoesNotExist:
        raise Http404("No such record.") from None
    require_role(viewer, PARTNER_WORKERS)
    if activity.membership_id != viewer.pk:
        raise PermissionDenied("Only the staff member who recorded this may change it.")
    return activity


def _attends(viewer: Membership, event: PartnerEvent) -> bool:
    attendees = EventAttendee.objects.filter(event=event)
    if viewer.role == Role.PARTNER:
        return attendees.filter(contact__membership=viewer).exists()
    return attendees.filter(membership=viewer).exists()


def access_event(viewer: Membership, pk: int, *, for_change: bool = False) -> PartnerEvent:
    try:
        event = PartnerEvent.objects.get(pk=pk, institution_id=viewer.institution_id)
    except PartnerEvent.DoesNotExist:
        raise Http404("No such event.") from None
    if viewer.role in EVENT_GUESTS and not for_change:
        if not _attends(viewer, event):
            raise Http404("No such event.")
        return event
    require_role(viewer, PARTNER_WORKERS)
    return event
