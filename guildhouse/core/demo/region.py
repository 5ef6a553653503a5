"""The regional benchmark dataset: 20 more schools with 100,000 learners, written in bulk.

Each school is one transaction of bulk inserts, with the audit events the services
would have written, also in bulk: loading through the services would take hours.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import astuple, dataclass, field, replace

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from guildhouse.core.demo.logins import CONSORTIUM, DEMO_PASSWORD
from guildhouse.core.demo.names import email_part, person_name
from guildhouse.core.demo.people import (
    RIVERSIDE_PROGRAMMES,
    DemoError,
    PersonPlan,
    ProgrammeSpec,
    department,
    learner_plan,
)
from guildhouse.core.models import (
    AuditEvent,
    FieldOfEducation,
    Institution,
    LearnerProfile,
    Level,
    Membership,
    Programme,
    Role,
    StaffProfile,
    User,
)

REGION_SEED = 2026

REGION_TOWNS = (
    "Aldwin Harbour",
    "Brackenmouth",
    "Cairnhead",
    "Dunmere",
    "Eastwick Sands",
    "Fennwick",
    "Gullhaven",
    "Holloway Point",
    "Inverlea",
    "Juniper Cove",
    "Larkspur",
    "Marrowby",
    "Northcliff",
    "Oyster Bay",
    "Pellmouth",
    "Quarry Hill",
    "Ravensholm",
    "Saltmarsh",
    "Tidewater",
    "Umber Vale",
    "Westerby",
    "Yarrow Ness",
)
_REGION_KINDS = ("Vocational College", "Skills Centre", "College of Technology", "Trades Institute")
REGION_CATALOGUE = (
    *RIVERSIDE_PROGRAMMES,
    ProgrammeSpec("Carpentry and joinery", "CARP", FieldOfEducation.ENGINEERING, Level.EQF4),
    ProgrammeSpec(
        "Early childhood education and care", "ECEC", FieldOfEducation.HEALTH, Level.EQF4
    ),
    ProgrammeSpec("Plumbing and heating", "PLU", FieldOfEducation.ENGINEERING, Level.EQF4),
    ProgrammeSpec("Welding and metalwork", "WEL", FieldOfEducation.ENGINEERING, Level.EQF3),
    ProgrammeSpec("Logistics and warehousing", "LOG", FieldOfEducation.SERVICES, Level.EQF3),
    ProgrammeSpec("Hairdressing and beauty", "HAIR", FieldOfEducation.SERVICES, Level.EQF4),
    ProgrammeSpec("Agriculture and horticulture", "AGR", FieldOfEducation.AGRICULTURE, Level.EQF4),
    ProgrammeSpec("Media and visual design", "MED", FieldOfEducation.ARTS, Level.EQF4),
    ProgrammeSpec("Software development", "SWD", FieldOfEducation.ICT, Level.EQF5),
)
PROGRAMMES_PER_REGION_INSTITUTION = 8
LEARNERS_PER_STAFF = 15
BATCH_SIZE = 2000


@dataclass(frozen=True)
class RegionSummary:
    """What ``load_region`` created (exact counts) and how long it took."""

    institutions: int
    programmes: int
    learners: int
    staff: int
    users: int
    audit_events: int
    seconds: float

    def plus(self, other: RegionSummary) -> RegionSummary:
        """Both summaries' counts and seconds added up."""
        return RegionSummary(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def region_sizes(*, institutions: int, learners: int, seed: int = REGION_SEED) -> list[int]:
    """Learners per institution: uneven, as real schools are, summing to exactly ``learners``."""
    rng = random.Random(seed)
    weights = [rng.uniform(0.6, 1.4) for _ in range(institutions)]
    shares = [learners * w / sum(weights) for w in weights]
    sizes = [int(share) for share in shares]
    # Largest remainders get the learners that rounding down left over.
    leftovers = sorted(range(institutions), key=lambda i: sizes[i] - shares[i])
    for i in leftovers[: learners - sum(sizes)]:
        sizes[i] += 1
    return sizes


def region_staff_roles(learners: int) -> list[tuple[str, str]]:
    """(role, job title) of an institution's staff: one per ``LEARNERS_PER_STAFF`` learners."""
    total = max(6, learners // LEARNERS_PER_STAFF)
    coordinators, support = max(1, total // 20), max(1, total // 10)
    teachers = total - 2 - coordinators - support
    return [
        (Role.ADMIN, "Principal"),
        (Role.ADMIN, "Deputy principal"),
        *[(Role.COORDINATOR, "Work-based learning coordinator")] * coordinators,
        *[(Role.SUPPORT, "Study counsellor")] * support,
        *[(Role.STAFF, "Vocational teacher")] * teachers,
    ]


def region_institution_name(index: int) -> tuple[str, str, str]:
    """(name, short name, city) of the ``index``-th regional institution, from 0."""
    town = REGION_TOWNS[index % len(REGION_TOWNS)]
    lap = index // len(REGION_TOWNS)
    city = town if lap == 0 else f"{town} {lap + 1}"
    return f"{city} {_REGION_KINDS[index % len(_REGION_KINDS)]}", city, city


def region_admin_email(index: int) -> str:
    """The sign-in of the ``index``-th regional institution's principal."""
    return f"admin@{slugify(region_institution_name(index)[1])}.demo"


def load_region(
    *,
    progress: Callable[[str], None] | None = None,
    institutions: int = 20,
    learners: int = 100_000,
    seed: int = REGION_SEED,
    today: datetime.date | None = None,
) -> RegionSummary:
    """Create ``institutions`` schools with exactly ``learners`` learners between them.

    Each school is one transaction of bulk inserts (programmes, staff, partners,
    learners, verified emails, profiles, audit events), so an interrupted load
    leaves whole schools only; a load that stopped half-way is refused the next time
    (``DemoError``), as it cannot be finished.
    """
    if Institution.objects.filter(slug__startswith="region-").exists():
        raise DemoError(
            "An earlier regional load did not finish. Use `guildhouse demo --reset --scale region`."
        )
    if institutions < 1 or learners < 0:
        raise ValueError("A region needs at least one institution and no negative learners.")
    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = random.Random(seed)
    password_hash = make_password(DEMO_PASSWORD)  # once: hashing 100,000 times takes hours
    totals = RegionSummary(0, 0, 0, 0, 0, 0, 0.0)
    sizes = region_sizes(institutions=institutions, learners=learners, seed=seed)
    for index, size in enumerate(sizes):
        created = _region_institution(
            index, learners=size, rng=rng, today=today, password_hash=password_hash
        )
        totals = totals.plus(created)
        if progress is not None:
            progress(
                f"{index + 1}/{institutions}: {region_institution_name(index)[0]}, {size} learners"
            )
    # Seconds cover the whole load, hashing included.
    return replace(totals, seconds=round(time.perf_counter() - started, 2))


@dataclass
class _Bulk:
    """Rows of one regional institution, built in memory before they are inserted."""

    institution: Institution
    people: list[PersonPlan] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)

    def audit(
        self, actor: User | None, obj: models.Model, changes: dict[str, str] | None = None
    ) -> None:
        """Queue the "create" event the service would have written for ``obj``."""
        self.events.append(
            AuditEvent(
                institution=self.institution,
                actor=actor,
                actor_label=actor.email if actor else "system",
                action="create",
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_label=str(obj)[:254],
                changes=changes or {},
            )
        )


def _region_institution(
    index: int, *, learners: int, rng: random.Random, today: datetime.date, password_hash: str
) -> RegionSummary:
    name, short_name, city = region_institution_name(index)
    with transaction.atomic(durable=True):
        institution = Institution.objects.create(
            name=name,
            short_name=short_name,
            slug=f"region-{slugify(short_name)}",
            city=city,
            consortium=CONSORTIUM,
        )
        bulk = _Bulk(institution)
        bulk.audit(None, institution)
        bulk.people = _region_people(index, learners=learners, rng=rng, today=today)
        users = _bulk_users(bulk, password_hash=password_hash)
        admin = users[0]
        programmes = _bulk_programmes(bulk, actor=admin, rng=rng)
        staff = _bulk_memberships(bulk, users=users, programmes=programmes, actor=admin)
        AuditEvent.objects.bulk_create(bulk.events, batch_size=BATCH_SIZE)
    return RegionSummary(1, len(programmes), learners, staff, len(users), len(bulk.events), 0.0)


def _region_people(
    index: int, *, learners: int, rng: random.Random, today: datetime.date
) -> list[PersonPlan]:
    domain = f"{slugify(region_institution_name(index)[1])}.demo"
    people = []
    for n, (role, title) in enumerate(region_staff_roles(learners)):
        first, last = person_name(rng)
        email = (
            f"admin@{domain}" if n == 0 else f"{email_part(first)}.{email_part(last)}.{n}@{domain}"
        )
        people.append(PersonPlan(email, f"{first} {last}", role, title, department(role)))
    for n in range(1, 11):
        first, last = person_name(rng)
        role = Role.STAKEHOLDER if n > 8 else Role.PARTNER
        people.append(PersonPlan(f"contact{n}@partners.{domain}", f"{first} {last}", role))
    for n in range(1, learners + 1):
        first, last = person_name(rng)
        email = f"{email_part(first)}.{email_part(last)}.{n}@students.{domain}"
        people.append(
            learner_plan(
                rng,
                email=email,
                full_name=f"{first} {last}",
                codes=[""],
                today=today,
                student_number=f"R{index + 1:02d}-{n:06d}",
            )
        )
    return people


def _bulk_users(bulk: _Bulk, *, password_hash: str) -> list[User]:
    users = User.objects.bulk_create(
        [User(email=p.email, full_name=p.full_name, password=password_hash) for p in bulk.people],
        batch_size=BATCH_SIZE,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=BATCH_SIZE,
    )
    for user in users:
        bulk.audit(users[0] if user is not users[0] else None, user)
    return users


def _bulk_programmes(bulk: _Bulk, *, actor: User, rng: random.Random) -> list[Programme]:
    specs = rng.sample(REGION_CATALOGUE, PROGRAMMES_PER_REGION_INSTITUTION)
    programmes = Programme.objects.bulk_create(
        [
            Programme(
                institution=bulk.institution,
                name=s.name,
                code=s.code,
                field=s.field,
                level=s.level,
                description=s.description,
            )
            for s in specs
        ]
    )
    for programme in programmes:
        bulk.audit(actor, programme, {"name": programme.name, "code": programme.code})
    return programmes


def _bulk_memberships(
    bulk: _Bulk, *, users: list[User], programmes: list[Programme], actor: User
) -> int:
    memberships = Membership.objects.bulk_create(
        [
            Membership(user=u, institution=bulk.institution, role=p.role, sort_name=u.full_name)
            for u, p in zip(users, bulk.people, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    for membership in memberships:
        bulk.audit(
            None if membership.user is actor else actor,
            membership,
            {"user": membership.user.email, "role": membership.role},
        )
    pairs = list(zip(memberships, bulk.people, strict=True))
    LearnerProfile.objects.bulk_create(
        [
            LearnerProfile(
                membership=m,
                programme=programmes[i % len(programmes)],
                cohort=p.cohort,
                year_of_study=p.year_of_study,
                date_of_birth=p.date_of_birth,
                student_number=p.student_number,
            )
            for i, (m, p) in enumerate(pairs)
            if p.role == Role.LEARNER
        ],
        batch_size=BATCH_SIZE,
    )
    staff = StaffProfile.objects.bulk_create(
        [
            StaffProfile(membership=m, job_title=p.job_title, department=p.department)
            for m, p in pairs
            if m.is_staff_role
        ],
        batch_size=BATCH_SIZE,
    )
    through = StaffProfile.programmes.through
    through.objects.bulk_create(
        [
            through(staffprofile_id=s.pk, programme_id=programmes[i % len(programmes)].pk)
            for i, s in enumerate(staff)
            if s.job_title == "Vocational teacher"
        ],
        batch_size=BATCH_SIZE,
    )
    return len(staff)
