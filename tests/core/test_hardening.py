"""Foundation hardening (issue 6): the operators' sign-in, MFA for operators, invitation
links out of access logs, secrets at rest, private caching, HEAD, one-line denials."""

from __future__ import annotations

import importlib
import logging
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from cryptography.fernet import Fernet
from django.apps import apps as django_apps
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from guildhouse.core.models import AuditEvent, Invitation, Membership, Role, User
from tests.conftest import World, sign_in
from tests.core.flows import is_signed_in, password_login, totp_code
from tests.core.test_invitations import after_commit, invite
from tests.factories import PASSWORD, member_make, totp_enrol, user_make

THROTTLED = "Too many failed login attempts. Try again later."


def operator_make(world: World, *, mfa: bool = True) -> User:
    """The issue's account: an institution admin who is also an operator (``is_staff``)."""
    member = member_make(institution=world.institution, role=Role.ADMIN, mfa=mfa)
    User.objects.filter(pk=member.user.pk).update(is_staff=True, is_superuser=True)
    return User.objects.get(pk=member.user.pk)


def login_redirect(path: str) -> str:
    return f"{reverse('account_login')}?next={path}"


# --- 1. /operators/login/ is not a password-only door ---------------------------------


def test_the_operators_login_page_forwards_to_the_sign_in_page(db: None) -> None:
    client = Client()
    assert client.get("/operators/")["Location"] == "/operators/login/?next=/operators/"

    response = client.get("/operators/login/?next=/operators/auth/")

    assert response.status_code == 302
    assert response["Location"] == login_redirect("/operators/auth/")
    assert "Guildhouse" in client.get(response["Location"]).content.decode()


def test_the_operators_login_does_not_forward_to_another_site(db: None) -> None:
    response = Client().get("/operators/login/?next=https://evil.example.org/")
    assert response["Location"] == login_redirect("/operators/")


def test_a_password_at_the_operators_login_gives_no_session(world: World) -> None:
    operator = operator_make(world)
    client = Client()

    response = client.post(
        "/operators/login/",
        {"username": operator.email, "password": PASSWORD, "next": "/operators/"},
    )

    assert response.status_code == 302
    assert response["Location"] == login_redirect("/operators/")
    assert not is_signed_in(client)
    assert client.get("/operators/")["Location"] == "/operators/login/?next=/operators/"
    assert client.get(reverse("invitation_list"))["Location"] == login_redirect("/invitations/")


def test_wrong_passwords_are_throttled_whatever_the_door(world: World) -> None:
    operator = operator_make(world)
    client = Client()
    # The old door took 40 wrong passwords and then let the right one in at once.
    for attempt in range(40):
        response = client.post(
            "/operators/login/", {"username": operator.email, "password": f"wrong-{attempt}"}
        )
        assert response["Location"] == login_redirect("/operators/")
    client.post("/operators/login/", {"username": operator.email, "password": PASSWORD})
    assert not is_signed_in(client)

    # The sign-in page it forwards to locks the account after ten failures.
    for attempt in range(10):
        password_login(client, operator.email, f"wrong-{attempt}")
    response = password_login(client, operator.email, PASSWORD)
    assert response.status_code == 200
    assert THROTTLED in response.content.decode()
    assert not is_signed_in(client)
    assert client.get("/operators/")["Location"] == "/operators/login/?next=/operators/"


