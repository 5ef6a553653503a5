"""Speed of the partnership pages on the region dataset, PostgreSQL, ``guildhouse serve``.

    .venv/bin/python bench/partners_pages.py --label after          # about 5 minutes
    .venv/bin/python bench/partners_pages.py --label quick --requests 30 --seconds 2

The same method as bench/core_pages.py (whose helpers it uses):

1. Loads the region dataset into PostgreSQL with ``guildhouse demo --scale region
   --no-serve --force`` (core's 20 schools and 100,000 learners, then the partnerships:
   21,000 organisations, 1.04 million interactions, 52,000 placements; skipped when
   loaded) and runs ``VACUUM ANALYZE``.
2. Signs in a coordinator, a partner contact and a learner of the region school by
   creating their sessions directly, and counts each page's queries in this process.
3. Serves Guildhouse with ``guildhouse serve`` (gunicorn, 2 workers) and measures, per
   page, ``--requests`` sequential requests (p50/p95, the figure the issue's < 150 ms
   target is about) and then 8 client processes for at most ``--seconds`` seconds.

Writes bench/results/partners_pages-<label>.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from core_pages import (  # noqa: E402 (after the path is set)
    BIN,
    RESULTS,
    load_dataset,
    measure,
    server_env,
    wait_until_up,
)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/guildhouse_partners_scale"
SCHOOL = "region-juniper-cove"
TARGET_MS = 150.0

Page = tuple[str, str, str]  # name, path, role whose session is used


def prepare(
    env: dict[str, str],
) -> tuple[dict[str, str], list[Page], dict[str, int], dict[str, int]]:
    """Sessions (cookie per role), the pages, each page's queries, and the school's sizes."""
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from guildhouse.core.middleware import SESSION_KEY
    from guildhouse.core.models import Institution, Membership, Role
    from guildhouse.partners.models import (
        Contact,
        Interaction,
        Organisation,
        Placement,
    )

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    school = Institution.objects.get(slug=SCHOOL)
    members = Membership.objects.filter(institution=school, is_active=True).order_by("pk")
    placed = Placement.objects.filter(learner__institution=school).values("learner_id")
    linked = Contact.objects.filter(institution=school, membership__isnull=False)
    chosen: dict[str, Membership | None] = {
        Role.COORDINATOR: members.filter(role=Role.COORDINATOR).first(),
        Role.PARTNER: members.filter(pk__in=linked.values("membership_id")).first(),
        Role.LEARNER: members.filter(pk__in=placed).first(),
    }
    cookies: dict[str, str] = {}
    clients: dict[str, Client] = {}
    for role, membership in chosen.items():
        assert membership is not None, role
        client = Client()
        client.force_login(membership.user)
        session = client.session
        session[SESSION_KEY] = school.pk
        session.save()
        cookies[role] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        clients[role] = client
    orgs = Organisation.objects.filter(institution=school)
    busiest = orgs.annotate(n=Count("interactions")).order_by("-n", "pk").first()
    assert busiest is not None
    r = reverse
    coordinator = str(Role.COORDINATOR)
    pages: list[Page] = [
        ("coordinator home", "/", coordinator),
        ("organisations", r("partners:organisation_list"), coordinator),
        ("organisations search", r("partners:organisation_list") + "?q=motors", coordinator),
        ("organisations by stage", r("partners:organisation_list") + "?sector=07", coordinator),
        (
            "partner page (busiest)",
            r("partners:organisation_detail", args=[busiest.pk]),
            coordinator,
        ),
        ("pipeline board", r("partners:pipeline_board"), coordinator),
        ("stale list", r("partners:stale_list"), coordinator),
        ("check-ins overdue", r("partners:check_in_list"), coordinator),
        ("health (weakest)", r("partners:health_list"), coordinator),
        ("health (strongest)", r("partners:health_list") + "?sort=-health", coordinator),
        ("my follow-ups", r("partners:follow_up_list"), coordinator),
        ("all follow-ups", r("partners:follow_up_list") + "?who=everyone", coordinator),
        ("promises", r("partners:commitment_list"), coordinator),
        ("opportunities", r("partners:opportunity_list"), coordinator),
        ("placements", r("partners:placement_list"), coordinator),
        ("agreements", r("partners:agreement_list"), coordinator),
        ("opportunities (partner)", r("partners:opportunity_list"), str(Role.PARTNER)),
        ("placements (partner)", r("partners:placement_list"), str(Role.PARTNER)),
        ("agreements (partner)", r("partners:agreement_list"), str(Role.PARTNER)),
        ("placements (learner)", r("partners:placement_list"), str(Role.LEARNER)),
        # The merged work of the goals, public/feedback and campaigns branches.
        ("goals", r("partners:goal_list"), coordinator),
        ("programme coverage", r("partners:coverage"), coordinator),
        ("CPD summary", r("partners:cpd_summary"), coordinator),
        ("my CPD (with its form)", r("partners:cpd_mine"), coordinator),
        ("new event form", r("partners:event_create"), coordinator),
        ("new campaign form", r("partners:campaign_create"), coordinator),
        ("events", r("partners:event_list"), coordinator),
        ("success stories", r("partners:story_list"), coordinator),
        ("enquiries", r("partners:enquiry_list"), coordinator),
        ("feedback", r("partners:feedback_overview"), coordinator),
        ("placement requests", r("partners:request_list"), coordinator),
        ("campaigns", r("partners:campaign_list"), coordinator),
    ]
    queries: dict[str, int] = {}
    for name, path, viewer in pages:
        with CaptureQueriesContext(connection) as captured:
            response = clients[viewer].get(path)
        assert response.status_code == 200, (name, response.status_code)
        queries[name] = len(captured)
    sizes = {
        "organisations": orgs.count(),
        "interactions": Interaction.objects.filter(organisation__institution=school).count(),
        "busiest_partner_interactions": busiest.interactions.count(),
        "placements": Placement.objects.filter(learner__institution=school).count(),
        "region_organisations": Organisation.objects.count(),
        "region_interactions": Interaction.objects.count(),
        "region_placements": Placement.objects.count(),
    }
    connections.close_all()
    return cookies, pages, queries, sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="run")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--port", type=int, default=8161)
    parser.add_argument("--requests", type=int, default=100, help="sequential requests per page")
    parser.add_argument("--seconds", type=float, default=3.0, help="time limit under 8 clients")
    parser.add_argument(
        "--only", default="", help="comma-separated: measure only pages whose name contains one"
    )
    args = parser.parse_args()
    data_dir = Path("/tmp") / f"guildhouse-bench-{args.port}"  # noqa: S108 (static files only)
    env = server_env(args.database_url, data_dir) | {"DATABASE_CONN_MAX_AGE": "3600"}
    database = args.database_url.rsplit("/", 1)[1]
    load_dataset(env)
    cookies, pages, queries, sizes = prepare(env)
    wanted = [w for w in args.only.split(",") if w] or [""]
    pages = [p for p in pages if any(w in p[0] for w in wanted)]
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / f"partners_pages-{args.label}.log"
    RESULTS.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()
    rows: dict[str, dict[str, Any]] = {}
    with log_path.open("w") as log:
        command = [str(BIN / "guildhouse"), "serve", "--bind", f"127.0.0.1:{args.port}"]
        app = subprocess.Popen(
            [*command, "--workers", "2"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
        )
        try:
            wait_until_up(args.port, "/healthz")
            for name, path, role in pages:
                headers = {"Cookie": cookies[role]}
                row = measure(
                    args.port,
                    path,
                    headers,
                    requests=args.requests,
                    seconds=args.seconds,
                    cpu=(app.pid, database),
                )
                rows[name] = row | {"queries": queries[name], "path": path, "as": role}
                print(f"{name}: p95 {row['p95_ms']:.1f} ms, {queries[name]} queries", flush=True)
        finally:
            app.terminate()
            app.wait(30)
    load_end = os.getloadavg()
    result = {
        "label": args.label,
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "school": SCHOOL,
        "sizes": sizes,
        "load_average_start": load_start,
        "load_average_end": load_end,
        "pages": rows,
    }
    (RESULTS / f"partners_pages-{args.label}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"\n{args.label}: load {load_start[0]:.1f} -> {load_end[0]:.1f}; sizes {sizes}")
    print("| page | as | queries | p50 ms | p95 ms | < 150 ms | req/s (8 clients) ", end="")
    print("| CPU ms: gunicorn + PostgreSQL |")
    print("|---|---|---|---|---|---|---|---|")
    for name, row in rows.items():
        met = "yes" if row["p95_ms"] < TARGET_MS else "**no**"
        print(
            f"| {name} | {row['as']} | {row['queries']} | {row['p50_ms']:.1f} | "
            f"{row['p95_ms']:.1f} | {met} | {row['rps']:.1f} | "
            f"{row['app_cpu_ms']:.1f} + {row['db_cpu_ms']:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
