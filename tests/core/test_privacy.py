"""Special-category data: stored only with consent, read only by the person and support staff."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from guildhouse.core.models import AuditEvent, Role, SpecialCategoryData
from tests.conftest import World

SPECIAL = {
    "consent": "on",
    "gender": "non_binary",
    "background": "First in family at college",
    "support_needs": "Extra time in written exams",
}
NO_CONSENT = "Tick the box to agree, or clear the fields: we store this only with your agreement."
HEADING = "Support information (shared with consent)"


def save(client: Client, data: dict[str, str]) -> str:
    response = client.post(reverse("profile"), data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("profile"), 302)]
    return response.content.decode()


def test_learner_saves_with_consent_and_sees_it_again(world: World) -> None:
    learner = world.client_for(world.learner)

    body = save(learner, SPECIAL)

    assert "Saved. Support staff can now see this." in body
    data = SpecialCategoryData.objects.get(membership=world.learner)
    assert (data.gender, data.background, data.support_needs) == (
        "non_binary",
        "First in family at college",
        "Extra time in written exams",
    )
    assert data.consent_given_at is not None
    # The form shows what is stored, with the box ticked.
    assert 'value="First in family at college"' in body
    assert "Extra time in written exams</textarea>" in body
    assert 'name="consent" id="id_consent" checked' in body


def test_support_staff_of_the_same_institution_see_it(world: World) -> None:
    save(world.client_for(world.learner), SPECIAL)
    page = world.client_for(world.support).get(reverse("person_detail", args=[world.learner.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert HEADING in body
    assert "Non-binary" in body
    assert "First in family at college" in body
    assert "Extra time in written exams" in body


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.STAFF])
def test_managers_and_teachers_do_not_see_it(world: World, role: str) -> None:
    save(world.client_for(world.learner), SPECIAL)
    page = world.client_for(world.member(role)).get(
        reverse("person_detail", args=[world.learner.pk])
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert world.learner.user.full_name in body  # the page itself is visible ...
    assert HEADING not in body  # ... the special-category data is not
    assert "Non-binary" not in body
    assert "First in family at college" not in body
    assert "Extra time in written exams" not in body


def test_it_is_not_on_lists_or_the_audit_log(world: World) -> None:
    save(world.client_for(world.learner), SPECIAL)
    # Each page is shown (status and its own content), without the data.
    shown = {
        "people_list": world.learner.user.full_name,
        "programme_list": world.programme.name,
        "audit_list": "saved support information of",
        "home": f"Welcome, {world.admin.user.display_name}",
    }
    for name, expected in shown.items():
        response = world.client_for(world.admin).get(reverse(name))
        body = response.content.decode()
        assert (response.status_code, expected in body) == (200, True), name
        assert "First in family at college" not in body, name
        assert "Extra time in written exams" not in body, name
    support_list = world.client_for(world.support).get(reverse("people_list"))
    assert support_list.status_code == 200
    assert world.learner.user.full_name in support_list.content.decode()
    assert "Extra time in written exams" not in support_list.content.decode()


def test_support_staff_of_another_institution_get_404(world: World) -> None:
    from tests.factories import member_make

    save(world.client_for(world.learner), SPECIAL)
    other_support = member_make(institution=world.other_institution, role=Role.SUPPORT)
    page = world.client_for(other_support).get(reverse("person_detail", args=[world.learner.pk]))
    assert page.status_code == 404
    assert "Extra time in written exams" not in page.content.decode()


def test_unticking_consent_erases_the_data(world: World) -> None:
    learner = world.client_for(world.learner)
    save(learner, SPECIAL)

    # In the browser the fields still hold the values when the box is unticked.
    body = save(learner, {key: value for key, value in SPECIAL.items() if key != "consent"})

    assert "Nothing is stored about this." in body
    assert not SpecialCategoryData.objects.filter(membership=world.learner).exists()
    assert 'value="First in family at college"' not in body
    support_view = world.client_for(world.support).get(
        reverse("person_detail", args=[world.learner.pk])
    )
    assert HEADING not in support_view.content.decode()


def test_values_without_consent_are_refused_and_nothing_is_stored(world: World) -> None:
    learner = world.client_for(world.learner)
    audit_before = AuditEvent.objects.count()

    response = learner.post(
        reverse("profile"), {key: value for key, value in SPECIAL.items() if key != "consent"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"consent": [NO_CONSENT]}
    assert NO_CONSENT in response.content.decode()
    assert not SpecialCategoryData.objects.exists()
    assert AuditEvent.objects.count() == audit_before


def test_an_empty_form_without_consent_stores_nothing(world: World) -> None:
    body = save(world.client_for(world.learner), {})
    assert "Nothing is stored about this." in body
    assert not SpecialCategoryData.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="special_category").exists()
