"""The demo consortium and the regional benchmark dataset.

Two layers. *Plans* are pure functions of a seed and a date: they return frozen
dataclasses (names, emails, programmes, birth dates) and never touch the database,
so the same seed on the same day always gives the same people. *Loaders* write a
plan: ``load_demo`` goes through ``services`` (so the audit log looks like real
use), ``load_region`` writes in bulk, one transaction per institution, and writes
the matching audit events in bulk too.

Every generated account shares one password, ``DEMO_PASSWORD``, hashed once.
"""

from __future__ import annotations

import datetime
import random
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import astuple, dataclass, field, replace

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify

from guildhouse.core import services
from guildhouse.core.audit import audit_record
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

# Printed on screen for anyone trying the demo; never a real account's password.
DEMO_PASSWORD = "guildhouse-demo"  # noqa: S105
CONSORTIUM = "North Coast VET Consortium"
DEMO_SEED = 2025
REGION_SEED = 2026
# Audit actions that mark a finished load: a load that crashed half-way has none.
DEMO_LOADED = "demo_load"
REGION_LOADED = "demo_load_region"
DEMO_URL = "http://127.0.0.1:{port}/"
# Short name -> full name of the two demo schools; logins refer to them by short name.
DEMO_INSTITUTIONS = {
    "Riverside": "Riverside Vocational College",
    "Hilltop": "Hilltop Skills Centre",
}
# The demo invites fictional addresses; their mail must go nowhere, whatever EMAIL_HOST says.
_NO_MAIL = "django.core.mail.backends.dummy.EmailBackend"


class DemoError(Exception):
    """The demo cannot be loaded into this database; the message says why and what to do."""


# --- Names ------------------------------------------------------------------------

# (first names, family names) by background, so most generated people have names that
# belong together; a few mix, as families do.
NAME_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("Oliver", "Amelia", "Jack", "Isla", "Harry", "Freya", "Leo", "Grace", "Callum", "Ellie"),
        ("Smith", "Walker", "Murphy", "Campbell", "Hughes", "Brennan", "Fletcher", "Doyle"),
    ),
    (
        ("Aino", "Eetu", "Venla", "Onni", "Helmi", "Veeti", "Siiri", "Leevi", "Ilona", "Aleksi"),
        ("Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Heikkinen", "Laine", "Järvinen"),
    ),
    (
        ("Elsa", "Linnea", "Axel", "Vilma", "Hugo", "Saga", "Emil", "Ebba", "Anton", "Maja"),
        ("Lindqvist", "Berg", "Nyström", "Holm", "Sjöberg", "Ekström", "Dahl", "Lund"),
    ),
    (
        ("Hodan", "Abdirahman", "Ayaan", "Mahad", "Sagal", "Hamza", "Ifrah", "Yusuf"),
        ("Warsame", "Abdi", "Hassan", "Farah", "Osman", "Jama", "Guled"),
    ),
    (
        ("Layla", "Omar", "Noor", "Karim", "Yasmin", "Ahmad", "Rania", "Dilan", "Rojin", "Shvan"),
        ("Haddad", "Mansour", "Khalil", "Saleh", "Barzani", "Ahmadi", "Rahimi", "Hussein"),
    ),
    (
        ("Linh", "Minh", "Thảo", "Đức", "Mai", "Quang", "Hoa", "Tuấn"),
        ("Nguyễn", "Trần", "Phạm", "Lê", "Vũ", "Hoàng", "Đặng"),
    ),
    (
        ("Zofia", "Jakub", "Oksana", "Taras", "Maksym", "Daria", "Kacper", "Märten", "Kertu"),
        ("Nowak", "Kowalczyk", "Shevchenko", "Kovalenko", "Bondarenko", "Tamm", "Saar", "Melnyk"),
    ),
    (
        ("Lucía", "Mateo", "Valentina", "Diego", "Camila", "Santiago", "Inês", "João"),
        ("García", "Moreno", "Silva", "Fernández", "Rodrigues", "Costa", "Herrera", "Ortiz"),
    ),
    (
        ("Chidi", "Amara", "Kwame", "Adaeze", "Tunde", "Efua", "Kofi", "Ngozi"),
        ("Okafor", "Mensah", "Adeyemi", "Owusu", "Boateng", "Eze", "Nwosu", "Asante"),
    ),
    (
        ("Priya", "Arjun", "Aisha", "Rohan", "Fatima", "Imran", "Ananya", "Sanjay"),
        ("Natarajan", "Sharma", "Patel", "Khan", "Iyer", "Chaudhry", "Reddy", "Begum"),
    ),
    (
        ("Elif", "Emre", "Zeynep", "Burak", "Defne", "Can"),
        ("Y\u0131lmaz", "Demir", "Kaya", "Şahin", "Çelik", "Ayd\u0131n"),
    ),
    (
        ("Wei", "Mei", "Jun", "Xin", "Angelo", "Maricel", "Joshua", "Kristine"),
        ("Chen", "Wang", "Zhang", "Liu", "Santos", "Reyes", "Cruz", "Bautista"),
    ),
)
# The first two groups are the largest in the demo region; the rest are weighted equally.
_GROUP_WEIGHTS = (3, 4) + (1,) * (len(NAME_GROUPS) - 2)
# Letters that Unicode does not decompose into an ASCII base letter.
_ASCII = str.maketrans({"\u0131": "i", "ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d"})


