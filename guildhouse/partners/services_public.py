"""Writes for the value proposition, the public "Partner with us" page and its interest
form, success stories, testimonials, the satisfaction survey, end-of-placement
evaluations and placement requests (issue 9, items 4, 9, 10 and 12)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guildhouse.core.audit import audit_record
from guildhouse.core.models import STAFF_ROLES, Institution, Programme, Role, User
from guildhouse.core.selectors import role_users
from guildhouse.notifications.api import notify, register_kind
from guildhouse.partners import selectors
from guildhouse.partners.models import (
    Affiliation,
    Contact,
    EvaluationBy,
    InterestSubmission,
    Opportunity,
    OpportunityPeriod,
    Organisation,
    Placement,
    PlacementEvaluation,
    PlacementRequest,
    PlacementStatus,
    RequestStatus,
    ResearchNote,
    SatisfactionResponse,
    Source,
    StageChange,
    SuccessStory,
    Testimonial,
    ValueProposition,
)
from guildhouse.partners.services import (
    name_key,
    organisation_duplicates,
    stages_ensure,
    website_domain,
)

INTEREST_RECEIVED = "partners.interest_received"
PLACEMENT_REQUESTED = "partners.placement_requested"
REQUEST_ANSWERED = "partners.request_answered"
register_kind(
    INTEREST_RECEIVED, label=gettext_lazy("A business asked to partner with us"), roles=STAFF_ROLES
)
register_kind(
    PLACEMENT_REQUESTED,
    label=gettext_lazy("We asked my organisation for places"),
    roles={Role.PARTNER},
)
register_kind(
    REQUEST_ANSWERED,
    label=gettext_lazy("An employer answered my placement request"),
    roles=STAFF_ROLES,
)

# What a visitor may tick on the interest form (stored as these keys).
INTEREST_TOPICS = {
    "placements": gettext_lazy("Hosting learners on placements or apprenticeships"),
    "recruiting": gettext_lazy("Recruiting our graduates"),
    "training": gettext_lazy("Customised training for our staff"),
    "facilities": gettext_lazy("Using your facilities or equipment"),
    "projects": gettext_lazy("Projects, guest lectures or an advisory board"),
}

# The evaluation form opens this many days before the placement's last day.
EVALUATION_OPENS_DAYS_BEFORE_END = 7


# --- Value proposition and stories ----------------------------------------------------


def offer_save(
    *,
    actor: User,
    institution: Institution,
    headline: str,
    introduction: str = "",
    talent_pool: str = "",
    customised_training: str = "",
    facilities: str = "",
    expertise: str = "",
    is_published: bool = False,
) -> ValueProposition:
    """Write (or rewrite) the institution's offer to businesses."""
    offer = ValueProposition.objects.filter(institution=institution).first() or ValueProposition(
        institution=institution
    )
    offer.headline = headline.strip()
    offer.introduction = introduction.strip()
    offer.talent_pool = talent_pool.strip()
    offer.customised_training = customised_training.strip()
    offer.facilities = facilities.strip()
    offer.expertise = expertise.strip()
    offer.is_published = is_published
    offer.updated_at = timezone.now()
    offer.updated_by = actor
    offer.full_clean()
    with transaction.atomic(durable=True):
        offer.save()
        audit_record(
            actor=actor,
            institution=institution,
            action="partners_offer_save",
            obj=offer,
            changes={"headline": offer.headline, "is_published": is_published},
        )
    return offer


def story_save(
    *,
    actor: User,
    institution: Institution,
    story: SuccessStory | None,
    title: str,
    body: str,
    organisation: Organisation | None = None,
) -> SuccessStory:
    """Add a success story (``story=None``) or change one."""
    if organisation is not None and organisation.institution_id != institution.pk:
        raise ValidationError({"organisation": _("Choose a partner of this institution.")})
    created = story is None
    story = story or SuccessStory(institution=institution, created_by=actor)
    story.title, story.body, story.organisation = title.strip(), body.strip(), organisation
    story.full_clean()
    with transaction.atomic(durable=True):
        story.save()
        audit_record(
            actor=actor,
            institution=institution,
            action="create" if created else "update",
            obj=story,
            changes={"title": story.title},
        )
    return story


