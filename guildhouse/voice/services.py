"""Writes of learner voice.

The learner-side writes (``item_submit``, ``receipt_add``, ``item_support``,
``item_report``) take no actor and write no audit row: an audit row holds who and
exactly when, which is what an anonymous submission must not leave behind. Staff
writes (settings, moderation, release) are audited as usual.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guildhouse.core.audit import audit_record
from guildhouse.core.models import Institution, Membership, Programme, Role
from guildhouse.core.selectors import role_users
from guildhouse.notifications.api import notify, register_kind
from guildhouse.voice import selectors
from guildhouse.voice.anonymity import (
    receipt_code_new,
    receipt_hash,
    report_digest,
    shuffle_key,
    support_digest,
)
from guildhouse.voice.models import (
    Batch,
    Category,
    Consultation,
    Item,
    NamedContact,
    Receipt,
    ReceiptMessage,
    ReleaseRule,
    Report,
    ReportReason,
    Support,
    SupportCase,
    SupportCaseStatus,
    VoiceSettings,
)


def keyword_hits(*, settings: VoiceSettings, text: str) -> list[str]:
    """Safeguarding keywords found in ``text``: a keyword matches at the start of a word."""
    lowered = text.lower()
    return [
        word
        for word in settings.keywords()
        if re.search(r"(?<!\w)" + re.escape(word), lowered) is not None
    ]


@dataclass(frozen=True)
class Submitted:
    item: Item
    receipt_code: str


def item_submit(
    *,
    membership: Membership,
    text: str,
    category: Category,
    programme: Programme | None = None,
    consultation: Consultation | None = None,
    named: bool = False,
    contact: str = "",
) -> Submitted:
    """Store an item and its receipt; return the receipt code (the only time it exists).

    ``membership`` is used to check the learner may write here, and for a named item
    only, to record the named contact; an anonymous item keeps nothing of it.
    """
    if membership.role != Role.LEARNER or not membership.is_active:
        raise PermissionDenied("Only learners write to learner voice.")
    institution_id = membership.institution_id
    if category.institution_id != institution_id or not category.active:
        raise ValidationError(_("Choose one of the categories offered."))
    if programme is not None and programme.institution_id != institution_id:
        raise ValidationError(_("Choose one of the programmes offered."))
    if consultation is not None:
        if consultation.institution_id != institution_id:
            raise ValidationError(_("This consultation is not open to you."))
        if not consultation.is_open(timezone.localdate()):
            raise ValidationError(_("This consultation is closed."))
        if not consultation.anonymous_allowed and not named:
            raise ValidationError(
                _("This consultation's audience is too small for anonymous answers.")
            )
    code = receipt_code_new()
    channel = None if consultation else selectors.channel_of(institution=membership.institution)
    with transaction.atomic(durable=True):
        item = Item(
            institution_id=institution_id,
            category=category,
            programme=programme,
            consultation=consultation,
            channel=channel,
            text=text.strip(),
        )
        item.shuffle = shuffle_key(item.pk)
        item.full_clean()
        item.save(force_insert=True)
        Receipt.objects.create(item=item, code_hash=receipt_hash(code))
        if named:
            NamedContact.objects.create(item=item, membership=membership, contact=contact.strip())
    return Submitted(item=item, receipt_code=code)


def item_for_receipt(*, code: str) -> Item | None:
    """The item a receipt code opens, or None. Hidden items still open for their author."""
    receipt = Receipt.objects.filter(code_hash=receipt_hash(code)).select_related(
        "item__category", "item__consultation"
    )
    found = receipt.first()
    return found.item if found else None


def receipt_add(*, code: str, text: str) -> ReceiptMessage:
    """The author adds information through the receipt; it reaches staff with the next batch."""
    with transaction.atomic(durable=True):
        item = item_for_receipt(code=code)
        if item is None:
            raise ValidationError(_("No item has this receipt code. Check the code and try again."))
        Item.objects.select_for_update().filter(pk=item.pk).get()
        position = (item.messages.aggregate(top=Max("position"))["top"] or 0) + 1
        message = ReceiptMessage(item=item, position=position, text=text.strip())
        message.full_clean()
        message.save(force_insert=True)
    return message


def item_support(*, membership: Membership, item: Item) -> bool:
    """One "me too" per learner and item; False if this learner had already supported it."""
    if membership.role != Role.LEARNER or item.institution_id != membership.institution_id:
        raise PermissionDenied("Only the institution's learners support its items.")
    digest = support_digest(membership_id=membership.pk, item_id=item.pk)
    try:
        with transaction.atomic(durable=True):
            Support.objects.create(item=item, digest=digest)
            Item.objects.filter(pk=item.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:
        return False
    return True


def item_report(*, membership: Membership, item: Item, reason: str) -> bool:
    """Report an item; after the institution's N reports it is hidden until a moderator decides.

    Returns False if this person had already reported it.
    """
    if item.institution_id != membership.institution_id:
        raise PermissionDenied("Items of another institution cannot be reported.")
    if reason not in ReportReason.values:
        raise ValidationError(_("Choose a reason."))
    settings = selectors.voice_settings(institution=membership.institution)
    digest = report_digest(membership_id=membership.pk, item_id=item.pk)
    try:
        with transaction.atomic(durable=True):
            locked = Item.objects.select_for_update().get(pk=item.pk)
            Report.objects.create(item=locked, digest=digest, reason=reason)
            locked.report_count += 1
            fields = ["report_count"]
            if locked.report_count >= settings.auto_hide_reports and not locked.hidden:
                locked.hidden = True
                locked.pending_review = True
                locked.hidden_reason = _("Hidden automatically after %(n)d reports.") % {
                    "n": locked.report_count
                }
                fields += ["hidden", "pending_review", "hidden_reason"]
            locked.save(update_fields=fields)
    except IntegrityError:
        return False
    return True


def item_hide(*, actor: Membership, item: Item, reason: str) -> Item:
    """A moderator hides an item with a recorded reason; the words themselves never change."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the item is hidden.")})
    with transaction.atomic(durable=True):
        locked = Item.objects.select_for_update().get(pk=item.pk)
        locked.hidden = True
        locked.pending_review = False
        locked.hidden_reason = reason
        locked.save(update_fields=["hidden", "pending_review", "hidden_reason"])
        audit_record(
            actor=actor.user,
            institution=actor.institution,
            action="voice_hide",
            obj=locked,
            changes={"hidden_reason": reason},
        )
    return locked


