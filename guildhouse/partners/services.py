"""Writes for partnerships. Each function is the only way its change is made: it
validates, saves in one durable transaction and writes the audit row there."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from guildhouse.core.audit import audit_record
from guildhouse.core.models import STAFF_ROLES, Institution, Membership, Programme, Role, User
from guildhouse.partners.models import (
    Affiliation,
    Agreement,
    AgreementStatus,
    Commitment,
    CommitmentStatus,
    ComplianceItem,
    Contact,
    Contribution,
    FollowUp,
    Interaction,
    Opportunity,
    OpportunityPeriod,
    Organisation,
    Placement,
    PlacementStatus,
    Requirement,
    ResearchNote,
    Signatory,
    Stage,
    StageChange,
    Tag,
)

# Words that name a legal form, not a company: "Coastal Motors Ltd" is "Coastal Motors".
LEGAL_FORMS = frozenset(
    [
        "oy",
        "oyj",
        "ab",
        "ky",
        "tmi",
        "ry",
        "ltd",
        "limited",
        "inc",
        "llc",
        "gmbh",
        "ag",
        "plc",
        "co",
        "company",
        "corp",
        "corporation",
        "the",
    ]
)


def name_key(name: str) -> str:
    """The organisation name as duplicate detection compares it."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", plain.replace("&", " and ")).split()
    kept = [w for w in words if w not in LEGAL_FORMS]
    return " ".join(kept or words)[:200]


def website_domain(website: str) -> str:
    host = (urlsplit(website if "//" in website else f"//{website}").hostname or "").lower()
    return host.removeprefix("www.")


# --- Pipeline stages ------------------------------------------------------------------


def _default_stages() -> list[tuple[str, int | None, bool]]:
    return [
        (_("Prospect"), 30, False),
        (_("Researched"), 30, False),
        (_("Contacted"), 21, False),
        (_("Proposal"), 30, False),
        (_("Pilot"), 90, False),
        (_("Active partner"), None, False),
        (_("Paused"), None, True),
        (_("Ended"), None, True),
    ]


def stages_ensure(*, institution: Institution) -> list[Stage]:
    """The institution's stages in order, creating the default pipeline the first time.

    Not durable on its own: called inside the service that first needs a stage.
    """
    stages = list(Stage.objects.of(institution))
    if stages:
        return stages
    with transaction.atomic():
        for position, (name, stale, closed) in enumerate(_default_stages(), start=1):
            stages.append(
                Stage.objects.create(
                    institution=institution,
                    name=name,
                    position=position * 10,
                    stale_after_days=stale,
                    is_closed=closed,
                )
            )
    return stages


def pipeline_setup(*, actor: User, institution: Institution) -> list[Stage]:
    """Create the default stages if the institution has none yet."""
    with transaction.atomic(durable=True):
        existed = Stage.objects.filter(institution=institution).exists()
        stages = stages_ensure(institution=institution)
        if not existed:
            audit_record(
                actor=actor,
                institution=institution,
                action="partners_pipeline_setup",
                obj=stages[0],
                changes={"stages": [s.name for s in stages]},
            )
    return stages


def stage_save(
    *,
    actor: User,
    institution: Institution,
    stage: Stage | None,
    name: str,
    position: int,
    stale_after_days: int | None,
    is_closed: bool,
) -> Stage:
    """Add a stage (``stage=None``) or rename, reorder or re-time one."""
    name = name.strip()
    if stage is None:
        stage = Stage(institution=institution)
    elif stage.institution_id != institution.pk:
        raise ValidationError(_("That stage belongs to another institution."))
    taken = Stage.objects.filter(institution=institution, name__iexact=name).exclude(pk=stage.pk)
    if taken.exists():
        raise ValidationError(
            {"name": _("There is already a stage called %(name)s.") % {"name": name}}
        )
    created = stage.pk is None
    stage.name, stage.position = name, position
    stage.stale_after_days, stage.is_closed = stale_after_days, is_closed
    stage.full_clean()
    with transaction.atomic(durable=True):
        stage.save()
        audit_record(
            actor=actor,
            institution=institution,
            action="create" if created else "update",
            obj=stage,
            changes={"name": name, "position": position, "stale_after_days": stale_after_days},
        )
    return stage