def story_publish(*, actor: User, story: SuccessStory, publish: bool) -> SuccessStory:
    """Show the story on the public page, or take it off."""
    with transaction.atomic(durable=True):
        story.published_at = timezone.now() if publish else None
        story.save(update_fields=["published_at"])
        audit_record(
            actor=actor,
            institution=story.institution,
            action="partners_publish" if publish else "partners_unpublish",
            obj=story,
        )
    return story


# --- The interest form ----------------------------------------------------------------


def interest_submit(
    *,
    institution: Institution,
    organisation_name: str,
    full_name: str,
    email: str,
    phone: str = "",
    website: str = "",
    interests: Sequence[str] = (),
    message: str = "",
    today: datetime.date | None = None,
) -> InterestSubmission:
    """A visitor of the public page asks to partner with us.

    Duplicate detection runs as on the staff form (name, website domain, contact email);
    when it finds the organisation, the submission joins it (a research note, and the
    person as a contact if new) instead of making a second record. Otherwise a prospect
    is created at the first stage with source "web form". The relationship owners (or,
    when it has none, the coordinators) are notified after commit.
    """
    today = today or timezone.localdate()
    email = email.strip().lower()
    organisation_name, full_name = organisation_name.strip(), full_name.strip()
    if not organisation_name or not full_name or not email:
        raise ValidationError(_("Fill in your organisation, your name and your email address."))
    matches = organisation_duplicates(
        institution=institution, name=organisation_name, website=website, email=email
    )
    topics = [key for key in interests if key in INTEREST_TOPICS]
    with transaction.atomic(durable=True):
        if matches:
            org = Organisation.objects.select_for_update().get(pk=matches[0].organisation.pk)
        else:
            stage = stages_ensure(institution=institution)[0]
            org = Organisation(
                institution=institution,
                name=organisation_name,
                name_key=name_key(organisation_name),
                kind="business",
                website=website,
                website_domain=website_domain(website) if website else "",
                source=Source.WEB_FORM,
                stage=stage,
            )
            org.full_clean()
            org.save()
            StageChange.objects.create(organisation=org, from_stage=None, to_stage=stage)
            audit_record(
                actor=None,
                institution=institution,
                action="create",
                obj=org,
                changes={"name": org.name, "source": Source.WEB_FORM},
            )
        contact = Contact.objects.filter(institution=institution, email=email).first()
        if contact is None:
            contact = Contact(
                institution=institution, full_name=full_name, email=email, phone=phone.strip()
            )
            contact.full_clean()
            contact.save()
        if not contact.affiliations.current(today).filter(organisation=org).exists():
            Affiliation.objects.create(contact=contact, organisation=org, start_date=today)
        submission = InterestSubmission.objects.create(
            institution=institution,
            organisation=org,
            contact=contact,
            organisation_name=organisation_name,
            full_name=full_name,
            email=email,
            phone=phone.strip(),
            interests=topics,
            message=message.strip(),
            matched_existing=bool(matches),
        )
        labels = ", ".join(str(INTEREST_TOPICS[key]) for key in topics)
        ResearchNote.objects.create(
            organisation=org,
            author=None,
            body=_(
                "Interest form from %(name)s (%(email)s). Interested in: %(topics)s. %(message)s"
            )
            % {"name": full_name, "email": email, "topics": labels or "—", "message": message},
        )
        audit_record(
            actor=None,
            institution=institution,
            action="partners_interest_submit",
            obj=submission,
            changes={"organisation": org.pk, "matched_existing": bool(matches)},
        )
        owners = [m.user for m in org.owners.filter(is_active=True).select_related("user")]
        notify(
            recipients=owners or role_users(institution_id=institution.pk, role=Role.COORDINATOR),
            kind=INTEREST_RECEIVED,
            institution=institution,
            subject=gettext_lazy("%(org)s asked to partner with us"),
            body=gettext_lazy("%(name)s sent the form on the public page: %(message)s"),
            context={"org": org.name, "name": full_name, "message": message.strip() or "—"},
            url=reverse("partners:organisation_detail", args=[org.pk]),
        )
    return submission


# --- Testimonials -------------------------------------------------------------------