def item_restore(*, actor: Membership, item: Item) -> Item:
    """A moderator reviewed an automatically hidden item and shows it again."""
    with transaction.atomic(durable=True):
        locked = Item.objects.select_for_update().get(pk=item.pk)
        locked.hidden = False
        locked.pending_review = False
        locked.hidden_reason = ""
        locked.save(update_fields=["hidden", "pending_review", "hidden_reason"])
        audit_record(
            actor=actor.user, institution=actor.institution, action="voice_restore", obj=locked
        )
    return locked


SUPPORT_CASE_OPENED = "voice.support_case_opened"
register_kind(
    SUPPORT_CASE_OPENED,
    label=gettext_lazy("A learner asked support staff to contact them"),
    roles={Role.SUPPORT, Role.ADMIN},  # admins: when no one has the support role
)


def support_case_open(*, membership: Membership, message: str, contact: str) -> SupportCase:
    """The learner asked, by name, for support staff to contact them; support staff are told.

    The notification names neither the learner nor the message (an email leaves our
    access checks): it says that someone asked and links to the support requests.
    """
    if membership.role != Role.LEARNER:
        raise PermissionDenied("Support cases are opened by learners.")
    with transaction.atomic(durable=True):
        case = SupportCase.objects.create(
            institution_id=membership.institution_id,
            membership=membership,
            message=message.strip(),
            contact=contact.strip(),
        )
        audit_record(
            actor=membership.user,
            institution=membership.institution,
            action="voice_support_case_open",
            obj=case,
        )
        # Support staff are the only readers of a support case.
        if readers := role_users(institution_id=membership.institution_id, role=Role.SUPPORT):
            notify(
                recipients=readers,
                kind=SUPPORT_CASE_OPENED,
                institution=membership.institution,
                subject=gettext_lazy("A learner asked support staff to contact them"),
                body=gettext_lazy(
                    "Open the support requests to see who asked and how to reach them."
                ),
                url=reverse("voice:support_case_list"),
            )
        else:
            # Nobody may read the request: the admins are told to give someone the role
            # (they cannot read it themselves).
            notify(
                recipients=role_users(institution_id=membership.institution_id, role=Role.ADMIN),
                kind=SUPPORT_CASE_OPENED,
                institution=membership.institution,
                subject=gettext_lazy(
                    "A learner asked for support, but no one has the support role"
                ),
                body=gettext_lazy(
                    "Only support staff may read support requests. Give the support role to "
                    "a counsellor or another person who should contact the learner."
                ),
                url=reverse("people_list"),
            )
    return case