# --- Organisations ----------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateMatch:
    organisation: Organisation
    reason: str


class PossibleDuplicate(Exception):
    """The new organisation looks like one the institution already has."""

    def __init__(self, matches: list[DuplicateMatch]) -> None:
        super().__init__("possible duplicate")
        self.matches = matches


def organisation_duplicates(
    *, institution: Institution, name: str, website: str = "", email: str = ""
) -> list[DuplicateMatch]:
    """Organisations of ``institution`` with the same normalised name, website domain, or
    a contact with the same email address; each once, with the first reason found."""
    found: dict[int, DuplicateMatch] = {}
    orgs = Organisation.objects.filter(institution=institution)
    key = name_key(name)
    if key:
        for org in orgs.filter(name_key=key)[:5]:
            found.setdefault(org.pk, DuplicateMatch(org, _("same name")))
    domain = website_domain(website) if website else ""
    if domain:
        for org in orgs.filter(website_domain=domain)[:5]:
            found.setdefault(
                org.pk, DuplicateMatch(org, _("same website (%(domain)s)") % {"domain": domain})
            )
    if email:
        matched = orgs.filter(
            contacts__email__iexact=email.strip(), contacts__institution=institution
        ).distinct()
        for org in matched[:5]:
            found.setdefault(
                org.pk,
                DuplicateMatch(org, _("a contact has the email %(email)s") % {"email": email}),
            )
    return list(found.values())


def _tags(institution: Institution, names: Iterable[str]) -> list[Tag]:
    tags = []
    for name in {n.strip()[:40] for n in names if n.strip()}:
        tag, _created = Tag.objects.get_or_create(institution=institution, name=name)
        tags.append(tag)
    return tags


def _check_owners(institution: Institution, owners: Sequence[Membership]) -> None:
    for owner in owners:
        if owner.institution_id != institution.pk or owner.role not in STAFF_ROLES:
            raise ValidationError({"owners": _("Relationship owners must be staff here.")})


@dataclass(frozen=True)
class FirstContact:
    full_name: str
    email: str = ""
    phone: str = ""
    role: str = ""


def organisation_create(
    *,
    actor: User,
    institution: Institution,
    name: str,
    kind: str,
    sector: str = "",
    size: str = "",
    street_address: str = "",
    postcode: str = "",
    city: str = "",
    region: str = "",
    website: str = "",
    skill_needs: str = "",
    source: str = "research",
    check_in_every_days: int | None = None,
    tags: Sequence[str] = (),
    owners: Sequence[Membership] = (),
    contact: FirstContact | None = None,
    allow_duplicate: bool = False,
    today: datetime.date | None = None,
) -> Organisation:
    """Add an organisation at the first stage of the pipeline, with its first contact.

    Raises ``PossibleDuplicate`` when it looks like one already recorded, unless
    ``allow_duplicate``; ``ValidationError`` for bad input.
    """
    if not allow_duplicate:
        matches = organisation_duplicates(
            institution=institution,
            name=name,
            website=website,
            email=contact.email if contact else "",
        )
        if matches:
            raise PossibleDuplicate(matches)
    _check_owners(institution, owners)
    org = Organisation(
        institution=institution,
        name=name.strip(),
        name_key=name_key(name),
        kind=kind,
        sector=sector,
        size=size,
        street_address=street_address,
        postcode=postcode,
        city=city,
        region=region,
        website=website,
        website_domain=website_domain(website) if website else "",
        skill_needs=skill_needs,
        source=source,
        check_in_every_days=check_in_every_days,
        created_by=actor,
    )
    with transaction.atomic(durable=True):
        stage = stages_ensure(institution=institution)[0]
        org.stage = stage
        org.full_clean()
        org.save()
        org.tags.set(_tags(institution, tags))
        org.owners.set(owners)
        StageChange.objects.create(organisation=org, from_stage=None, to_stage=stage, actor=actor)
        audit_record(
            actor=actor,
            institution=institution,
            action="create",
            obj=org,
            changes={"name": org.name, "kind": kind, "duplicate_confirmed": allow_duplicate},
        )
        if contact is not None and contact.full_name.strip():
            _contact_create(
                actor=actor,
                institution=institution,
                full_name=contact.full_name,
                email=contact.email,
                phone=contact.phone,
                organisation=org,
                role=contact.role,
                start_date=today or timezone.localdate(),
            )
    return org


