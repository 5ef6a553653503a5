"""Writes for a pair's meetings: plan one, log how it went. Only the pair's two people."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guildhouse.core.audit import audit_record
from guildhouse.core.models import Membership, User
from guildhouse.mentoring.models import (
    Meeting,
    MeetingMode,
    MeetingStatus,
    Relationship,
    RelationshipStatus,
)


def _pair_member(actor: User, relationship: Relationship) -> Membership:
    for application in (relationship.mentee, relationship.mentor):
        if application.membership.user_id == actor.pk:
            return application.membership
    raise ValidationError(_("Only the two people in a pair can do this."))


def meeting_propose(
    *,
    actor: User,
    relationship: Relationship,
    starts_at: datetime.datetime,
    minutes: int,
    mode: str,
    place: str = "",
    link: str = "",
) -> Meeting:
    """Plan a meeting of an active pair, in the future, in person (place) or online (link)."""
    member = _pair_member(actor, relationship)
    if relationship.status != RelationshipStatus.ACTIVE:
        raise ValidationError(_("Meetings are planned once both of you have accepted the match."))
    if starts_at <= timezone.now():
        raise ValidationError(_("Choose a time in the future."))
    meeting = Meeting(
        relationship=relationship,
        proposed_by=member,
        starts_at=starts_at,
        minutes=minutes,
        mode=mode,
        place=place.strip() if mode == MeetingMode.IN_PERSON else "",
        link=link.strip() if mode == MeetingMode.ONLINE else "",
    )
    meeting.full_clean()
    with transaction.atomic(durable=True):
        meeting.save()
        audit_record(
            actor=actor,
            institution=relationship.programme.institution,
            action="meeting_propose",
            obj=meeting,
            changes={"starts_at": starts_at.isoformat(), "mode": mode},
        )
    return meeting


def meeting_log(
    *,
    actor: User,
    meeting: Meeting,
    status: str,
    held_minutes: int | None = None,
    topics: str = "",
    notes: str = "",
    notes_shared: bool = False,
) -> Meeting:
    """Record how a meeting went: held (with its length), missed or cancelled.

    The audit row never holds the notes: they are private to the pair.
    """
    if status not in (MeetingStatus.HELD, MeetingStatus.MISSED, MeetingStatus.CANCELLED):
        raise ValidationError(_("Choose held, missed or cancelled."))
    with transaction.atomic(durable=True):
        locked = (
            Meeting.objects.select_for_update()
            .select_related(
                "relationship__programme__institution",
                "relationship__mentee__membership",
                "relationship__mentor__membership",
            )
            .get(pk=meeting.pk)
        )
        member = _pair_member(actor, locked.relationship)
        if status == MeetingStatus.HELD and locked.starts_at > timezone.now():
            raise ValidationError(_("A meeting can be logged as held once it has started."))
        locked.status = status
        locked.held_minutes = held_minutes if status == MeetingStatus.HELD else None
        locked.topics = topics.strip()
        locked.notes = notes.strip()
        locked.notes_shared = notes_shared
        locked.logged_by = member
        if status == MeetingStatus.CANCELLED:
            locked.sequence += 1
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor,
            institution=locked.relationship.programme.institution,
            action="meeting_log",
            obj=locked,
            changes={"status": status, "notes_shared": notes_shared},
        )
    return locked


def meeting_reminders_send(*, now: datetime.datetime) -> int:
    """Notify both people of each active pair's planned meetings starting within 24 hours
    that have no reminder for their current calendar revision; returns how many meetings."""
    from django.db import IntegrityError
    from django.urls import reverse
    from django.utils.formats import date_format
    from django.utils.translation import gettext_lazy

    from guildhouse.mentoring.models import MeetingReminder
    from guildhouse.mentoring.tasks import MEETING_REMINDER, REMIND_AHEAD
    from guildhouse.notifications.api import notify

    meetings = (
        Meeting.objects.filter(
            status=MeetingStatus.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + REMIND_AHEAD,
            relationship__status=RelationshipStatus.ACTIVE,
        )
        .exclude(reminders__sequence=models.F("sequence"))
        .select_related(
            "relationship__programme__institution",
            "relationship__mentee__membership__user",
            "relationship__mentor__membership__user",
        )
        .order_by("starts_at", "pk")
    )
    sent = 0
    for meeting in meetings:
        relationship = meeting.relationship
        try:
            with transaction.atomic(durable=True):
                MeetingReminder.objects.create(meeting=meeting, sequence=meeting.sequence)
                where = meeting.place if meeting.mode == MeetingMode.IN_PERSON else meeting.link
                notify(
                    recipients=[
                        relationship.mentee.membership.user,
                        relationship.mentor.membership.user,
                    ],
                    kind=MEETING_REMINDER,
                    institution=relationship.programme.institution,
                    subject=gettext_lazy("Mentoring meeting on %(when)s"),
                    body=gettext_lazy("%(mentee)s and %(mentor)s meet at %(where)s."),
                    context={
                        "when": date_format(
                            timezone.localtime(meeting.starts_at), "DATETIME_FORMAT"
                        ),
                        "mentee": relationship.mentee.membership.user.full_name,
                        "mentor": relationship.mentor.membership.user.full_name,
                        "where": where,
                    },
                    url=reverse("mentoring:relationship_detail", args=[relationship.pk]),
                )
        except IntegrityError:
            continue  # another worker reminded it first
        sent += 1
    return sent
