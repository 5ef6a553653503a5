"""Benchmark of the partner import: a 5,000-row XLSX (one organisation and one contact
per row) checked and imported through the job runner, as a coordinator would.

    .venv/bin/python bench/partners_import.py                  # SQLite (a temporary file)
    .venv/bin/python bench/partners_import.py --postgres postgres://postgres@127.0.0.1:5432/guildhouse_import_bench

The upload is stored and its check job enqueued (``import_start``), then the jobs are
run here (``run_queued_jobs``) and timed; then the import job likewise. Writes
bench/results/partners_import-<database>.json. The PostgreSQL database is created if
missing; its partner rows are left for inspection (run it on a throw-away database).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from jobs import ensure_postgres_database  # noqa: E402  (the jobs benchmark's helper)


def workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("partners")
    sheet.append(
        ["Name", "Type", "Sector", "Town or city", "Tags", "Contact name", "Contact email"]
    )
    for n in range(rows):
        sheet.append(
            [
                f"Bench Firm {n:05d} Oy",
                "business",
                "07",
                "Espoo",
                "bench; import",
                f"Person {n}",
                f"person{n}@firm{n}.example",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def measure(rows: int) -> dict[str, Any]:
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    from guildhouse.core.models import Institution, Membership, Role, User
    from guildhouse.jobs.worker import run_queued_jobs
    from guildhouse.partners import services_import
    from guildhouse.partners.models import ImportBatch, Organisation

    call_command("migrate", interactive=False, verbosity=0)
    run_queued_jobs()  # anything left from set-up
    stamp = str(int(time.time()))
    institution = Institution.objects.create(
        name=f"Import bench {stamp}", short_name="Bench", slug=f"import-bench-{stamp}"
    )
    user = User.objects.create_user(
        email=f"bench-{stamp}@example.com", password=None, full_name="Bench Coordinator"
    )
    Membership.objects.create(user=user, institution=institution, role=Role.COORDINATOR)
    content = workbook(rows)

    started = time.perf_counter()
    batch = services_import.import_start(
        actor=user, institution=institution, filename="bench.xlsx", content=content
    )
    run_queued_jobs()
    checked = time.perf_counter()
    batch = ImportBatch.objects.get(pk=batch.pk)
    assert batch.status == "checked", batch.report
    services_import.import_commit(actor=user, batch=batch)
    run_queued_jobs()
    imported = time.perf_counter()
    batch = ImportBatch.objects.get(pk=batch.pk)
    assert batch.status == "imported", batch.status
    created = Organisation.objects.filter(institution=institution).count()
    assert created == rows, created
    return {
        "database": connection.vendor,
        "rows": rows,
        "file_bytes": len(content),
        "check_job_seconds": round(checked - started, 2),
        "import_job_seconds": round(imported - checked, 2),
        "total_seconds": round(imported - started, 2),
        "organisations_created": batch.organisations_created,
        "contacts_created": batch.contacts_created,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--postgres", default="", help="postgres://... (default: SQLite)")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "guildhouse.settings"
    os.environ.pop("GUILDHOUSE_TESTING", None)
    with tempfile.TemporaryDirectory(prefix="guildhouse-import-") as folder:
        os.environ["GUILDHOUSE_DATA_DIR"] = folder
        if args.postgres:
            ensure_postgres_database(args.postgres)
            os.environ["DATABASE_URL"] = args.postgres
        else:
            os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'import.sqlite3'}"
        result = measure(args.rows)
    machine = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results" / f"partners_import-{result['database']}.json"
    out.write_text(json.dumps({"result": result, "machine": machine}, indent=2) + "\n")
    print(f"Wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
