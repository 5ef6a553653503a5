"""Benchmark of the regional demo dataset: bulk-loading a whole region into SQLite.

    .venv/bin/python bench/demo_region.py                          # 20 schools, 100,000 learners
    .venv/bin/python bench/demo_region.py --institutions 2 --learners 5000   # a quick look

Runs ``guildhouse.core.demo.load_region`` in this process against a fresh SQLite file
in a temporary folder (migrated first, not timed), then prints a table and writes
bench/results/demo_region.json. The file is deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "demo_region.json"
sys.path.insert(0, str(ROOT))


def measure(*, institutions: int, learners: int, folder: Path) -> dict[str, Any]:
    database = folder / "region.sqlite3"
    # Settings read these once, at import: point Django at the throw-away file first.
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["GUILDHOUSE_DATA_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "guildhouse.settings"
    # The test settings swap in a fast password hasher; measure the real one.
    os.environ.pop("GUILDHOUSE_TESTING", None)
    import django
    from django.core.management import call_command

    django.setup()
    from guildhouse.core import demo

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter()
    summary = demo.load_region(institutions=institutions, learners=learners)
    return {
        "institutions": summary.institutions,
        "learners": summary.learners,
        "staff": summary.staff,
        "users": summary.users,
        "programmes": summary.programmes,
        "audit_events": summary.audit_events,
        "migrate_seconds": round(migrated - started, 2),
        "seconds": summary.seconds,
        "db_mb": round(database.stat().st_size / 1_000_000, 1),
    }


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }


def table(result: dict[str, Any]) -> str:
    header = ("seconds", "learners", "institutions", "users", "audit events", "DB size MB")
    values = (
        f"{result['seconds']:.1f}",
        f"{result['learners']:,}",
        str(result["institutions"]),
        f"{result['users']:,}",
        f"{result['audit_events']:,}",
        f"{result['db_mb']:.1f}",
    )
    widths = [max(len(h), len(v)) for h, v in zip(header, values, strict=True)]
    lines = [
        "  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
        for row in (header, values)
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--institutions", type=int, default=20)
    parser.add_argument("--learners", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="guildhouse-region-") as folder:
        result = measure(
            institutions=args.institutions, learners=args.learners, folder=Path(folder)
        )
    print(table(result))
    print(f"(migrating the empty database first took {result['migrate_seconds']:.1f} s)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"result": result, "machine": machine()}, indent=2) + "\n")
    print(f"Wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
