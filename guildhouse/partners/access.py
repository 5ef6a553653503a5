"""Who may reach which partnership object.

Staff of the institution (admin, coordinator, staff, support) see and work with
partners; coordinators and admins run the module (pipeline settings, any
organisation). A staff member may change an organisation they own. Partner contacts,
learners and stakeholders reach only their own things (later: placements,
agreements), never the relationship records. Outside the active institution: 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from guildhouse.core.access import require_role
from guildhouse.core.models import STAFF_ROLES, Membership, Role
from guildhouse.partners.models import (
    Affiliation,
    Agreement,
    Commitment,
    Contact,
    EvaluationBy,
    FollowUp,
    Interaction,
    Opportunity,
    OpportunityPeriod,
    Organisation,
    Placement,
    PlacementRequest,
    Stage,
    SuccessStory,
    Testimonial,
)

# Who sees organisations, contacts, the pipeline, and logs notes and interactions.
PARTNER_WORKERS = STAFF_ROLES
# Who sees opportunities and placements at all (partners only their organisations',
# learners only their own placements).
OPPORTUNITY_READERS = STAFF_ROLES | {Role.PARTNER}
PLACEMENT_READERS = STAFF_ROLES | {Role.PARTNER, Role.LEARNER}
# Who runs the module: pipeline settings, any organisation, linking partner accounts.
PARTNER_RUNNERS = frozenset({Role.ADMIN, Role.COORDINATOR})


def may_change_organisation(viewer: Membership, organisation: Organisation) -> bool:
    if viewer.institution_id != organisation.institution_id:
        return False
    if viewer.role in PARTNER_RUNNERS:
        return True
    return viewer.role in PARTNER_WORKERS and organisation.owners.filter(pk=viewer.pk).exists()


def access_organisation(viewer: Membership, pk: int, *, for_change: bool = False) -> Organisation:
    try:
        organisation = Organisation.objects.select_related("stage").get(
            pk=pk, institution_id=viewer.institution_id
        )
    except Organisation.DoesNotExist:
        raise Http404("No such organisation.") from None
    require_role(viewer, PARTNER_WORKERS)
    if for_change and not may_change_organisation(viewer, organisation):
        raise PermissionDenied("Only its relationship owners and coordinators may change this.")
    return organisation


def access_contact(viewer: Membership, pk: int, *, for_change: bool = False) -> Contact:
    try:
        contact = Contact.objects.select_related("membership__user").get(
            pk=pk, institution_id=viewer.institution_id
        )
    except Contact.DoesNotExist:
        raise Http404("No such contact.") from None
    require_role(viewer, PARTNER_RUNNERS if for_change else PARTNER_WORKERS)
    return contact


def access_affiliation(viewer: Membership, pk: int) -> Affiliation:
    try:
        affiliation = Affiliation.objects.select_related(
            "organisation__institution", "contact"
        ).get(pk=pk, organisation__institution_id=viewer.institution_id)
    except Affiliation.DoesNotExist:
        raise Http404("No such affiliation.") from None
    require_role(viewer, PARTNER_WORKERS)
    return affiliation


def access_stage(viewer: Membership, pk: int) -> Stage:
    try:
        stage = Stage.objects.get(pk=pk, institution_id=viewer.institution_id)
    except Stage.DoesNotExist:
        raise Http404("No such stage.") from None
    require_role(viewer, PARTNER_RUNNERS)
    return stage


def access_interaction(viewer: Membership, pk: int, *, for_change: bool = False) -> Interaction:
    """Staff see interactions; their author and coordinators may remove one."""
    try:
        interaction = Interaction.objects.select_related("organisation__institution").get(
            pk=pk, organisation__institution_id=viewer.institution_id
        )
    except Interaction.DoesNotExist:
        raise Http404("No such interaction.") from None
    require_role(viewer, PARTNER_WORKERS)
    if (
        for_change
        and viewer.role not in PARTNER_RUNNERS
        and interaction.created_by_id != viewer.user_id
    ):
        raise PermissionDenied("Only its author and coordinators may remove this.")
    return interaction


def access_follow_up(viewer: Membership, pk: int) -> FollowUp:
    """A follow-up is ticked off by its owner, the organisation's owners or coordinators."""
    try:
        follow_up = FollowUp.objects.select_related("organisation__institution").get(
            pk=pk, organisation__institution_id=viewer.institution_id
        )
    except FollowUp.DoesNotExist:
        raise Http404("No such follow-up.") from None
    require_role(viewer, PARTNER_WORKERS)
    if follow_up.owner_id != viewer.pk and not may_change_organisation(
        viewer, follow_up.organisation
    ):
        raise PermissionDenied("Only its owner and the relationship's owners may change this.")
    return follow_up


