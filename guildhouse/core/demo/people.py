"""The demo consortium: a plan (pure, from a seed and a date) and its loader (through services).

*Plans* are pure functions of a seed and a date: they return frozen dataclasses
(names, emails, programmes, birth dates) and never touch the database, so the same
seed on the same day always gives the same people. ``load_plan`` writes a plan
through ``services``, so the audit log looks like real use.

Every generated account shares one password, ``DEMO_PASSWORD``, hashed once.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from guildhouse.core import services
from guildhouse.core.demo.logins import (
    CONSORTIUM,
    DEMO_INSTITUTIONS,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_URL,
    LOGIN_TITLES,
    DemoLogin,
)
from guildhouse.core.demo.names import email_part, person_name, unique_email
from guildhouse.core.models import (
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

DEMO_SEED = 2025


class DemoError(Exception):
    """The demo cannot be loaded into this database; the message says why and what to do."""


@dataclass(frozen=True)
class ProgrammeSpec:
    name: str
    code: str
    field: str
    level: str
    description: str = ""


@dataclass(frozen=True)
class PersonPlan:
    """One membership to create. The same email in two institutions is one person."""

    email: str
    full_name: str
    role: str
    job_title: str = ""
    department: str = ""
    teaches: tuple[str, ...] = ()  # programme codes
    programme: str = ""  # programme code, learners only
    cohort: str = ""
    year_of_study: int = 1
    date_of_birth: datetime.date | None = None
    student_number: str = ""


@dataclass(frozen=True)
class InvitationPlan:
    email: str
    full_name: str
    role: str
    accepted: bool


@dataclass(frozen=True)
class InstitutionPlan:
    name: str
    short_name: str
    slug: str
    city: str
    programmes: tuple[ProgrammeSpec, ...]
    people: tuple[PersonPlan, ...]  # the first is an admin, who acts for the rest
    invitations: tuple[InvitationPlan, ...] = ()


@dataclass(frozen=True)
class DemoPlan:
    institutions: tuple[InstitutionPlan, ...]
    logins: tuple[DemoLogin, ...]
    # (email, gender, background, support needs): learners who shared these, with consent.
    special_category: tuple[tuple[str, str, str, str], ...] = field(default=())


RIVERSIDE_PROGRAMMES = (
    ProgrammeSpec(
        "Electrical installation",
        "ELE",
        FieldOfEducation.ENGINEERING,
        Level.EQF4,
        "Wiring, installation and inspection of low-voltage systems in homes and workplaces.",
    ),
    ProgrammeSpec(
        "Health and social care",
        "HSC",
        FieldOfEducation.HEALTH,
        Level.EQF4,
        "Practical nursing and care work in hospitals, care homes and home care.",
    ),
    ProgrammeSpec(
        "Hospitality and catering",
        "HOS",
        FieldOfEducation.SERVICES,
        Level.EQF3,
        "Kitchen, restaurant and front-of-house work, with placements in local hotels.",
    ),
    ProgrammeSpec(
        "Automotive technology",
        "AUT",
        FieldOfEducation.ENGINEERING,
        Level.EQF4,
        "Servicing and diagnosing cars and light vans, including electric vehicles.",
    ),
    ProgrammeSpec(
        "ICT support",
        "ICT",
        FieldOfEducation.ICT,
        Level.EQF4,
        "Service desk, networks and device management for small businesses.",
    ),
    ProgrammeSpec(
        "Business and administration",
        "BUS",
        FieldOfEducation.BUSINESS,
        Level.EQF3,
        "Office administration, customer service and bookkeeping basics.",
    ),
)
HILLTOP_PROGRAMMES = (
    ProgrammeSpec(
        "Electrical installation",
        "EL",
        FieldOfEducation.ENGINEERING,
        Level.EQF4,
        "Domestic and commercial electrical installation.",
    ),
    ProgrammeSpec(
        "Health care",
        "HC",
        FieldOfEducation.HEALTH,
        Level.EQF4,
        "Care assistant and practical nurse pathway.",
    ),
    ProgrammeSpec(
        "Hospitality",
        "HOSP",
        FieldOfEducation.SERVICES,
        Level.EQF3,
        "Cooking and serving, with a training restaurant open to the public.",
    ),
    ProgrammeSpec(
        "Carpentry and joinery",
        "CARP",
        FieldOfEducation.ENGINEERING,
        Level.EQF4,
        "Site carpentry, joinery and timber-frame construction.",
    ),
    ProgrammeSpec(
        "Early childhood education and care",
        "ECEC",
        FieldOfEducation.HEALTH,
        Level.EQF4,
        "Work in day-care centres and pre-school groups.",
    ),
)


@dataclass(frozen=True)
class _Shape:
    """How many generated people of each kind an institution gets, besides the logins."""

    learners: int
    staff: tuple[tuple[str, str], ...]  # (role, job title)
    partners: tuple[tuple[str, str], ...]  # (full name, email domain)
    stakeholders: tuple[tuple[str, str], ...]
    invitations: tuple[InvitationPlan, ...]


_RIVERSIDE = _Shape(
    learners=119,  # and learner@riverside.demo: 120
    staff=(
        (Role.ADMIN, "Deputy principal"),
        (Role.COORDINATOR, "Work-based learning coordinator"),
        (Role.STAFF, "Health and social care teacher"),
        (Role.STAFF, "Automotive technology trainer"),
        (Role.STAFF, "ICT support teacher"),
        (Role.SUPPORT, "Special-needs teacher"),
    ),
    partners=(("Laura Fletcher", "harbourhotel.demo"), ("Tuan Pham", "coastalmotors.demo")),
    stakeholders=(("Hodan Warsame", "parents-association.demo"),),
    invitations=(
        InvitationPlan("maria.kallio@riverside.demo", "Maria Kallio", Role.STAFF, True),
        InvitationPlan("tomas.eklund@riverside.demo", "Tomas Eklund", Role.COORDINATOR, False),
    ),
)
_HILLTOP = _Shape(
    learners=80,
    staff=(
        (Role.COORDINATOR, "Industry partnerships coordinator"),
        (Role.STAFF, "Carpentry teacher"),
        (Role.STAFF, "Health care teacher"),
        (Role.STAFF, "Hospitality trainer"),
        (Role.SUPPORT, "Career guidance counsellor"),
    ),
    partners=(("Kofi Owusu", "ridgebuild.demo"), ("Saga Holm", "littleoaks-daycare.demo")),
    stakeholders=(("Marta Ortiz", "qualityagency.demo"),),
    invitations=(
        InvitationPlan("nadia.rahman@hilltop.demo", "Nadia Rahman", Role.STAFF, True),
        InvitationPlan("leon.weber@hilltop.demo", "Leon Weber", Role.LEARNER, False),
    ),
)

_SPECIAL_CATEGORY = (
    ("learner@riverside.demo", "woman", "First in family at college", ""),
    ("", "man", "", "Extra time in written exams (dyslexia)."),
    ("", "non_binary", "", "A quiet room for tests; sensory breaks."),
    ("", "woman", "Migrant background; Finnish as a second language", ""),
    ("", "man", "", "Step-free access; uses a wheelchair."),
    ("", "woman", "Young carer", "Flexible deadlines in weeks with caring duties."),
)


def demo_plan(*, today: datetime.date, seed: int = DEMO_SEED) -> DemoPlan:
    """The demo consortium. Same ``today`` and ``seed``, same plan, down to birth dates."""
    rng = random.Random(seed)
    riverside = _institution_plan(
        rng,
        today=today,
        name=DEMO_INSTITUTIONS["Riverside"],
        short_name="Riverside",
        city="Port Aldwin",
        programmes=RIVERSIDE_PROGRAMMES,
        shape=_RIVERSIDE,
        student_prefix="RVC",
    )
    hilltop = _institution_plan(
        rng,
        today=today,
        name=DEMO_INSTITUTIONS["Hilltop"],
        short_name="Hilltop",
        city="Kestrel Bay",
        programmes=HILLTOP_PROGRAMMES,
        shape=_HILLTOP,
        student_prefix="HTS",
    )
    learners = [p.email for p in riverside.people if p.role == Role.LEARNER]
    # Learners who chose to share special-category data: the demo learner and a few others.
    special = tuple(
        (email or learners[10 + 17 * i], gender, background, needs)
        for i, (email, gender, background, needs) in enumerate(_SPECIAL_CATEGORY)
    )
    return DemoPlan(institutions=(riverside, hilltop), logins=DEMO_LOGINS, special_category=special)


def _institution_plan(
    rng: random.Random,
    *,
    today: datetime.date,
    name: str,
    short_name: str,
    city: str,
    programmes: tuple[ProgrammeSpec, ...],
    shape: _Shape,
    student_prefix: str,
) -> InstitutionPlan:
    domain = f"{short_name.lower()}.demo"
    codes = [p.code for p in programmes]
    taken = {login.email for login in DEMO_LOGINS} | {i.email for i in shape.invitations}
    people = [
        *_login_people(short_name, codes, today=today, student_prefix=student_prefix),
        *_staff_people(rng, shape.staff, programmes, domain=domain, taken=taken),
        *_contact_people(shape),
        *_learner_people(
            rng,
            count=shape.learners,
            codes=codes,
            today=today,
            domain=f"students.{domain}",
            taken=taken,
            student_prefix=student_prefix,
        ),
    ]
    admins_first = sorted(people, key=lambda p: p.role != Role.ADMIN)
    return InstitutionPlan(
        name=name,
        short_name=short_name,
        slug=slugify(short_name),
        city=city,
        programmes=programmes,
        people=tuple(admins_first),
        invitations=shape.invitations,
    )


def _staff_people(
    rng: random.Random,
    staff: Iterable[tuple[str, str]],
    programmes: Sequence[ProgrammeSpec],
    *,
    domain: str,
    taken: set[str],
) -> Iterable[PersonPlan]:
    for role, title in staff:
        first, last = person_name(rng)
        email = unique_email(f"{email_part(first)}.{email_part(last)}", domain, taken)
        teaches = _taught(title, programmes)
        yield PersonPlan(email, f"{first} {last}", role, title, department(role), teaches)


def _contact_people(shape: _Shape) -> Iterable[PersonPlan]:
    for full_name, company in shape.partners:
        yield PersonPlan(f"{email_part(full_name)}@{company}", full_name, Role.PARTNER)
    for full_name, organisation in shape.stakeholders:
        yield PersonPlan(f"{email_part(full_name)}@{organisation}", full_name, Role.STAKEHOLDER)


def _learner_people(
    rng: random.Random,
    *,
    count: int,
    codes: Sequence[str],
    today: datetime.date,
    domain: str,
    taken: set[str],
    student_prefix: str,
) -> Iterable[PersonPlan]:
    for sequence in range(1, count + 1):
        first, last = person_name(rng)
        yield learner_plan(
            rng,
            email=unique_email(f"{email_part(first)}.{email_part(last)}", domain, taken),
            full_name=f"{first} {last}",
            codes=codes,
            today=today,
            # 00100 is the demo learner's; the generated ones follow.
            student_number=f"{student_prefix}-{sequence + 100:05d}",
        )


def _login_people(
    short_name: str, codes: list[str], *, today: datetime.date, student_prefix: str
) -> Iterable[PersonPlan]:
    for login in DEMO_LOGINS:
        for where, role in login.memberships:
            if where != short_name:
                continue
            if role == Role.LEARNER:
                yield learner_plan(
                    random.Random(login.email),
                    email=login.email,
                    full_name=login.full_name,
                    codes=codes[:1],
                    today=today,
                    year_of_study=2,
                    student_number=f"{student_prefix}-00100",
                )
                continue
            title = LOGIN_TITLES.get((login.email, where), "")
            teaches = tuple(codes[:1]) if role == Role.STAFF else ()
            yield PersonPlan(login.email, login.full_name, role, title, department(role), teaches)


def learner_plan(
    rng: random.Random,
    *,
    email: str,
    full_name: str,
    codes: Sequence[str],
    today: datetime.date,
    student_number: str,
    year_of_study: int = 0,
) -> PersonPlan:
    year = year_of_study or rng.choices((1, 2, 3), weights=(40, 33, 27))[0]
    intake = academic_year_start(today) - (year - 1)
    return PersonPlan(
        email,
        full_name,
        Role.LEARNER,
        programme=rng.choice(codes),
        cohort=str(intake),
        year_of_study=year,
        date_of_birth=birth_date(rng, today=today, year_of_study=year),
        student_number=student_number,
    )


def academic_year_start(today: datetime.date) -> int:
    """The calendar year the current school year started in (school years start in August)."""
    return today.year if today.month >= 8 else today.year - 1


def birth_date(rng: random.Random, *, today: datetime.date, year_of_study: int) -> datetime.date:
    """A birth date giving an age of 15-19 on ``today``: 15-17 in year 1, up to 17-19 in year 3."""
    age = 14 + min(year_of_study, 3) + rng.randint(0, 2)
    birthday = _years_before(today, age)
    # Up to 364 days before the age-th birthday keeps the age exactly ``age`` today.
    return birthday - datetime.timedelta(days=rng.randint(0, 364))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


_DEPARTMENTS: dict[str, str] = {
    Role.ADMIN: "Management",
    Role.COORDINATOR: "Partnerships and mentoring",
    Role.STAFF: "Teaching",
    Role.SUPPORT: "Learner support",
}


def department(role: str) -> str:
    return _DEPARTMENTS.get(role, "")


def _taught(title: str, programmes: Sequence[ProgrammeSpec]) -> tuple[str, ...]:
    words = title.lower().split()
    return tuple(p.code for p in programmes if p.name.lower().split()[0] in words)


def load_demo(*, today: datetime.date) -> None:
    """Core's demo: the two schools of the consortium, their people and programmes.

    Refuses (``DemoError``, nothing written) when the database already holds
    institutions: the demo never mixes with real data.
    """
    if Institution.objects.exists():
        raise DemoError(
            "This database already holds institutions but no finished demo; refusing to "
            "add demo data to it. Use `guildhouse demo --reset` for a fresh demo database."
        )
    load_plan(plan=demo_plan(today=today))


def load_plan(*, plan: DemoPlan) -> None:
    """Write ``plan`` through the services, so every write has its usual audit event.

    Not one transaction (the services commit durably on their own); the demo runner
    writes core's marker only after this returns, so a crashed load is detected.
    """
    password_hash = make_password(DEMO_PASSWORD)
    institutions = []
    for institution_plan in plan.institutions:
        institutions.append(_load_institution(institution_plan, password_hash=password_hash))
    _load_special_category(plan.special_category)
    _load_later_changes(institutions)


def _load_institution(plan: InstitutionPlan, *, password_hash: str) -> Institution:
    first, *rest = plan.people
    with transaction.atomic(durable=True):
        institution = services.institution_create(
            actor=None,
            name=plan.name,
            short_name=plan.short_name,
            slug=plan.slug,
            city=plan.city,
            consortium=CONSORTIUM,
        )
        admin = _user(first, actor=None, institution=institution, password_hash=password_hash)
        _member(first, user=admin, actor=None, institution=institution, programmes={})
    programmes = {
        spec.code: services.programme_create(
            actor=admin,
            institution=institution,
            name=spec.name,
            code=spec.code,
            field=spec.field,
            level=spec.level,
            description=spec.description,
        )
        for spec in plan.programmes
    }
    with transaction.atomic(durable=True):
        for person in rest:
            user = _user(person, actor=admin, institution=institution, password_hash=password_hash)
            _member(person, user=user, actor=admin, institution=institution, programmes=programmes)
    _load_invitations(plan.invitations, actor=admin, institution=institution)
    return institution


def _user(
    person: PersonPlan, *, actor: User | None, institution: Institution, password_hash: str
) -> User:
    existing = User.objects.filter(email=person.email).first()
    if existing is not None:
        return existing
    # The hash is computed once for all demo users: hashing per user would take minutes.
    return services.user_create(
        actor=actor,
        institution=institution,
        email=person.email,
        full_name=person.full_name,
        password_hash=password_hash,
    )


def _member(
    person: PersonPlan,
    *,
    user: User,
    actor: User | None,
    institution: Institution,
    programmes: dict[str, Programme],
) -> Membership:
    membership = services.membership_create(
        actor=actor,
        institution=institution,
        user=user,
        role=person.role,
        programme=programmes.get(person.programme),
        cohort=person.cohort,
        year_of_study=person.year_of_study,
        date_of_birth=person.date_of_birth,
        job_title=person.job_title,
    )
    # membership_create does not take these yet; they are details of the profile it made.
    if person.student_number:
        LearnerProfile.objects.filter(membership=membership).update(
            student_number=person.student_number
        )
    if person.department or person.teaches:
        profile = StaffProfile.objects.get(membership=membership)
        profile.department = person.department
        profile.save(update_fields=["department"])
        profile.programmes.set([programmes[code] for code in person.teaches])
    return membership


def _load_invitations(
    invitations: Iterable[InvitationPlan], *, actor: User, institution: Institution
) -> None:
    for plan in invitations:
        invitation, _token = services.invitation_create(
            actor=actor,
            institution=institution,
            email=plan.email,
            full_name=plan.full_name,
            role=plan.role,
            accept_url_for=lambda token: f"{DEMO_URL.format(port=8000)}invite/{token}/",
        )
        if plan.accepted:
            services.invitation_accept(invitation=invitation, user=None, password=DEMO_PASSWORD)


def _load_special_category(records: Iterable[tuple[str, str, str, str]]) -> None:
    for email, gender, background, needs in records:
        membership = Membership.objects.select_related("user", "institution").get(
            user__email=email, role=Role.LEARNER
        )
        # The learner records it on their own profile page, so they are the actor.
        services.special_category_save(
            actor=membership.user,
            membership=membership,
            consent=True,
            gender=gender,
            background=background,
            support_needs=needs,
        )


def _load_later_changes(institutions: Sequence[Institution]) -> None:
    """A few edits after set-up, so the audit log shows more than creations."""
    riverside, hilltop = institutions[0], institutions[1]
    riverside_admin = User.objects.get(email="admin@riverside.demo")
    hilltop_admin = User.objects.get(email="admin@hilltop.demo")
    services.institution_update(actor=hilltop_admin, institution=hilltop, min_group_size=7)
    programme = Programme.objects.get(institution=riverside, code="ICT")
    services.programme_update(
        actor=riverside_admin,
        programme=programme,
        description="Service desk, networks, cloud and device management for small businesses.",
    )
