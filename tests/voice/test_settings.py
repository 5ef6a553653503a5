"""The coordinator's pages: settings, categories, consultations (and the small audience)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from guildhouse.voice.models import Category, Consultation, VoiceSettings
from tests.conftest import World
from tests.factories import programme_make
from tests.voice.make import more_learners


def test_settings_page_saves_thresholds_and_keywords(world: World) -> None:
    client = world.client_for(world.coordinator)
    assert (
        "Safeguarding keywords (Finnish)" in client.get(reverse("voice:settings")).content.decode()
    )
    data = {
        "min_group_size": "7",
        "release_rule": "k_waiting",
        "max_wait_days": "5",
        "auto_hide_reports": "2",
        "keywords_en": "unsafe\nhurt",
        "keywords_fi": "pelottaa",
        "support_now": "Kuraattori Anna, 040 555 0101",
    }
    assert client.post(reverse("voice:settings"), data).status_code == 302
    saved = VoiceSettings.objects.get(institution=world.institution)
    assert (saved.min_group_size, saved.release_rule, saved.auto_hide_reports) == (
        7,
        "k_waiting",
        2,
    )
    assert saved.keywords() == ["hurt", "pelottaa", "unsafe"]
    response = client.post(reverse("voice:settings"), {**data, "min_group_size": "2"})
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 3." in response.content.decode()
    assert "Kuraattori Anna, 040 555 0101" in response.content.decode()
    assert VoiceSettings.objects.get(institution=world.institution).min_group_size == 7


def test_categories_are_built_in_and_the_institution_adds_more(world: World) -> None:
    client = world.client_for(world.coordinator)
    html = client.get(reverse("voice:category_list")).content.decode()
    for label in (
        "Learning and teaching",
        "Wellbeing",
        "Facilities",
        "Accessibility",
        "Discrimination or bullying",
        "Placements and workplace learning",
        "Other",
    ):
        assert label in html
    data = {"name": "Canteen", "response_days": "7", "position": "65", "active": "on"}
    assert client.post(reverse("voice:category_list"), data).status_code == 302
    response = client.post(reverse("voice:category_list"), data)
    assert response.status_code == 400
    assert "A category with this name exists already." in response.content.decode()
    canteen = Category.objects.get(institution=world.institution, name="Canteen")
    assert (canteen.builtin, canteen.response_days) == ("", 7)
    wellbeing = Category.objects.get(institution=world.institution, builtin="wellbeing")
    edit = reverse("voice:category_edit", args=[wellbeing.pk])
    assert 'name="name"' not in client.get(edit).content.decode()
    client.post(edit, {"response_days": "3", "position": "10", "active": "on"})
    wellbeing.refresh_from_db()
    assert (wellbeing.response_days, wellbeing.label) == (3, "Wellbeing")
    # Learners see the new category on the form.
    assert (
        "Canteen" in world.client_for(world.learner).get(reverse("voice:speak_up")).content.decode()
    )


def _consultation_data(**extra: str) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "question": "How should the library change?",
        "description": "",
        "audience": "institution",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=14)).isoformat(),
        "anonymous_allowed": "on",
        **extra,
    }


def test_a_consultation_of_a_small_audience_refuses_anonymous_mode(world: World) -> None:
    client = world.client_for(world.coordinator)
    small = programme_make(institution=world.institution, name="Florists", code="FL")
    response = client.post(
        reverse("voice:consultation_create"),
        _consultation_data(audience="programmes", programmes=str(small.pk)),
        follow=True,
    )
    html = response.content.decode()
    assert (
        "This consultation reaches 0 learners, fewer than the smallest reportable group (5): "
        "anonymity cannot be promised" in html
    )
    consultation = Consultation.objects.get()
    assert (consultation.anonymous_allowed, consultation.audience_size) == (False, 0)
    assert "no: audience smaller than the smallest reportable group" in html


def test_learners_answer_an_open_consultation_anonymously_when_the_audience_is_big(
    world: World,
) -> None:
    more_learners(world, 5)
    client = world.client_for(world.coordinator)
    client.post(reverse("voice:consultation_create"), _consultation_data())
    consultation = Consultation.objects.get()
    assert (consultation.anonymous_allowed, consultation.audience_size) == (True, 6)
    learner = world.client_for(world.learner)
    assert (
        "How should the library change?" in learner.get(reverse("voice:speak_up")).content.decode()
    )
    page = learner.get(reverse("voice:consultation_answer", args=[consultation.pk]))
    assert f'name="consultation" value="{consultation.pk}"' in page.content.decode()


def test_a_small_consultation_takes_only_named_answers(world: World) -> None:
    from guildhouse.voice.models import Item, NamedContact
    from tests.voice.make import category, submit

    client = world.client_for(world.coordinator)
    client.post(
        reverse("voice:consultation_create"),
        _consultation_data(audience="cohorts", cohorts_text="2025"),
    )
    consultation = Consultation.objects.get()
    assert consultation.anonymous_allowed is False  # one learner of cohort 2025
    learner = world.client_for(world.learner)
    page = learner.get(reverse("voice:consultation_answer", args=[consultation.pk]))
    assert "staff will see your name with your answer" in page.content.decode()
    submit(
        learner,
        "Longer hours.",
        category=str(category(world).pk),
        consultation=str(consultation.pk),
    )
    item = Item.objects.get()
    assert item.consultation == consultation
    assert NamedContact.objects.get(item=item).membership == world.learner


def test_a_consultation_form_error_keeps_what_was_typed(world: World) -> None:
    client = world.client_for(world.coordinator)
    today = timezone.localdate()
    response = client.post(
        reverse("voice:consultation_create"),
        _consultation_data(closes_on=(today - datetime.timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 400
    assert "A consultation closes on or after the day it opens." in response.content.decode()
    assert "How should the library change?" in response.content.decode()
    assert Consultation.objects.count() == 0
