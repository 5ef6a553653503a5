"""The demo of the public page, feedback and placement requests: believable rows that
every role can walk through (the published page, the partner's forms, the learner's
evaluation)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from guildhouse.core import demo as core_demo
from guildhouse.core.models import Institution
from guildhouse.partners import demo
from guildhouse.partners import models as pm

TODAY = datetime.date(2026, 3, 1)


@pytest.mark.django_db
@pytest.mark.usefixtures("private_dir")
def test_the_public_and_feedback_demo() -> None:
    core_demo.ensure_demo(today=TODAY)
    demo.load_demo(today=TODAY)
    riverside = Institution.objects.get(name="Riverside Vocational College")
    offer = pm.ValueProposition.objects.get(institution=riverside)
    assert (offer.headline, offer.is_published) == (
        "Skilled people for the North Coast's workplaces",
        True,
    )
    published = pm.SuccessStory.objects.filter(institution=riverside, published_at__isnull=False)
    assert sorted(published.values_list("title", flat=True)) == [
        "A breakfast kitchen that trains",
        "From placement to site foreman",
    ]
    quotes = {t.author_name: t for t in pm.Testimonial.objects.all()}
    assert quotes["Jonas Berg"].published_at is not None
    assert (quotes["Laura Fletcher"].consent_at, quotes["Laura Fletcher"].published_at) == (
        None,
        None,
    )
    bakery = pm.Organisation.objects.get(institution=riverside, name="Baltic Bakery Oy")
    assert (bakery.source, bakery.stage.name) == ("web_form", "Prospect")
    joined = pm.InterestSubmission.objects.get(full_name="Peter Lund")
    assert (joined.organisation.name, joined.matched_existing) == ("Harbour Hotel", True)
    requests = {r.opportunity.title: r for r in pm.PlacementRequest.objects.all()}
    assert requests["Solar installation assistant"].status == "sent"
    assert (
        requests["Breakfast kitchen pilot"].status,
        requests["Breakfast kitchen pilot"].places_offered,
    ) == ("offered", 3)
    assert pm.PlacementEvaluation.objects.count() == 2
    assert pm.SatisfactionResponse.objects.get().score == 8

    page = Client().get(reverse("partners:public_page", args=[riverside.slug])).content.decode()
    assert "From placement to site foreman" in page
    assert "Coastal Motors&#x27; EV safety day" not in page
    assert "Two of our electricians" in page
    assert "two summer cooks" not in page  # no consent yet
