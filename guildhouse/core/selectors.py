"""Reads for the core pages. Each returns data of one institution only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, Q, QuerySet, Subquery

from guildhouse.core.models import (
    STAFF_ROLES,
    AuditEvent,
    Institution,
    Invitation,
    Membership,
    Programme,
    Role,
    User,
)


def role_users(*, institution_id: int, role: str) -> list[User]:
    """The people holding ``role`` in the institution now (active membership and account):
    whom a notification for that role reaches."""
    members = Membership.objects.active().filter(
        institution_id=institution_id, role=role, user__is_active=True
    )
    return [m.user for m in members.select_related("user").order_by("pk")]


# Trigram indexes can serve a search of at least this many characters.
TRIGRAM = 3


class SubqueryCount(Subquery):
    """``(SELECT COUNT(*) FROM (<queryset>))``: a count inside another query.

    Unlike a ``Count`` annotation it needs no GROUP BY and no DISTINCT over joined rows,
    and the queryset's ordering is dropped, so ``Meta.ordering`` adds no joins.
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet[Any]) -> None:
        super().__init__(queryset.order_by().values("pk"))


def programme_list(*, institution: Institution) -> QuerySet[Programme]:
    # A learner profile has one membership, so the join repeats no learner: no DISTINCT.
    return Programme.objects.filter(institution=institution).annotate(
        learner_count=Count("learners", filter=Q(learners__membership__is_active=True))
    )


def people_list(
    *, institution: Institution, role: str = "", query: str = "", programme_id: int | None = None
) -> QuerySet[Membership]:
    """Active members of ``institution`` by name; page it with ``KeysFirstPaginator``.

    The order (``sort_name``, the copy of the user's name) is served by the partial
    indexes ``membership_people_by_name``/``_by_role``. The search scans this
    institution's members only: names on the membership row itself, emails of this
    institution's users. On PostgreSQL a trigram index on emails serves a search of 3+
    characters (migration 0002); SQLite, and shorter searches, check the institution's
    members one by one, which is fine at the sizes SQLite is used for.
    """
    people = (
        Membership.objects.active()
        .filter(institution=institution)
        .select_related("user", "learner_profile__programme", "staff_profile")
        .order_by("sort_name", "pk")
    )
    if role:
        people = people.filter(role=role)
    if len(query) >= TRIGRAM:
        # Emails through the trigram index, narrowed to this institution's users.
        emails = User.objects.filter(memberships__institution=institution, email__icontains=query)
        people = people.filter(Q(sort_name__icontains=query) | Q(user_id__in=emails.values("pk")))
    elif query:
        # Too short for a trigram: check this institution's members one by one.
        people = people.filter(Q(sort_name__icontains=query) | Q(user__email__icontains=query))
    if programme_id is not None:
        people = people.filter(learner_profile__programme_id=programme_id)
    return people


def invitation_list(*, institution: Institution) -> QuerySet[Invitation]:
    return Invitation.objects.filter(institution=institution).select_related("invited_by")


def audit_list(
    *, institution: Institution, action: str = "", actor: str = ""
) -> QuerySet[AuditEvent]:
    # Newest first, served by the index ``audit_by_institution_newest``; the page shows
    # ``actor_label``, so no join to the actor.
    events = AuditEvent.objects.filter(institution=institution).order_by("-created_at", "-id")
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
    """The four counts of the admin and coordinator home, in one query."""
    members = Membership.objects.active().filter(institution=institution)
    counts = (
        Institution.objects.filter(pk=institution.pk)
        .order_by()
        .values_list(
            SubqueryCount(members.filter(role=Role.LEARNER)),
            SubqueryCount(members.filter(role__in=STAFF_ROLES)),
            SubqueryCount(Programme.objects.filter(institution=institution, active=True)),
            SubqueryCount(Invitation.objects.filter(institution=institution).open()),
        )
        .get()
    )
    learners, staff, programmes, open_invitations = counts
    return InstitutionCounts(
        learners=learners, staff=staff, programmes=programmes, open_invitations=open_invitations
    )
