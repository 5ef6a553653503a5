"""Access functions for peer mentoring: the one way views reach a mentoring object.

Objects of another institution raise ``Http404``; objects the viewer's role may not
see raise ``PermissionDenied``. Who may do what is described in docs/mentoring.md.
"""

from __future__ import annotations

from django.http import Http404

from guildhouse.core.access import SPECIAL_CATEGORY_READERS, require_role
from guildhouse.core.models import Membership, Role
from guildhouse.mentoring.models import (
    Application,
    Goal,
    MatchingRun,
    Meeting,
    MentoringProgramme,
    Relationship,
    State,
    SurveyResponse,
)

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


# Who reads applications: coordinators who screen them, admins, and support staff who
# arrange adjustments. Teachers see the programme, not who applied.
APPLICATION_READERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.SUPPORT})
# Accessibility needs: the rule, coordinators and support staff only.
ACCESSIBILITY_READERS = frozenset({Role.COORDINATOR, Role.SUPPORT})


def access_programme_to_apply(viewer: Membership, pk: int) -> MentoringProgramme:
    """A programme the viewer could apply to: recruiting, in their institution.

    Programmes that are not recruiting are not shown to participants at all (404).
    """
    try:
        programme = MentoringProgramme.objects.get(pk=pk, institution_id=viewer.institution_id)
    except MentoringProgramme.DoesNotExist:
        raise Http404("No such mentoring programme.") from None
    require_role(viewer, PARTICIPANT_ROLES)
    if programme.state != State.RECRUITING:
        raise Http404("This programme is not taking applications.")
    return programme


def access_application(viewer: Membership, pk: int, *, for_change: bool = False) -> Application:
    try:
        application = Application.objects.select_related(
            "programme", "membership__user", "membership__learner_profile__programme"
        ).get(pk=pk, programme__institution_id=viewer.institution_id)
    except Application.DoesNotExist:
        raise Http404("No such application.") from None
    if application.membership_id == viewer.pk and not for_change:
        return application
    require_role(viewer, MANAGERS if for_change else APPLICATION_READERS)
    return application


def accessibility_readable(viewer: Membership, application: Application) -> bool:
    return application.membership_id == viewer.pk or viewer.role in ACCESSIBILITY_READERS


def preference_readable(viewer: Membership, application: Application) -> bool:
    """Matching preferences are special-category data: the person and support staff only."""
    return application.membership_id == viewer.pk or viewer.role in SPECIAL_CATEGORY_READERS


# Who sees a pair: its two people, the coordinators and admins who run the programme,
# and support staff. Teachers and stakeholders do not.
RELATIONSHIP_READERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.SUPPORT})


def access_relationship(viewer: Membership, pk: int, *, for_change: bool = False) -> Relationship:
    """A pair, for its two people and the readers; ``for_change`` (pause, close): managers."""
    try:
        relationship = Relationship.objects.select_related(
            "programme", "mentor__membership__user", "mentee__membership__user"
        ).get(pk=pk, programme__institution_id=viewer.institution_id)
    except Relationship.DoesNotExist:
        raise Http404("No such pair.") from None
    if not for_change and viewer.pk in (
        relationship.mentor.membership_id,
        relationship.mentee.membership_id,
    ):
        return relationship
    require_role(viewer, MANAGERS if for_change else RELATIONSHIP_READERS)
    return relationship


def access_matching_run(viewer: Membership, pk: int) -> MatchingRun:
    try:
        run = MatchingRun.objects.select_related("programme").get(
            pk=pk, programme__institution_id=viewer.institution_id
        )
    except MatchingRun.DoesNotExist:
        raise Http404("No such matching run.") from None
    require_role(viewer, MANAGERS)
    return run


def access_meeting(viewer: Membership, pk: int, *, for_change: bool = False) -> Meeting:
    """A meeting, for whoever may see its pair (``access_relationship``'s rule); only the
    pair's two people may change it (its log holds their private notes)."""
    try:
        meeting = Meeting.objects.select_related(
            "relationship__programme",
            "relationship__mentor__membership__user",
            "relationship__mentee__membership__user",
        ).get(pk=pk, relationship__programme__institution_id=viewer.institution_id)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting.") from None
    relationship = meeting.relationship
    if viewer.pk not in (relationship.mentor.membership_id, relationship.mentee.membership_id):
        require_role(viewer, frozenset() if for_change else RELATIONSHIP_READERS)
    return meeting


def meeting_notes_readable(viewer: Membership, meeting: Meeting) -> bool:
    """Notes are private to the pair, unless they shared them with the coordinator."""
    relationship = meeting.relationship
    if viewer.pk in (relationship.mentor.membership_id, relationship.mentee.membership_id):
        return True
    return meeting.notes_shared and viewer.role in RELATIONSHIP_READERS


# --- Goals and survey answers (issue 10, items 7 and 8) -------------------------------
# A mentee's goals and both sides' survey answers: the pair's own people (survey answers:
# only the respondent) and the coordinators and admins who run the programme. Not
# support staff, not teachers, never other learners (docs/mentoring.md).
PAIR_PRIVATE_READERS = MANAGERS


def in_pair(viewer: Membership, relationship: Relationship) -> bool:
    return viewer.pk in (relationship.mentor.membership_id, relationship.mentee.membership_id)


def goals_readable(viewer: Membership, relationship: Relationship) -> bool:
    return in_pair(viewer, relationship) or viewer.role in PAIR_PRIVATE_READERS


def access_goal(viewer: Membership, pk: int, *, for_change: bool = False) -> Goal:
    """A goal, for its pair and the coordinators; ``for_change``: the pair only."""
    try:
        goal = Goal.objects.select_related(
            "relationship__programme__institution",
            "relationship__mentor__membership__user",
            "relationship__mentee__membership__user",
        ).get(pk=pk, relationship__programme__institution_id=viewer.institution_id)
    except Goal.DoesNotExist:
        raise Http404("No such goal.") from None
    if not in_pair(viewer, goal.relationship):
        require_role(viewer, frozenset() if for_change else PAIR_PRIVATE_READERS)
    return goal


def survey_answers_readable(viewer: Membership, response: SurveyResponse) -> bool:
    """The respondent and the coordinators; never the other side of the pair."""
    return response.respondent_id == viewer.pk or viewer.role in PAIR_PRIVATE_READERS