def partner_testimonial_create(
    *,
    actor: User,
    organisation: Organisation,
    quote: str,
    author_name: str,
    author_title: str = "",
    contact: Contact | None = None,
    consent_note: str = "",
) -> Testimonial:
    """Record a partner's words. ``consent_note`` (how the author agreed in writing)
    records their consent now; without it, the author gives it in the portal."""
    if contact is not None and not contact.affiliations.filter(organisation=organisation).exists():
        raise ValidationError({"contact": _("Choose someone who works or worked here.")})
    now = timezone.now()
    testimonial = Testimonial(
        organisation=organisation,
        contact=contact,
        quote=quote.strip(),
        author_name=author_name.strip(),
        author_title=author_title.strip(),
        consent_note=consent_note.strip(),
        consent_at=now if consent_note.strip() else None,
        created_by=actor,
    )
    testimonial.full_clean()
    with transaction.atomic(durable=True):
        testimonial.save()
        audit_record(
            actor=actor,
            institution=organisation.institution,
            action="create",
            obj=testimonial,
            changes={"consent": testimonial.consent_at is not None},
        )
    return testimonial


def partner_testimonial_consent(
    *, actor: User, testimonial: Testimonial, give: bool, note: str = ""
) -> Testimonial:
    """Give or withdraw consent to publish. Withdrawing unpublishes in the same write."""
    with transaction.atomic(durable=True):
        row = Testimonial.objects.select_for_update().get(pk=testimonial.pk)
        now = timezone.now()
        if give:
            row.consent_at, row.consent_withdrawn_at = now, None
            row.consent_note = note.strip() or _("Given in the partner portal")
        else:
            row.consent_withdrawn_at, row.published_at = now, None
        row.save(
            update_fields=["consent_at", "consent_withdrawn_at", "consent_note", "published_at"]
        )
        audit_record(
            actor=actor,
            institution=testimonial.organisation.institution,
            action="partners_consent_give" if give else "partners_consent_withdraw",
            obj=row,
        )
    return row


def partner_testimonial_publish(
    *, actor: User, testimonial: Testimonial, publish: bool
) -> Testimonial:
    """Show on the public page (only with consent that stands), or take it off."""
    with transaction.atomic(durable=True):
        row = Testimonial.objects.select_for_update().get(pk=testimonial.pk)
        if publish and not row.has_consent:
            raise ValidationError(
                _("%(name)s has not agreed to publication, so it cannot be published.")
                % {"name": row.author_name}
            )
        row.published_at = timezone.now() if publish else None
        row.save(update_fields=["published_at"])
        audit_record(
            actor=actor,
            institution=testimonial.organisation.institution,
            action="partners_publish" if publish else "partners_unpublish",
            obj=row,
        )
    return row


# --- Survey and evaluations ---------------------------------------------------------


def satisfaction_answer(
    *,
    actor: User,
    contact: Contact,
    organisation: Organisation,
    score: int,
    comments: str = "",
    today: datetime.date | None = None,
) -> SatisfactionResponse:
    """The contact's survey answer for this year; a second answer the same year updates."""
    today = today or timezone.localdate()
    if not contact.affiliations.current(today).filter(organisation=organisation).exists():
        raise ValidationError(_("You can answer only for an organisation you work at."))
    if not 0 <= score <= 10:
        raise ValidationError({"score": _("Choose a number from 0 to 10.")})
    with transaction.atomic(durable=True):
        response, created = SatisfactionResponse.objects.update_or_create(
            organisation=organisation,
            contact=contact,
            year=today.year,
            defaults={"score": score, "comments": comments.strip(), "answered_at": timezone.now()},
        )
        audit_record(
            actor=actor,
            institution=organisation.institution,
            action="create" if created else "update",
            obj=response,
            changes={"score": score},
        )
    return response


def evaluation_open(placement: Placement, today: datetime.date | None = None) -> bool:
    """A confirmed placement can be evaluated from a week before its last day."""
    today = today or timezone.localdate()
    opens = placement.ends_on - datetime.timedelta(days=EVALUATION_OPENS_DAYS_BEFORE_END)
    return placement.status == PlacementStatus.CONFIRMED and today >= opens


def evaluation_submit(
    *,
    actor: User,
    placement: Placement,
    by: EvaluationBy,
    rating: int,
    again: bool,
    comment: str = "",
    today: datetime.date | None = None,
) -> PlacementEvaluation:
    """The employer's or the learner's evaluation; sending it again updates it."""
    today = today or timezone.localdate()
    if not evaluation_open(placement, today):
        raise ValidationError(_("Evaluations open a week before the end of a confirmed placement."))
    with transaction.atomic(durable=True):
        evaluation, created = PlacementEvaluation.objects.update_or_create(
            placement=placement,
            by=by,
            defaults={
                "rating": rating,
                "again": again,
                "comment": comment.strip(),
                "author": actor,
                "answered_at": timezone.now(),
            },
        )
        evaluation.full_clean()
        audit_record(
            actor=actor,
            institution=placement.period.opportunity.organisation.institution,
            action="create" if created else "update",
            obj=evaluation,
            changes={"by": by, "rating": rating, "again": again},
        )
    return evaluation


