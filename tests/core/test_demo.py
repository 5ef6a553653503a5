"""The demo generator and ``guildhouse demo``: exact contents, idempotence, every login."""

from __future__ import annotations

import datetime
import io
import random
import socket
from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from pytest_django.fixtures import Settings as SettingsWrapper

from guildhouse.core import demo
from guildhouse.core.audit import audit_rows
from guildhouse.core.management.commands.demo import demo_refusal, port_in_use
from guildhouse.core.models import (
    AuditEvent,
    Institution,
    Invitation,
    LearnerProfile,
    Membership,
    Programme,
    Role,
    SpecialCategoryData,
    StaffProfile,
    User,
)
from tests.factories import institution_make

DEMO_ROLES = {
    Role.ADMIN: 3,
    Role.COORDINATOR: 4,
    Role.STAFF: 10,
    Role.SUPPORT: 3,
    Role.LEARNER: 200,
    Role.PARTNER: 5,
    Role.STAKEHOLDER: 3,
}
# Where each printed account lands after signing in: (role, institution, name). The
# two-school account lands in the alphabetically first school, as the middleware does.
LANDINGS = {
    "admin@riverside.demo": (Role.ADMIN, "Riverside Vocational College", "Helena Lindqvist"),
    "coordinator@riverside.demo": (
        Role.COORDINATOR,
        "Riverside Vocational College",
        "Omar Haddad",
    ),
    "staff@riverside.demo": (Role.STAFF, "Riverside Vocational College", "Mikko Laine"),
    "support@riverside.demo": (Role.SUPPORT, "Riverside Vocational College", "Grace Mensah"),
    "learner@riverside.demo": (Role.LEARNER, "Riverside Vocational College", "Aino Korhonen"),
    "partner@riverside.demo": (Role.PARTNER, "Riverside Vocational College", "Jonas Berg"),
    "stakeholder@riverside.demo": (
        Role.STAKEHOLDER,
        "Riverside Vocational College",
        "Priya Natarajan",
    ),
    "admin@hilltop.demo": (Role.ADMIN, "Hilltop Skills Centre", "Ewan Campbell"),
    # Starts where the role is widest: coordinator at Riverside, not staff at Hilltop.
    "coordinator@consortium.demo": (
        Role.COORDINATOR,
        "Riverside Vocational College",
        "Sofia Moreno",
    ),
}
TODAY = datetime.date(2026, 3, 1)


def run_demo(*args: str) -> str:
    # --force keeps these tests meaningful when the suite runs on PostgreSQL too.
    out = io.StringIO()
    call_command("demo", "--no-serve", "--force", *args, stdout=out)
    return out.getvalue()


def role_counts() -> dict[str, int]:
    return {role: Membership.objects.filter(role=role).count() for role in Role.values}


# --- The plan (no database) ---------------------------------------------------------


def test_plan_is_the_same_for_the_same_seed_and_day() -> None:
    assert demo.demo_plan(today=TODAY) == demo.demo_plan(today=TODAY)
    assert demo.demo_plan(today=TODAY) != demo.demo_plan(today=TODAY, seed=7)


def test_plan_learners_are_15_to_19_in_years_1_to_3_with_their_intake_cohort() -> None:
    learners = [
        person
        for institution in demo.demo_plan(today=TODAY).institutions
        for person in institution.people
        if person.role == Role.LEARNER
    ]
    assert len(learners) == 200
    assert {p.year_of_study for p in learners} == {1, 2, 3}
    # School years start in August: on 1 March 2026 the first-years started in 2025.
    assert {(p.year_of_study, p.cohort) for p in learners} == {
        (1, "2025"),
        (2, "2024"),
        (3, "2023"),
    }
    ages = {LearnerProfile(date_of_birth=p.date_of_birth).age_on(TODAY) for p in learners}
    assert ages == {15, 16, 17, 18, 19}
    assert len({p.student_number for p in learners}) == 200
    assert len({p.email for p in learners}) == 200


def test_birth_dates_give_exact_ages_even_on_29_february() -> None:
    leap_day = datetime.date(2028, 2, 29)
    rng = random.Random(1)
    ages = {
        LearnerProfile(date_of_birth=demo.birth_date(rng, today=leap_day, year_of_study=3)).age_on(
            leap_day
        )
        for _ in range(500)
    }
    assert ages == {17, 18, 19}


def test_email_part_is_plain_ascii() -> None:
    assert demo.email_part("Nguyễn Đức") == "nguyen.duc"
    assert demo.email_part("Y\u0131lmaz Şahin-Çelik") == "yilmaz.sahincelik"
    assert demo.email_part("Sjöberg") == "sjoberg"


