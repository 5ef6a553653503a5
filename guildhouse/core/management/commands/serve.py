"""``guildhouse serve``: the production web server, gunicorn on ``guildhouse.wsgi``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

DEFAULT_BIND = "127.0.0.1:8000"
# More workers than this mostly adds memory use and database connections.
MAX_DEFAULT_WORKERS = 12
# gunicorn makes its own private files there with mkstemp, so a shared directory is safe.
SHARED_MEMORY = Path("/dev/shm")  # noqa: S108


def default_workers(cpu_count: int | None) -> int:
    """Gunicorn's rule of thumb, 2 x cores + 1, capped at ``MAX_DEFAULT_WORKERS``."""
    return min(2 * (cpu_count or 1) + 1, MAX_DEFAULT_WORKERS)


def workers_from_env(environ: dict[str, str], cpu_count: int | None) -> int:
    """``WEB_CONCURRENCY`` when set (as Heroku-style platforms do), else ``default_workers``."""
    raw = environ.get("WEB_CONCURRENCY", "").strip()
    if not raw:
        return default_workers(cpu_count)
    if not raw.isdigit() or int(raw) < 1:
        raise CommandError(f"WEB_CONCURRENCY must be a positive whole number, not {raw!r}.")
    return int(raw)


def gunicorn_argv(*, bind: str, workers: int, python: str = sys.executable) -> list[str]:
    """The command line that runs gunicorn on Guildhouse with the given bind and workers."""
    argv = [
        python, "-m", "gunicorn", "guildhouse.wsgi:application",
        "--bind", bind,
        "--workers", str(workers),
        "--access-logfile", "-",  # stdout: the platform collects logs, we keep no files
        # No address or browser of a learner-voice request (guildhouse/core/accesslog.py).
        "--logger-class", "guildhouse.core.accesslog.AccessLogger",
        "--error-logfile", "-",
        "--timeout", "30",
        # Import Guildhouse once in the master; a worker is then a fork, ready at once.
        "--preload",
        # Recycle workers now and then, so a slow leak can never take a server down;
        # rarely (a restart costs a fork and a new database connection), and spread out.
        "--max-requests", "20000",
        "--max-requests-jitter", "2000",
        # Unused by us, and its fixed path in $HOME clashes when two servers share a
        # user, and fails where the home directory is read-only (containers).
        "--no-control-socket",
    ]  # fmt: skip
    if SHARED_MEMORY.is_dir():
        # Heartbeat files in memory: a slow or full disk must not look like hung workers.
        argv += ["--worker-tmp-dir", str(SHARED_MEMORY)]
    return argv


class Command(BaseCommand):
    help = "Run Guildhouse in production: gunicorn on $GUILDHOUSE_BIND with $WEB_CONCURRENCY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("GUILDHOUSE_BIND", DEFAULT_BIND),
            help=f"host:port or unix:/path (default $GUILDHOUSE_BIND or {DEFAULT_BIND}).",
        )
        parser.add_argument(
            "--workers", type=int, help="Worker processes (default $WEB_CONCURRENCY or by cores)."
        )
        parser.add_argument(
            "--check", action="store_true", help="Run `check --deploy` first; stop on errors."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"] or workers_from_env(dict(os.environ), os.cpu_count())
        if options["check"]:
            call_command("check", deploy=True)
        if settings.PRODUCTION:
            self._prepare_production()
        argv = gunicorn_argv(bind=options["bind"], workers=workers)
        self.stdout.write(f"Starting gunicorn on {options['bind']} with {workers} workers.")
        self.stdout.flush()
        # Replace this process, so that signals from the supervisor reach gunicorn directly.
        os.execv(argv[0], argv)  # noqa: S606 (a fixed argument list, no shell)

    def _prepare_production(self) -> None:
        # The manifest static storage refuses to render a page whose static files were
        # not collected, and the cache (rate limits) lives in a table; both must exist
        # before the first request. Both are idempotent and quick when nothing changed.
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