# --- Placement requests -------------------------------------------------------------


def request_send(
    *,
    actor: User,
    opportunity: Opportunity,
    places: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    answer_by: datetime.date,
    period: OpportunityPeriod | None = None,
    programme: Programme | None = None,
    message: str = "",
    today: datetime.date | None = None,
) -> PlacementRequest:
    """Ask the employer for places; its contacts with an account are notified."""
    today = today or timezone.localdate()
    institution = opportunity.organisation.institution
    if period is not None and period.opportunity_id != opportunity.pk:
        raise ValidationError({"period": _("Choose a period of this opportunity.")})
    if programme is not None and programme.institution_id != institution.pk:
        raise ValidationError({"programme": _("Choose a programme of this institution.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    if answer_by < today:
        raise ValidationError({"answer_by": _("The answer date cannot be in the past.")})
    request = PlacementRequest(
        opportunity=opportunity,
        period=period,
        programme=programme,
        places=places,
        starts_on=starts_on,
        ends_on=ends_on,
        answer_by=answer_by,
        message=message.strip(),
        created_by=actor,
    )
    request.full_clean()
    with transaction.atomic(durable=True):
        request.save()
        audit_record(
            actor=actor,
            institution=institution,
            action="create",
            obj=request,
            changes={"places": places, "opportunity": opportunity.pk},
        )
        notify(
            recipients=selectors.account_users(
                selectors.current_contacts(organisation=opportunity.organisation, today=today)
            ),
            kind=PLACEMENT_REQUESTED,
            institution=institution,
            subject=gettext_lazy("%(school)s asks for %(places)s places: %(title)s"),
            body=gettext_lazy("Please answer by %(date)s."),
            context={
                "school": institution.name,
                "places": places,
                "title": opportunity.title,
                "date": answer_by.isoformat(),
            },
            url=reverse("partners:request_detail", args=[request.pk]),
        )
    return request


def request_answer(
    *,
    actor: User,
    request: PlacementRequest,
    status: str,
    places_offered: int | None = None,
    note: str = "",
    by_staff: bool = False,
) -> PlacementRequest:
    """The employer offers places (at most those asked for) or declines; answering
    again changes the answer. ``by_staff``: a member of staff records the answer the
    employer gave by phone or email. The person who sent the request is notified,
    unless they recorded the answer themselves."""
    if status not in (RequestStatus.OFFERED, RequestStatus.DECLINED):
        raise ValidationError({"status": _("Choose whether you offer places or decline.")})
    if status == RequestStatus.OFFERED and not places_offered:
        raise ValidationError({"places_offered": _("Say how many places you offer.")})
    if places_offered is not None and places_offered > request.places:
        raise ValidationError(
            {
                "places_offered": _("We asked for %(places)d places; offer at most that many.")
                % {"places": request.places}
            }
        )
    institution = request.opportunity.organisation.institution
    with transaction.atomic(durable=True):
        row = PlacementRequest.objects.select_for_update().get(pk=request.pk)
        row.status = status
        row.places_offered = places_offered if status == RequestStatus.OFFERED else None
        row.answer_note = note.strip()
        row.answered_at, row.answered_by = timezone.now(), actor
        row.answer_recorded_by_staff = by_staff
        row.save()
        audit_record(
            actor=actor,
            institution=institution,
            action="partners_request_answer",
            obj=row,
            changes={
                "status": status,
                "places_offered": row.places_offered,
                "recorded_by_staff": by_staff,
            },
        )
        if row.created_by is not None and row.created_by_id != actor.pk:
            notify(
                recipients=[row.created_by],
                kind=REQUEST_ANSWERED,
                institution=institution,
                subject=(
                    gettext_lazy("%(org)s offered %(places)s places")
                    if status == RequestStatus.OFFERED
                    else gettext_lazy("%(org)s declined your placement request")
                ),
                context={
                    "org": request.opportunity.organisation.name,
                    "places": row.places_offered or 0,
                },
                url=reverse("partners:request_detail", args=[row.pk]),
            )
    return row
