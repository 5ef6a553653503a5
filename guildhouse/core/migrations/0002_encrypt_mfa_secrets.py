"""Encrypt the authenticator secrets that earlier releases stored in clear.

From this release allauth's MFA adapter (guildhouse.core.mfa.MFAAdapter) encrypts
them with GUILDHOUSE_MFA_KEYS and refuses clear ones, so every existing row is
encrypted here, under the first key. Reversing decrypts them again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from guildhouse.core.mfa_keys import decrypt_data, reencrypt_data


def _rewrite(change: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    def run(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        authenticator = apps.get_model("mfa", "Authenticator")
        for row in authenticator.objects.all().only("pk", "data").iterator():
            data = change(row.data)
            if data != row.data:
                authenticator.objects.filter(pk=row.pk).update(data=data)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(_rewrite(reencrypt_data), _rewrite(decrypt_data))]
