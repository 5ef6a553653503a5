"""The learner-voice demo: settings, a consultation and items, released and waiting."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from guildhouse.core import demo as core_demo
from guildhouse.core.models import Institution, User
from guildhouse.voice import demo, selectors
from guildhouse.voice.models import Consultation, Item, VoiceSettings
from tests.conftest import sign_in

TODAY = datetime.date(2026, 3, 2)


@pytest.mark.django_db
def test_voice_demo_loads_items_in_both_languages() -> None:
    core_demo.ensure_demo(today=TODAY)
    riverside = Institution.objects.get(name="Riverside Vocational College")
    # The learner side's items (the staff side's demo adds a year of history).
    texts = [text for _, text, _, _ in demo.ITEMS]
    assert Item.objects.filter(institution=riverside, text__in=texts).count() == len(demo.ITEMS)
    assert Item.objects.filter(institution=riverside, batch__isnull=True).count() == 2
    welding = Item.objects.get(text__startswith="The welding workshop extractor fans")
    assert (welding.support_count, welding.category.builtin) == (6, "facilities")
    assert Item.objects.filter(text__startswith="Hitsaamon kohdepoistot").exists()
    consultation = Consultation.objects.get(institution=riverside)
    assert (consultation.anonymous_allowed, consultation.opens_on) == (
        True,
        datetime.date(2026, 2, 27),
    )
    assert "040 555 0101" in VoiceSettings.objects.get(institution=riverside).support_now
    learner = sign_in(Client(), User.objects.get(email="learner@riverside.demo"))
    html = learner.get(reverse("voice:item_list")).content.decode()
    # The staff side's year of history fills the first page; the list reads public_items.
    first = selectors.public_items(institution=riverside).first()
    assert first is not None
    assert first.text in html
    public = selectors.public_items(institution=riverside)
    assert public.filter(text="Bus 14 arrives five minutes after the first lesson starts.").exists()
    assert "The bike shed has no roof;" not in html  # waits for the next batch
    assert not public.filter(text__startswith="The bike shed has no roof;").exists()