def support_case_status_set(*, actor: Membership, case: SupportCase, status: str) -> bool:
    """Support staff mark a request contacted, closed or open again; False if unchanged.

    The row is locked so that two counsellors answering at once leave one history: the
    second sees the first's status and is told, rather than both being recorded.
    """
    if actor.role != Role.SUPPORT or actor.institution_id != case.institution_id:
        raise PermissionDenied("Only support staff handle support requests.")
    if status not in SupportCaseStatus.values:
        raise ValidationError(_("Choose a status from the list."))
    with transaction.atomic(durable=True):
        locked = SupportCase.objects.select_for_update().get(pk=case.pk)
        if locked.status == status:
            return False
        before = locked.status
        locked.status = status
        locked.handled_by = actor
        locked.save(update_fields=["status", "handled_by"])
        audit_record(
            actor=actor.user,
            institution=actor.institution,
            action="voice_support_case_status",
            obj=locked,
            changes={"status": [before, status]},
        )
    case.status, case.handled_by = locked.status, locked.handled_by
    return True


# --- Release --------------------------------------------------------------------------

RELEASE_HOUR = 6


def _rewrite_shuffled(
    model: type[Item] | type[Receipt] | type[ReceiptMessage], pks: list[Any]
) -> None:
    """Delete and insert again the rows ``pks`` in keyed-hash order, in this transaction.

    The database engine keeps its own record of insertion order (SQLite's rowid,
    PostgreSQL's row position and transaction id). Rewriting the batch's rows together
    leaves every one with the same transaction and positions that follow the hash, not
    the order the learners wrote in. Foreign keys to these rows are checked at commit.
    """
    rows = list(model.objects.filter(pk__in=pks))
    if not rows:
        return
    rows.sort(key=lambda row: shuffle_key(row.pk))
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(str(model._meta.pk.column))
    placeholders = ", ".join(["%s"] * len(rows))
    values = [model._meta.pk.get_db_prep_value(row.pk, connection) for row in rows]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({placeholders})", values)  # noqa: S608
    model.objects.bulk_create(rows)


def batch_due(
    *,
    settings: VoiceSettings,
    waiting: int,
    oldest_week: datetime.date | None,
    now: datetime.datetime,
    released_today: bool,
) -> bool:
    """Whether what waits (items and added messages) is released now, by the institution's rule.

    Daily: once a day from 06:00 local time. At least k waiting: as soon as k wait, or
    when the oldest has waited ``max_wait_days``.
    """
    if waiting == 0:
        return False
    local = timezone.localtime(now)
    if settings.release_rule == ReleaseRule.DAILY:
        return local.hour >= RELEASE_HOUR and not released_today
    if waiting >= settings.min_group_size:
        return True
    limit = local.date() - datetime.timedelta(days=settings.max_wait_days)
    return oldest_week is not None and oldest_week <= limit