def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    tags: Sequence[str] | None = None,
    owners: Sequence[Membership] | None = None,
    **fields: Any,
) -> Organisation:
    """Change the given fields (and tags or owners when given)."""
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if getattr(organisation, name) != value:
            changes[name] = value
            setattr(organisation, name, value)
    organisation.name_key = name_key(organisation.name)
    organisation.website_domain = (
        website_domain(organisation.website) if organisation.website else ""
    )
    if owners is not None:
        _check_owners(organisation.institution, owners)
    organisation.full_clean()
    with transaction.atomic(durable=True):
        organisation.save()
        if tags is not None:
            organisation.tags.set(_tags(organisation.institution, tags))
            changes["tags"] = sorted(tags)
        if owners is not None:
            organisation.owners.set(owners)
            changes["owners"] = sorted(o.pk for o in owners)
        audit_record(
            actor=actor,
            institution=organisation.institution,
            action="update",
            obj=organisation,
            changes=changes,
        )
    return organisation


def organisation_move(*, actor: User, organisation: Organisation, stage: Stage) -> StageChange:
    """Move an organisation to another stage of its institution's pipeline."""
    if stage.institution_id != organisation.institution_id:
        raise ValidationError(_("That stage belongs to another institution."))
    with transaction.atomic(durable=True):
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if org.stage_id == stage.pk:
            raise ValidationError(
                _("%(name)s is already at %(stage)s.") % {"name": org.name, "stage": stage.name}
            )
        change = StageChange.objects.create(
            organisation=org, from_stage_id=org.stage_id, to_stage=stage, actor=actor
        )
        org.stage = stage
        org.stage_entered_at = change.at
        org.save(update_fields=["stage", "stage_entered_at"])
        audit_record(
            actor=actor,
            institution=org.institution,
            action="partners_move",
            obj=org,
            changes={"stage": stage.name},
        )
    organisation.stage, organisation.stage_entered_at = stage, change.at
    return change


def note_add(*, actor: User, organisation: Organisation, body: str) -> ResearchNote:
    note = ResearchNote(organisation=organisation, author=actor, body=body.strip())
    note.full_clean()
    with transaction.atomic(durable=True):
        note.save()
        audit_record(actor=actor, institution=organisation.institution, action="create", obj=note)
    return note


# --- Contacts -----------------------------------------------------------------------


def _contact_create(
    *,
    actor: User,
    institution: Institution,
    full_name: str,
    email: str,
    phone: str,
    organisation: Organisation,
    role: str,
    start_date: datetime.date | None,
) -> Contact:
    contact = Contact(
        institution=institution,
        full_name=full_name.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
    )
    contact.full_clean()
    contact.save()
    Affiliation.objects.create(
        contact=contact, organisation=organisation, role=role.strip(), start_date=start_date
    )
    audit_record(
        actor=actor,
        institution=institution,
        action="create",
        obj=contact,
        changes={"organisation": organisation.pk, "role": role},
    )
    return contact


def contact_create(
    *,
    actor: User,
    organisation: Organisation,
    full_name: str,
    email: str = "",
    phone: str = "",
    role: str = "",
    start_date: datetime.date | None = None,
) -> Contact:
    """Add a person working at ``organisation``. A person already known by this email
    address (who moved here from another organisation) gets a new affiliation instead
    of a second contact record."""
    email = email.strip().lower()
    existing = (
        Contact.objects.filter(institution=organisation.institution, email=email).first()
        if email
        else None
    )
    if existing is not None:
        if existing.affiliations.current().filter(organisation=organisation).exists():
            raise ValidationError(
                {"email": _("%(name)s already works here.") % {"name": existing.full_name}}
            )
        affiliation_add(
            actor=actor,
            contact=existing,
            organisation=organisation,
            role=role,
            start_date=start_date,
        )
        return existing
    with transaction.atomic(durable=True):
        return _contact_create(
            actor=actor,
            institution=organisation.institution,
            full_name=full_name,
            email=email,
            phone=phone,
            organisation=organisation,
            role=role,
            start_date=start_date,
        )