def access_commitment(viewer: Membership, pk: int) -> Commitment:
    """A promise is closed by its owner, the organisation's owners or coordinators."""
    try:
        commitment = Commitment.objects.select_related("organisation__institution").get(
            pk=pk, organisation__institution_id=viewer.institution_id
        )
    except Commitment.DoesNotExist:
        raise Http404("No such commitment.") from None
    require_role(viewer, PARTNER_WORKERS)
    if commitment.owner_id != viewer.pk and not may_change_organisation(
        viewer, commitment.organisation
    ):
        raise PermissionDenied("Only its owner and the relationship's owners may change this.")
    return commitment


def partner_organisation_ids(viewer: Membership) -> list[int]:
    """The organisations a partner contact currently works at (empty for other roles)."""
    if viewer.role != Role.PARTNER:
        return []
    return list(
        Affiliation.objects.current()
        .filter(contact__membership=viewer, organisation__institution_id=viewer.institution_id)
        .values_list("organisation_id", flat=True)
    )


def access_opportunity(viewer: Membership, pk: int, *, for_change: bool = False) -> Opportunity:
    """Staff see every opportunity; a partner contact only their organisations' (others
    are 404, as if they did not exist). Changing one needs the right to change its
    organisation."""
    try:
        opportunity = Opportunity.objects.select_related("organisation__institution").get(
            pk=pk, organisation__institution_id=viewer.institution_id
        )
    except Opportunity.DoesNotExist:
        raise Http404("No such opportunity.") from None
    require_role(viewer, OPPORTUNITY_READERS)
    if viewer.role == Role.PARTNER:
        if opportunity.organisation_id not in partner_organisation_ids(viewer):
            raise Http404("No such opportunity.")
        if for_change:
            raise PermissionDenied("Partner contacts do not change opportunities here.")
    elif for_change and not may_change_organisation(viewer, opportunity.organisation):
        raise PermissionDenied("Only its relationship owners and coordinators may change this.")
    return opportunity


def access_period(viewer: Membership, pk: int) -> OpportunityPeriod:
    """A period, to propose a learner for it: staff only."""
    try:
        period = OpportunityPeriod.objects.select_related(
            "opportunity__organisation__institution"
        ).get(pk=pk, opportunity__organisation__institution_id=viewer.institution_id)
    except OpportunityPeriod.DoesNotExist:
        raise Http404("No such period.") from None
    require_role(viewer, PARTNER_WORKERS)
    return period


def access_placement(viewer: Membership, pk: int, *, for_change: bool = False) -> Placement:
    """Staff see every placement and may record its documents; coordinators confirm and
    cancel (checked by the view with ``PARTNER_RUNNERS``). A learner sees only their own
    placements, a partner contact only their organisations'; any other is 404."""
    try:
        placement = Placement.objects.select_related(
            "period__opportunity__organisation__institution", "learner__user"
        ).get(pk=pk, learner__institution_id=viewer.institution_id)
    except Placement.DoesNotExist:
        raise Http404("No such placement.") from None
    require_role(viewer, PARTNER_WORKERS if for_change else PLACEMENT_READERS)
    if viewer.role == Role.LEARNER and placement.learner_id != viewer.pk:
        raise Http404("No such placement.")
    if viewer.role == Role.PARTNER and (
        placement.period.opportunity.organisation_id not in partner_organisation_ids(viewer)
    ):
        raise Http404("No such placement.")
    return placement