def batch_release(
    *, institution: Institution, now: datetime.datetime | None = None, force: bool = False
) -> Batch | None:
    """Release what waits, if the institution's rule says so (or ``force``): one batch.

    Items and the authors' added messages reach staff together; the batch records
    only its own time and size. Returns None when nothing was released.
    """
    now = now or timezone.now()
    settings = selectors.voice_settings(institution=institution)
    with transaction.atomic(durable=True):
        waiting = list(
            Item.objects.select_for_update()
            .filter(institution=institution, batch__isnull=True)
            .values_list("pk", "week")
        )
        messages = list(
            ReceiptMessage.objects.filter(
                item__institution=institution, from_staff=False, batch__isnull=True
            ).values_list("pk", "week")
        )
        weeks = [week for _, week in waiting + messages]
        today = timezone.localtime(now).date()
        released_today = Batch.objects.filter(
            institution=institution, released_at__gte=_day_start(today)
        ).exists()
        due = batch_due(
            settings=settings,
            waiting=len(weeks),
            oldest_week=min(weeks, default=None),
            now=now,
            released_today=released_today,
        )
        if not weeks or not (force or due):
            return None
        batch = Batch.objects.create(institution=institution, released_at=now, size=len(waiting))
        item_pks = [pk for pk, _ in waiting]
        message_pks = [pk for pk, _ in messages]
        _rewrite_shuffled(Item, item_pks)
        _rewrite_shuffled(Receipt, item_pks)
        _rewrite_shuffled(ReceiptMessage, message_pks)
        Item.objects.filter(pk__in=item_pks).update(batch=batch)
        ReceiptMessage.objects.filter(pk__in=message_pks).update(batch=batch)
        audit_record(
            actor=None,
            institution=institution,
            action="voice_release",
            obj=batch,
            changes={"items": len(item_pks), "messages": len(message_pks)},
        )
    return batch


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- Coordinator settings ----------------------------------------------------------------


def settings_update(*, actor: Membership, settings: VoiceSettings, changed: list[str]) -> None:
    """Save the institution's voice settings (already validated by the form)."""
    with transaction.atomic(durable=True):
        settings.full_clean()
        settings.save()
        audit_record(
            actor=actor.user,
            institution=actor.institution,
            action="update",
            obj=settings,
            changes={"fields": changed},
        )


def category_save(*, actor: Membership, category: Category) -> Category:
    created = category.pk is None
    category.institution_id = actor.institution_id
    with transaction.atomic(durable=True):
        category.full_clean()
        category.save()
        audit_record(
            actor=actor.user,
            institution=actor.institution,
            action="create" if created else "update",
            obj=category,
            changes={"name": category.label, "response_days": category.response_days},
        )
    return category


@dataclass(frozen=True)
class ConsultationSaved:
    consultation: Consultation
    # Anonymous mode was asked for but refused: the audience is smaller than k.
    anonymity_refused: bool


def consultation_save(
    *,
    actor: Membership,
    consultation: Consultation,
    programmes: list[Programme] | None,
    cohorts: list[str],
) -> ConsultationSaved:
    """Save a consultation; refuse anonymous mode when its audience is smaller than k.

    The audience is counted as it is now (active learners of the chosen programmes or
    cohorts, or of the institution).
    """
    settings = selectors.voice_settings(institution=actor.institution)
    created = consultation.pk is None
    consultation.institution_id = actor.institution_id
    consultation.cohorts = cohorts
    if created:
        consultation.created_by = actor
    with transaction.atomic(durable=True):
        consultation.full_clean()
        consultation.save()
        if programmes is not None:
            consultation.programmes.set(programmes)
        size = selectors.audience_size(consultation=consultation)
        refused = consultation.anonymous_allowed and size < settings.min_group_size
        consultation.audience_size = size
        if refused:
            consultation.anonymous_allowed = False
        consultation.save(update_fields=["audience_size", "anonymous_allowed"])
        audit_record(
            actor=actor.user,
            institution=actor.institution,
            action="create" if created else "update",
            obj=consultation,
            changes={
                "audience": consultation.audience,
                "audience_size": size,
                "anonymous_allowed": consultation.anonymous_allowed,
            },
        )
    return ConsultationSaved(consultation=consultation, anonymity_refused=refused)
