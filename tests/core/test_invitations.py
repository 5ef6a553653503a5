"""Invitations: an admin invites by email, the link creates the account once."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import Invitation, Membership, Role, User
from tests.conftest import World
from tests.core.flows import is_signed_in

NEW_PASSWORD = "a-fresh-long-password-77"


def after_commit() -> Any:
    """Run on-commit work (the email) when the request's transaction ends, as in production.

    The test's own transaction never commits, so without this no email would be sent.
    """
    return TestCase.captureOnCommitCallbacks(execute=True)


INVALID = "This invitation link does not work"


def invite(
    client: Client, *, email: str = "new.learner@example.org", role: str = Role.LEARNER
) -> str:
    """POST the invitation form; returns the link from the email sent."""
    sent = len(mail.outbox)
    with after_commit():
        response = client.post(
            reverse("invitation_list"), {"full_name": "Nea Learner", "email": email, "role": role}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("invitation_list")
    assert len(mail.outbox) == sent + 1
    match = re.search(r"http://testserver(/invite/[\w-]+/)", str(mail.outbox[-1].body))
    assert match is not None
    return match.group(1)


def open_link(client: Client, link: str) -> str:
    """GET the emailed link, as a click does; returns the token-free page it leads to."""
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("invitation_accept") == "/invite/accept/"
    return str(response["Location"])


def accept(client: Client, link: str, password: str = NEW_PASSWORD) -> Client:
    response = client.post(open_link(client, link), {"password1": password, "password2": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    return client


def test_admin_invites_and_the_email_carries_a_working_link(world: World) -> None:
    admin = world.client_for(world.admin)
    with after_commit() as callbacks:
        response = admin.post(
            reverse("invitation_list"),
            {"full_name": "Nea Learner", "email": "New.Learner@Example.org", "role": Role.LEARNER},
            follow=True,
        )
    assert len(callbacks) == 1  # the email goes out only once the invitation is saved

    assert "Invitation sent to new.learner@example.org." in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[Guildhouse] You are invited to Riverside Vocational College"
    assert message.to == ["new.learner@example.org"]
    assert message.body.startswith(
        f"Hello Nea Learner,\n\n{world.admin.user.display_name} has invited you to join "
        "Riverside Vocational College on Guildhouse as Learner."
    )
    assert "The link works once and expires in 14 days." in message.body
    invitation = Invitation.objects.get()
    assert (invitation.institution, invitation.email, invitation.role, invitation.invited_by) == (
        world.institution,
        "new.learner@example.org",
        Role.LEARNER,
        world.admin.user,
    )
    # Only a hash of the token is stored.
    link = re.search(r"http://testserver(/invite/([\w-]+)/)", str(message.body))
    assert link is not None
    assert link.group(2) not in invitation.token_hash

    visitor = Client()
    page = visitor.get(open_link(visitor, link.group(1)))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Join Riverside Vocational College" in body
    assert "Hello Nea Learner, you are invited as Learner." in body
    assert "new.learner@example.org" in body


def test_accepting_creates_a_verified_account_with_the_role_and_signs_in(world: World) -> None:
    link = invite(world.client_for(world.admin))
    visitor = accept(Client(), link)

    user = User.objects.get(email="new.learner@example.org")
    assert user.full_name == "Nea Learner"
    assert user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.institution, membership.role, membership.is_active) == (
        world.institution,
        Role.LEARNER,
        True,
    )
    assert membership.learner_profile.programme is None
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (user.email, True, True)
    assert Invitation.objects.get().accepted_at is not None

    assert visitor.session["_auth_user_id"] == str(user.pk)
    home = visitor.get(reverse("home"))
    assert home.status_code == 200
    assert "Welcome to Riverside Vocational College." in home.content.decode()
    assert "Welcome, Nea Learner" in home.content.decode()

    # The new password works on the login page too.
    again = Client()
    response = again.post(reverse("account_login"), {"login": user.email, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert is_signed_in(again)


def test_a_staff_invitee_is_sent_to_set_up_mfa(world: World) -> None:
    link = invite(world.client_for(world.admin), email="new.teacher@example.org", role=Role.STAFF)
    visitor = accept(Client(), link)
    membership = Membership.objects.get(user__email="new.teacher@example.org")
    assert membership.role == Role.STAFF
    assert membership.staff_profile.job_title == ""
    assert visitor.get(reverse("home"))["Location"] == reverse("mfa_required")


def test_the_link_works_once(world: World) -> None:
    link = invite(world.client_for(world.admin))
    accept(Client(), link)

    for client in (Client(), world.client_for(world.learner)):
        response = client.get(link)
        assert response.status_code == 404
        assert INVALID in response.content.decode()
        response = client.post(link, {"password1": "x-other-pass-1", "password2": "x-other-pass-1"})
        assert response.status_code == 404
    assert User.objects.filter(email="new.learner@example.org").count() == 1
    assert Membership.objects.filter(user__email="new.learner@example.org").count() == 1


def test_an_expired_link_shows_the_invalid_page(world: World) -> None:
    link = invite(world.client_for(world.admin))
    past = timezone.now() - datetime.timedelta(days=15)
    Invitation.objects.update(created_at=past, expires_at=past + datetime.timedelta(days=14))

    response = Client().post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 404
    assert INVALID in response.content.decode()
    assert not User.objects.filter(email="new.learner@example.org").exists()


def test_a_revoked_link_shows_the_invalid_page(world: World) -> None:
    admin = world.client_for(world.admin)
    link = invite(admin)
    invitation = Invitation.objects.get()

    response = admin.post(reverse("invitation_revoke", args=[invitation.pk]), follow=True)

    assert "Invitation for new.learner@example.org revoked." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    response = Client().post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 404
    assert INVALID in response.content.decode()
    assert not User.objects.filter(email="new.learner@example.org").exists()


def test_an_unknown_token_shows_the_invalid_page(world: World) -> None:
    response = Client().get(reverse("invitation_link", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert INVALID in response.content.decode()


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_only_an_admin_can_invite(world: World, role: str) -> None:
    with after_commit() as callbacks:
        response = world.client_for(world.member(role)).post(
            reverse("invitation_list"),
            {"full_name": "Nea Learner", "email": "new.learner@example.org", "role": Role.ADMIN},
        )
    assert callbacks == []
    assert response.status_code == 403
    assert "This page is not available to your role" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_second_open_invitation_for_the_same_address_is_refused(world: World) -> None:
    admin = world.client_for(world.admin)
    invite(admin)

    with after_commit() as callbacks:
        response = admin.post(
            reverse("invitation_list"),
            {"full_name": "Nea Again", "email": "NEW.learner@example.org", "role": Role.STAFF},
        )
    assert callbacks == []

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["new.learner@example.org already has an open invitation."]
    }
    assert "new.learner@example.org already has an open invitation." in response.content.decode()
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_inviting_an_existing_member_is_refused(world: World) -> None:
    admin = world.client_for(world.admin)
    email = world.staff.user.email
    response = admin.post(
        reverse("invitation_list"), {"full_name": "Again", "email": email, "role": Role.ADMIN}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": [f"{email} is already a member of Riverside."]
    }
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_admin_of_another_institution_cannot_revoke(world: World) -> None:
    link = invite(world.client_for(world.admin))
    invitation = Invitation.objects.get()

    response = world.client_for(world.outsider).post(
        reverse("invitation_revoke", args=[invitation.pk])
    )

    assert response.status_code == 404
    assert "new.learner@example.org" not in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    visitor = Client()
    assert visitor.get(open_link(visitor, link)).status_code == 200


def test_mismatched_passwords_create_nothing(world: World) -> None:
    link = invite(world.client_for(world.admin))
    visitor = Client()
    response = visitor.post(
        open_link(visitor, link), {"password1": NEW_PASSWORD, "password2": "something-else-1"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"password2": ["The two passwords are different."]}
    assert not User.objects.filter(email="new.learner@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_weak_password_is_refused(world: World) -> None:
    link = invite(world.client_for(world.admin))
    visitor = Client()
    response = visitor.post(
        open_link(visitor, link), {"password1": "password", "password2": "password"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "password1": [
            "This password is too common.",
        ]
    }
    assert not User.objects.filter(email="new.learner@example.org").exists()


def test_an_existing_user_accepts_while_signed_in(world: World) -> None:
    """Someone already known to Guildhouse (here: a learner elsewhere) joins a second school."""
    person = world.outsider_learner
    admin = world.client_for(world.admin)
    link = invite(admin, email=person.user.email, role=Role.PARTNER)
    client = world.client_for(person)

    response = client.post(open_link(client, link))

    assert response.status_code == 302
    assert Membership.objects.get(user=person.user, institution=world.institution).role == (
        Role.PARTNER
    )
    assert client.session["guildhouse_institution_id"] == world.institution.pk
    assert "Partner contact · Riverside Vocational College" in client.get("/").content.decode()


def test_an_existing_user_must_sign_in_to_accept(world: World) -> None:
    person = world.outsider_learner
    link = invite(world.client_for(world.admin), email=person.user.email)
    visitor = Client()
    response = visitor.post(
        open_link(visitor, link), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert "An account with this email already exists: sign in to accept." in (
        response.content.decode()
    )
    assert not Membership.objects.filter(user=person.user, institution=world.institution).exists()
    person.user.refresh_from_db()
    assert not person.user.check_password(NEW_PASSWORD)


def test_the_wrong_signed_in_user_cannot_accept(world: World) -> None:
    link = invite(world.client_for(world.admin))
    intruder = world.client_for(world.outsider_learner)
    response = intruder.post(open_link(intruder, link))
    assert response.status_code == 200
    assert (
        "This invitation is for new.learner@example.org; you are signed in as "
        f"{world.outsider_learner.user.email}." in response.content.decode()
    )
    assert Invitation.objects.get().accepted_at is None
