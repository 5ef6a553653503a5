"""Speed of the core pages on the region dataset, PostgreSQL, ``guildhouse serve``.

    .venv/bin/python bench/core_pages.py --label after          # about 6 minutes
    .venv/bin/python bench/core_pages.py --label quick --requests 30 --seconds 3

1. Loads the region dataset into PostgreSQL with ``guildhouse demo --scale region
   --no-serve --force`` (skipped when it is already there) and runs ``VACUUM ANALYZE``
   (what autovacuum does soon after a bulk load; the planner needs the statistics).
2. Signs in the region school's admin and a coordinator by creating their sessions
   directly (``Client.force_login``; staff MFA is lifted by the demo setting), and
   counts each page's database queries in this process.
3. Serves Guildhouse with ``guildhouse serve`` (gunicorn, 2 workers) and, beside it, a
   Django hello-world (``bench/hello_wsgi.py``, same gunicorn flags) on loopback.
4. For hello-world and each page: ``--requests`` sequential requests (p50/p95), then 8
   client processes for at most ``--seconds`` seconds or ``--requests`` x 4 requests
   (requests/s, and as % of hello-world's requests/s). Hello-world is measured before
   and after the pages; the mean of both is the baseline.

Writes bench/results/core_pages-<label>.json and prints a Markdown table. The machine
is shared: the load average at start and end is recorded with the figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/guildhouse_perf_region"
SCHOOL = "region-juniper-cove"  # 5,398 members: the school the issue measured
CLIENTS = 8
sys.path.insert(0, str(ROOT))

Page = tuple[str, str, dict[str, str]]  # name, path, extra headers (session chosen by name)


def server_env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "GUILDHOUSE_DATA_DIR": str(data_dir),
        "GUILDHOUSE_DEMO_ALLOW_STAFF_WITHOUT_MFA": "1",
        "DJANGO_SETTINGS_MODULE": "guildhouse.settings",
    }
    env.pop("GUILDHOUSE_TESTING", None)  # the real password hasher, as in production
    env.pop("GUILDHOUSE_ENV", None)
    return env


def load_dataset(env: dict[str, str]) -> None:
    command = [str(BIN / "guildhouse"), "demo", "--scale", "region", "--no-serve", "--force"]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare(
    env: dict[str, str], *, pages_for: Callable[[Any], list[Page]], roles: tuple[str, ...]
) -> tuple[dict[str, str], list[Page], dict[str, int]]:
    """Sessions (cookie per role), the pages to measure, and each page's query count.

    ``pages_for(school)`` lists the pages; a page is requested as ``roles[0]`` unless its
    headers name another role under ``"as"``."""
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from guildhouse.core.middleware import SESSION_KEY
    from guildhouse.core.models import Institution, Membership

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    school = Institution.objects.get(slug=SCHOOL)
    members = Membership.objects.filter(institution=school, is_active=True).order_by("pk")
    cookies: dict[str, str] = {}
    clients: dict[str, Client] = {}
    for role in roles:
        client = Client()
        membership = members.filter(role=role).first()
        assert membership is not None
        client.force_login(membership.user)
        session = client.session
        session[SESSION_KEY] = school.pk
        session.save()
        cookies[role] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        clients[role] = client
    pages = [("healthz", "/healthz", {}), *pages_for(school)]
    queries: dict[str, int] = {}
    for name, path, headers in pages:
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "as"}
        client = clients[headers.get("as", roles[0])] if name != "healthz" else Client()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, **extra)  # type: ignore[arg-type]
        assert response.status_code == 200, (name, response.status_code)
        queries[name] = len(captured)
    connections.close_all()
    return cookies, pages, queries


def core_pages(school: Any) -> list[Page]:
    """The core pages of issue 6's speed items, as the school's admin."""
    from guildhouse.core.models import AuditEvent, Membership, Programme, Role

    members = Membership.objects.filter(institution=school, is_active=True).order_by("pk")
    per_page = 50
    people_pages = math.ceil(members.count() / per_page)
    audit_pages = math.ceil(AuditEvent.objects.filter(institution=school).count() / per_page)
    programme = Programme.objects.filter(institution=school).order_by("pk").first()
    learner = members.filter(role=Role.LEARNER).first()
    assert programme is not None
    assert learner is not None
    htmx = {"HX-Request": "true"}
    return [
        ("admin home", "/", {}),
        ("coordinator home", "/", {"as": Role.COORDINATOR}),
        ("people p1", "/people/", {}),
        ("people last", f"/people/?q=&role=&page={people_pages}", {}),
        ("people search (htmx)", "/people/?q=kor&role=", htmx),
        ("programmes", "/programmes/", {}),
        ("programme learners", f"/programmes/{programme.pk}/", {}),
        ("person", f"/people/{learner.pk}/", {}),
        ("invitations", "/invitations/", {}),
        ("audit p1", "/audit/", {}),
        ("audit last", f"/audit/?actor=&action=&page={audit_pages}", {}),
    ]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU time so far of each of these processes that still exists."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime and stime, fields 14 and 15 of proc(5)
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two readings; a process that ended in between is not counted."""
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


