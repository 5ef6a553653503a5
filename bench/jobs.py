"""Benchmark of the job runner: throughput of one worker, and enqueue-to-start latency.

    .venv/bin/python bench/jobs.py                       # SQLite (a temporary file)
    .venv/bin/python bench/jobs.py --postgres postgres://postgres@127.0.0.1:5432/guildhouse_jobs_bench

Throughput: ``--jobs`` no-op jobs (``jobs_ping``) are enqueued, then one
``guildhouse worker --batch`` process runs them all; jobs per second are counted from
the first start to the last finish recorded in the database (process start-up is
reported apart). Latency: one idle ``guildhouse worker`` (default settings: it looks
for work every second when idle) and ``--samples`` jobs enqueued one at a time at
random moments; latency is the job's ``started_at - enqueued_at``. Writes
bench/results/jobs-<database>.json. The PostgreSQL database is created if missing
and emptied of jobs first.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ensure_postgres_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def worker(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "guildhouse", "worker", "--verbosity", "0", *args],
        cwd=ROOT,
        env=os.environ.copy(),
    )


def measure(*, jobs: int, samples: int) -> dict[str, Any]:
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection
    from django.db.models import Max, Min
    from django_tasks_db.models import DBTaskResult

    from guildhouse.jobs.models import PeriodicRun
    from guildhouse.jobs.tasks import jobs_ping

    call_command("migrate", interactive=False, verbosity=0)
    DBTaskResult.objects.all().delete()
    PeriodicRun.objects.all().delete()
    # Periodic jobs are due in a fresh database: run them first, out of the figures.
    subprocess.run(
        [sys.executable, "-m", "guildhouse", "worker", "--batch", "--verbosity", "0"],
        cwd=ROOT,
        check=True,
    )
    DBTaskResult.objects.all().delete()

    started = time.perf_counter()
    for _ in range(jobs):
        jobs_ping.enqueue()
    enqueue_seconds = time.perf_counter() - started

    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    batch = worker("--batch")
    batch.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter() - started
    worker_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    span = DBTaskResult.objects.aggregate(first=Min("started_at"), last=Max("finished_at"))
    run_seconds = (span["last"] - span["first"]).total_seconds()
    done = DBTaskResult.objects.filter(status="SUCCESSFUL").count()
    assert done == jobs, f"{done} of {jobs} jobs succeeded"

    DBTaskResult.objects.all().delete()
    idle = worker()
    time.sleep(3)  # started and idle
    latencies = []
    rng = random.Random(7)
    try:
        for _ in range(samples):
            time.sleep(rng.uniform(0.2, 1.5))
            result = jobs_ping.enqueue()
            while True:
                row = DBTaskResult.objects.get(id=result.id)
                if row.started_at is not None:
                    break
                time.sleep(0.01)
            latencies.append((row.started_at - row.enqueued_at).total_seconds())
    finally:
        idle.send_signal(signal.SIGTERM)
        idle.wait(timeout=30)
    return {
        "database": connection.vendor,
        "jobs": jobs,
        "enqueue_per_second": round(jobs / enqueue_seconds, 1),
        "run_seconds": round(run_seconds, 2),
        "jobs_per_second": round(jobs / run_seconds, 1),
        "worker_wall_seconds_with_startup": round(wall, 2),
        "worker_cpu_seconds": round(worker_cpu, 2),
        "jobs_per_worker_cpu_second": round(jobs / worker_cpu, 1),
        "latency_samples": samples,
        "latency_median_ms": round(1000 * statistics.median(latencies)),
        "latency_p90_ms": round(1000 * statistics.quantiles(latencies, n=10)[-1]),
        "latency_max_ms": round(1000 * max(latencies)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--postgres", default="", help="postgres://... (default: SQLite)")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "guildhouse.settings"
    os.environ.pop("GUILDHOUSE_TESTING", None)
    with tempfile.TemporaryDirectory(prefix="guildhouse-jobs-") as folder:
        os.environ["GUILDHOUSE_DATA_DIR"] = folder
        if args.postgres:
            ensure_postgres_database(args.postgres)
            os.environ["DATABASE_URL"] = args.postgres
        else:
            os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'jobs.sqlite3'}"
        result = measure(jobs=args.jobs, samples=args.samples)
    machine = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results" / f"jobs-{result['database']}.json"
    out.write_text(json.dumps({"result": result, "machine": machine}, indent=2) + "\n")
    print(f"Wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
