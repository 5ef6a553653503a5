"""Production settings: the deploy check is clean, unsafe configurations refuse to start."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.test import Client
from django.urls import reverse

from tests.conftest import World

REPO = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    """A production environment with nothing inherited but PATH (no test or dev flags)."""
    env: dict[str, str | None] = {
        "PATH": os.environ["PATH"],
        "GUILDHOUSE_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "guildhouse.example.org",
        "GUILDHOUSE_MFA_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "GUILDHOUSE_DATA_DIR": str(tmp_path),
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def guildhouse(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guildhouse", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_in_production(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    assert len(env["SECRET_KEY"]) == 64

    result = guildhouse(env, "check", "--deploy", "--fail-level", "WARNING")

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"SECRET_KEY": None},
            "Production needs SECRET_KEY: a random string of 50+ chars.",
        ),
        (
            {"SECRET_KEY": "too-short"},
            "Production needs SECRET_KEY: a random string of 50+ chars.",
        ),
        (
            {"ALLOWED_HOSTS": None},
            "Production needs ALLOWED_HOSTS (comma-separated host names).",
        ),
        (
            {"GUILDHOUSE_DEMO_ALLOW_STAFF_WITHOUT_MFA": "1"},
            "GUILDHOUSE_DEMO_ALLOW_STAFF_WITHOUT_MFA is for the demo only; "
            "production requires multi-factor authentication for staff.",
        ),
        ({"DEBUG": "1"}, "DEBUG must be off in production."),
        (
            {"GUILDHOUSE_MFA_KEYS": None},
            "Production needs GUILDHOUSE_MFA_KEYS: make a key with `guildhouse mfa_keys new`.",
        ),
        (
            {"GUILDHOUSE_MFA_KEYS": "not-a-key"},
            "GUILDHOUSE_MFA_KEYS: key 1 is not a Fernet key (32 bytes in URL-safe base64); "
            "make one with `guildhouse mfa_keys new`.",
        ),
        (
            {"GUILDHOUSE_ENV": "prod"},
            "GUILDHOUSE_ENV must be development or production, not 'prod'.",
        ),
        (
            {"GUILDHOUSE_ENV": "Production"},
            "GUILDHOUSE_ENV must be development or production, not 'Production'.",
        ),
    ],
    ids=[
        "no-secret-key",
        "short-secret-key",
        "no-allowed-hosts",
        "demo-mfa-flag",
        "debug",
        "no-mfa-keys",
        "bad-mfa-key",
        "mistyped-env",
        "capitalised-env",
    ],
)
def test_production_refuses_unsafe_settings(
    tmp_path: Path, overrides: dict[str, str | None], message: str
) -> None:
    result = guildhouse(production_env(tmp_path, **overrides), "check")

    assert result.returncode == 1
    assert result.stdout == ""
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == f"django.core.exceptions.ImproperlyConfigured: {message}"
    assert not (tmp_path / "deploy.sqlite3").exists()


def test_deploy_check_fails_on_the_development_keys(tmp_path: Path) -> None:
    """Development mode runs, but its public key must never pass the deploy check."""
    env = production_env(
        tmp_path, GUILDHOUSE_ENV="development", SECRET_KEY=None, GUILDHOUSE_MFA_KEYS=None
    )

    result = guildhouse(env, "check", "--deploy")

    assert result.returncode == 1
    assert "?: (guildhouse.E001) SECRET_KEY is the public development key." in result.stderr
    assert "?: (guildhouse.E002) GUILDHOUSE_MFA_KEYS is not set" in result.stderr
    assert guildhouse(env, "check").returncode == 0


def test_a_second_mfa_key_is_checked_too(tmp_path: Path) -> None:
    keys = f"{Fernet.generate_key().decode()}, nope"
    result = guildhouse(production_env(tmp_path, GUILDHOUSE_MFA_KEYS=keys), "check")
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith(
            "django.core.exceptions.ImproperlyConfigured: GUILDHOUSE_MFA_KEYS: key 2 is not"
        )
    )


@pytest.mark.parametrize("signed_in", [False, True], ids=["login-page", "home-page"])
def test_pages_carry_a_same_origin_content_security_policy(world: World, signed_in: bool) -> None:
    client = world.client_for(world.admin) if signed_in else Client()
    response = client.get(reverse("home" if signed_in else "account_login"))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert re.findall(r"https?:", policy) == []
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy


def test_security_headers_on_a_signed_in_page(world: World) -> None:
    response = world.client_for(world.admin).get(reverse("home"))
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