def person_name(rng: random.Random) -> tuple[str, str]:
    """A (first name, family name) pair, drawn from ``rng`` only."""
    group = rng.choices(NAME_GROUPS, weights=_GROUP_WEIGHTS)[0]
    family_group = rng.choice(NAME_GROUPS) if rng.random() < 0.12 else group
    return rng.choice(group[0]), rng.choice(family_group[1])


def email_part(text: str) -> str:
    """``text`` as a lower-case ASCII email local part: "Nguyễn Đức" -> "nguyen.duc"."""
    plain = unicodedata.normalize("NFKD", text.lower().translate(_ASCII))
    ascii_only = plain.encode("ascii", "ignore").decode()
    return ".".join("".join(c for c in word if c.isalnum()) for word in ascii_only.split())


# --- Plans --------------------------------------------------------------------------


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
class DemoLogin:
    """A printed demo account. ``memberships`` are (institution short name, role) pairs."""

    email: str
    full_name: str
    memberships: tuple[tuple[str, str], ...]


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

# The printed accounts: every role once at Riverside, Hilltop's admin, and one
# person in both schools to show the institution switcher.
DEMO_LOGINS = (
    DemoLogin("admin@riverside.demo", "Helena Lindqvist", (("Riverside", Role.ADMIN),)),
    DemoLogin("coordinator@riverside.demo", "Omar Haddad", (("Riverside", Role.COORDINATOR),)),
    DemoLogin("staff@riverside.demo", "Mikko Laine", (("Riverside", Role.STAFF),)),
    DemoLogin("support@riverside.demo", "Grace Mensah", (("Riverside", Role.SUPPORT),)),
    DemoLogin("learner@riverside.demo", "Aino Korhonen", (("Riverside", Role.LEARNER),)),
    DemoLogin("partner@riverside.demo", "Jonas Berg", (("Riverside", Role.PARTNER),)),
    DemoLogin("stakeholder@riverside.demo", "Priya Natarajan", (("Riverside", Role.STAKEHOLDER),)),
    DemoLogin("admin@hilltop.demo", "Ewan Campbell", (("Hilltop", Role.ADMIN),)),
    DemoLogin(
        "coordinator@consortium.demo",
        "Sofia Moreno",
        (("Riverside", Role.COORDINATOR), ("Hilltop", Role.STAFF)),
    ),
)

