"""``guildhouse mfa_keys``: make a key for GUILDHOUSE_MFA_KEYS, or re-encrypt with the first.

Rotation: put a new key first in GUILDHOUSE_MFA_KEYS and keep the old one after it
(``NEW,OLD``), restart, run ``guildhouse mfa_keys rotate``, then drop the old key.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from guildhouse.core.mfa_keys import reencrypt_data


class Command(BaseCommand):
    help = (
        "new: print a fresh key for GUILDHOUSE_MFA_KEYS. rotate: re-encrypt every "
        "authenticator secret with the first key, so that older keys can be removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["new", "rotate"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "new":
            self.stdout.write(Fernet.generate_key().decode())
            return
        count = 0
        with transaction.atomic(durable=True):
            rows = Authenticator.objects.select_for_update().only("pk", "data").order_by("pk")
            for row in rows:
                Authenticator.objects.filter(pk=row.pk).update(data=reencrypt_data(row.data))
                count += 1
        self.stdout.write(
            f"Re-encrypted the secrets of {count} authenticator(s) with the first key of "
            "GUILDHOUSE_MFA_KEYS. Keys after the first can now be removed."
        )
