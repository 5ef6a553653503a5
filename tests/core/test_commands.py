"""``guildhouse createadmin``, ``guildhouse serve`` and the ``guildhouse`` entry point."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django.fixtures import Settings

from guildhouse.core.management.commands import serve
from guildhouse.core.models import AuditEvent, Institution, Membership, Role, User
from tests.factories import institution_make, member_make, user_make

PASSWORD = "bright-harbour-lamp-42"
ADMIN_OPTIONS = (
    "--email",
    "Anna.Berg@Seaside.example",
    "--name",
    "Anna Berg",
    "--institution",
    "Seaside College",
    "--short-name",
    "Seaside",
)


def createadmin(*args: str) -> str:
    out = io.StringIO()
    call_command("createadmin", *args, stdout=out)
    return out.getvalue()


def rows() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        Institution.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setenv("GUILDHOUSE_ADMIN_PASSWORD", PASSWORD)


# --- createadmin ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("no_terminal")
def test_createadmin_makes_one_admin_with_a_verified_email() -> None:
    output = createadmin(*ADMIN_OPTIONS)

    membership = Membership.objects.select_related("user", "institution").get()
    assert (membership.role, membership.user.email, membership.user.full_name) == (
        Role.ADMIN,
        "anna.berg@seaside.example",
        "Anna Berg",
    )
    institution = membership.institution
    assert (institution.name, institution.short_name, institution.slug) == (
        "Seaside College",
        "Seaside",
        "seaside",
    )
    assert membership.user.check_password(PASSWORD)
    assert list(EmailAddress.objects.values_list("email", "verified", "primary")) == [
        ("anna.berg@seaside.example", True, True)
    ]
    assert sorted(AuditEvent.objects.values_list("action", "object_type")) == [
        ("create", "core.institution"),
        ("create", "core.membership"),
        ("create", "core.user"),
    ]
    assert (
        output.splitlines()[0] == "anna.berg@seaside.example is now the admin of Seaside College."
    )
    assert "You will be asked to set up two-step sign-in" in output


@pytest.mark.django_db
@pytest.mark.usefixtures("no_terminal")
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("--email", "not-an-email"), "'not-an-email' is not a valid email address."),
        (("--name", "  "), "The admin's full name is empty."),
        (("--institution", ""), "The institution's name is empty."),
        (
            ("--short-name", "!!"),
            "The institution's short name needs at least one letter or digit.",
        ),
        (("--short-name", "S" * 41), "The short name has more than 40 characters."),
    ],
)
def test_createadmin_rejects_bad_input_and_creates_nothing(
    change: tuple[str, str], message: str
) -> None:
    options = dict(zip(ADMIN_OPTIONS[::2], ADMIN_OPTIONS[1::2], strict=True))
    options[change[0]] = change[1]
    with pytest.raises(CommandError) as error:
        createadmin(*(f"{key}={value}" for key, value in options.items()))
    assert str(error.value) == message
    assert rows() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_createadmin_without_a_terminal_needs_the_password_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.delenv("GUILDHOUSE_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError) as error:
        createadmin(*ADMIN_OPTIONS)
    assert str(error.value) == (
        "No password: set GUILDHOUSE_ADMIN_PASSWORD, or run in a terminal to be asked."
    )
    assert rows() == (0, 0, 0, 0)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_terminal")
def test_createadmin_without_a_terminal_needs_every_option() -> None:
    with pytest.raises(CommandError) as error:
        createadmin(*ADMIN_OPTIONS[:6])
    assert str(error.value) == "--short-name is required when there is no terminal to ask."
    assert rows() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_createadmin_rejects_a_weak_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setenv("GUILDHOUSE_ADMIN_PASSWORD", "abc")
    with pytest.raises(CommandError) as error:
        createadmin(*ADMIN_OPTIONS)
    assert str(error.value) == (
        "Password rejected: This password is too short. It must contain at least 8 "
        "characters. This password is too common."
    )
    assert rows() == (0, 0, 0, 0)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_terminal")
def test_createadmin_reuses_an_existing_user_and_institution() -> None:
    user = user_make(email="anna.berg@seaside.example", full_name="Anna B.")
    institution = institution_make(name="Seaside College", short_name="Seaside")
    member_make(institution=institution, role=Role.ADMIN)
    before = user.password

    createadmin(*ADMIN_OPTIONS)

    user.refresh_from_db()
    assert user.password == before  # an existing account keeps its password
    assert sorted(
        Membership.objects.filter(institution=institution).values_list("role", flat=True)
    ) == [
        Role.ADMIN,
        Role.ADMIN,
    ]
    assert Membership.objects.get(user=user).institution == institution
    assert Institution.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("no_terminal")
def test_createadmin_refuses_someone_already_in_the_institution() -> None:
    institution = institution_make(name="Seaside College", short_name="Seaside")
    user = user_make(email="anna.berg@seaside.example")
    member_make(institution=institution, role=Role.LEARNER, user=user)
    before = rows()

    with pytest.raises(CommandError) as error:
        createadmin(*ADMIN_OPTIONS)

    assert str(error.value) == "anna.berg@seaside.example is already a member of Seaside College."
    assert rows() == before
    assert EmailAddress.objects.get(user=user).verified is True


@pytest.mark.django_db
def test_createadmin_asks_in_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GUILDHOUSE_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    answers = iter(["ola@hilltop.example", "Ola Nordmann", "Hilltop Skills Centre", "Hilltop"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: PASSWORD)

    createadmin()

    membership = Membership.objects.select_related("user", "institution").get()
    assert (membership.user.email, membership.institution.slug, membership.role) == (
        "ola@hilltop.example",
        "hilltop",
        Role.ADMIN,
    )
    assert membership.user.check_password(PASSWORD)


# --- serve ----------------------------------------------------------------------------


class Launch:
    """Stands in for ``os.execv`` and ``call_command``: records instead of running."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.argv: list[str] = []

    def execv(self, path: str, argv: list[str]) -> None:
        self.argv = argv

    def call_command(self, name: str, **options: Any) -> None:
        self.calls.append((name, options))