# Job titles of the printed accounts, by (email, institution short name).
_LOGIN_TITLES = {
    ("admin@riverside.demo", "Riverside"): "Principal",
    ("coordinator@riverside.demo", "Riverside"): "Industry partnerships coordinator",
    ("staff@riverside.demo", "Riverside"): "Electrical installation teacher",
    ("support@riverside.demo", "Riverside"): "Study counsellor",
    ("admin@hilltop.demo", "Hilltop"): "Director",
    ("coordinator@consortium.demo", "Riverside"): "Consortium mentoring coordinator",
    ("coordinator@consortium.demo", "Hilltop"): "Peer mentoring trainer",
}


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
        email = _unique(f"{email_part(first)}.{email_part(last)}", domain, taken)
        teaches = _taught(title, programmes)
        yield PersonPlan(email, f"{first} {last}", role, title, _department(role), teaches)


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
        yield _learner(
            rng,
            email=_unique(f"{email_part(first)}.{email_part(last)}", domain, taken),
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
                yield _learner(
                    random.Random(login.email),
                    email=login.email,
                    full_name=login.full_name,
                    codes=codes[:1],
                    today=today,
                    year_of_study=2,
                    student_number=f"{student_prefix}-00100",
                )
                continue
            title = _LOGIN_TITLES.get((login.email, where), "")
            teaches = tuple(codes[:1]) if role == Role.STAFF else ()
            yield PersonPlan(login.email, login.full_name, role, title, _department(role), teaches)


def _learner(
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


def _unique(local: str, domain: str, taken: set[str]) -> str:
    email, n = f"{local}@{domain}", 1
    while email in taken:
        n += 1
        email = f"{local}{n}@{domain}"
    taken.add(email)
    return email


_DEPARTMENTS: dict[str, str] = {
    Role.ADMIN: "Management",
    Role.COORDINATOR: "Partnerships and mentoring",
    Role.STAFF: "Teaching",
    Role.SUPPORT: "Learner support",
}


def _department(role: str) -> str:
    return _DEPARTMENTS.get(role, "")


def _taught(title: str, programmes: Sequence[ProgrammeSpec]) -> tuple[str, ...]:
    words = title.lower().split()
    return tuple(p.code for p in programmes if p.name.lower().split()[0] in words)


# --- Loading the demo through the services -------------------------------------------------


@dataclass(frozen=True)
class DemoCounts:
    institutions: int
    programmes: int
    users: int
    memberships: dict[str, int]  # by role
    audit_events: int


def demo_counts() -> DemoCounts:
    """What the database holds now: all of it, demo or not."""
    by_role = dict.fromkeys(Role.values, 0)
    for role in Membership.objects.values_list("role", flat=True):
        by_role[role] += 1
    return DemoCounts(
        institutions=Institution.objects.count(),
        programmes=Programme.objects.count(),
        users=User.objects.count(),
        memberships=by_role,
        audit_events=AuditEvent.objects.count(),
    )


def demo_is_loaded() -> bool:
    """True once ``load_demo`` has finished in this database."""
    return AuditEvent.objects.filter(action=DEMO_LOADED).exists()


def region_is_loaded() -> bool:
    """True once ``load_region`` has finished in this database."""
    return AuditEvent.objects.filter(action=REGION_LOADED).exists()


def ensure_demo(*, today: datetime.date | None = None) -> bool:
    """Load the demo unless it is already there; returns whether it loaded it now.

    Raises ``DemoError`` (and changes nothing) when the database holds other
    institutions or an unfinished earlier load: the demo never mixes with real data.
    """
    if demo_is_loaded():
        return False
    if Institution.objects.exists():
        raise DemoError(
            "This database already holds institutions but no finished demo; refusing to "
            "add demo data to it. Use `guildhouse demo --reset` for a fresh demo database."
        )
    load_demo(plan=demo_plan(today=today or timezone.localdate()))
    return True


def load_demo(*, plan: DemoPlan) -> None:
    """Write ``plan`` through the services, so every write has its usual audit event.

    Not one transaction (the services commit durably on their own); ``ensure_demo``
    detects a crashed load by the missing ``DEMO_LOADED`` event.
    """
    password_hash = make_password(DEMO_PASSWORD)
    institutions = []
    with override_settings(EMAIL_BACKEND=_NO_MAIL):
        for institution_plan in plan.institutions:
            institutions.append(_load_institution(institution_plan, password_hash=password_hash))
        _load_special_category(plan.special_category)
        _load_later_changes(institutions)
    with transaction.atomic(durable=True):
        audit_record(
            actor=None,
            institution=None,
            action=DEMO_LOADED,
            obj=institutions[0],
            changes={"institutions": [i.name for i in institutions]},
        )


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


# --- The regional dataset, in bulk -------------------------------------------------


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


def ensure_region(
    *,
    institutions: int = 20,
    learners: int = 100_000,
    progress: Callable[[str], None] | None = None,
) -> RegionSummary | None:
    """Load the regional dataset unless it is there; ``None`` when it already was."""
    if region_is_loaded():
        return None
    if Institution.objects.filter(slug__startswith="region-").exists():
        raise DemoError(
            "An earlier regional load did not finish. Use `guildhouse demo --reset --scale region`."
        )
    return load_region(institutions=institutions, learners=learners, progress=progress)


def load_region(
    *,
    institutions: int = 20,
    learners: int = 100_000,
    seed: int = REGION_SEED,
    today: datetime.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> RegionSummary:
    """Create ``institutions`` schools with exactly ``learners`` learners between them.

    Each school is one transaction of bulk inserts (programmes, staff, partners,
    learners, verified emails, profiles, audit events), so an interrupted load
    leaves whole schools only. Finishes with the ``REGION_LOADED`` event.
    """
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
    with transaction.atomic(durable=True):
        marker = Institution.objects.filter(slug__startswith="region-").order_by("pk").first()
        assert marker is not None
        audit_record(
            actor=None,
            institution=None,
            action=REGION_LOADED,
            obj=marker,
            changes={"institutions": institutions, "learners": learners},
        )
    # The marker event counts too; seconds cover the whole load, hashing included.
    return replace(
        totals,
        audit_events=totals.audit_events + 1,
        seconds=round(time.perf_counter() - started, 2),
    )


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
        people.append(PersonPlan(email, f"{first} {last}", role, title, _department(role)))
    for n in range(1, 11):
        first, last = person_name(rng)
        role = Role.STAKEHOLDER if n > 8 else Role.PARTNER
        people.append(PersonPlan(f"contact{n}@partners.{domain}", f"{first} {last}", role))
    for n in range(1, learners + 1):
        first, last = person_name(rng)
        email = f"{email_part(first)}.{email_part(last)}.{n}@students.{domain}"
        people.append(
            _learner(
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