def affiliation_add(
    *,
    actor: User,
    contact: Contact,
    organisation: Organisation,
    role: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
) -> Affiliation:
    """Record that ``contact`` works (or worked) at ``organisation``."""
    if organisation.institution_id != contact.institution_id:
        raise ValidationError(_("That organisation belongs to another institution."))
    affiliation = Affiliation(
        contact=contact,
        organisation=organisation,
        role=role.strip(),
        start_date=start_date,
        end_date=end_date,
    )
    affiliation.full_clean()
    with transaction.atomic(durable=True):
        affiliation.save()
        audit_record(
            actor=actor,
            institution=organisation.institution,
            action="create",
            obj=affiliation,
            changes={"role": role, "start_date": str(start_date), "end_date": str(end_date)},
        )
    return affiliation


def affiliation_end(
    *, actor: User, affiliation: Affiliation, end_date: datetime.date
) -> Affiliation:
    """The contact left the organisation on ``end_date``; the history is kept."""
    if affiliation.start_date and end_date < affiliation.start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    with transaction.atomic(durable=True):
        affiliation.end_date = end_date
        affiliation.save(update_fields=["end_date"])
        audit_record(
            actor=actor,
            institution=affiliation.organisation.institution,
            action="update",
            obj=affiliation,
            changes={"end_date": str(end_date)},
        )
    return affiliation


def contact_link_account(
    *, actor: User, contact: Contact, membership: Membership | None
) -> Contact:
    """Link (or unlink, with ``None``) the contact's own partner account, which lets them
    see their organisations' opportunities, agreements and placements."""
    if membership is not None and (
        membership.institution_id != contact.institution_id or membership.role != Role.PARTNER
    ):
        raise ValidationError(
            {"membership": _("Only a partner-contact account of this institution can be linked.")}
        )
    with transaction.atomic(durable=True):
        if membership is not None:
            Contact.objects.filter(membership=membership).exclude(pk=contact.pk).update(
                membership=None
            )
        contact.membership = membership
        contact.save(update_fields=["membership"])
        audit_record(
            actor=actor,
            institution=contact.institution,
            action="partners_link_account",
            obj=contact,
            changes={"membership": membership.pk if membership else None},
        )
    return contact


# --- Interactions and follow-ups ------------------------------------------------------


@dataclass(frozen=True)
class FollowUpInput:
    description: str
    owner: Membership
    due_on: datetime.date


def _last_contact_refresh(organisation_id: int) -> None:
    """Recompute the derived last-contact date; call inside the interaction's transaction
    after locking the organisation row."""
    latest = Interaction.objects.filter(organisation_id=organisation_id).aggregate(
        latest=Max("occurred_on")
    )["latest"]
    Organisation.objects.filter(pk=organisation_id).update(last_contact_on=latest)


def _check_staff(institution_id: int, people: Sequence[Membership], field: str) -> None:
    for person in people:
        if person.institution_id != institution_id or person.role not in STAFF_ROLES:
            raise ValidationError({field: _("Choose staff of this institution.")})


