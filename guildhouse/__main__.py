"""The ``guildhouse`` command: Django management with Guildhouse's settings.

``guildhouse demo``, ``guildhouse serve``, ``guildhouse migrate``,
``guildhouse createadmin`` and every Django command (``guildhouse shell`` ...).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guildhouse.settings")
    if args[:1] == ["demo"] and os.environ.get("GUILDHOUSE_ENV") != "production":
        # Settings read this flag once, at import, so it must be set before Django
        # loads: it lets demo staff look around without enrolling an authenticator.
        # Not in production, where settings would refuse to start; there the demo
        # command itself refuses with a clearer message.
        os.environ.setdefault("GUILDHOUSE_DEMO_ALLOW_STAFF_WITHOUT_MFA", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["guildhouse", *args])


if __name__ == "__main__":
    main()
