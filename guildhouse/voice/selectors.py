"""Reads of learner voice. Every function is scoped to one institution.

No staff list is ever ordered by primary key or by anything that follows submission
order: items come by category, then by a keyed hash of their random id.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Case, Count, Q, QuerySet, Value, When

from guildhouse.core.models import Institution, LearnerProfile, Membership, Programme, Role
from guildhouse.voice.anonymity import support_digest
from guildhouse.voice.models import (
    Audience,
    BuiltinCategory,
    Category,
    Channel,
    Consultation,
    Item,
    ReceiptMessage,
    Support,
    SupportCase,
    SupportCaseStatus,
    VoiceSettings,
)


def voice_settings(*, institution: Institution) -> VoiceSettings:
    """The institution's settings, its built-in categories and its speak-up channel.

    Made on first use, so a new institution needs no set-up step.
    """
    found = VoiceSettings.objects.filter(institution=institution).first()
    if found is not None:
        return found
    with transaction.atomic():
        settings, _ = VoiceSettings.objects.get_or_create(
            institution=institution, defaults={"min_group_size": institution.min_group_size}
        )
        Channel.objects.get_or_create(institution=institution)
        existing = set(
            Category.objects.filter(institution=institution)
            .exclude(builtin="")
            .values_list("builtin", flat=True)
        )
        Category.objects.bulk_create(
            [
                Category(institution=institution, builtin=value, position=index * 10)
                for index, value in enumerate(BuiltinCategory.values)
                if value not in existing
            ]
        )
    return settings


def channel_of(*, institution: Institution) -> Channel:
    voice_settings(institution=institution)
    return Channel.objects.get(institution=institution)


def category_list(*, institution: Institution, active_only: bool = False) -> QuerySet[Category]:
    voice_settings(institution=institution)
    categories = Category.objects.filter(institution=institution).order_by("position", "id")
    return categories.filter(active=True) if active_only else categories


def programme_choices(*, institution: Institution, k: int) -> list[Programme]:
    """Programmes a learner may name on an item: only those with at least k learners.

    Naming a smaller programme would point at one of a handful of people.
    """
    return list(
        Programme.objects.filter(institution=institution, active=True)
        .annotate(
            n=Count(
                "learners",
                filter=Q(
                    learners__membership__is_active=True,
                    learners__membership__role=Role.LEARNER,
                ),
            )
        )
        .filter(n__gte=k)
        .order_by("name")
    )


def audience_size(*, consultation: Consultation) -> int:
    """How many active learners a consultation reaches."""
    learners = LearnerProfile.objects.filter(
        membership__institution_id=consultation.institution_id,
        membership__is_active=True,
        membership__role=Role.LEARNER,
    )
    if consultation.audience == Audience.PROGRAMMES:
        learners = learners.filter(
            programme__in=consultation.programmes.all() if consultation.pk else []
        )
    elif consultation.audience == Audience.COHORTS:
        learners = learners.filter(cohort__in=list(consultation.cohorts))
    return learners.count()


def consultations_open_to(*, membership: Membership, today: datetime.date) -> list[Consultation]:
    """Consultations open today whose audience includes this learner."""
    open_now = Consultation.objects.filter(
        institution_id=membership.institution_id, opens_on__lte=today, closes_on__gte=today
    ).prefetch_related("programmes")
    profile = LearnerProfile.objects.filter(membership=membership).first()
    result = []
    for consultation in open_now.order_by("closes_on", "question"):
        if consultation.audience == Audience.PROGRAMMES:
            ids = {p.pk for p in consultation.programmes.all()}
            if profile is None or profile.programme_id not in ids:
                continue
        elif consultation.audience == Audience.COHORTS and (
            profile is None or profile.cohort not in consultation.cohorts
        ):
            continue
        result.append(consultation)
    return result


def consultation_list(*, institution: Institution) -> QuerySet[Consultation]:
    return Consultation.objects.filter(institution=institution).order_by("-opens_on", "question")


def inbox(*, institution: Institution, category_id: int | None = None) -> QuerySet[Item]:
    """Released, visible items for staff: by category, then the keyed hash, never by pk.

    The only filter is the category (no date, no batch, no order parameter): nothing a
    reader can choose recovers the order in which a batch's items were written.
    """
    items = Item.objects.visible().filter(institution=institution)
    if category_id is not None:
        items = items.filter(category_id=category_id)
    return items.select_related("category", "programme", "consultation", "owner__user").order_by(
        "category__position", "category_id", "shuffle"
    )


def public_items(*, institution: Institution) -> QuerySet[Item]:
    """Items learners may read and support: released, visible and anonymous (not named)."""
    return (
        Item.objects.visible()
        .filter(institution=institution, named_contact__isnull=True)
        .select_related("category")
        .order_by("category__position", "category_id", "shuffle")
    )


def supported_ids(*, membership: Membership, items: list[Item]) -> set[str]:
    """Which of ``items`` this learner supported: computed from the key, nothing stored."""
    digests = {
        support_digest(membership_id=membership.pk, item_id=item.pk): str(item.pk) for item in items
    }
    found = Support.objects.filter(digest__in=list(digests)).values_list("digest", flat=True)
    return {digests[d] for d in found}


def moderation_queue(*, institution: Institution) -> QuerySet[Item]:
    """Items hidden automatically by reports, waiting for a moderator."""
    return (
        Item.objects.filter(institution=institution, pending_review=True)
        .select_related("category")
        .order_by("category__position", "category_id", "shuffle")
    )


def thread(*, item: Item, for_author: bool) -> QuerySet[ReceiptMessage]:
    """An item's thread: all of it for its author (through the receipt); for staff, staff
    replies and the author's messages released so far."""
    messages = item.messages.order_by("position")
    if for_author:
        return messages
    return messages.filter(Q(from_staff=True) | Q(batch__isnull=False))


def support_cases_of(*, membership: Membership) -> QuerySet[SupportCase]:
    """The learner's own requests, newest first, so they can see each was received."""
    return SupportCase.objects.filter(membership=membership).order_by("-created_at", "id")


def support_cases_waiting(*, institution: Institution) -> int:
    """Requests no support staff member has yet marked contacted or closed."""
    return SupportCase.objects.filter(
        institution=institution, status=SupportCaseStatus.OPEN
    ).count()


def support_case_list(*, institution: Institution) -> QuerySet[SupportCase]:
    """Requests still waiting for a first contact first, then contacted, then closed;
    newest first within each."""
    waiting = Case(
        When(status=SupportCaseStatus.OPEN, then=Value(0)),
        When(status=SupportCaseStatus.CONTACTED, then=Value(1)),
        default=Value(2),
    )
    return (
        SupportCase.objects.filter(institution=institution)
        .select_related("membership__user", "handled_by__user")
        .order_by(waiting, "-created_at", "id")
    )
