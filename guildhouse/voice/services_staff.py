"""Writes of the staff side of learner voice: triage, replies, public responses, actions.

Each function validates, saves in one durable transaction and writes the audit row
there. None of them changes what a learner wrote: an item's ``text`` is never in the
fields a service here saves.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from guildhouse.core.audit import audit_record
from guildhouse.core.models import STAFF_ROLES, Membership, User
from guildhouse.voice.models import (
    Action,
    ActionStatus,
    Item,
    ItemNote,
    ItemTriage,
    PublicResponse,
    ReceiptMessage,
    ResourceAllocation,
    ResourceKind,
    Status,
    this_week,
)

CLOSED = frozenset({Status.DONE, Status.DECLINED})


def _responded(item: Item, *, closing: bool = False, at: datetime.datetime | None = None) -> None:
    """Note the first response (and the closing) on the item's triage record."""
    now = at or timezone.now()
    triage, _created = ItemTriage.objects.select_for_update().get_or_create(item=item)
    changed = []
    if triage.first_response_at is None:
        triage.first_response_at = now
        changed.append("first_response_at")
    if closing and triage.closed_at is None:
        triage.closed_at = now
        changed.append("closed_at")
    if not closing and item.status not in CLOSED and triage.closed_at is not None:
        triage.closed_at = None
        changed.append("closed_at")
    if changed:
        triage.save(update_fields=changed)


def _check_released(item: Item) -> None:
    if item.batch_id is None or item.hidden:
        raise ValidationError(_("This item is not in the staff inbox."))


def item_triage(
    *,
    actor: User,
    item: Item,
    status: str,
    owner: Membership | None,
    decline_reason: str = "",
) -> Item:
    """Set an item's status, owner and (for "declined") the reason shown to learners.

    Any status may follow any other (a declined item can be reopened). The owner must
    be staff of the item's institution.
    """
    _check_released(item)
    reason = decline_reason.strip()
    if status == Status.DECLINED and not reason:
        raise ValidationError({"decline_reason": _("Say why the item is declined.")})
    if status != Status.DECLINED:
        reason = ""
    if owner is not None and (
        owner.institution_id != item.institution_id or owner.role not in STAFF_ROLES
    ):
        raise ValidationError({"owner": _("The owner must be a staff member here.")})
    with transaction.atomic(durable=True):
        locked = Item.objects.select_for_update().get(pk=item.pk)
        before = (locked.status, locked.owner_id, locked.decline_reason)
        locked.status = status
        locked.owner = owner
        locked.decline_reason = reason
        if before == (status, owner.pk if owner else None, reason):
            return locked
        locked.save(update_fields=["status", "owner", "decline_reason"])
        if status != before[0] or status in CLOSED:
            _responded(locked, closing=status in CLOSED)
        audit_record(
            actor=actor,
            institution=locked.institution,
            action="voice_triage",
            obj=locked,
            changes={"status": status, "owner": owner.pk if owner else None},
        )
    return locked


def item_note_add(*, actor: User, item: Item, author: Membership, text: str) -> ItemNote:
    """An internal note: staff only, never shown to the author or counted in reports."""
    _check_released(item)
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    note = ItemNote(item=item, author=author, text=text.strip())
    note.full_clean()
    with transaction.atomic(durable=True):
        note.save()
        audit_record(
            actor=actor, institution=item.institution, action="voice_note", obj=note, changes={}
        )
    return note


def item_reply(*, actor: User, item: Item, author: Membership, text: str) -> ReceiptMessage:
    """A staff reply in the item's receipt thread: the author reads it with their code."""
    _check_released(item)
    body = text.strip()
    if not body:
        raise ValidationError({"text": _("Write the reply.")})
    if len(body) > 5000:
        raise ValidationError({"text": _("A reply can be at most 5000 characters.")})
    with transaction.atomic(durable=True):
        locked = Item.objects.select_for_update().get(pk=item.pk)
        last = locked.messages.aggregate(last=Max("position"))["last"] or 0
        message = ReceiptMessage.objects.create(
            item=locked,
            position=last + 1,
            from_staff=True,
            text=body,
            week=this_week(),
            author=author,
            sent_at=timezone.now(),
        )
        _responded(locked, closing=locked.status in CLOSED, at=message.sent_at)
        audit_record(
            actor=actor,
            institution=locked.institution,
            action="voice_reply",
            obj=locked,
            changes={"message": str(message.pk)},
        )
    return message


