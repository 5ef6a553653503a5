"""Signing in and out through allauth's pages: throttling, session keys, password change."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.test import Client
from django.urls import reverse

from guildhouse.core.models import User
from tests.conftest import World
from tests.core.flows import is_signed_in, password_login
from tests.factories import PASSWORD

THROTTLED = "Too many failed login attempts. Try again later."
WRONG_PASSWORD = "The email address and/or password you specified are not correct."


def test_login_with_correct_password_lands_home(world: World) -> None:
    client = Client()
    response = password_login(client, world.learner.user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(world.learner.user.pk)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert f"Welcome, {world.learner.user.display_name}" in home.content.decode()


def test_wrong_password_is_refused_with_a_message(world: World) -> None:
    client = Client()
    response = password_login(client, world.learner.user.email, "not-the-password")
    assert response.status_code == 200
    assert WRONG_PASSWORD in response.content.decode()
    assert not is_signed_in(client)


def test_ten_failed_logins_lock_the_account_even_for_the_right_password(world: World) -> None:
    email = world.learner.user.email
    client = Client()
    for attempt in range(10):
        response = password_login(client, email, f"wrong-{attempt}")
        assert response.status_code == 200
        assert WRONG_PASSWORD in response.content.decode()
        assert THROTTLED not in response.content.decode()

    # allauth refuses the eleventh attempt on the form itself (it does not reach the
    # password check), so even the correct password does not sign in.
    response = password_login(client, email, PASSWORD)
    assert response.status_code == 200
    body = response.content.decode()
    assert THROTTLED in body
    assert WRONG_PASSWORD not in body
    assert not is_signed_in(client)
    # This very client, the one that typed the right password, is still turned away.
    home = client.get(reverse("home"))
    assert (home.status_code, home["Location"]) == (302, "/accounts/login/?next=/")

    # The lock is per account: another person can still sign in from the same address.
    other = Client()
    assert password_login(other, world.staff.user.email).status_code == 302


def test_nine_failed_logins_do_not_lock_the_account(world: World) -> None:
    client = Client()
    for attempt in range(9):
        password_login(client, world.learner.user.email, f"wrong-{attempt}")
    response = password_login(client, world.learner.user.email, PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_login_rotates_the_session_key(world: World) -> None:
    client = Client()
    session = client.session  # creates an anonymous session, as a visit would
    session["visited"] = True
    session.save()
    before = session.session_key
    assert before is not None

    response = password_login(client, world.learner.user.email)

    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert client.session["_auth_user_id"] == str(world.learner.user.pk)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert not store().exists(before)


def test_logout_ends_the_session(world: World) -> None:
    client = Client()
    password_login(client, world.learner.user.email)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert not is_signed_in(client)
    assert client.get(reverse("home"))["Location"] == f"{reverse('account_login')}?next=/"


def test_password_change_signs_out_other_sessions_only(world: World) -> None:
    user = world.learner.user
    changer = Client()
    assert password_login(changer, user.email).status_code == 302
    other = Client()
    assert password_login(other, user.email).status_code == 302
    assert other.get(reverse("home")).status_code == 200

    response = changer.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-and-longer-secret-42",
            "password2": "a-new-and-longer-secret-42",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-and-longer-secret-42")
    # The changing browser stays signed in ...
    assert changer.get(reverse("home")).status_code == 200
    # ... the other one is signed out at its next request.
    response = other.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/"
    assert not is_signed_in(other)


def test_password_change_with_wrong_old_password_changes_nothing(world: World) -> None:
    user = world.learner.user
    client = Client()
    password_login(client, user.email)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "not-it",
            "password1": "a-new-and-longer-secret-42",
            "password2": "a-new-and-longer-secret-42",
        },
    )
    assert response.status_code == 200
    assert "Please type your current password." in response.content.decode()
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_open_sign_up_is_closed(world: World) -> None:
    response = Client().post(
        reverse("account_signup"),
        {
            "email": "stranger@example.org",
            "password1": "x-Long-pass-123",
            "password2": "x-Long-pass-123",
        },
    )
    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    assert not User.objects.filter(email="stranger@example.org").exists()
