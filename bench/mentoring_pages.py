"""Speed of the mentoring monitoring board, programme page and KPI page on the region
dataset, PostgreSQL, ``guildhouse serve``.

    .venv/bin/python bench/mentoring_pages.py --label after
    .venv/bin/python bench/mentoring_pages.py --label quick --requests 30 --seconds 3

The method and the code are bench/core_pages.py's (``run``):

1. Loads the region dataset (core's schools, then mentoring's 20,000 pairs and 300,000+
   meetings) into PostgreSQL with ``guildhouse demo --scale region --no-serve``
   (each app's region is loaded once; skipped when already there) and runs
   ``VACUUM ANALYZE``.
2. Signs in the region school's coordinator by creating the session directly, and
   counts each page's database queries in this process.
3. Serves Guildhouse with ``guildhouse serve`` (gunicorn, 2 workers) and, beside it, a
   Django hello-world (``bench/hello_wsgi.py``) on loopback.
4. For hello-world and each page: ``--requests`` sequential requests (p50/p95), then 8
   client processes for at most ``--seconds`` seconds (requests/s).

Writes bench/results/mentoring_pages-<label>.json and prints a Markdown table.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from core_pages import Page, run

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/guildhouse_mentoring_monitoring_region"


def mentoring_pages(school: Any) -> list[Page]:
    """The monitoring, programme and KPI pages, as the school's coordinator."""
    from guildhouse.mentoring.models import MentoringProgramme

    running = MentoringProgramme.objects.get(institution=school, state="running")
    closed = MentoringProgramme.objects.get(institution=school, state="closed")
    return [
        ("coordinator home", "/", {}),
        ("monitoring board", "/mentoring/monitoring/", {}),
        ("monitoring board, one programme", f"/mentoring/monitoring/?programme={running.pk}", {}),
        ("contacts overdue", "/mentoring/monitoring/contacts/", {}),
        ("programme page (running)", f"/mentoring/programmes/{running.pk}/", {}),
        ("KPI page (running)", f"/mentoring/programmes/{running.pk}/kpis/", {}),
        ("KPI page (closed)", f"/mentoring/programmes/{closed.pk}/kpis/", {}),
        ("KPI overview", "/mentoring/kpis/", {}),
    ]


if __name__ == "__main__":
    sys.exit(
        run(
            name="mentoring_pages",
            description=__doc__.splitlines()[0],
            pages_for=mentoring_pages,
            roles=("coordinator",),
            default_database=DEFAULT_DATABASE,
            default_port=8161,
        )
    )