@pytest.fixture
def launch(monkeypatch: pytest.MonkeyPatch) -> Launch:
    recorder = Launch()
    monkeypatch.setattr(os, "execv", recorder.execv)
    monkeypatch.setattr(serve, "call_command", recorder.call_command)
    monkeypatch.setattr(serve, "SHARED_MEMORY", Path("/nonexistent"))
    return recorder


def test_serve_runs_gunicorn_on_the_wsgi_application(
    launch: Launch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUILDHOUSE_BIND", "0.0.0.0:9000")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    call_command("serve", stdout=io.StringIO())
    assert launch.argv == [
        sys.executable, "-m", "gunicorn", "guildhouse.wsgi:application",
        "--bind", "0.0.0.0:9000", "--workers", "3",
        "--access-logfile", "-",
        "--logger-class", "guildhouse.core.accesslog.AccessLogger",
        "--error-logfile", "-", "--timeout", "30",
        "--preload", "--max-requests", "20000", "--max-requests-jitter", "2000",
        "--no-control-socket",
    ]  # fmt: skip
    assert launch.calls == []


def test_serve_options_win_over_the_environment(
    launch: Launch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    call_command("serve", "--bind", "unix:/run/guildhouse.sock", "--workers", "5", "--check")
    assert launch.argv[5:8] == ["unix:/run/guildhouse.sock", "--workers", "5"]
    assert launch.calls == [("check", {"deploy": True})]


def test_serve_prepares_static_files_and_cache_table_in_production(
    launch: Launch, settings: Settings
) -> None:
    settings.PRODUCTION = True
    call_command("serve", stdout=io.StringIO())
    assert launch.calls == [
        ("collectstatic", {"interactive": False, "verbosity": 0}),
        ("createcachetable", {"verbosity": 0}),
    ]
    assert launch.argv[3] == "guildhouse.wsgi:application"


def test_serve_default_workers() -> None:
    assert [serve.default_workers(n) for n in (None, 1, 2, 4, 8)] == [3, 3, 5, 9, 12]
    assert serve.workers_from_env({}, 2) == 5
    assert serve.workers_from_env({"WEB_CONCURRENCY": "7"}, 2) == 7
    with pytest.raises(CommandError) as error:
        serve.workers_from_env({"WEB_CONCURRENCY": "many"}, 2)
    assert str(error.value) == "WEB_CONCURRENCY must be a positive whole number, not 'many'."


# --- The guildhouse entry point, as a user runs it ---------------------------------------


def guildhouse(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "GUILDHOUSE_DEMO_ALLOW_STAFF_WITHOUT_MFA"}
    }
    environ |= {
        "DATABASE_URL": f"sqlite:///{tmp_path}/guildhouse.sqlite3",
        "GUILDHOUSE_TESTING": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "guildhouse", *args],
        env=environ | env,
        capture_output=True,
        text=True,
        # A guard against a hang, not a speed target: the demo loads in 15 s on a quiet
        # machine and took over 120 s on one shared by eight test runs.
        timeout=300,
        check=False,
    )


def test_cli_demo_loads_once_and_turns_demo_mode_on(tmp_path: Path) -> None:
    first = guildhouse("demo", "--no-serve", "--reset", tmp_path=tmp_path)
    second = guildhouse("demo", "--no-serve", tmp_path=tmp_path)

    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[:3] == [
        f"Deleted the demo database {tmp_path}/guildhouse.sqlite3.",
        "Demo mode is on (GUILDHOUSE_DEMO_ALLOW_STAFF_WITHOUT_MFA): staff accounts may sign in "
        "without two-step verification. Never use it with real data.",
        "Loaded the demo: 2 institutions, 200 learners.",
    ]
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[1] == (
        "The demo is already loaded (2 institutions, 200 learners); use --reset to start afresh."
    )


def test_cli_demo_refuses_in_production(tmp_path: Path) -> None:
    result = guildhouse(
        "demo",
        "--no-serve",
        tmp_path=tmp_path,
        GUILDHOUSE_ENV="production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="guildhouse.example.org",
        GUILDHOUSE_MFA_KEYS=Fernet.generate_key().decode(),
    )
    assert result.returncode == 1
    assert result.stderr == (
        "CommandError: The demo never runs in production (GUILDHOUSE_ENV=production).\n"
    )
    assert not (tmp_path / "guildhouse.sqlite3").exists()


def test_cli_createadmin_fails_with_one_line_and_exit_status_1(tmp_path: Path) -> None:
    result = guildhouse(
        "createadmin", "--email", "bad", "--name", "A", "--institution", "X",
        "--short-name", "X", tmp_path=tmp_path, GUILDHOUSE_ADMIN_PASSWORD=PASSWORD,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == "CommandError: 'bad' is not a valid email address.\n"
