"""Access functions for peer mentoring: the one way views reach a mentoring object.

Objects of another institution raise ``Http404``; objects the viewer's role may not
see raise ``PermissionDenied``. Who may do what is described in docs/mentoring.md.
"""

from __future__ import annotations

from django.http import Http404

from guildhouse.core.access import require_role
from guildhouse.core.models import Membership, Role
from guildhouse.mentoring.models import MentoringProgramme

# Staff who run mentoring programmes: create, edit, screen, match, publish.
MANAGERS = frozenset({Role.ADMIN, Role.COORDINATOR})
# Staff who may read a programme and its participants (teachers see the programme only).
PROGRAMME_READERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.STAFF, Role.SUPPORT})
# People who may take part: learners as mentees or peer mentors, partner contacts as
# industry mentors.
PARTICIPANT_ROLES = frozenset({Role.LEARNER, Role.PARTNER})
# Who uses the mentoring pages at all.
MENTORING_ROLES = PROGRAMME_READERS | PARTICIPANT_ROLES


def access_mentoring_programme(
    viewer: Membership, pk: int, *, for_change: bool = False
) -> MentoringProgramme:
    try:
        programme = MentoringProgramme.objects.get(pk=pk, institution_id=viewer.institution_id)
    except MentoringProgramme.DoesNotExist:
        raise Http404("No such mentoring programme.") from None
    require_role(viewer, MANAGERS if for_change else PROGRAMME_READERS)
    return programme
