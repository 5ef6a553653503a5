"""Reads for the public page, feedback, placement requests and the partner portal.
Each returns data of one institution (or one partner's organisations) in a bounded
number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from guildhouse.core.models import Institution, Membership, Role
from guildhouse.partners.access import partner_contact, partner_organisation_ids
from guildhouse.partners.models import (
    Agreement,
    EvaluationBy,
    InterestSubmission,
    Opportunity,
    Organisation,
    Placement,
    PlacementEvaluation,
    PlacementRequest,
    PlacementStatus,
    RequestStatus,
    SatisfactionResponse,
    SuccessStory,
    Testimonial,
    ValueProposition,
)
from guildhouse.partners.services_public import EVALUATION_OPENS_DAYS_BEFORE_END

PUBLIC_ITEMS = 12
LIST_LIMIT = 100


@dataclass(frozen=True)
class PublicPage:
    institution: Institution
    offer: ValueProposition
    stories: list[SuccessStory]
    testimonials: list[Testimonial]


def public_page(*, slug: str) -> PublicPage | None:
    """The published offer of the institution at ``slug``, with its published stories
    and published testimonials (consent standing); ``None`` when nothing is published."""
    offer = (
        ValueProposition.objects.select_related("institution")
        .filter(institution__slug=slug, is_published=True)
        .first()
    )
    if offer is None:
        return None
    institution = offer.institution
    stories = SuccessStory.objects.filter(
        institution=institution, published_at__isnull=False
    ).order_by("-published_at", "-pk")[:PUBLIC_ITEMS]
    testimonials = (
        Testimonial.objects.filter(
            organisation__institution=institution,
            published_at__isnull=False,
            consent_at__isnull=False,
            consent_withdrawn_at__isnull=True,
        )
        .select_related("organisation")
        .order_by("-published_at", "-pk")[:PUBLIC_ITEMS]
    )
    return PublicPage(institution, offer, list(stories), list(testimonials))


def story_list(*, institution: Institution) -> QuerySet[SuccessStory]:
    return SuccessStory.objects.filter(institution=institution).select_related("organisation")[
        :LIST_LIMIT
    ]


def enquiry_list(*, institution: Institution) -> QuerySet[InterestSubmission]:
    return InterestSubmission.objects.filter(institution=institution).select_related(
        "organisation__stage"
    )[:LIST_LIMIT]


def testimonial_list(*, institution: Institution) -> QuerySet[Testimonial]:
    return Testimonial.objects.filter(organisation__institution=institution).select_related(
        "organisation", "contact"
    )[:LIST_LIMIT]


@dataclass(frozen=True)
class SurveySummary:
    answers: int
    average: float | None
    # Net promoter score: % of 9-10 minus % of 0-6, the usual reading of the 0-10 question.
    nps: int | None


def survey_summary(*, institution: Institution, year: int) -> SurveySummary:
    row = SatisfactionResponse.objects.filter(
        organisation__institution=institution, year=year
    ).aggregate(
        n=Count("pk"),
        avg=Avg("score"),
        promoters=Count("pk", filter=Q(score__gte=9)),
        detractors=Count("pk", filter=Q(score__lte=6)),
    )
    n = int(row["n"])
    if not n:
        return SurveySummary(0, None, None)
    nps = round(100 * (int(row["promoters"]) - int(row["detractors"])) / n)
    return SurveySummary(n, round(float(row["avg"]), 1), nps)


def survey_responses(*, institution: Institution) -> QuerySet[SatisfactionResponse]:
    return SatisfactionResponse.objects.filter(
        organisation__institution=institution
    ).select_related("organisation", "contact")[:LIST_LIMIT]


def evaluation_list(*, institution: Institution) -> QuerySet[PlacementEvaluation]:
    return (
        PlacementEvaluation.objects.filter(
            placement__period__opportunity__organisation__institution=institution
        )
        .select_related("placement__learner__user", "placement__period__opportunity__organisation")
        .order_by("-answered_at", "-pk")[:LIST_LIMIT]
    )


def request_list(*, viewer: Membership) -> QuerySet[PlacementRequest]:
    """Placement requests the viewer may see, newest first: staff all, a partner
    contact their organisations'."""
    items = PlacementRequest.objects.filter(
        opportunity__organisation__institution_id=viewer.institution_id
    )
    if viewer.role == Role.PARTNER:
        items = items.filter(opportunity__organisation_id__in=partner_organisation_ids(viewer))
    return items.select_related("opportunity__organisation", "programme").order_by(
        "-created_at", "-pk"
    )[:LIST_LIMIT]


