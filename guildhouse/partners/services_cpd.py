"""Writes for educators' CPD records: each staff member keeps their own."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from guildhouse.core.audit import audit_record
from guildhouse.core.models import STAFF_ROLES, Membership, User
from guildhouse.partners.models import CpdActivity, Organisation


def cpd_record(
    *,
    actor: User,
    membership: Membership,
    kind: str,
    title: str,
    starts_on: datetime.date,
    hours: Decimal,
    ends_on: datetime.date | None = None,
    organisation: Organisation | None = None,
) -> CpdActivity:
    """Record an industry event, professional body, return-to-industry placement or
    course of ``membership`` (a staff member of the institution)."""
    if membership.role not in STAFF_ROLES:
        raise ValueError("Only staff keep CPD records.")
    if organisation is not None and organisation.institution_id != membership.institution_id:
        raise ValueError("The organisation belongs to another institution.")
    activity = CpdActivity(
        membership=membership,
        kind=kind,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        hours=hours,
        organisation=organisation,
    )
    activity.full_clean()
    with transaction.atomic(durable=True):
        activity.save()
        audit_record(
            actor=actor,
            institution=membership.institution,
            action="create",
            obj=activity,
            changes={"kind": kind, "starts_on": str(starts_on), "hours": str(hours)},
        )
    return activity


def cpd_delete(*, actor: User, activity: CpdActivity) -> None:
    with transaction.atomic(durable=True):
        audit_record(
            actor=actor,
            institution=activity.membership.institution,
            action="delete",
            obj=activity,
            changes={"title": activity.title},
        )
        activity.delete()
