"""``guildhouse demo``: migrate, load the demo consortium once, print the logins, serve."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections
from django.utils import timezone

from guildhouse.core import demo
from guildhouse.core.models import Role


def demo_refusal(*, production: bool, vendor: str, database: str, force: bool, reset: bool) -> str:
    """Why the demo must not run against this database, or "" when it may.

    The demo writes fictional people and relaxes staff MFA: it belongs in a throw-away
    SQLite file, never in production or a shared database.
    """
    if production:
        return "The demo never runs in production (GUILDHOUSE_ENV=production)."
    if vendor != "sqlite" and reset:
        return "--reset deletes a SQLite file; it never drops another database."
    if vendor != "sqlite" and not force:
        return (
            f"The demo loads into SQLite only; DATABASE_URL points to {vendor}. "
            "Add --force if this really is a throw-away database."
        )
    if reset and is_in_memory(database):
        return "--reset needs a SQLite file; this database is in memory."
    return ""


def port_in_use(port: int, *, host: str = "127.0.0.1") -> str:
    """What to do when ``port`` on ``host`` is taken, or "" when the server can have it.

    Binds as the development server does (with ``SO_REUSEADDR``, so a port that an
    earlier demo left in TIME_WAIT counts as free) and suggests the next free port.
    """
    if _can_bind(host, port):
        return ""
    free = next((p for p in range(port + 1, min(port + 50, 65536)) if _can_bind(host, p)), None)
    advice = (
        f"Stop the other server, or start the demo on another port: "
        f"python3 dev.py demo --port {free}"
        if free is not None
        else "Stop the other server, or choose another port with --port."
    )
    return (
        f"Port {port} on {host} is already in use (another server, or an earlier demo "
        f"still running). {advice}"
    )


def _can_bind(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def is_in_memory(name: str) -> bool:
    return name == ":memory:" or "mode=memory" in name


class Command(BaseCommand):
    help = (
        "Load the North Coast VET Consortium demo into the SQLite database (once), print "
        "the demo logins and start the development server on 127.0.0.1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=["demo", "region"],
            default="demo",
            help="region adds 20 schools with 100,000 learners, for benchmarks.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo database file first."
        )
        parser.add_argument("--no-serve", action="store_true", help="Load only; do not serve.")
        parser.add_argument("--port", type=int, default=8000, help="Port on 127.0.0.1.")
        parser.add_argument(
            "--force", action="store_true", help="Allow a database other than SQLite."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        refusal = demo_refusal(
            production=settings.PRODUCTION,
            vendor=connection.vendor,
            database=str(connection.settings_dict["NAME"]),
            force=options["force"],
            reset=options["reset"],
        )
        if refusal:
            raise CommandError(refusal)
        # Before loading or printing anything: the logins are no use without a server.
        taken = "" if options["no_serve"] else port_in_use(options["port"])
        if taken:
            raise CommandError(taken)
        if options["reset"]:
            self._delete_database()
        call_command("migrate", interactive=False, verbosity=0)
        self._announce_demo_mode()
        self._load(scale=options["scale"])
        self._print_logins(port=options["port"], scale=options["scale"])
        if not options["no_serve"]:
            self._serve(port=options["port"])

    def _serve(self, *, port: int) -> None:
        """The web server and, beside it, a background worker; Ctrl+C stops both."""
        worker = subprocess.Popen([sys.executable, "-m", "guildhouse", "worker", "--tick", "5"])
        self.stdout.write(f"Started a background worker (process {worker.pid}).")
        try:
            # No autoreloader: it would re-run this command in a child process,
            # and with --reset that would delete the database under the server.
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()

    def _delete_database(self) -> None:
        path = Path(str(connection.settings_dict["NAME"]))
        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        self.stdout.write(f"Deleted the demo database {path}.")

    def _announce_demo_mode(self) -> None:
        if settings.DEMO_ALLOW_STAFF_WITHOUT_MFA:
            self.stdout.write(
                self.style.WARNING(
                    "Demo mode is on (GUILDHOUSE_DEMO_ALLOW_STAFF_WITHOUT_MFA): staff accounts "
                    "may sign in without two-step verification. Never use it with real data."
                )
            )
        else:
            self.stdout.write(
                "Demo mode is off: staff accounts will be asked to set up two-step "
                "verification (set GUILDHOUSE_DEMO_ALLOW_STAFF_WITHOUT_MFA=1 to skip it)."
            )

    def _load(self, *, scale: str) -> None:
        try:
            loaded = demo.run_demos(
                today=timezone.localdate(), region=scale == "region", progress=self.stdout.write
            )
        except demo.DemoError as error:
            raise CommandError(str(error)) from None
        counts = demo.demo_counts()
        learners, institutions = counts.memberships[Role.LEARNER], counts.institutions
        if loaded:
            region = [r for r in loaded if r.label == "core" and r.action == demo.REGION_LOADED]
            seconds = f" (region: {region[0].seconds:.1f} s)" if region else ""
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo: {institutions} institutions, {learners:,} learners{seconds}."
                )
            )
            self.stdout.write(f"Demo data loaded now: {', '.join(r.name for r in loaded)}.")
        else:
            self.stdout.write(
                f"The demo is already loaded ({institutions} institutions, {learners:,} "
                "learners); use --reset to start afresh."
            )

    def _print_logins(self, *, port: int, scale: str) -> None:
        self.stdout.write(login_table())
        if scale == "region":
            self.stdout.write(
                f"Each regional school's principal signs in as admin@<town>.demo, e.g. "
                f"{demo.region_admin_email(0)}, with the same password."
            )
        url = demo.DEMO_URL.format(port=port)
        self.stdout.write(f"\nOpen {url} and sign in with any account above.\n")


def login_table() -> str:
    """The demo accounts as a plain-text table: role, email, password, institution."""
    rows = [("Role", "Email", "Password", "Institution")]
    for login in demo.DEMO_LOGINS:
        roles = " + ".join(str(Role(role).label) for _, role in login.memberships)
        places = " + ".join(demo.DEMO_INSTITUTIONS[where] for where, _ in login.memberships)
        rows.append((str(roles), login.email, demo.DEMO_PASSWORD, places))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    switcher = next(login.email for login in demo.DEMO_LOGINS if len(login.memberships) > 1)
    note = f"{switcher} belongs to both schools: switch between them at the top of the page."
    return "\nDemo logins\n\n" + "\n".join(lines) + "\n\n" + note
