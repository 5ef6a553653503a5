"""Reads for the core pages. Each returns data of one institution only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from guildhouse.core.models import (
    STAFF_ROLES,
    AuditEvent,
    Institution,
    Invitation,
    Membership,
    Programme,
    Role,
)


def programme_list(*, institution: Institution) -> QuerySet[Programme]:
    return Programme.objects.filter(institution=institution).annotate(
        learner_count=Count(
            "learners", filter=Q(learners__membership__is_active=True), distinct=True
        )
    )


def people_list(
    *, institution: Institution, role: str = "", query: str = "", programme_id: int | None = None
) -> QuerySet[Membership]:
    people = (
        Membership.objects.active()
        .filter(institution=institution)
        .select_related("user", "learner_profile__programme", "staff_profile")
        .order_by("user__full_name", "pk")
    )
    if role:
        people = people.filter(role=role)
    if query:
        people = people.filter(
            Q(user__full_name__icontains=query) | Q(user__email__icontains=query)
        )
    if programme_id is not None:
        people = people.filter(learner_profile__programme_id=programme_id)
    return people


def invitation_list(*, institution: Institution) -> QuerySet[Invitation]:
    return Invitation.objects.filter(institution=institution).select_related("invited_by")


def audit_list(
    *, institution: Institution, action: str = "", actor: str = ""
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(institution=institution).select_related("actor")
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    return events


@dataclass(frozen=True)
class InstitutionCounts:
    learners: int
    staff: int
    programmes: int
    open_invitations: int


def institution_counts(*, institution: Institution) -> InstitutionCounts:
    by_role = dict(
        Membership.objects.active()
        .filter(institution=institution)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    staff = sum(by_role.get(role, 0) for role in STAFF_ROLES)
    open_invitations = Invitation.objects.filter(institution=institution).open().count()
    return InstitutionCounts(
        learners=by_role.get(Role.LEARNER, 0),
        staff=staff,
        programmes=Programme.objects.filter(institution=institution, active=True).count(),
        open_invitations=open_invitations,
    )