def server_pids(master: int, database: str) -> tuple[list[int], list[int]]:
    """The gunicorn master and its workers; the PostgreSQL backends of ``database``."""
    app, db = [master], []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            app.append(int(entry.name))
        elif cmdline.startswith("postgres:") and f" postgres {database} " in cmdline:
            db.append(int(entry.name))
    return app, db


def fetch(port: int, path: str, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return time.perf_counter() - started


def client_loop(
    port: int, path: str, headers: dict[str, str], deadline: float, quota: int
) -> list[float]:
    times: list[float] = []
    while len(times) < quota and time.perf_counter() < deadline:
        times.append(fetch(port, path, headers))
    return times


def measure(
    port: int,
    path: str,
    headers: dict[str, str],
    *,
    requests: int,
    seconds: float,
    cpu: tuple[int, str] | None = None,
) -> dict[str, float]:
    for _ in range(5):  # warm-up: both workers, caches, connections
        fetch(port, path, headers)
    app, db = server_pids(*cpu) if cpu else ([], [])
    app_start, db_start = cpu_seconds(app), cpu_seconds(db)
    sequential = sorted(fetch(port, path, headers) for _ in range(requests))
    app, db = server_pids(*cpu) if cpu else ([], [])
    app_cpu = cpu_used(app_start, cpu_seconds(app))
    db_cpu = cpu_used(db_start, cpu_seconds(db))
    quota = max(1, requests * 4 // CLIENTS)
    started = time.perf_counter()
    deadline = started + seconds
    with multiprocessing.get_context("fork").Pool(CLIENTS) as pool:
        results = pool.starmap(client_loop, [(port, path, headers, deadline, quota)] * CLIENTS)
    elapsed = time.perf_counter() - started
    loaded = sorted(t for times in results for t in times)
    return {
        # CPU per request of gunicorn and of PostgreSQL, in the sequential run: what a
        # request costs on an idle machine, much less sensitive to the shared load.
        # PostgreSQL's parallel query workers are not counted (they exit at once).
        "app_cpu_ms": 1000 * app_cpu / requests,
        "db_cpu_ms": 1000 * db_cpu / requests,
        "p50_ms": 1000 * statistics.median(sequential),
        "p95_ms": 1000 * sequential[int(0.95 * (len(sequential) - 1))],
        "rps": len(loaded) / elapsed,
        "loaded_p95_ms": 1000 * loaded[int(0.95 * (len(loaded) - 1))],
        "loaded_requests": len(loaded),
    }


def wait_until_up(port: int, path: str) -> None:
    for _ in range(300):
        try:
            fetch(port, path, {})
        except (OSError, RuntimeError, http.client.HTTPException):
            time.sleep(0.2)
        else:
            return
    raise RuntimeError(f"nothing answers on port {port}")


def run(
    *,
    name: str,
    description: str,
    pages_for: Callable[[Any], list[Page]],
    roles: tuple[str, ...],
    default_database: str,
    default_port: int,
) -> int:
    """Measure ``pages_for``'s pages beside hello-world (the method in the module's
    docstring); write bench/results/<name>-<label>.json and print a Markdown table."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--label", default="run")
    parser.add_argument("--database-url", default=default_database)
    parser.add_argument(
        "--port", type=int, default=default_port, help="Guildhouse; hello-world is +1"
    )
    parser.add_argument("--requests", type=int, default=100, help="sequential requests per page")
    parser.add_argument("--seconds", type=float, default=8.0, help="time limit under 8 clients")
    parser.add_argument(
        "--source",
        type=Path,
        default=ROOT,
        help="serve and count queries with the code in this folder (e.g. an older commit "
        "from `git archive`), with its own migrations applied",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(args.source))
    data_dir = Path("/tmp") / f"guildhouse-bench-{args.port}"  # noqa: S108 (static files only)
    env = server_env(args.database_url, data_dir) | {"PYTHONPATH": str(args.source)}
    # Keep each worker's database connection for the whole run, so that the CPU of its
    # PostgreSQL backend can be read (production keeps them 60 s; we reconnect less).
    env["DATABASE_CONN_MAX_AGE"] = "3600"
    database = args.database_url.rsplit("/", 1)[1]
    load_dataset(env)
    cookies, pages, queries = prepare(env, pages_for=pages_for, roles=roles)

    from guildhouse.core.management.commands.serve import gunicorn_argv

    hello_port = args.port + 1
    hello_argv = gunicorn_argv(bind=f"127.0.0.1:{hello_port}", workers=2)
    hello_argv[hello_argv.index("guildhouse.wsgi:application")] = "hello_wsgi:application"
    hello_argv += ["--chdir", str(ROOT / "bench")]
    # gunicorn's log (access lines, worker restarts) stays out of the repository.
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / f"{name}-{args.label}.log"
    RESULTS.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()
    with log_path.open("w") as log:
        app = subprocess.Popen(
            [
                str(BIN / "guildhouse"),
                "serve",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                "2",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=args.source,  # gunicorn puts its working folder first on sys.path
        )
        hello = subprocess.Popen(
            hello_argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            wait_until_up(args.port, "/healthz")
            wait_until_up(hello_port, "/")
            rows: dict[str, dict[str, Any]] = {}
            opts = {"requests": args.requests, "seconds": args.seconds}
            hello_cpu = (hello.pid, "-")
            hello_before = measure(hello_port, "/", {}, cpu=hello_cpu, **opts)
            for page, path, headers in pages:
                sent = {k: v for k, v in headers.items() if k != "as"}
                if page != "healthz":
                    sent["Cookie"] = cookies[headers.get("as", roles[0])]
                cpu = (app.pid, database)
                rows[page] = measure(args.port, path, sent, cpu=cpu, **opts) | {
                    "queries": queries[page],
                    "path": path,
                }
                print(f"{page}: {rows[page]}", flush=True)
            hello_after = measure(hello_port, "/", {}, cpu=hello_cpu, **opts)
        finally:
            app.terminate()
            hello.terminate()
            app.wait(30)
            hello.wait(30)
    load_end = os.getloadavg()
    restarts = log_path.read_text().count("Autorestarting worker")
    hello_rps = (hello_before["rps"] + hello_after["rps"]) / 2
    for row in rows.values():
        row["pct_of_hello"] = 100 * row["rps"] / hello_rps
    result = {
        "label": args.label,
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "python": platform.python_version(),
        "school": SCHOOL,
        "load_average_start": load_start,
        "load_average_end": load_end,
        "worker_restarts": restarts,
        "hello_world": {"before": hello_before, "after": hello_after},
        "pages": rows,
    }
    (RESULTS / f"{name}-{args.label}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"\n{args.label}: load {load_start[0]:.1f} -> {load_end[0]:.1f}, {restarts} worker restarts"
    )
    before, after = hello_before, hello_after
    print(f"hello-world: {before['rps']:.0f} / {after['rps']:.0f} req/s")
    print("| page | queries | p50 ms | p95 ms | req/s (8 clients) | % of hello-world ", end="")
    print("| p95 ms (8 clients) | CPU ms: gunicorn + PostgreSQL |")
    print("|---|---|---|---|---|---|---|---|")
    hello_row = {
        "queries": 0,
        "p50_ms": (before["p50_ms"] + after["p50_ms"]) / 2,
        "p95_ms": (before["p95_ms"] + after["p95_ms"]) / 2,
        "rps": hello_rps,
        "pct_of_hello": 100.0,
        "loaded_p95_ms": (before["loaded_p95_ms"] + after["loaded_p95_ms"]) / 2,
        "app_cpu_ms": (before["app_cpu_ms"] + after["app_cpu_ms"]) / 2,
        "db_cpu_ms": 0.0,
    }
    for page, row in {"hello-world (mean of both)": hello_row, **rows}.items():
        print(
            f"| {page} | {row['queries']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | "
            f"{row['rps']:.1f} | {row['pct_of_hello']:.1f} | {row['loaded_p95_ms']:.0f} | "
            f"{row['app_cpu_ms']:.1f} + {row['db_cpu_ms']:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(
        run(
            name="core_pages",
            description=__doc__.splitlines()[0],
            pages_for=core_pages,
            roles=("admin", "coordinator"),
            default_database=DEFAULT_DATABASE,
            default_port=8151,
        )
    )
