"""Matching a 2,000-mentee, 600-mentor cohort from the web page, end to end.

    .venv/bin/python bench/mentoring_matching.py                  # SQLite (a test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guildhouse_bench \\
        .venv/bin/python bench/mentoring_matching.py                # PostgreSQL

Builds the cohort in a throw-away test database (accepted applications with varied
intake answers, 95 % of mentors trained, capacity 3-4 seats), then times what a
coordinator's click costs: POST the run (the job is enqueued), the job runner runs it
(profiles read from the database, the engine, explanations, proposals saved), and GET
the review page (first page of the proposals with their explanations). The acceptance
is that the three together take under 10 s. Writes bench/results/mentoring_matching.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guildhouse.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'results' / 'unused.sqlite3'}")
os.environ.setdefault("GUILDHOUSE_TESTING", "1")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from guildhouse.core.models import Institution, Membership, Role, User  # noqa: E402
from guildhouse.jobs.worker import run_queued_jobs  # noqa: E402
from guildhouse.mentoring.intake import Interest, Language, Style  # noqa: E402
from guildhouse.mentoring.models import (  # noqa: E402
    Application,
    MatchingRun,
    MentoringProgramme,
    TrainingCompletion,
)
from guildhouse.mentoring.training import ModuleKey  # noqa: E402
from tests.conftest import sign_in  # noqa: E402
from tests.factories import institution_make, member_make  # noqa: E402

GOALS = [
    "I want to install solar panels and start my own business.",
    "Work as an electrician in a large construction company.",
    "Become a chef in a good restaurant and later run my own kitchen.",
    "Nurse in elderly care, maybe study further at a university of applied sciences.",
    "Car mechanic specialising in electric vehicles.",
    "Carpenter building wooden houses; learn to plan projects.",
    "Work in IT support and learn programming.",
    "Hairdresser with my own salon one day.",
]


def build(institution: Institution, *, mentees: int, mentors: int, seed: int) -> MentoringProgramme:
    rng = np.random.default_rng(seed)
    programme = MentoringProgramme.objects.create(
        institution=institution,
        name="Regional peer mentoring",
        goals="Every first-year learner has a mentor.",
        state="matching",
        cohort_start="2026-09-01",
        cohort_end="2027-05-31",
    )
    n = mentees + mentors
    users = User.objects.bulk_create(
        User(email=f"bench{k}@example.org", full_name=f"Person {k:05d}", password="!")  # noqa: S106 -- unusable
        for k in range(n)
    )
    members = Membership.objects.bulk_create(
        Membership(user=u, institution=institution, role=Role.LEARNER, sort_name=u.full_name)
        for u in users
    )
    interests, styles, languages = list(Interest.values), list(Style.values), list(Language.values)

    def answers(mentor: bool) -> dict[str, object]:
        slots = rng.choice(21, size=int(rng.integers(3, 9)), replace=False)
        return {
            "interests": list(rng.choice(interests, size=int(rng.integers(1, 4)), replace=False)),
            "career_goal": str(rng.choice(GOALS)),
            "style": str(rng.choice(styles)),
            "experience": str(int(rng.integers(2, 6)) if mentor else int(rng.integers(1, 3))),
            "availability": sorted(int(s) for s in slots),
            "languages": ["fi", *rng.choice(languages[1:], size=int(rng.integers(0, 2)))],
            "home_language": "fi",
        }

    Application.objects.bulk_create(
        Application(
            programme=programme,
            membership=m,
            side="mentor" if k >= mentees else "mentee",
            mentor_kind="peer" if k >= mentees else "",
            status="accepted",
            capacity=int(rng.integers(3, 5)) if k >= mentees else 1,
            answers=answers(k >= mentees),
        )
        for k, m in enumerate(members)
    )
    TrainingCompletion.objects.bulk_create(
        TrainingCompletion(membership=m, module=key)
        for m in members[mentees:]
        if rng.random() < 0.95
        for key in ModuleKey.values
    )
    return programme


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=2000)
    parser.add_argument("--mentors", type=int, default=600)
    parser.add_argument("--mode", default="optimal")
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        institution = institution_make(name="Region", short_name="Region")
        coordinator = member_make(institution=institution, role=Role.COORDINATOR)
        started = time.perf_counter()
        programme = build(institution, mentees=args.mentees, mentors=args.mentors, seed=args.seed)
        built = time.perf_counter() - started
        client = sign_in(Client(), coordinator.user)
        review = reverse("mentoring:matching_review", args=[programme.pk])

        t0 = time.perf_counter()
        response = client.post(
            reverse("mentoring:matching_start", args=[programme.pk]), {"mode": args.mode}
        )
        assert response.status_code == 302, response.status_code
        t1 = time.perf_counter()
        ran = run_queued_jobs()
        t2 = time.perf_counter()
        page = client.get(review)
        t3 = time.perf_counter()
        assert page.status_code == 200
        run = MatchingRun.objects.get(programme=programme)
        assert run.status == "done", run.error
        body = page.content.decode()
        assert "Proposed pairs" in body
        result = {
            "database": connection.vendor,
            "mentees": args.mentees,
            "mentors": args.mentors,
            "mode": args.mode,
            "jobs_run": ran,
            "matched": run.matched,
            "total_score": round(run.total_score or 0.0, 3),
            "engine_seconds": round(run.seconds or 0.0, 3),
            "build_cohort_s": round(built, 2),
            "post_run_s": round(t1 - t0, 3),
            "job_s": round(t2 - t1, 3),
            "review_page_s": round(t3 - t2, 3),
            "end_to_end_s": round(t3 - t0, 3),
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results" / f"mentoring_matching-{result['database']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