def test_an_operator_reaches_the_admin_after_password_and_code(world: World) -> None:
    operator = operator_make(world, mfa=False)
    secret = totp_enrol(operator)
    client = Client()

    response = client.post(
        f"{reverse('account_login')}?next=/operators/",
        {"login": operator.email, "password": PASSWORD},
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/operators/")["Location"] == "/operators/login/?next=/operators/"

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response["Location"] == "/operators/"
    page = client.get("/operators/")
    assert page.status_code == 200
    assert "Site administration" in page.content.decode()


@pytest.mark.parametrize("path", ["/operators/", "/people/", "/invitations/", "/"])
def test_a_session_without_the_code_reaches_no_page(world: World, path: str) -> None:
    """Whatever signs a person in without the code (here ``force_login``, as the old
    admin login did) is signed out again if the person has an authenticator."""
    operator = operator_make(world)
    client = Client()
    client.force_login(operator)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == login_redirect(path)
    assert not is_signed_in(client)
    assert client.get(reverse("home"))["Location"] == login_redirect("/")


def test_a_staff_member_without_the_code_changes_nothing(world: World) -> None:
    admin = member_make(institution=world.institution, role=Role.ADMIN)
    client = Client()
    client.force_login(admin.user)
    before = Invitation.objects.count(), AuditEvent.objects.count()

    response = client.post(
        reverse("invitation_list"),
        {"full_name": "Eve Admin", "email": "eve@example.org", "role": Role.ADMIN},
    )

    assert response["Location"] == login_redirect("/invitations/")
    assert (Invitation.objects.count(), AuditEvent.objects.count()) == before
    assert mail.outbox == []


# --- 2. Operators enrol an authenticator like staff roles -----------------------------


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_an_operator_without_mfa_is_sent_to_enrol(db: None, flag: str) -> None:
    """An operator with no membership anywhere still needs an authenticator."""
    user = user_make()
    User.objects.filter(pk=user.pk).update(**{flag: True})
    client = Client()
    client.force_login(user)

    for path in ("/operators/", "/operators/core/membership/", "/"):
        assert client.get(path)["Location"] == reverse("mfa_required"), path
    page = client.get(reverse("mfa_required"))
    assert page.status_code == 200
    assert "Set up two-step sign-in first" in page.content.decode()

    totp_enrol(User.objects.get(pk=user.pk))
    sign_in(client, user)
    # No membership: the page that says so, no longer the set-up page.
    assert client.get("/").status_code == 403
    expected = 200 if flag == "is_staff" else 302  # the admin itself is for is_staff only
    assert client.get("/operators/").status_code == expected


@override_settings(DEMO_ALLOW_STAFF_WITHOUT_MFA=True)
def test_the_demo_relaxation_covers_operators(db: None) -> None:
    user = user_make()
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    assert client.get("/operators/").status_code == 200


def test_enrolling_in_this_session_counts_as_the_second_step(world: World) -> None:
    """Enrolment proves the code, so the new authenticator does not sign the person out."""
    operator = operator_make(world, mfa=False)
    client = Client()
    assert password_login(client, operator.email).status_code == 302
    assert client.get("/operators/")["Location"] == reverse("mfa_required")
    activate = reverse("mfa_activate_totp")
    client.post(client.get(activate)["Location"], {"password": PASSWORD})
    secret = client.get(activate).context["form"].secret
    with after_commit():
        assert client.post(activate, {"code": totp_code(secret)}).status_code == 302

    assert client.get("/operators/").status_code == 200
    assert client.get(reverse("invitation_list")).status_code == 200


# --- 4. Invitation tokens stay out of access logs -------------------------------------


def test_the_invitation_link_moves_the_token_into_the_session(world: World) -> None:
    link = invite(world.client_for(world.admin), role=Role.STAFF)
    token = link.split("/")[2]
    visitor = Client()

    response = visitor.get(link)

    assert response.status_code == 302
    assert response["Location"] == "/invite/accept/"
    assert token not in response["Location"]
    page = visitor.get(response["Location"])
    assert page.status_code == 200
    assert "Hello Nea Learner, you are invited as Staff." in page.content.decode()
    assert token not in page.content.decode()
    assert "no-store" in page["Cache-Control"]


def test_accepting_from_the_token_free_page_works_end_to_end(world: World) -> None:
    link = invite(world.client_for(world.admin))
    visitor = Client()
    response = visitor.get(link, follow=True)
    assert response.redirect_chain == [("/invite/accept/", 302)]
    assert response.request["PATH_INFO"] == "/invite/accept/"

    response = visitor.post(
        "/invite/accept/",
        {"password1": "a-fresh-long-password-77", "password2": "a-fresh-long-password-77"},
    )

    assert response["Location"] == reverse("home")
    user = User.objects.get(email="new.learner@example.org")
    assert Membership.objects.get(user=user).role == Role.LEARNER
    assert "guildhouse_invitation_token" not in visitor.session
    # Used: the page without a token in the session is the invalid one.
    again = visitor.get("/invite/accept/")
    assert again.status_code == 404
    assert "This invitation link does not work" in again.content.decode()


def test_the_token_free_page_without_a_link_changes_nothing(world: World) -> None:
    invite(world.client_for(world.admin))
    response = Client().post(
        "/invite/accept/",
        {"password1": "a-fresh-long-password-77", "password2": "a-fresh-long-password-77"},
    )
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()
    assert not User.objects.filter(email="new.learner@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_admin_invitation_expires_after_three_days(world: World) -> None:
    invite(world.client_for(world.admin), email="new.admin@example.org", role=Role.ADMIN)
    invite(world.client_for(world.admin), email="new.staff@example.org", role=Role.STAFF)

    admin_inv = Invitation.objects.get(email="new.admin@example.org")
    staff_inv = Invitation.objects.get(email="new.staff@example.org")
    assert (admin_inv.expires_at - admin_inv.created_at).days == 3
    assert (staff_inv.expires_at - staff_inv.created_at).days == 14
    assert "The link works once and expires in 3 days." in mail.outbox[0].body
    assert "The link works once and expires in 14 days." in mail.outbox[1].body


# --- 5. TOTP secrets are encrypted at rest --------------------------------------------


def test_the_stored_totp_secret_is_not_the_secret(world: World) -> None:
    user = user_make()
    secret = totp_enrol(user)

    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]

    assert stored != secret
    assert secret not in stored
    assert stored.startswith("gAAAAA")
    assert Fernet(_settings_keys()[0]).decrypt(stored.encode()).decode() == secret


def test_recovery_codes_seed_is_encrypted(world: World) -> None:
    user = user_make()
    totp_enrol(user)
    codes = RecoveryCodes.activate(user)
    seed = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).data["seed"]
    assert seed.startswith("gAAAAA")
    assert len(codes.get_unused_codes()) == 10