# --- Loading through the command ----------------------------------------------------


@pytest.mark.django_db
def test_demo_loads_exactly_the_consortium(monkeypatch: pytest.MonkeyPatch) -> None:
    # Core's own demo only: other apps' demos add their rows (and audit events).
    core_only = [d for d in demo.app_demos() if d.label == "core"]
    monkeypatch.setattr(demo.runner, "app_demos", lambda: core_only)
    output = run_demo()

    assert "Loaded the demo: 2 institutions, 200 learners." in output
    assert sorted(Institution.objects.values_list("name", "city", "consortium")) == [
        ("Hilltop Skills Centre", "Kestrel Bay", "North Coast VET Consortium"),
        ("Riverside Vocational College", "Port Aldwin", "North Coast VET Consortium"),
    ]
    assert Programme.objects.filter(institution__slug="riverside").count() == 6
    assert Programme.objects.filter(institution__slug="hilltop").count() == 5
    assert role_counts() == DEMO_ROLES
    assert User.objects.count() == 227
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 227
    assert StaffProfile.objects.exclude(job_title="").count() == 18  # 2 just joined by invitation
    assert SpecialCategoryData.objects.filter(membership__role=Role.LEARNER).count() == 6
    assert Invitation.objects.filter(accepted_at__isnull=False).count() == 2
    assert sorted(i.email for i in Invitation.objects.all() if i.is_open) == [
        "leon.weber@hilltop.demo",
        "tomas.eklund@riverside.demo",
    ]
    assert AuditEvent.objects.filter(action=demo.DEMO_LOADED).count() == 1
    assert AuditEvent.objects.count() == 483


@pytest.mark.django_db
def test_demo_audit_log_reads_like_real_use() -> None:
    run_demo()
    riverside = Institution.objects.get(slug="riverside")
    events = AuditEvent.objects.filter(institution=riverside)
    # 8 printed accounts, 6 more staff, 3 partners and stakeholders, 119 learners, 1 invitee.
    assert events.filter(action="create", object_type="core.membership").count() == 137
    assert events.filter(action="create", object_type="core.programme").count() == 6
    assert events.filter(action="invite").count() == 2
    assert events.filter(action="accept", actor__email="maria.kallio@riverside.demo").count() == 1
    assert events.filter(action="special_category_save").count() == 6
    assert list(
        # Core's own later changes; other apps' demos update their own rows too.
        events.filter(action="update", object_type__startswith="core.").values_list(
            "actor_label", "object_type", "changes"
        )
    ) == [
        (
            "admin@riverside.demo",
            "core.programme",
            {
                "description": (
                    "Service desk, networks, cloud and device management for small businesses."
                )
            },
        )
    ]


@pytest.mark.django_db
def test_every_demo_audit_row_renders_in_english_and_finnish() -> None:
    """Every app's audit rows as the audit page shows them: a change key naming a
    reverse relation (a voice batch's "items") once crashed the page."""
    run_demo()
    events = list(AuditEvent.objects.select_related("actor"))
    for language in ("en", "fi"):
        with translation.override(language):
            rows = audit_rows(events)
        assert len(rows) == len(events)


