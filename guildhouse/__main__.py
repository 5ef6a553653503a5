"""The ``guildhouse`` command: Django management with Guildhouse's settings.

``guildhouse demo``, ``guildhouse serve``, ``guildhouse migrate``,
``guildhouse createadmin`` and every Django command (``guildhouse shell`` ...).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guildhouse.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["guildhouse", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