def test_totp_login_works_with_the_encrypted_secret(world: World) -> None:
    member = member_make(institution=world.institution, role=Role.COORDINATOR, mfa=False)
    secret = totp_enrol(member.user)
    client = Client()
    assert password_login(client, member.user.email)["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("people_list")).status_code == 200


def test_rotation_reencrypts_with_the_new_key(world: World) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    member = member_make(institution=world.institution, role=Role.STAFF, mfa=False)
    with override_settings(MFA_ENCRYPTION_KEYS=[old]):
        secret = totp_enrol(member.user)
        RecoveryCodes.activate(member.user)
    before = {a.type: dict(a.data) for a in Authenticator.objects.filter(user=member.user)}

    # Everyone else's secrets are under the test settings' key: keep it too.
    with override_settings(MFA_ENCRYPTION_KEYS=[new, old, *_settings_keys()]):
        call_command("mfa_keys", "rotate", stdout=_Sink())

    after = {a.type: a.data for a in Authenticator.objects.filter(user=member.user)}
    assert after["totp"]["secret"] != before["totp"]["secret"]
    assert Fernet(new).decrypt(after["totp"]["secret"].encode()).decode() == secret
    assert Fernet(new).decrypt(after["recovery_codes"]["seed"].encode()).decode() == (
        Fernet(old).decrypt(before["recovery_codes"]["seed"].encode()).decode()
    )
    # With the old key gone, the code still signs in.
    with override_settings(MFA_ENCRYPTION_KEYS=[new]):
        client = Client()
        password_login(client, member.user.email)
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        assert response["Location"] == reverse("home")


def test_mfa_keys_new_prints_a_fernet_key() -> None:
    sink = _Sink()
    call_command("mfa_keys", "new", stdout=sink)
    Fernet(sink.text.strip())


def test_the_migration_encrypts_secrets_stored_in_clear(world: World) -> None:
    user = user_make()
    clear = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    totp = Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": clear}
    )
    codes = Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": "ab" * 40, "used_mask": 0, "migrated_codes": ["12345678"]},
    )
    migration = importlib.import_module("guildhouse.core.migrations.0002_encrypt_mfa_secrets")
    forwards = migration.Migration.operations[0].code

    forwards(django_apps, None)

    totp.refresh_from_db()
    codes.refresh_from_db()
    assert totp.data["secret"].startswith("gAAAAA")
    key = Fernet(_settings_keys()[0])
    assert key.decrypt(totp.data["secret"].encode()).decode() == clear
    assert key.decrypt(codes.data["seed"].encode()).decode() == "ab" * 40
    assert [key.decrypt(c.encode()).decode() for c in codes.data["migrated_codes"]] == ["12345678"]
    assert codes.data["used_mask"] == 0

    migration.Migration.operations[0].reverse_code(django_apps, None)
    totp.refresh_from_db()
    assert totp.data == {"secret": clear}


def _settings_keys() -> list[str]:
    from django.conf import settings

    return list(settings.MFA_ENCRYPTION_KEYS)


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


# --- 6. Cache-Control on every response to a signed-in user ---------------------------


def test_a_person_page_is_never_cached(world: World) -> None:
    response = world.client_for(world.support).get(
        reverse("person_detail", args=[world.learner.pk])
    )
    assert response.status_code == 200
    assert world.learner.user.full_name in response.content.decode()
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


def test_an_anonymous_response_carries_no_private_header(db: None) -> None:
    response = Client().get("/healthz")
    assert "Cache-Control" not in response


# --- 12. HEAD answers like GET ---------------------------------------------------------


def test_head_healthz_is_200_without_a_body(db: None) -> None:
    response = Client().head("/healthz")
    assert (response.status_code, response.content) == (200, b"")


def test_head_home_is_302_for_a_visitor_and_200_for_a_member(world: World) -> None:
    anonymous = Client().head("/")
    assert (anonymous.status_code, anonymous["Location"]) == (302, login_redirect("/"))
    member = world.client_for(world.learner).head("/")
    assert (member.status_code, member.content) == (200, b"")


# --- 13. A 403 is one line in the log ------------------------------------------------


def test_a_denied_request_logs_one_line(world: World, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = world.client_for(world.learner).get(reverse("people_list"))
    assert response.status_code == 403

    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in records] == ["Forbidden (Permission denied): /people/"]
    assert records[0].exc_info is None
    line = logging.Formatter().format(records[0])
    assert line == "Forbidden (Permission denied): /people/"
    assert not re.search(r"Traceback|\n", line)


def test_a_server_error_keeps_its_traceback() -> None:
    from guildhouse.core.logs import DeniedInOneLine

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        exc_info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.ERROR, "", 0, "boom", (), exc_info)
    record.status_code = 500
    assert DeniedInOneLine().filter(record)
    assert record.exc_info is exc_info
