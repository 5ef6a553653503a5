"""``guildhouse worker``: run background jobs and periodic jobs until stopped."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string

from guildhouse.jobs.worker import Worker


class Command(BaseCommand):
    help = (
        "Run a background worker: it runs queued jobs and the periodic jobs. Run one or "
        "more beside the web server; Ctrl+C (or SIGTERM) stops it after the current job."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to wait when idle (default 1)."
        )
        parser.add_argument(
            "--tick",
            type=float,
            default=30.0,
            help="Seconds between checks for due periodic jobs (default 30).",
        )
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--max-jobs", type=int, default=None, help="Exit after this many.")
        parser.add_argument(
            "--import",
            dest="modules",
            action="append",
            default=[],
            help="Import this module first (extra tasks, e.g. in tests). Repeatable.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for module in options["modules"]:
            importlib.import_module(module)
        # Messages go to the console through the root logger (settings.LOGGING).
        logging.getLogger("guildhouse.jobs").setLevel(
            logging.INFO if options["verbosity"] else logging.WARNING
        )
        worker = Worker(
            queue_names=["*"],
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=False,
            max_tasks=options["max_jobs"],
            worker_id=get_random_string(32),
            excluded_queue_names=[],
            tick=options["tick"],
        )
        worker.configure_signals()
        worker.run()