def interaction_log(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    occurred_on: datetime.date,
    summary: str,
    staff: Sequence[Membership] = (),
    contacts: Sequence[Contact] = (),
    follow_ups: Sequence[FollowUpInput] = (),
    today: datetime.date | None = None,
) -> Interaction:
    """Record a call, email, meeting, visit, event or video call, with its follow-up
    actions; the organisation's last-contact date follows in the same transaction."""
    today = today or timezone.localdate()
    if occurred_on > today:
        raise ValidationError(
            {
                "occurred_on": _(
                    "Log an interaction once it has happened; the date is in the future."
                )
            }
        )
    _check_staff(organisation.institution_id, staff, "staff")
    known = set(organisation.affiliations.values_list("contact_id", flat=True))
    if any(c.pk not in known for c in contacts):
        raise ValidationError({"contacts": _("Choose people who work or worked here.")})
    interaction = Interaction(
        organisation=organisation,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary.strip(),
        created_by=actor,
    )
    interaction.full_clean()
    for item in follow_ups:
        _check_staff(organisation.institution_id, [item.owner], "owner")
    with transaction.atomic(durable=True):
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        interaction.save()
        interaction.staff.set(staff)
        interaction.contacts.set(contacts)
        for item in follow_ups:
            _follow_up_save(actor, organisation, interaction, item)
        _last_contact_refresh(organisation.pk)
        audit_record(
            actor=actor,
            institution=organisation.institution,
            action="create",
            obj=interaction,
            changes={"kind": kind, "occurred_on": str(occurred_on)},
        )
    organisation.refresh_from_db(fields=["last_contact_on"])
    return interaction


def interaction_delete(*, actor: User, interaction: Interaction) -> None:
    """Remove a mistaken record (and its follow-ups); the last-contact date follows."""
    organisation = interaction.organisation
    with transaction.atomic(durable=True):
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        audit_record(
            actor=actor,
            institution=organisation.institution,
            action="delete",
            obj=interaction,
            changes={"kind": interaction.kind, "occurred_on": str(interaction.occurred_on)},
        )
        interaction.delete()
        _last_contact_refresh(organisation.pk)


def _follow_up_save(
    actor: User, organisation: Organisation, interaction: Interaction | None, item: FollowUpInput
) -> FollowUp:
    follow_up = FollowUp(
        organisation=organisation,
        interaction=interaction,
        description=item.description.strip(),
        owner=item.owner,
        due_on=item.due_on,
    )
    follow_up.full_clean()
    follow_up.save()
    audit_record(
        actor=actor,
        institution=organisation.institution,
        action="create",
        obj=follow_up,
        changes={"owner": item.owner.pk, "due_on": str(item.due_on)},
    )
    return follow_up


def follow_up_add(*, actor: User, organisation: Organisation, item: FollowUpInput) -> FollowUp:
    _check_staff(organisation.institution_id, [item.owner], "owner")
    with transaction.atomic(durable=True):
        return _follow_up_save(actor, organisation, None, item)


def follow_up_set_done(*, actor: User, follow_up: FollowUp, done: bool) -> FollowUp:
    """Mark a follow-up done (or not done after all)."""
    with transaction.atomic(durable=True):
        follow_up.done_at = timezone.now() if done else None
        follow_up.done_by = actor if done else None
        follow_up.save(update_fields=["done_at", "done_by"])
        audit_record(
            actor=actor,
            institution=follow_up.organisation.institution,
            action="partners_done" if done else "partners_reopen",
            obj=follow_up,
        )
    return follow_up


# --- Commitments ----------------------------------------------------------------------


def commitment_add(
    *,
    actor: User,
    organisation: Organisation,
    side: str,
    description: str,
    owner: Membership,
    due_on: datetime.date,
) -> Commitment:
    """Record a promise by us or by the partner; ``owner`` sees it through."""
    _check_staff(organisation.institution_id, [owner], "owner")
    commitment = Commitment(
        organisation=organisation,
        side=side,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        created_by=actor,
    )
    commitment.full_clean()
    with transaction.atomic(durable=True):
        commitment.save()
        audit_record(
            actor=actor,
            institution=organisation.institution,
            action="create",
            obj=commitment,
            changes={"side": side, "owner": owner.pk, "due_on": str(due_on)},
        )
    return commitment


