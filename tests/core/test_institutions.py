"""Several institutions: a person with two memberships sees one institution at a time.

Also the programme forms: bad input gets a specific error and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from guildhouse.core import services
from guildhouse.core.middleware import SESSION_KEY
from guildhouse.core.models import AuditEvent, Institution, Membership, Programme, Role
from tests.conftest import World, sign_in
from tests.factories import institution_make, member_make, programme_make, totp_enrol


@dataclass
class TwoSchools:
    a: Institution
    b: Institution
    a_programme: Programme
    b_programme: Programme
    a_learner: Membership
    b_learner: Membership
    person: Membership  # coordinator at A; the same user is staff at B
    client: Client


@pytest.fixture
def two(db: None) -> TwoSchools:
    # The person is coordinator at Alder and staff at Birch: Alder, the wider role, is
    # the active institution until they switch.
    a = institution_make(name="Alder Vocational College", short_name="Alder")
    b = institution_make(name="Birch Skills Institute", short_name="Birch")
    a_programme = programme_make(institution=a, name="Carpentry at Alder", code="CA")
    b_programme = programme_make(institution=b, name="Bakery at Birch", code="BB")
    person = member_make(institution=a, role=Role.COORDINATOR)
    member_make(institution=b, role=Role.STAFF, user=person.user)
    client = sign_in(Client(), person.user)
    return TwoSchools(
        a=a,
        b=b,
        a_programme=a_programme,
        b_programme=b_programme,
        a_learner=member_make(institution=a, role=Role.LEARNER, programme=a_programme),
        b_learner=member_make(institution=b, role=Role.LEARNER, programme=b_programme),
        person=person,
        client=client,
    )


def page(client: Client, name: str, *args: int) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    return response.content.decode()


def test_first_institution_is_active_and_only_its_data_shows(two: TwoSchools) -> None:
    home = page(two.client, "home")
    assert "Coordinator · Alder Vocational College" in home

    programmes = page(two.client, "programme_list")
    assert "Carpentry at Alder" in programmes
    assert "Bakery at Birch" not in programmes

    people = page(two.client, "people_list")
    assert two.a_learner.user.full_name in people
    assert two.b_learner.user.full_name not in people
    assert "2 people" in people  # the coordinator and A's learner

    for name, pk in [
        ("programme_detail", two.b_programme.pk),
        ("programme_edit", two.b_programme.pk),
        ("person_detail", two.b_learner.pk),
    ]:
        response = two.client.get(reverse(name, args=[pk]))
        assert response.status_code == 404, name
        body = response.content.decode()
        assert "Bakery at Birch" not in body
        assert two.b_learner.user.email not in body


def test_switching_shows_only_the_other_institution(two: TwoSchools) -> None:
    response = two.client.post(reverse("institution_switch"), {"institution": two.b.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert two.client.session[SESSION_KEY] == two.b.pk
    home = page(two.client, "home")
    assert "You are now working in Birch Skills Institute." in home
    assert "Staff · Birch Skills Institute" in home

    programmes = page(two.client, "programme_list")
    assert "Bakery at Birch" in programmes
    assert "Carpentry at Alder" not in programmes
    people = page(two.client, "people_list")
    assert two.b_learner.user.full_name in people
    assert two.a_learner.user.full_name not in people

    assert "Bakery at Birch" in page(two.client, "programme_detail", two.b_programme.pk)
    assert two.b_learner.user.email in page(two.client, "person_detail", two.b_learner.pk)
    for name, pk in [
        ("programme_detail", two.a_programme.pk),
        ("person_detail", two.a_learner.pk),
    ]:
        response = two.client.get(reverse(name, args=[pk]))
        assert response.status_code == 404, name
        assert "Carpentry at Alder" not in response.content.decode()
        assert two.a_learner.user.email not in response.content.decode()

    # The role is the one held in the active institution: staff at B may not add programmes.
    assert two.client.get(reverse("programme_create")).status_code == 403


def test_switching_back_restores_the_first_institution(two: TwoSchools) -> None:
    two.client.post(reverse("institution_switch"), {"institution": two.b.pk})
    two.client.post(reverse("institution_switch"), {"institution": two.a.pk})
    assert two.client.session[SESSION_KEY] == two.a.pk
    assert "Carpentry at Alder" in page(two.client, "programme_list")


@pytest.mark.parametrize("choice", ["stranger", "inactive", "garbage", "missing"])
def test_switching_to_an_institution_without_membership_is_404(
    two: TwoSchools, choice: str
) -> None:
    two.client.post(reverse("institution_switch"), {"institution": two.b.pk})
    stranger = institution_make(name="Cedar College", short_name="Cedar")
    Membership.objects.filter(user=two.person.user, institution=two.b).update(is_active=False)
    inactive = institution_make(name="Dogwood College", short_name="Dogwood")
    member_make(institution=inactive, role=Role.STAFF, user=two.person.user)
    Membership.objects.filter(user=two.person.user, institution=inactive).update(is_active=False)
    values = {"stranger": stranger.pk, "inactive": inactive.pk, "garbage": "abc", "missing": ""}
    session_before = dict(two.client.session)

    response = two.client.post(reverse("institution_switch"), {"institution": values[choice]})

    assert response.status_code == 404
    assert "Cedar College" not in response.content.decode()
    assert dict(two.client.session) == session_before


def test_switcher_lists_only_own_institutions(two: TwoSchools, world: World) -> None:
    home = page(two.client, "home")
    assert f'<option value="{two.a.pk}" selected>Alder Vocational College (Coordinator)' in home
    assert f'<option value="{two.b.pk}">Birch Skills Institute (Staff)' in home
    assert world.institution.name not in home


def test_switch_needs_post(two: TwoSchools) -> None:
    response = two.client.get(reverse("institution_switch"), {"institution": two.b.pk})
    assert response.status_code == 405
    assert SESSION_KEY not in two.client.session


# --- Programmes: bad input gets a specific error and changes nothing -----------------

PROGRAMME = {
    "name": "Electrical installation, evening",
    "code": "EL",
    "field": "07",
    "level": "4",
    "description": "",
    "active": "on",
}


def test_admin_creates_a_programme(world: World) -> None:
    client = world.client_for(world.admin)
    data = PROGRAMME | {"code": "EL-E", "description": "Twice a week."}
    response = client.post(reverse("programme_create"), data)
    programme = Programme.objects.get(institution=world.institution, code="EL-E")
    assert response.status_code == 302
    assert response["Location"] == reverse("programme_detail", args=[programme.pk])
    assert (programme.name, programme.field, programme.level, programme.description) == (
        "Electrical installation, evening",
        "07",
        "4",
        "Twice a week.",
    )
    detail = client.get(response["Location"]).content.decode()
    assert "Programme Electrical installation, evening added." in detail


def test_duplicate_code_in_the_same_institution_is_refused_on_the_code_field(
    world: World,
) -> None:
    client = world.client_for(world.admin)
    before = list(Programme.objects.values_list("pk", "institution_id", "code", "name"))
    audit_before = AuditEvent.objects.count()

    response = client.post(reverse("programme_create"), PROGRAMME)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "code": [
            "Riverside already has a programme with code EL (Electrical installation). "
            "Choose another code."
        ]
    }
    assert "Riverside already has a programme with code EL" in response.content.decode()
    assert list(Programme.objects.values_list("pk", "institution_id", "code", "name")) == before
    assert AuditEvent.objects.count() == audit_before


def test_the_same_code_in_another_institution_is_fine(world: World) -> None:
    client = world.client_for(world.outsider)
    response = client.post(reverse("programme_create"), PROGRAMME)
    assert response.status_code == 302
    assert Programme.objects.filter(code="EL").count() == 2
    created = Programme.objects.get(institution=world.other_institution, code="EL")
    assert created.name == "Electrical installation, evening"


def test_editing_to_a_taken_code_is_refused(world: World) -> None:
    second = programme_make(institution=world.institution, name="Plumbing", code="PL")
    client = world.client_for(world.admin)
    data = PROGRAMME | {"name": "Plumbing", "code": "EL"}

    response = client.post(reverse("programme_edit", args=[second.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "code": [
            "Riverside already has a programme with code EL (Electrical installation). "
            "Choose another code."
        ]
    }
    second.refresh_from_db()
    assert (second.name, second.code) == ("Plumbing", "PL")


def test_editing_keeps_its_own_code(world: World) -> None:
    client = world.client_for(world.admin)
    data = PROGRAMME | {"name": "Electrical installation (renamed)"}
    response = client.post(reverse("programme_edit", args=[world.programme.pk]), data)
    assert response.status_code == 302
    world.programme.refresh_from_db()
    assert (world.programme.name, world.programme.code) == (
        "Electrical installation (renamed)",
        "EL",
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"code": ""}, "code", "This field is required."),
        (
            {"field": "99"},
            "field",
            "Select a valid choice. 99 is not one of the available choices.",
        ),
        ({"level": "9"}, "level", "Select a valid choice. 9 is not one of the available choices."),
    ],
)
def test_invalid_programme_input_names_the_field(
    world: World, change: dict[str, str], field: str, message: str
) -> None:
    client = world.client_for(world.admin)
    count = Programme.objects.count()
    response = client.post(reverse("programme_create"), PROGRAMME | {"code": "NEW"} | change)
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert Programme.objects.count() == count


def test_a_code_taken_by_a_concurrent_request_is_still_a_form_error(world: World) -> None:
    """Two admins add the same code at once: the loser gets the form error, not a 500."""
    real_check = services._programme_code_taken
    calls: list[int] = []

    def check_missing_the_race(programme: Programme) -> ValidationError | None:
        calls.append(1)
        # The checks before saving run before the other request's insert is visible.
        return None if len(calls) == 1 else real_check(programme)

    client = world.client_for(world.admin)
    with (
        mock.patch.object(services, "_programme_code_taken", check_missing_the_race),
        mock.patch.object(Programme, "validate_constraints", return_value=None),
    ):
        response = client.post(reverse("programme_create"), PROGRAMME)

    assert len(calls) == 2
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "code": [
            "Riverside already has a programme with code EL (Electrical installation). "
            "Choose another code."
        ]
    }
    assert Programme.objects.filter(institution=world.institution).count() == 1
    assert not AuditEvent.objects.filter(action="create", object_type="core.programme").exists()


def test_the_widest_role_decides_where_a_person_starts(db: None) -> None:
    # Alphabetically Alpha comes first, but the person coordinates at Zeta.
    alpha = institution_make(name="Alpha College", short_name="Alpha")
    zeta = institution_make(name="Zeta College", short_name="Zeta")
    learner = member_make(institution=alpha, role=Role.LEARNER)
    member_make(institution=zeta, role=Role.COORDINATOR, user=learner.user)
    totp_enrol(learner.user)
    client = sign_in(Client(), learner.user)

    response = client.get(reverse("home"))

    assert response.templates[0].name == "core/home/coordinator.html"
    assert response.context["request"].institution == zeta
