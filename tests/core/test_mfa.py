"""Staff must use two-step sign-in: enrolment is required, and login asks for the code."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from guildhouse.core.models import STAFF_ROLES, Programme, Role
from tests.conftest import World, sign_in
from tests.core.flows import is_signed_in, password_login, totp_code, wrong_code
from tests.core.test_access_matrix import CORE_PAGES
from tests.factories import PASSWORD, member_make, totp_enrol

# The roles the middleware checks, from the model itself: a role added there is tested here.
STAFF = sorted(STAFF_ROLES)
NON_STAFF = sorted(set(Role.values) - STAFF_ROLES)


@pytest.mark.parametrize("role", STAFF)
def test_staff_without_mfa_reach_no_page_until_they_enrol(world: World, role: str) -> None:
    member = member_make(institution=world.institution, role=role, mfa=False)
    client = Client()
    client.force_login(member.user)
    for page in CORE_PAGES:
        response = client.get(page.url(world))
        assert (page.name, response.status_code, response["Location"]) == (
            page.name,
            302,
            reverse("mfa_required"),
        )

    required = client.get(reverse("mfa_required"))
    assert required.status_code == 200
    assert "Set up two-step sign-in first" in required.content.decode()
    assert reverse("mfa_activate_totp") in required.content.decode()

    totp_enrol(member.user)
    # Enrolled elsewhere: this session never entered a code, so it is signed out ...
    assert client.get(reverse("home"))["Location"] == f"{reverse('account_login')}?next=/"
    sign_in(client, member.user)  # ... until it signs in with the code.
    for page in CORE_PAGES:
        expected = 200 if role in page.allowed else 403
        assert (page.name, client.get(page.url(world)).status_code) == (page.name, expected)


def test_staff_without_mfa_cannot_post_changes(world: World) -> None:
    admin = member_make(institution=world.institution, role=Role.ADMIN, mfa=False)
    client = Client()
    client.force_login(admin.user)
    url = reverse("programme_edit", args=[world.programme.pk])
    data = {"name": "Renamed", "code": "EL", "field": "07", "level": "4", "active": "on"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_required")
    assert Programme.objects.get(pk=world.programme.pk).name == "Electrical installation"


def test_staff_role_in_any_institution_requires_mfa(world: World) -> None:
    """A learner in one school who is staff in another holds staff rights: MFA applies."""
    learner = world.learner
    member_make(institution=world.other_institution, role=Role.STAFF, user=learner.user)
    client = world.client_for(learner)
    assert client.get(reverse("home"))["Location"] == reverse("mfa_required")


@pytest.mark.parametrize("role", NON_STAFF)
def test_learners_partners_and_stakeholders_need_no_mfa(world: World, role: str) -> None:
    member = world.member(role)
    assert not Authenticator.objects.filter(user=member.user).exists()
    client = world.client_for(member)
    for page in CORE_PAGES:
        expected = 200 if role in page.allowed else 403
        assert (page.name, client.get(page.url(world)).status_code) == (page.name, expected)


@pytest.mark.parametrize("role", STAFF)
@override_settings(DEMO_ALLOW_STAFF_WITHOUT_MFA=True)
def test_demo_setting_lifts_the_requirement(world: World, role: str) -> None:
    member = member_make(institution=world.institution, role=role, mfa=False)
    client = Client()
    client.force_login(member.user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Demo mode: staff accounts may sign in without two-step verification." in (
        response.content.decode()
    )


def test_login_with_totp_asks_for_the_code_before_home(world: World) -> None:
    member = member_make(institution=world.institution, role=Role.COORDINATOR, mfa=False)
    secret = totp_enrol(member.user)
    client = Client()

    response = password_login(client, member.user.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client)
    assert client.get(reverse("home"))["Location"] == f"{reverse('account_login')}?next=/"

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(member.user.pk)
    assert client.get(reverse("home")).status_code == 200


def test_login_with_a_wrong_code_does_not_sign_in(world: World) -> None:
    member = member_make(institution=world.institution, role=Role.ADMIN, mfa=False)
    secret = totp_enrol(member.user)
    client = Client()
    password_login(client, member.user.email)

    response = client.post(reverse("mfa_authenticate"), {"code": wrong_code(secret)})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not is_signed_in(client)
    assert client.get(reverse("home"))["Location"] == f"{reverse('account_login')}?next=/"


def test_a_used_code_cannot_be_replayed(world: World) -> None:
    member = member_make(institution=world.institution, role=Role.STAFF, mfa=False)
    secret = totp_enrol(member.user)
    code = totp_code(secret)
    first = Client()
    password_login(first, member.user.email)
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302

    second = Client()
    password_login(second, member.user.email)
    response = second.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not is_signed_in(second)


def test_enrolment_through_the_pages_gives_totp_and_recovery_codes(world: World) -> None:
    member = member_make(institution=world.institution, role=Role.SUPPORT, mfa=False)
    client = Client()
    assert password_login(client, member.user.email).status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("mfa_required")

    # allauth asks for the password again before a security change, even right after login.
    activate = reverse("mfa_activate_totp")
    response = client.get(activate)
    assert (
        response["Location"]
        == f"{reverse('account_reauthenticate')}?next={quote(activate, safe='')}"
    )
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == activate
    page = client.get(activate)
    assert page.status_code == 200
    secret = page.context["form"].secret
    # allauth's "authenticator added" runs after the commit (which the test's own
    # transaction holds back): it records that this session passed the code.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    types = set(Authenticator.objects.filter(user=member.user).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get(reverse("home")).status_code == 200
    codes_page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert len(re.findall(r"\b[0-9a-f]{8}\b", codes_page)) >= 10


def test_staff_set_is_the_four_staff_roles() -> None:
    assert sorted(STAFF_ROLES) == ["admin", "coordinator", "staff", "support"]
    assert NON_STAFF == ["learner", "partner", "stakeholder"]