@pytest.mark.django_db
def test_demo_runs_twice_without_duplicating() -> None:
    run_demo()
    before = (role_counts(), Programme.objects.count(), AuditEvent.objects.count())

    output = run_demo()

    assert (
        "The demo is already loaded (2 institutions, 200 learners); use --reset to start afresh."
        in output
    )
    assert (role_counts(), Programme.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_demo_prints_every_login_and_the_address() -> None:
    output = run_demo("--port", "8123")

    rows = [
        line.split() for line in output.splitlines() if "@" in line and "guildhouse-demo" in line
    ]
    assert [row[row.index("guildhouse-demo") - 1] for row in rows] == list(LANDINGS)
    assert "Institution admin    admin@hilltop.demo           guildhouse-demo" in output
    assert "Open http://127.0.0.1:8123/ and sign in with any account above." in output


@pytest.mark.django_db
def test_demo_says_which_relaxation_is_on(settings: SettingsWrapper) -> None:
    settings.DEMO_ALLOW_STAFF_WITHOUT_MFA = True
    assert (
        "Demo mode is on (GUILDHOUSE_DEMO_ALLOW_STAFF_WITHOUT_MFA): staff accounts may sign "
        "in without two-step verification. Never use it with real data." in run_demo()
    )


@pytest.mark.django_db
def test_every_demo_account_has_a_verified_email_and_its_roles() -> None:
    run_demo()
    found = {}
    for login in demo.DEMO_LOGINS:
        user = User.objects.get(email=login.email)
        assert EmailAddress.objects.filter(
            user=user, email=login.email, verified=True, primary=True
        ).exists()
        found[login.email] = sorted(user.memberships.values_list("institution__short_name", "role"))
    assert found == {
        "admin@riverside.demo": [("Riverside", "admin")],
        "coordinator@riverside.demo": [("Riverside", "coordinator")],
        "staff@riverside.demo": [("Riverside", "staff")],
        "support@riverside.demo": [("Riverside", "support")],
        "learner@riverside.demo": [("Riverside", "learner")],
        "partner@riverside.demo": [("Riverside", "partner")],
        "stakeholder@riverside.demo": [("Riverside", "stakeholder")],
        "admin@hilltop.demo": [("Hilltop", "admin")],
        "coordinator@consortium.demo": [("Hilltop", "staff"), ("Riverside", "coordinator")],
    }


@pytest.mark.django_db
def test_every_demo_account_signs_in_to_its_home_page(settings: SettingsWrapper) -> None:
    settings.DEMO_ALLOW_STAFF_WITHOUT_MFA = True
    run_demo()
    problems = []
    for email, (role, institution, name) in LANDINGS.items():
        client = Client()
        response = client.post(
            reverse("account_login"), {"login": email, "password": demo.DEMO_PASSWORD}
        )
        if response.status_code != 302 or response["Location"] != "/":
            problems.append(f"{email}: login gave {response.status_code}")
            continue
        home = client.get("/")
        page = home.content.decode()
        expected = [
            f"<h1>Welcome, {escape(name)}</h1>",
            f'<p class="muted">{Role(role).label} · {institution}</p>',
        ]
        templates = [t.name for t in home.templates]
        if f"core/home/{role}.html" not in templates or not all(e in page for e in expected):
            problems.append(f"{email}: home page is not the {role} page of {institution}")
    assert problems == []


@pytest.mark.django_db
def test_learner_home_shows_their_studies() -> None:
    run_demo()
    client = Client()
    client.post(
        reverse("account_login"), {"login": "learner@riverside.demo", "password": "guildhouse-demo"}
    )
    page = client.get("/").content.decode()
    profile = LearnerProfile.objects.get(membership__user__email="learner@riverside.demo")
    assert "<dt>Programme</dt><dd>Electrical installation</dd>" in page
    assert "<dt>Year</dt><dd>2</dd>" in page
    assert f"<dt>Group</dt><dd>{profile.cohort}</dd>" in page
    assert profile.cohort == str(demo.academic_year_start(timezone.localdate()) - 1)


# --- Refusals ------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_refuses_in_production(settings: SettingsWrapper) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError) as error:
        run_demo()
    assert str(error.value) == "The demo never runs in production (GUILDHOUSE_ENV=production)."
    assert Institution.objects.count() == 0


@pytest.mark.django_db
def test_demo_refuses_another_database_without_force(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connections["default"], "vendor", "postgresql")
    with pytest.raises(CommandError) as error:
        call_command("demo", "--no-serve", stdout=io.StringIO())
    assert str(error.value) == (
        "The demo loads into SQLite only; DATABASE_URL points to postgresql. "
        "Add --force if this really is a throw-away database."
    )
    assert Institution.objects.count() == 0


@pytest.mark.django_db
def test_demo_refuses_a_database_with_other_institutions() -> None:
    institution_make(name="Real College", short_name="Real")
    with pytest.raises(CommandError) as error:
        run_demo()
    assert str(error.value) == (
        "This database already holds institutions but no finished demo; refusing to add demo "
        "data to it. Use `guildhouse demo --reset` for a fresh demo database."
    )
    assert list(Institution.objects.values_list("name", flat=True)) == ["Real College"]
    assert User.objects.count() == 0


def test_demo_refusal_rules() -> None:
    def refusal(**kw: object) -> str:
        args: dict[str, object] = {
            "production": False,
            "vendor": "sqlite",
            "database": "/srv/var/guildhouse.sqlite3",
            "force": False,
            "reset": False,
        }
        return demo_refusal(**(args | kw))  # type: ignore[arg-type]

    assert refusal() == ""
    assert refusal(vendor="postgresql", force=True) == ""
    assert refusal(production=True, force=True).startswith("The demo never runs in production")
    assert refusal(vendor="postgresql", force=True, reset=True) == (
        "--reset deletes a SQLite file; it never drops another database."
    )
    assert refusal(database=":memory:", reset=True) == (
        "--reset needs a SQLite file; this database is in memory."
    )


# --- The regional dataset --------------------------------------------------------------


@pytest.mark.django_db
def test_region_generator_makes_exactly_what_was_asked() -> None:
    summary = demo.load_region(institutions=2, learners=500, today=TODAY)

    assert summary.institutions == 2
    assert summary.learners == 500
    assert Institution.objects.filter(slug__startswith="region-").count() == 2
    assert Membership.objects.filter(role=Role.LEARNER).count() == 500
    assert LearnerProfile.objects.count() == 500
    # Staff are one per 15 learners (2 of them admins): sizes 205 and 295 give 13 and 19.
    assert demo.region_sizes(institutions=2, learners=500) == [205, 295]
    assert summary.staff == 13 + 19 == StaffProfile.objects.count()
    assert role_counts() == {
        Role.ADMIN: 4,
        Role.COORDINATOR: 2,
        Role.STAFF: 24,
        Role.SUPPORT: 2,
        Role.LEARNER: 500,
        Role.PARTNER: 16,
        Role.STAKEHOLDER: 4,
    }
    assert summary.programmes == Programme.objects.count() == 16
    assert summary.users == User.objects.count() == 552
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 552
    assert summary.audit_events == AuditEvent.objects.count() == 1122
    # Learners only study programmes of their own school.
    assert (
        LearnerProfile.objects.exclude(programme__institution=F("membership__institution")).count()
        == 0
    )


@pytest.mark.django_db
def test_region_accounts_sign_in_with_the_demo_password(settings: SettingsWrapper) -> None:
    settings.DEMO_ALLOW_STAFF_WITHOUT_MFA = True
    demo.load_region(institutions=1, learners=30, today=TODAY)
    client = Client()
    client.post(
        reverse("account_login"),
        {"login": demo.region_admin_email(0), "password": demo.DEMO_PASSWORD},
    )
    page = client.get("/").content.decode()
    assert demo.region_admin_email(0) == "admin@aldwin-harbour.demo"
    assert '<p class="muted">Institution admin · Aldwin Harbour Vocational College</p>' in page


@pytest.mark.django_db
def test_ensure_region_loads_once() -> None:
    core_only = frozenset({"core"})  # the apps' own region tests cover theirs
    first = demo.ensure_region(institutions=1, learners=40, apps=core_only)
    assert first is not None
    assert demo.ensure_region(institutions=1, learners=40, apps=core_only) is None
    assert Membership.objects.filter(role=Role.LEARNER).count() == 40


@pytest.mark.parametrize(
    ("institutions", "learners"), [(1, 7), (3, 10), (20, 100_000), (7, 123_457)]
)
def test_region_sizes_sum_exactly(institutions: int, learners: int) -> None:
    sizes = demo.region_sizes(institutions=institutions, learners=learners)
    assert len(sizes) == institutions
    assert sum(sizes) == learners


# --- Every app's demo module --------------------------------------------------------


def test_app_demos_are_found_in_installed_apps_order_with_core_first() -> None:
    demos = demo.app_demos()
    assert demos[0] == demo.AppDemo("core", demo.load_demo, demo.load_region)
    labels = [d.label for d in demos]
    assert labels == [config.label for config in apps.get_app_configs() if config.label in labels]


# Mail is off while hooks run (the tests' own backend is locmem).
NO_MAIL = "django.core.mail.backends.dummy.EmailBackend"


class Recorder:
    """Fake demo hooks that record their calls, and the mail backend each ran with."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, object], str]] = []
        self.failing: set[str] = set()

    def hook(self, name: str) -> Callable[..., None]:
        def run(**kwargs: object) -> None:
            from django.conf import settings

            self.calls.append((name, kwargs, settings.EMAIL_BACKEND))
            if name in self.failing:
                raise RuntimeError(f"{name} failed")

        return run


def markers(action: str) -> list[str]:
    return sorted(
        AuditEvent.objects.filter(action=action, institution=None).values_list(
            "object_id", flat=True
        )
    )


@pytest.mark.django_db
def test_each_app_demo_runs_once_in_order_and_an_app_added_later_on_the_next_run() -> None:
    rec = Recorder()
    first = [
        demo.AppDemo("alpha", rec.hook("alpha demo"), rec.hook("alpha region")),
        demo.AppDemo("beta", rec.hook("beta demo")),
    ]

    loaded = demo.run_demos(today=TODAY, demos=first)

    assert rec.calls == [
        ("alpha demo", {"today": TODAY}, NO_MAIL),
        ("beta demo", {"today": TODAY}, NO_MAIL),
    ]
    assert [r.name for r in loaded] == ["alpha", "beta"]
    assert markers(demo.DEMO_LOADED) == ["alpha", "beta"]

    rec.calls.clear()
    assert demo.run_demos(today=TODAY, demos=first) == []
    assert rec.calls == []

    messages: list[str] = []
    later = [*first, demo.AppDemo("gamma", rec.hook("gamma demo"), rec.hook("gamma region"))]
    loaded = demo.run_demos(today=TODAY, region=True, progress=messages.append, demos=later)

    assert [call[0] for call in rec.calls] == ["gamma demo", "alpha region", "gamma region"]
    assert rec.calls[1][1] == {"progress": messages.append}
    assert [r.name for r in loaded] == ["gamma", "alpha (region)", "gamma (region)"]
    assert markers(demo.DEMO_LOADED) == ["alpha", "beta", "gamma"]
    assert markers(demo.REGION_LOADED) == ["alpha", "gamma"]


@pytest.mark.django_db
def test_a_failed_app_demo_leaves_no_marker_and_runs_again_next_time() -> None:
    rec = Recorder()
    rec.failing.add("beta demo")
    demos = [
        demo.AppDemo("alpha", rec.hook("alpha demo")),
        demo.AppDemo("beta", rec.hook("beta demo")),
        demo.AppDemo("gamma", rec.hook("gamma demo")),
    ]
    with pytest.raises(RuntimeError, match="beta demo failed"):
        demo.run_demos(today=TODAY, demos=demos)
    assert markers(demo.DEMO_LOADED) == ["alpha"]

    rec.failing.clear()
    rec.calls.clear()
    assert [r.name for r in demo.run_demos(today=TODAY, demos=demos)] == ["beta", "gamma"]
    assert [call[0] for call in rec.calls] == ["beta demo", "gamma demo"]


@pytest.mark.django_db
def test_a_demo_loaded_before_per_app_markers_counts_as_cores() -> None:
    institution = institution_make()
    AuditEvent.objects.create(
        action=demo.DEMO_LOADED, object_type="core.institution", object_id=str(institution.pk)
    )
    assert demo.loaded_apps(demo.DEMO_LOADED) == {"core"}
    assert demo.demo_is_loaded()


@pytest.mark.django_db
def test_demo_command_loads_an_app_added_after_the_first_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run_demo()
    before = (role_counts(), Programme.objects.count())
    rec = Recorder()
    installed = demo.app_demos()
    monkeypatch.setattr(
        demo.runner, "app_demos", lambda: [*installed, demo.AppDemo("later", rec.hook("later"))]
    )

    output = run_demo()

    assert rec.calls == [("later", {"today": timezone.localdate()}, NO_MAIL)]
    assert "Demo data loaded now: later.\n" in output
    assert (role_counts(), Programme.objects.count()) == before
    assert markers(demo.DEMO_LOADED) == sorted([*(d.label for d in installed), "later"])
    assert "The demo is already loaded (2 institutions, 200 learners)" in run_demo()


# --- The port ----------------------------------------------------------------------


def listening_socket() -> socket.socket:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen()
    return server


def test_port_in_use_says_what_to_do() -> None:
    with listening_socket() as server:
        port = server.getsockname()[1]
        message = port_in_use(port)
        assert message.startswith(
            f"Port {port} on 127.0.0.1 is already in use (another server, or an earlier demo "
            "still running). Stop the other server, or start the demo on another port: "
            "python3 dev.py demo --port "
        )
        suggested = int(message.rsplit(" ", 1)[1])
        assert port < suggested < port + 50
        assert port_in_use(suggested) == ""
    assert port_in_use(port) == ""


@pytest.mark.django_db
def test_demo_checks_the_port_before_loading_or_printing() -> None:
    with listening_socket() as server:
        port = server.getsockname()[1]
        out = io.StringIO()
        with pytest.raises(CommandError) as error:
            call_command("demo", "--force", "--port", str(port), stdout=out)
    assert str(error.value).startswith(f"Port {port} on 127.0.0.1 is already in use")
    assert "python3 dev.py demo --port " in str(error.value)
    assert out.getvalue() == ""
    assert Institution.objects.count() == 0