def commitment_close(
    *,
    actor: User,
    commitment: Commitment,
    status: str,
    delivered_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Commitment:
    """Mark a promise delivered (on ``delivered_on``, not in the future) or cancelled."""
    today = today or timezone.localdate()
    if commitment.status != CommitmentStatus.OPEN:
        raise ValidationError(_("This promise is already closed."))
    if status == CommitmentStatus.DELIVERED:
        if delivered_on is None or delivered_on > today:
            raise ValidationError(
                {"delivered_on": _("Give the day it was delivered; it cannot be in the future.")}
            )
    elif status == CommitmentStatus.CANCELLED:
        delivered_on = None
    else:
        raise ValidationError(_("Choose delivered or cancelled."))
    with transaction.atomic(durable=True):
        commitment.status, commitment.delivered_on = status, delivered_on
        commitment.save(update_fields=["status", "delivered_on"])
        audit_record(
            actor=actor,
            institution=commitment.organisation.institution,
            action="update",
            obj=commitment,
            changes={"status": status, "delivered_on": str(delivered_on)},
        )
    return commitment


# --- Opportunities and placements -------------------------------------------------------


def opportunity_create(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    description: str = "",
    location: str = "",
    programmes: Sequence[Programme] = (),
    requirements: Sequence[str] = (),
) -> Opportunity:
    """Offer an opportunity at ``organisation``; places come with ``period_add``."""
    if any(p.institution_id != organisation.institution_id for p in programmes):
        raise ValidationError({"programmes": _("Choose programmes of this institution.")})
    opportunity = Opportunity(
        organisation=organisation,
        kind=kind,
        title=title.strip(),
        description=description,
        location=location,
        starts_on=starts_on,
        ends_on=ends_on,
        requirements=[r for r in Requirement.values if r in requirements],
        created_by=actor,
    )
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    opportunity.full_clean()
    with transaction.atomic(durable=True):
        opportunity.save()
        opportunity.programmes.set(programmes)
        audit_record(
            actor=actor,
            institution=organisation.institution,
            action="create",
            obj=opportunity,
            changes={"kind": kind, "title": opportunity.title},
        )
    return opportunity


def period_add(
    *,
    actor: User,
    opportunity: Opportunity,
    starts_on: datetime.date,
    ends_on: datetime.date,
    capacity: int,
) -> OpportunityPeriod:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    period = OpportunityPeriod(
        opportunity=opportunity, starts_on=starts_on, ends_on=ends_on, capacity=capacity
    )
    period.full_clean()
    with transaction.atomic(durable=True):
        period.save()
        audit_record(
            actor=actor,
            institution=opportunity.organisation.institution,
            action="create",
            obj=period,
            changes={"capacity": capacity, "starts_on": str(starts_on), "ends_on": str(ends_on)},
        )
    return period


def placement_propose(
    *,
    actor: User,
    period: OpportunityPeriod,
    learner: Membership,
    starts_on: datetime.date,
    ends_on: datetime.date,
    hours: int,
    supervisor_name: str = "",
    supervisor_email: str = "",
    supervisor_phone: str = "",
) -> Placement:
    """Propose a learner for a period; confirming it (``placement_confirm``) takes a place."""
    institution = period.opportunity.organisation.institution
    if learner.institution_id != institution.pk or learner.role != Role.LEARNER:
        raise ValidationError({"learner": _("Choose a learner of this institution.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    if starts_on < period.starts_on or ends_on > period.ends_on:
        raise ValidationError(
            _("The placement must fall within the period, %(start)s to %(end)s.")
            % {"start": _d(period.starts_on), "end": _d(period.ends_on)}
        )
    if (
        Placement.objects.filter(period=period, learner=learner)
        .exclude(status=PlacementStatus.CANCELLED)
        .exists()
    ):
        raise ValidationError(
            {"learner": _("%(name)s already has a place in this period.") % {"name": learner.user}}
        )
    placement = Placement(
        period=period,
        learner=learner,
        starts_on=starts_on,
        ends_on=ends_on,
        hours=hours,
        supervisor_name=supervisor_name.strip(),
        supervisor_email=supervisor_email.strip(),
        supervisor_phone=supervisor_phone.strip(),
        created_by=actor,
    )
    placement.full_clean(validate_constraints=False)
    with transaction.atomic(durable=True):
        placement.save()
        audit_record(
            actor=actor,
            institution=institution,
            action="create",
            obj=placement,
            changes={"learner": learner.pk, "period": period.pk},
        )
    return placement


def _d(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def compliance_gaps(placement: Placement) -> list[str]:
    """Why the placement cannot be confirmed yet: every required document must be on file
    and valid for the whole placement, from its first day to its last."""
    items = {item.kind: item for item in placement.compliance_items.all()}
    gaps = []
    for kind in placement.period.opportunity.requirements:
        label = Requirement(kind).label
        item = items.get(kind)
        if item is None:
            gaps.append(_("%(document)s: not on file.") % {"document": label})
        elif item.valid_from > placement.starts_on:
            gaps.append(
                _("%(document)s: valid only from %(from)s, after the start on %(start)s.")
                % {"document": label, "from": _d(item.valid_from), "start": _d(placement.starts_on)}
            )
        elif item.valid_until is not None and item.valid_until < placement.ends_on:
            gaps.append(
                _("%(document)s: expires on %(until)s, before the placement ends on %(end)s.")
                % {"document": label, "until": _d(item.valid_until), "end": _d(placement.ends_on)}
            )
    return gaps


def compliance_record(
    *,
    actor: User,
    placement: Placement,
    kind: str,
    reference: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None,
) -> ComplianceItem:
    """Record (or replace) the placement's document of ``kind``."""
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end cannot be before the start.")})
    with transaction.atomic(durable=True):
        item, _created = ComplianceItem.objects.update_or_create(
            placement=placement,
            kind=kind,
            defaults={
                "reference": reference.strip(),
                "valid_from": valid_from,
                "valid_until": valid_until,
                "recorded_by": actor,
                "recorded_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            institution=placement.learner.institution,
            action="partners_compliance",
            obj=item,
            changes={"kind": kind, "valid_from": str(valid_from), "valid_until": str(valid_until)},
        )
    return item


def placement_confirm(*, actor: User, placement: Placement) -> Placement:
    """Confirm a proposed placement, taking one place of its period.

    Refused (``ValidationError`` with every reason) while a compliance document is missing
    or does not cover the dates, or when the period is full. Two coordinators confirming
    at once are serialised by a lock on the period row; the period's ``confirmed``
    counter is also bounded by a database constraint.
    """
    with transaction.atomic(durable=True):
        period = OpportunityPeriod.objects.select_for_update().get(pk=placement.period_id)
        current = Placement.objects.select_related("period__opportunity", "learner").get(
            pk=placement.pk
        )
        if current.status != PlacementStatus.PROPOSED:
            raise ValidationError(_("Only a proposed placement can be confirmed."))
        gaps = compliance_gaps(current)
        if gaps:
            raise ValidationError(gaps)
        taken = Placement.objects.filter(period=period, status=PlacementStatus.CONFIRMED).count()
        if taken >= period.capacity:
            raise ValidationError(
                _("No places left in this period: %(n)s of %(n)s are confirmed.")
                % {"n": period.capacity}
            )
        current.status = PlacementStatus.CONFIRMED
        current.confirmed_at, current.confirmed_by = timezone.now(), actor
        current.save(update_fields=["status", "confirmed_at", "confirmed_by"])
        period.confirmed = taken + 1
        period.save(update_fields=["confirmed"])
        audit_record(
            actor=actor,
            institution=current.learner.institution,
            action="partners_confirm",
            obj=current,
        )
    placement.status, placement.confirmed_at = current.status, current.confirmed_at
    return placement


def placement_cancel(*, actor: User, placement: Placement) -> Placement:
    """Cancel a placement; a confirmed one gives its place back."""
    with transaction.atomic(durable=True):
        period = OpportunityPeriod.objects.select_for_update().get(pk=placement.period_id)
        current = Placement.objects.select_related("learner__institution").get(pk=placement.pk)
        if current.status == PlacementStatus.CANCELLED:
            raise ValidationError(_("This placement is already cancelled."))
        current.status = PlacementStatus.CANCELLED
        current.save(update_fields=["status"])
        period.confirmed = Placement.objects.filter(
            period=period, status=PlacementStatus.CONFIRMED
        ).count()
        period.save(update_fields=["confirmed"])
        audit_record(
            actor=actor,
            institution=current.learner.institution,
            action="partners_cancel",
            obj=current,
        )
    placement.status = current.status
    return placement


# --- Agreements ---------------------------------------------------------------------

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# What a signed agreement may be: a PDF or a scan. Checked by content, not by name.
DOCUMENT_TYPES = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}


def document_type(upload: UploadedFile[bytes]) -> str:
    """The file's type (``pdf``, ``png`` or ``jpg``) from its first bytes; raises
    ``ValidationError`` for anything else or anything too large."""
    if upload.size is None or upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {"document": _("The file is larger than 10 MB. Scan it at a lower resolution.")}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for magic, kind in DOCUMENT_TYPES.items():
        if head.startswith(magic):
            return kind
    raise ValidationError(
        {"document": _("Upload the signed agreement as a PDF, PNG or JPEG file.")}
    )


def agreement_create(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    review_on: datetime.date | None = None,
    our_responsibilities: str = "",
    their_responsibilities: str = "",
    amends: Agreement | None = None,
) -> Agreement:
    """Draft an agreement (or an amendment of ``amends``, with the same organisation)."""
    if amends is not None and amends.organisation_id != organisation.pk:
        raise ValidationError(_("An amendment belongs to the same organisation as the original."))
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    agreement = Agreement(
        organisation=organisation,
        kind=kind,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        review_on=review_on,
        our_responsibilities=our_responsibilities,
        their_responsibilities=their_responsibilities,
        amends=amends,
        created_by=actor,
    )
    agreement.full_clean()
    with transaction.atomic(durable=True):
        agreement.save()
        audit_record(
            actor=actor,
            institution=organisation.institution,
            action="create",
            obj=agreement,
            changes={
                "kind": kind,
                "title": agreement.title,
                "amends": amends.pk if amends else None,
            },
        )
    return agreement


def signatory_add(
    *, actor: User, agreement: Agreement, side: str, name: str, position: str = ""
) -> Signatory:
    signatory = Signatory(
        agreement=agreement, side=side, name=name.strip(), position=position.strip()
    )
    signatory.full_clean()
    with transaction.atomic(durable=True):
        signatory.save()
        audit_record(
            actor=actor,
            institution=agreement.organisation.institution,
            action="create",
            obj=signatory,
            changes={"agreement": agreement.pk, "side": side},
        )
    return signatory


def contribution_add(
    *, actor: User, agreement: Agreement, side: str, kind: str, description: str, value: Decimal
) -> Contribution:
    contribution = Contribution(
        agreement=agreement, side=side, kind=kind, description=description.strip(), value=value
    )
    contribution.full_clean()
    with transaction.atomic(durable=True):
        contribution.save()
        audit_record(
            actor=actor,
            institution=agreement.organisation.institution,
            action="create",
            obj=contribution,
            changes={"agreement": agreement.pk, "side": side, "kind": kind, "value": str(value)},
        )
    return contribution


def agreement_sign(
    *,
    actor: User,
    agreement: Agreement,
    signed_on: datetime.date,
    document: UploadedFile[bytes],
    today: datetime.date | None = None,
) -> Agreement:
    """Record the agreement as signed on ``signed_on`` with the signed copy, which is
    stored outside the web root. Refuses a second signing, a future date, and a file
    that is too large or not a PDF, PNG or JPEG."""
    today = today or timezone.localdate()
    if agreement.status == AgreementStatus.SIGNED:
        raise ValidationError(_("This agreement is already signed; record an amendment instead."))
    if signed_on > today:
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
    kind = document_type(document)
    original_name = (document.name or f"agreement.{kind}")[-200:]
    with transaction.atomic(durable=True):
        agreement.document.save(f"signed.{kind}", document, save=False)
        agreement.document_name = original_name
        agreement.status, agreement.signed_on = AgreementStatus.SIGNED, signed_on
        try:
            agreement.save(update_fields=["document", "document_name", "status", "signed_on"])
            audit_record(
                actor=actor,
                institution=agreement.organisation.institution,
                action="partners_sign",
                obj=agreement,
                changes={"signed_on": str(signed_on), "document": original_name},
            )
        except Exception:
            agreement.document.delete(save=False)
            raise
    return agreement
