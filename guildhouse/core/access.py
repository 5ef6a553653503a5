"""Access functions: the one way views and endpoints reach an object.

Each takes the viewer's active membership and an id, and returns the object only
when it belongs to the viewer's active institution *and* the viewer's role may see
it. Objects outside the institution raise ``Http404`` (we do not confirm they
exist); objects inside it that the role may not see raise ``PermissionDenied``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from guildhouse.core.models import (
    STAFF_ROLES,
    AuditEvent,
    Invitation,
    Membership,
    Programme,
    Role,
    SpecialCategoryData,
)

# Who may browse the people directory and see others' profiles.
PEOPLE_READERS = STAFF_ROLES
PROGRAMME_READERS = STAFF_ROLES
# Special-category data is read only by the person and by support staff, who
# arrange adjustments; managers and teachers see that adjustments exist, not why.
SPECIAL_CATEGORY_READERS = frozenset({Role.SUPPORT})


def require_role(viewer: Membership, roles: frozenset[str]) -> None:
    if viewer.role not in roles:
        raise PermissionDenied("Your role does not give access to this page.")


def access_programme(viewer: Membership, pk: int, *, for_change: bool = False) -> Programme:
    try:
        programme = Programme.objects.get(pk=pk, institution_id=viewer.institution_id)
    except Programme.DoesNotExist:
        raise Http404("No such programme.") from None
    require_role(viewer, frozenset({Role.ADMIN}) if for_change else PROGRAMME_READERS)
    return programme


def access_member(viewer: Membership, pk: int, *, for_change: bool = False) -> Membership:
    """A membership of the viewer's institution. Everyone may see their own."""
    try:
        member = Membership.objects.select_related("user", "institution").get(
            pk=pk, institution_id=viewer.institution_id
        )
    except Membership.DoesNotExist:
        raise Http404("No such person.") from None
    if member.pk == viewer.pk and not for_change:
        return member
    require_role(viewer, frozenset({Role.ADMIN}) if for_change else PEOPLE_READERS)
    return member


def access_invitation(viewer: Membership, pk: int) -> Invitation:
    try:
        invitation = Invitation.objects.get(pk=pk, institution_id=viewer.institution_id)
    except Invitation.DoesNotExist:
        raise Http404("No such invitation.") from None
    require_role(viewer, frozenset({Role.ADMIN}))
    return invitation


def access_audit_event(viewer: Membership, pk: int) -> AuditEvent:
    try:
        event = AuditEvent.objects.select_related("actor").get(
            pk=pk, institution_id=viewer.institution_id
        )
    except AuditEvent.DoesNotExist:
        raise Http404("No such audit event.") from None
    require_role(viewer, frozenset({Role.ADMIN}))
    return event


def special_category_readable(viewer: Membership, subject: Membership) -> bool:
    if viewer.institution_id != subject.institution_id:
        return False
    return viewer.pk == subject.pk or viewer.role in SPECIAL_CATEGORY_READERS


def access_special_category(viewer: Membership, subject: Membership) -> SpecialCategoryData | None:
    """The subject's special-category data if the viewer may read it, else ``None``."""
    if not special_category_readable(viewer, subject):
        return None
    return SpecialCategoryData.objects.filter(membership=subject).first()
