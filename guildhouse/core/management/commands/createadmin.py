"""``guildhouse createadmin``: an institution and its first admin, asked for or from options.

Non-interactive use (scripts, containers) passes every option and the password in
``GUILDHOUSE_ADMIN_PASSWORD``, which keeps it out of the shell history and ``ps``.
"""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from guildhouse.core import services
from guildhouse.core.models import Institution, Membership, Role, User

PASSWORD_ENV = "GUILDHOUSE_ADMIN_PASSWORD"  # noqa: S105 (the variable's name, not a password)
SHORT_NAME_MAX = Institution._meta.get_field("short_name").max_length or 40


@dataclass(frozen=True)
class AdminRequest:
    email: str
    full_name: str
    institution: str
    short_name: str
    password: str


def validate_request(request: AdminRequest) -> AdminRequest:
    """The request tidied (email lower-cased, spaces trimmed), or ``CommandError`` saying
    what is wrong in one line. Reads the database, never writes."""
    email = request.email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise CommandError(f"{request.email!r} is not a valid email address.") from None
    full_name, institution = request.full_name.strip(), request.institution.strip()
    short_name = request.short_name.strip()
    if not full_name:
        raise CommandError("The admin's full name is empty.")
    if not institution:
        raise CommandError("The institution's name is empty.")
    if not slugify(short_name):
        raise CommandError("The institution's short name needs at least one letter or digit.")
    if len(short_name) > SHORT_NAME_MAX:
        raise CommandError(f"The short name has more than {SHORT_NAME_MAX} characters.")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None and not request.password:
        raise CommandError(f"No password: set {PASSWORD_ENV}, or run in a terminal to be asked.")
    if existing is None:
        try:
            validate_password(request.password, User(email=email, full_name=full_name))
        except ValidationError as error:
            raise CommandError("Password rejected: " + " ".join(error.messages)) from None
    return AdminRequest(email, full_name, institution, short_name, request.password)


def admin_create(request: AdminRequest) -> Membership:
    """Create (or reuse by email) the user and (or reuse by name) the institution, and make
    the user its admin with a verified email, in one transaction: on error nothing changes.

    An existing user keeps their password. Raises ``CommandError`` if they already
    belong to the institution.
    """
    with transaction.atomic(durable=True):
        user = User.objects.filter(email__iexact=request.email).first()
        if user is None:
            user = services.user_create(
                actor=None,
                institution=None,
                email=request.email,
                full_name=request.full_name,
                password=request.password,
            )
        else:
            # The operator vouches for the address of an account that already exists.
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        institution = Institution.objects.filter(name__iexact=request.institution).first()
        if institution is None:
            institution = services.institution_create(
                actor=None, name=request.institution, short_name=request.short_name
            )
        try:
            return services.membership_create(
                actor=None, institution=institution, user=user, role=Role.ADMIN
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None


class Command(BaseCommand):
    help = (
        "Create an institution and its admin. Asks for what the options do not give; "
        f"without a terminal, give every option and the password in ${PASSWORD_ENV}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", help="The admin's email address (their sign-in).")
        parser.add_argument("--name", help="The admin's full name.")
        parser.add_argument("--institution", help="The institution's full name.")
        parser.add_argument("--short-name", help="A short name, e.g. Riverside.")

    def handle(self, *args: Any, **options: Any) -> None:
        request = validate_request(self._gather(options))
        membership = admin_create(request)
        self.stdout.write(
            self.style.SUCCESS(
                f"{membership.user.email} is now the admin of {membership.institution.name}."
            )
        )
        self.stdout.write(
            "Next: start Guildhouse (guildhouse serve) and sign in at /accounts/login/ with "
            "this email. You will be asked to set up two-step sign-in with an authenticator "
            "app first; then invite your colleagues from the home page."
        )

    def _gather(self, options: dict[str, Any]) -> AdminRequest:
        interactive = sys.stdin.isatty()
        values = {}
        for key, prompt in (
            ("email", "Email"),
            ("name", "Full name"),
            ("institution", "Institution name"),
            ("short_name", "Short name (e.g. Riverside)"),
        ):
            value = options.get(key)
            if value is None:
                if not interactive:
                    flag = "--" + key.replace("_", "-")
                    raise CommandError(f"{flag} is required when there is no terminal to ask.")
                value = input(f"{prompt}: ")
            values[key] = value
        return AdminRequest(
            email=values["email"],
            full_name=values["name"],
            institution=values["institution"],
            short_name=values["short_name"],
            password=self._password(interactive=interactive),
        )

    def _password(self, *, interactive: bool) -> str:
        password = os.environ.get(PASSWORD_ENV, "")
        if password or not interactive:
            return password
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        return password