@dataclass(frozen=True)
class PartnerPortal:
    organisations: list[Organisation]
    opportunities: list[Opportunity]
    agreements: list[Agreement]
    placements: list[Placement]
    open_requests: list[PlacementRequest]
    evaluations_due: list[Placement]
    testimonials: list[Testimonial]
    survey_answered: bool
    year: int


PORTAL_ITEMS = 10


def partner_portal(*, viewer: Membership, today: datetime.date | None = None) -> PartnerPortal:
    """What a partner contact has with us: only the organisations where they currently
    work (``partner_organisation_ids``), never any other's. Nine queries."""
    today = today or timezone.localdate()
    org_ids = partner_organisation_ids(viewer)
    contact = partner_contact(viewer)
    organisations = list(Organisation.objects.filter(pk__in=org_ids).order_by("name"))
    opportunities = list(
        Opportunity.objects.filter(organisation_id__in=org_ids, is_open=True)
        .select_related("organisation")
        .order_by("-starts_on", "pk")[:PORTAL_ITEMS]
    )
    agreements = list(
        Agreement.objects.filter(organisation_id__in=org_ids)
        .select_related("organisation")
        .order_by("-starts_on", "pk")[:PORTAL_ITEMS]
    )
    placements = list(
        Placement.objects.filter(period__opportunity__organisation_id__in=org_ids)
        .exclude(status=PlacementStatus.CANCELLED)
        .select_related("learner__user", "period__opportunity")
        .order_by("-starts_on", "pk")[:PORTAL_ITEMS]
    )
    open_requests = list(
        PlacementRequest.objects.filter(
            opportunity__organisation_id__in=org_ids, status=RequestStatus.SENT
        )
        .select_related("opportunity")
        .order_by("answer_by", "pk")[:PORTAL_ITEMS]
    )
    evaluations_due = list(
        Placement.objects.filter(
            period__opportunity__organisation_id__in=org_ids,
            status=PlacementStatus.CONFIRMED,
            ends_on__lte=today + datetime.timedelta(days=EVALUATION_OPENS_DAYS_BEFORE_END),
            ends_on__gte=today - datetime.timedelta(days=90),
        )
        .exclude(evaluations__by=EvaluationBy.EMPLOYER)
        .select_related("learner__user", "period__opportunity")
        .order_by("ends_on", "pk")[:PORTAL_ITEMS]
    )
    testimonials = (
        list(Testimonial.objects.filter(contact=contact).order_by("-created_at")[:PORTAL_ITEMS])
        if contact
        else []
    )
    answered = bool(
        contact
        and SatisfactionResponse.objects.filter(
            contact=contact, organisation_id__in=org_ids, year=today.year
        ).exists()
    )
    return PartnerPortal(
        organisations,
        opportunities,
        agreements,
        placements,
        open_requests,
        evaluations_due,
        testimonials,
        answered,
        today.year,
    )


def learner_evaluations_due(
    *, viewer: Membership, today: datetime.date | None = None
) -> list[Placement]:
    """The learner's confirmed placements open for their evaluation and not yet evaluated."""
    today = today or timezone.localdate()
    return list(
        Placement.objects.filter(
            learner=viewer,
            status=PlacementStatus.CONFIRMED,
            ends_on__lte=today + datetime.timedelta(days=EVALUATION_OPENS_DAYS_BEFORE_END),
            ends_on__gte=today - datetime.timedelta(days=90),
        )
        .exclude(evaluations__by=EvaluationBy.LEARNER)
        .select_related("period__opportunity__organisation")
        .order_by("ends_on", "pk")[:PORTAL_ITEMS]
    )
