"""Reads of the staff side of learner voice, each scoped to one institution.

Staff lists of items are ordered by category and the keyed shuffle (or by the
batch's release), never by anything that tells the order of writing inside a batch.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from guildhouse.core.models import Institution
from guildhouse.voice.models import (
    Action,
    Assembly,
    Category,
    Item,
    PublicResponse,
    ResourceAllocation,
    ResourceKind,
    Responsibility,
    Stakeholder,
    Status,
    TrainingSession,
)

BOARD_PAGE = 30
LIST_LIMIT = 100


def overdue_items(
    *, institution: Institution, now: datetime.datetime | None = None
) -> QuerySet[Item]:
    """Released, visible items still unanswered after their category's response target.

    One query: a condition per category (an institution has a handful), so the index
    on released items serves it. Oldest release first, then category and shuffle.
    """
    now = now or timezone.now()
    due = Q(pk__in=[])
    for pk, days in Category.objects.filter(institution=institution).values_list(
        "pk", "response_days"
    ):
        due |= Q(category_id=pk, batch__released_at__lt=now - datetime.timedelta(days=days))
    return (
        Item.objects.visible()
        .filter(institution=institution, status=Status.NEW)
        .filter(Q(triage__isnull=True) | Q(triage__first_response_at__isnull=True))
        .filter(due)
        .select_related("category", "batch", "owner__user")
        .order_by("batch__released_at", "category_id", "shuffle")
    )


def board(*, institution: Institution) -> QuerySet[PublicResponse]:
    """The "You said, we did" board: public responses on visible items, newest first."""
    return (
        PublicResponse.objects.filter(
            item__institution=institution, item__hidden=False, item__batch__isnull=False
        )
        .select_related("item__category")
        .order_by("-published_at", "item_id")
    )


def action_list(*, institution: Institution) -> QuerySet[Action]:
    return (
        Action.objects.filter(institution=institution)
        .select_related("category", "owner__user")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-created_on", "-id")
    )


@dataclass(frozen=True)
class ResourceTotals:
    money: Decimal
    staff_hours: Decimal
    curriculum_hours: Decimal
    space_hours: Decimal


def resource_totals(*, action: Action) -> ResourceTotals:
    sums = dict(
        ResourceAllocation.objects.filter(action=action)
        .order_by()
        .values("kind")
        .annotate(total=Sum("amount"))
        .values_list("kind", "total")
    )
    return ResourceTotals(*(sums.get(kind, Decimal(0)) for kind in ResourceKind.values))


def assembly_list(*, institution: Institution) -> QuerySet[Assembly]:
    return Assembly.objects.filter(institution=institution).order_by("-starts_at", "id")


def responsibility_list(*, institution: Institution) -> QuerySet[Responsibility]:
    return (
        Responsibility.objects.filter(institution=institution)
        .select_related("membership__user", "programme")
        .order_by("kind", "membership__sort_name", "id")
    )


def training_list(*, institution: Institution) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(institution=institution)
        .annotate(attendee_count=Count("attendees"))
        .order_by("-held_on", "id")
    )


def stakeholder_list(*, institution: Institution) -> QuerySet[Stakeholder]:
    return (
        Stakeholder.objects.filter(institution=institution)
        .annotate(
            invited=Count("involvements", filter=Q(involvements__level="invited")),
            attended=Count("involvements", filter=Q(involvements__level="attended")),
            contributed=Count("involvements", filter=Q(involvements__level="contributed")),
        )
        .order_by("name", "id")
    )
