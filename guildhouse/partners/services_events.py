"""Writes for partnership events and their attendees."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from guildhouse.core.audit import audit_record
from guildhouse.core.models import STAFF_ROLES, Institution, Membership, Role, User
from guildhouse.partners.models import Contact, EventAttendee, Organisation, PartnerEvent

ATTENDING_ROLES = STAFF_ROLES | {Role.LEARNER}


def event_save(
    *,
    actor: User,
    institution: Institution,
    event: PartnerEvent | None,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str = "",
    description: str = "",
    organisations: Sequence[Organisation] | None = None,
) -> PartnerEvent:
    """Create an event, or change one (raising its calendar sequence, so calendar apps
    replace their copy). ``organisations`` replaces its partners; ``None`` leaves them."""
    if any(o.institution_id != institution.pk for o in organisations or ()):
        raise ValueError("An organisation belongs to another institution.")
    created = event is None
    event = event or PartnerEvent(institution=institution, created_by=actor)
    event.kind = kind
    event.title = title.strip()
    event.starts_at = starts_at
    event.ends_at = ends_at
    event.location = location.strip()
    event.description = description.strip()
    event.full_clean()
    with transaction.atomic(durable=True):
        if not created:
            event.sequence = F("sequence") + 1
        event.save()
        event.refresh_from_db(fields=["sequence"])
        changes: dict[str, object] = {"kind": kind, "starts_at": starts_at.isoformat()}
        if organisations is not None:
            event.organisations.set(organisations)
            changes["organisations"] = [o.pk for o in organisations]
        audit_record(
            actor=actor,
            institution=institution,
            action="create" if created else "update",
            obj=event,
            changes=changes,
        )
    return event


def event_organisation_add(*, actor: User, event: PartnerEvent, organisation: Organisation) -> bool:
    """Name a partner organisation as hosting or taking part; False if it already was."""
    if organisation.institution_id != event.institution_id:
        raise ValueError("The organisation belongs to another institution.")
    with transaction.atomic(durable=True):
        _link, added = PartnerEvent.organisations.through.objects.get_or_create(
            partnerevent=event, organisation=organisation
        )
        if added:
            audit_record(
                actor=actor,
                institution=event.institution,
                action="partners_event_organisation_add",
                obj=event,
                changes={"organisation": organisation.pk},
            )
    return added


def event_organisation_remove(
    *, actor: User, event: PartnerEvent, organisation: Organisation
) -> None:
    with transaction.atomic(durable=True):
        event.organisations.remove(organisation)
        audit_record(
            actor=actor,
            institution=event.institution,
            action="partners_event_organisation_remove",
            obj=event,
            changes={"organisation": organisation.pk},
        )


def attendee_add(
    *,
    actor: User,
    event: PartnerEvent,
    membership: Membership | None = None,
    contact: Contact | None = None,
) -> EventAttendee:
    """Add a staff member or learner (``membership``) or a partner contact; raises
    ``ValidationError`` if they are already on the list."""
    if (membership is None) == (contact is None):
        raise ValueError("An attendee is a member or a contact, not both.")
    if membership is not None and (
        membership.institution_id != event.institution_id or membership.role not in ATTENDING_ROLES
    ):
        raise ValueError("Only staff and learners of the institution attend as members.")
    if contact is not None and contact.institution_id != event.institution_id:
        raise ValueError("The contact belongs to another institution.")
    attendee = EventAttendee(event=event, membership=membership, contact=contact)
    try:
        with transaction.atomic(durable=True):
            attendee.save()
            audit_record(
                actor=actor,
                institution=event.institution,
                action="partners_event_attendee_add",
                obj=event,
                changes={
                    "membership": membership.pk if membership else None,
                    "contact": contact.pk if contact else None,
                },
            )
    except IntegrityError:
        raise ValidationError(_("They are already on the list of attendees.")) from None
    return attendee


def attendee_remove(*, actor: User, attendee: EventAttendee) -> None:
    event = attendee.event
    with transaction.atomic(durable=True):
        audit_record(
            actor=actor,
            institution=event.institution,
            action="partners_event_attendee_remove",
            obj=event,
            changes={"membership": attendee.membership_id, "contact": attendee.contact_id},
        )
        attendee.delete()
