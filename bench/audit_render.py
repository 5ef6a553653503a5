"""CPU time of the audit log page (/audit/, 50 rows) in-process, on a throwaway test database.

    .venv/bin/python bench/audit_render.py                 # ms per request, English and Finnish
    .venv/bin/python bench/audit_render.py --dump out/     # also save each page's HTML
    .venv/bin/python bench/audit_render.py --profile       # cProfile of the English runs

240 varied events (role changes, invitations, support information, long values, another
app's types, an unknown action); the HTML of two runs can be compared with ``diff -r``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import pstats
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guildhouse.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'results' / 'unused.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from guildhouse.core.models import AuditEvent, Institution, Role  # noqa: E402
from tests.conftest import sign_in  # noqa: E402
from tests.factories import institution_make, member_make  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
PAGES = ["/audit/", "/audit/?page=2", "/audit/?page=5", "/audit/?action=change_role"]
KINDS: list[tuple[str, str, str, dict[str, object]]] = [
    ("change_role", "core.membership", "Ann Lee — Staff at Omnia", {"role": ["staff", "admin"]}),
    ("invite", "core.invitation", "Invitation for bo@example.org as Learner", {"role": "learner"}),
    ("special_category_save", "core.user", "Cy", {"fields": ["gender", "support_needs", "no"]}),
    ("update", "core.membership", "Bo — Learner at Omnia", {"is_active": True}),
    ("update", "core.programme", "Welding", {"name": "W" * 200, "active": False}),
    ("create", "core.institution", "Omnia", {"short_name": "Omnia", "x": None}),
    ("deactivate", "core.membership", "Di Ek — Learner at Omnia", {"user": "di@example.org"}),
    ("archive", "elsewhere.thing", "Something", {"x": [1, 2, 3]}),
]


def load(institution: Institution, n: int) -> None:
    start = datetime.datetime(2026, 3, 20, 8, 5, tzinfo=datetime.UTC)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            institution=institution,
            actor_label="system" if i % 11 == 0 else f"person{i % 7}@example.org",
            action=action,
            object_type=object_type,
            object_id=str(i),
            object_label=label,
            changes=changes,
            created_at=start + datetime.timedelta(hours=7 * i, minutes=i),
        )
        for i in range(n)
        for action, object_type, label, changes in [KINDS[i % len(KINDS)]]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    institution = institution_make(name="Omnia", short_name="Omnia")
    admin = member_make(institution=institution, role=Role.ADMIN).user
    load(institution, 240)
    client = sign_in(Client(), admin)
    for language in ("en", "fi"):
        headers = {"Accept-Language": language}
        for path in PAGES:
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.status_code)
            if args.dump:
                name = path.strip("/").replace("/?", "-").replace("=", "-").replace("&", "-")
                args.dump.mkdir(parents=True, exist_ok=True)
                # The CSRF token differs on every request; the rest should not.
                html = CSRF.sub("csrf", response.content.decode())
                (args.dump / f"{language}-{name}.html").write_text(html)
        profiler = cProfile.Profile() if args.profile and language == "en" else None
        started = time.process_time()
        if profiler:
            profiler.enable()
        for _ in range(args.requests):
            client.get("/audit/", headers=headers)
        if profiler:
            profiler.disable()
        per_request = (time.process_time() - started) / args.requests * 1000
        print(f"{language}: /audit/ {per_request:.1f} ms CPU/request ({args.requests} requests)")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