def access_agreement(viewer: Membership, pk: int, *, for_change: bool = False) -> Agreement:
    """Staff read agreements, coordinators and admins draft and sign them; a partner
    contact reads their organisations' agreements (others are 404)."""
    try:
        agreement = Agreement.objects.select_related("organisation__institution", "amends").get(
            pk=pk, organisation__institution_id=viewer.institution_id
        )
    except Agreement.DoesNotExist:
        raise Http404("No such agreement.") from None
    require_role(viewer, PARTNER_RUNNERS if for_change else OPPORTUNITY_READERS)
    if viewer.role == Role.PARTNER and (
        agreement.organisation_id not in partner_organisation_ids(viewer)
    ):
        raise Http404("No such agreement.")
    return agreement


# --- Public page, feedback and placement requests (issue 9, items 4, 9, 10, 12) -------


def access_story(viewer: Membership, pk: int) -> SuccessStory:
    """Coordinators and admins write and publish success stories."""
    try:
        story = SuccessStory.objects.select_related("organisation").get(
            pk=pk, institution_id=viewer.institution_id
        )
    except SuccessStory.DoesNotExist:
        raise Http404("No such story.") from None
    require_role(viewer, PARTNER_RUNNERS)
    return story


def access_testimonial(viewer: Membership, pk: int, *, for_consent: bool = False) -> Testimonial:
    """Staff read testimonials and coordinators publish them. Consent is given or
    withdrawn by the author (a partner contact, for their own words only) or recorded
    by a coordinator; any other partner contact gets 404."""
    try:
        testimonial = Testimonial.objects.select_related(
            "organisation__institution", "contact__membership"
        ).get(pk=pk, organisation__institution_id=viewer.institution_id)
    except Testimonial.DoesNotExist:
        raise Http404("No such testimonial.") from None
    if viewer.role == Role.PARTNER:
        if testimonial.contact is None or testimonial.contact.membership_id != viewer.pk:
            raise Http404("No such testimonial.")
        return testimonial
    require_role(viewer, PARTNER_RUNNERS if for_consent else PARTNER_WORKERS)
    return testimonial


def access_request(viewer: Membership, pk: int, *, for_answer: bool = False) -> PlacementRequest:
    """Staff see every placement request; a partner contact sees and answers those of
    their organisations (others are 404). Staff who may change the employer record an
    answer it gave outside Guildhouse; other staff read only (403)."""
    try:
        request = PlacementRequest.objects.select_related(
            "opportunity__organisation__institution", "period", "programme", "answered_by"
        ).get(pk=pk, opportunity__organisation__institution_id=viewer.institution_id)
    except PlacementRequest.DoesNotExist:
        raise Http404("No such request.") from None
    require_role(viewer, OPPORTUNITY_READERS)
    if viewer.role == Role.PARTNER:
        if request.opportunity.organisation_id not in partner_organisation_ids(viewer):
            raise Http404("No such request.")
    elif for_answer and not may_record_answer(viewer, request):
        raise PermissionDenied("Only its relationship owners and coordinators record an answer.")
    return request


def may_record_answer(viewer: Membership, request: PlacementRequest) -> bool:
    """Staff who may change the employer record the answer it gave by phone or email."""
    return viewer.role in PARTNER_WORKERS and may_change_organisation(
        viewer, request.opportunity.organisation
    )


def partner_contact(viewer: Membership) -> Contact | None:
    """The contact record linked to a partner account (``None`` for other roles)."""
    if viewer.role != Role.PARTNER:
        return None
    return Contact.objects.filter(membership=viewer, institution_id=viewer.institution_id).first()


def evaluation_side(viewer: Membership, placement: Placement) -> EvaluationBy:
    """Who evaluates ``placement`` (already reached through ``access_placement``): its
    employer's contacts, or the learner themself. Staff read, never answer: 403."""
    if viewer.role == Role.PARTNER:
        return EvaluationBy.EMPLOYER
    if viewer.role == Role.LEARNER and placement.learner_id == viewer.pk:
        return EvaluationBy.LEARNER
    raise PermissionDenied("Only the employer and the learner evaluate a placement.")