def public_response_save(
    *, actor: User, item: Item, author: Membership, you_said: str, we_did: str
) -> PublicResponse:
    """Publish (or correct) an item's entry on the "You said, we did" board."""
    _check_released(item)
    errors = {}
    if not you_said.strip():
        errors["you_said"] = _("Summarise what learners said, in your own words.")
    if not we_did.strip():
        errors["we_did"] = _("Say what was done or decided.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        locked = Item.objects.select_for_update().get(pk=item.pk)
        response, created = PublicResponse.objects.update_or_create(
            item=locked,
            defaults={"you_said": you_said.strip(), "we_did": we_did.strip(), "author": author},
        )
        _responded(locked, closing=locked.status in CLOSED)
        audit_record(
            actor=actor,
            institution=locked.institution,
            action="voice_public_response" if created else "update",
            obj=response,
            changes={},
        )
    return response


def public_response_withdraw(*, actor: User, item: Item) -> None:
    with transaction.atomic(durable=True):
        deleted, _rows = PublicResponse.objects.filter(item=item).delete()
        if deleted:
            audit_record(
                actor=actor,
                institution=item.institution,
                action="voice_public_response_withdraw",
                obj=item,
                changes={},
            )


# --- Actions and resources --------------------------------------------------------------


def _check_action(action: Action) -> None:
    if action.owner is not None and (
        action.owner.institution_id != action.institution_id or action.owner.role not in STAFF_ROLES
    ):
        raise ValidationError({"owner": _("The owner must be a staff member here.")})
    if action.category.institution_id != action.institution_id:
        raise ValidationError({"category": _("Choose one of this institution's categories.")})


def action_save(
    *,
    actor: User,
    action: Action,
    items: list[Item],
    creator: Membership | None = None,
) -> Action:
    """Create or change an action and the items it answers (released items of its school)."""
    _check_action(action)
    for item in items:
        if item.institution_id != action.institution_id:
            raise ValidationError({"items": _("Choose items of this institution.")})
        _check_released(item)
    creating = action.pk is None
    if creating and creator is not None:
        action.created_by = creator
    action.full_clean(exclude=["items"])
    with transaction.atomic(durable=True):
        action.save()
        action.items.set(items)
        audit_record(
            actor=actor,
            institution=action.institution,
            action="create" if creating else "update",
            obj=action,
            changes={
                "status": action.status,
                "items": len(items),
                "due_on": action.due_on.isoformat() if action.due_on else None,
            },
        )
        # Planning an action moves a new or reviewed item to "action planned" (for a new
        # one, that is its first response); done or declined items keep their status.
        for item in items:
            if item.status in (Status.NEW, Status.UNDER_REVIEW):
                Item.objects.filter(pk=item.pk).update(status=Status.ACTION_PLANNED)
                item.status = Status.ACTION_PLANNED
                _responded(item)
    return action


def resource_allocate(
    *,
    actor: User,
    action: Action,
    allocated_by: Membership,
    kind: str,
    amount: Decimal,
    note: str = "",
    allocated_on: datetime.date | None = None,
) -> ResourceAllocation:
    """Management allocates a resource to an action (see access: admins only)."""
    if kind not in ResourceKind.values:
        raise ValidationError({"kind": _("Choose a kind of resource.")})
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if action.status == ActionStatus.CANCELLED:
        raise ValidationError(_("Resources cannot be allocated to a cancelled action."))
    allocation = ResourceAllocation(
        action=action,
        kind=kind,
        amount=amount,
        note=note.strip(),
        allocated_by=allocated_by,
        allocated_on=allocated_on or timezone.localdate(),
    )
    allocation.full_clean()
    with transaction.atomic(durable=True):
        allocation.save()
        audit_record(
            actor=actor,
            institution=action.institution,
            action="voice_allocate",
            obj=action,
            changes={"kind": kind, "amount": str(amount)},
        )
    return allocation
