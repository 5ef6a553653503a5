"""Partnerships of the regional benchmark dataset, written in bulk (issue 9, item 18).

Core's region (``guildhouse.core.demo.region``) makes 20 schools with 100,000 learners;
this module gives them a partnership history: 21,000 organisations with their contacts
and affiliations, a pipeline with its stage history, 1,040,000 interactions with their
staff, contacts and follow-ups, promises, opportunities with periods, 52,000
placements with their compliance documents, and agreements with signatories and
contributions. Everything comes from one seeded random generator, so two loads are
identical (given the same day).

Loading through the services would take many hours, so each school is one transaction
of bulk writes: PostgreSQL's ``COPY`` (through psycopg), SQLite's ``executemany``. The
rows other rows point at get their ids here, from the table's highest id; PostgreSQL's
sequences are moved past them afterwards. Derived fields (an organisation's last
contact, a period's confirmed count) are computed from the rows themselves, exactly
as the services would have kept them.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from guildhouse.core.audit import audit_record
from guildhouse.core.demo import DemoError
from guildhouse.core.demo.names import email_part, person_name
from guildhouse.core.models import (
    STAFF_ROLES,
    FieldOfEducation,
    Institution,
    Membership,
    Role,
)
from guildhouse.partners import services
from guildhouse.partners.models import (
    Affiliation,
    Agreement,
    AgreementKind,
    Commitment,
    ComplianceItem,
    Contact,
    Contribution,
    FollowUp,
    Interaction,
    InteractionKind,
    Opportunity,
    OpportunityKind,
    OpportunityPeriod,
    Organisation,
    OrganisationKind,
    OrganisationSize,
    Placement,
    Requirement,
    ResearchNote,
    Signatory,
    Source,
    Stage,
    StageChange,
    Tag,
)

PARTNERS_REGION_SEED = 2027
# Totals over the region's schools (the acceptance asks for at least 20,000
# organisations, 1,000,000 interactions and 50,000 placements).
REGION_ORGANISATIONS = 21_000
REGION_INTERACTIONS = 1_040_000
REGION_PLACEMENTS = 52_000

F = FieldOfEducation
K = OrganisationKind

# What businesses of each sector are called: "<someone or somewhere> <this>".
_TRADES: dict[str, tuple[str, ...]] = {
    F.ENGINEERING: (
        "Electrical",
        "Build",
        "Engineering",
        "Metalworks",
        "Joinery",
        "Plumbing & Heating",
        "Motors",
        "Roofing",
        "Welding",
        "Construction",
        "Automation",
        "Boatyard",
    ),
    F.HEALTH: (
        "Care Home",
        "Dental Clinic",
        "Pharmacy",
        "Physiotherapy",
        "Home Care",
        "Medical Centre",
        "Veterinary Clinic",
    ),
    F.SERVICES: (
        "Hotel",
        "Bistro",
        "Logistics",
        "Hair Studio",
        "Bakery",
        "Cleaning Services",
        "Catering",
        "Spa",
        "Haulage",
        "Guesthouse",
    ),
    F.ICT: ("Software", "Digital", "Data Systems", "IT Support", "Networks", "Web Studio"),
    F.BUSINESS: (
        "Accounting",
        "Law Office",
        "Insurance",
        "Retail",
        "Property",
        "Wholesale",
        "Payroll Services",
    ),
    F.AGRICULTURE: ("Farm", "Nurseries", "Forestry", "Fisheries", "Dairy", "Garden Centre"),
    F.ARTS: ("Media", "Print House", "Design Studio", "Theatre", "Photography", "Sign Makers"),
    F.EDUCATION: ("Daycare", "Learning Centre", "Kindergarten", "Driving School"),
}
# How often each sector turns up among a region's businesses.
_SECTOR_WEIGHTS: dict[str, int] = {
    F.ENGINEERING: 26,
    F.SERVICES: 22,
    F.HEALTH: 14,
    F.BUSINESS: 12,
    F.ICT: 9,
    F.AGRICULTURE: 7,
    F.ARTS: 5,
    F.EDUCATION: 5,
}
_PLACES = (
    "Harbour",
    "Northern",
    "Coastal",
    "Oakfield",
    "Birchwood",
    "Pinecrest",
    "Granite",
    "Lighthouse",
    "Seaview",
    "Riverside",
    "Westgate",
    "Meadow",
    "Fjord",
    "Heather",
    "Saltwind",
    "Ironbridge",
    "Kestrel",
    "Bluewater",
    "Stonecroft",
    "Tideline",
)
_STREETS = ("Road", "Street", "Way", "Quay", "Lane")
_FOUND_THROUGH = (
    "the chamber directory",
    "a teacher",
    "LinkedIn",
    "a former learner",
    "the jobs fair",
)
_LEGAL = ("Ltd", "Ltd", "Oy", "Ab", "& Sons", "Group", "", "", "", "")
_OTHER_KINDS: tuple[tuple[str, str, str], ...] = (
    # kind, name pattern ({town}, {sector}), sector ("" for all of them)
    (K.CHAMBER, "{town} Chamber of Commerce", ""),
    (K.ASSOCIATION, "{sector} Employers' Association, {town} branch", "*"),
    (K.PUBLIC_BODY, "{town} City Services", F.SERVICES),
    (K.PUBLIC_BODY, "{town} Health District", F.HEALTH),
    (K.DEVELOPMENT_AGENCY, "{town} Business Development Agency", ""),
    (K.NGO, "{place} Foundation", F.HEALTH),
    (K.NGO, "{town} Youth Workshop", F.SERVICES),
)
_SECTOR_WORD: dict[str, str] = {
    F.ENGINEERING: "Construction and Engineering",
    F.SERVICES: "Hospitality",
    F.HEALTH: "Care",
    F.BUSINESS: "Commerce",
    F.ICT: "Technology",
    F.AGRICULTURE: "Farming",
    F.ARTS: "Creative Industries",
    F.EDUCATION: "Early Years",
}
_SKILL_NEEDS: dict[str, tuple[str, ...]] = {
    F.ENGINEERING: (
        "Electricians for solar and heat-pump installations.",
        "Welders with certificates for structural steel.",
        "Site workers who can read drawings; forklift licences.",
        "Technicians for electric-vehicle servicing and diagnostics.",
    ),
    F.HEALTH: (
        "Practical nurses for evening and night shifts.",
        "Care assistants who speak Finnish and English.",
        "Staff trained in medication handling.",
    ),
    F.SERVICES: (
        "Breakfast cooks and front-desk staff for the summer season.",
        "Drivers with a C licence; warehouse staff for early shifts.",
        "Hairdressers trained in colouring techniques.",
    ),
    F.ICT: (
        "Junior developers who know testing and version control.",
        "Help-desk staff; cloud administration skills.",
    ),
    F.BUSINESS: (
        "Bookkeepers familiar with e-invoicing.",
        "Sales assistants for weekends; stock-keeping skills.",
    ),
    F.AGRICULTURE: (
        "Seasonal workers for planting and harvest; machinery handling.",
        "Greenhouse staff who understand irrigation systems.",
    ),
    F.ARTS: ("Video editors and social-media content makers.", "Printers for large formats."),
    F.EDUCATION: ("Early-years assistants for the autumn intake.",),
}
_TAGS = (
    "apprenticeships",
    "summer jobs",
    "guest lecturer",
    "advisory board",
    "green transition",
    "large employer",
    "family business",
    "international",
    "hosts every year",
    "needs follow-up",
    "alumni employer",
    "equipment donor",
)
_ROLES = (
    "Managing director",
    "HR manager",
    "Site manager",
    "Workshop manager",
    "Head of training",
    "Owner",
    "Operations manager",
    "Head of care",
    "Team leader",
)
_SUMMARIES: dict[str, tuple[str, ...]] = {
    InteractionKind.CALL: (
        "Talked through next term's placement dates.",
        "Checked how the learner is getting on; all well.",
        "Asked whether they could take a learner in the spring.",
        "Discussed their skill needs for the coming year.",
    ),
    InteractionKind.EMAIL: (
        "Sent the placement handbook and the insurance details.",
        "Shared the programme's learning outcomes for the placement.",
        "Replied to their question about working hours.",
        "Sent the draft agreement for comments.",
    ),
    InteractionKind.MEETING: (
        "Met the managing director to plan a pilot.",
        "Reviewed the last placement period together.",
        "Planned a guest lecture for the second-year group.",
    ),
    InteractionKind.VISIT: (
        "Visited the site with two teachers; met the supervisors.",
        "Mid-placement visit: learner assessed with the supervisor.",
        "Safety walk-through before the placement starts.",
    ),
    InteractionKind.EVENT: (
        "Met them at the regional jobs fair.",
        "They came to our open house and looked at the workshops.",
    ),
    InteractionKind.VIDEO_CALL: (
        "Video call on the apprenticeship contract.",
        "Short video call to agree the interview dates.",
    ),
}
_KIND_WEIGHTS = {
    InteractionKind.EMAIL: 35,
    InteractionKind.CALL: 30,
    InteractionKind.MEETING: 12,
    InteractionKind.VISIT: 10,
    InteractionKind.VIDEO_CALL: 9,
    InteractionKind.EVENT: 4,
}
_FOLLOW_UPS = (
    "Send the placement dates",
    "Send the insurance certificate",
    "Book a site visit",
    "Draft a proposal",
    "Ask the teachers about a guest lecture",
    "Send the agreement for signature",
    "Introduce them to the programme leader",
)
_PROMISES: tuple[tuple[str, str], ...] = (
    ("institution", "Send next year's placement dates"),
    ("institution", "Run the safety induction before the placement"),
    ("institution", "Offer a short course for their staff"),
    ("partner", "Name a workplace supervisor for each learner"),
    ("partner", "Offer two apprenticeship places"),
    ("partner", "Send feedback on the learner after the first week"),
    ("partner", "Lend equipment for the workshop"),
)
# Stage names of the default pipeline (services._default_stages) and how the region's
# organisations are spread over them.
_STAGE_WEIGHTS = (20, 12, 12, 8, 6, 35, 4, 3)
_PLACEMENT_KINDS = (
    OpportunityKind.WORK_PLACEMENT,
    OpportunityKind.WORK_PLACEMENT,
    OpportunityKind.WORK_PLACEMENT,
    OpportunityKind.INTERNSHIP,
    OpportunityKind.APPRENTICESHIP,
    OpportunityKind.JOB_SHADOWING,
    OpportunityKind.PILOT,
)
_OTHER_OPPORTUNITIES = (
    (OpportunityKind.GUEST_LECTURE, "Guest lecture: {trade} at work today"),
    (OpportunityKind.SITE_VISIT, "Site visit for first-year learners"),
    (OpportunityKind.ADVISORY_BOARD, "Seat on the {sector} advisory board"),
    (OpportunityKind.INDUSTRY_PROJECT, "Industry project: {trade} improvement"),
    (OpportunityKind.SHOWCASE, "Showcase of learners' work"),
    (OpportunityKind.CUSTOMISED_TRAINING, "Short course for their staff"),
)
_TITLES = {
    OpportunityKind.WORK_PLACEMENT: "{trade} placement",
    OpportunityKind.INTERNSHIP: "{trade} internship",
    OpportunityKind.APPRENTICESHIP: "{trade} apprenticeship",
    OpportunityKind.JOB_SHADOWING: "Job shadowing: {trade}",
    OpportunityKind.PILOT: "Pilot: {trade} placements",
}


# Tables whose rows get their ids here (PostgreSQL's sequences are moved past them).
_ID_MODELS: tuple[type[models.Model], ...] = (
    Organisation,
    Contact,
    Tag,
    Interaction,
    Opportunity,
    OpportunityPeriod,
    Placement,
    Agreement,
)


@dataclass(frozen=True)
class PartnersSummary:
    """What a load created, per table (exact counts), and how long it took."""

    organisations: int = 0
    contacts: int = 0
    affiliations: int = 0
    stage_changes: int = 0
    interactions: int = 0
    follow_ups: int = 0
    commitments: int = 0
    opportunities: int = 0
    periods: int = 0
    placements: int = 0
    compliance_items: int = 0
    agreements: int = 0
    seconds: float = 0.0

    def plus(self, other: PartnersSummary) -> PartnersSummary:
        return PartnersSummary(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def load_region(
    *,
    progress: Callable[[str], None] | None = None,
    organisations: int = REGION_ORGANISATIONS,
    interactions: int = REGION_INTERACTIONS,
    placements: int = REGION_PLACEMENTS,
    seed: int = PARTNERS_REGION_SEED,
    today: datetime.date | None = None,
) -> PartnersSummary:
    """Give every regional school (``region-*``) its share of the totals, one
    transaction per school. A load interrupted half-way is refused (``DemoError``)."""
    started = time.perf_counter()
    schools = list(Institution.objects.filter(slug__startswith="region-").order_by("pk"))
    if not schools:
        return PartnersSummary()
    if Organisation.objects.filter(institution__in=schools).exists():
        raise DemoError(
            "An earlier regional partnerships load did not finish. "
            "Use `guildhouse demo --reset --scale region`."
        )
    today = today or timezone.localdate()
    rng = random.Random(seed)
    total = PartnersSummary()
    for n, school in enumerate(schools):
        share = _share(n, len(schools))
        created = load_partners(
            school,
            organisations=share(organisations),
            interactions=share(interactions),
            placements=share(placements),
            rng=rng,
            today=today,
        )
        total = total.plus(created)
        if progress is not None:
            progress(
                f"partners {n + 1}/{len(schools)}: {school.name}, "
                f"{created.organisations:,} organisations, {created.interactions:,} "
                f"interactions, {created.placements:,} placements ({created.seconds:.1f} s)"
            )
    return replace(total, seconds=round(time.perf_counter() - started, 2))


def _share(index: int, count: int) -> Callable[[int], int]:
    """The ``index``-th of ``count`` near-equal parts of a total (the parts add up)."""
    return lambda total: total // count + (1 if index < total % count else 0)


def load_partners(
    institution: Institution,
    *,
    organisations: int,
    interactions: int,
    placements: int,
    rng: random.Random | None = None,
    today: datetime.date | None = None,
) -> PartnersSummary:
    """Add ``organisations`` partners with about ``interactions`` interactions and up to
    ``placements`` placements (fewer if the school has too few learners or places) to
    ``institution``, in one transaction. Works on any institution with staff; the
    region load and the query-count tests use it."""
    started = time.perf_counter()
    rng = rng or random.Random(PARTNERS_REGION_SEED)
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        plan = _Plan.start(institution, rng=rng, today=today)
        plan.organisations(organisations)
        plan.interactions(interactions)
        plan.commitments()
        plan.opportunities(placements)
        plan.agreements()
        summary = plan.write()
        admin = plan.admin
        audit_record(
            actor=admin.user if admin else None,
            institution=institution,
            action="partners_bulk_load",
            obj=institution,
            changes={k: v for k, v in summary.__dict__.items() if k != "seconds"},
        )
    return replace(summary, seconds=round(time.perf_counter() - started, 2))


class _Table:
    """Rows for one table, written in one go at the end."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        meta = model._meta
        self.model = model
        self.table = meta.db_table
        self.fields: list[models.Field[Any, Any]] = []
        for name in fields:
            found = meta.get_field(name)
            assert isinstance(found, models.Field)
            self.fields.append(found)
        self.columns = [str(f.column) for f in self.fields]
        self.rows: list[tuple[Any, ...]] = []

    def add(self, *values: Any) -> None:
        self.rows.append(values)

    def write(self) -> int:
        if not self.rows:
            return 0
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        table = connection.ops.quote_name(self.table)
        json_at = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        if json_at:
                            row = tuple(
                                json.dumps(v) if i in json_at else v for i, v in enumerate(row)
                            )
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                convert = [self._sqlite_value(f) for f in self.fields]
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 (our names)
                    [tuple(c(v) for c, v in zip(convert, row, strict=True)) for row in self.rows],
                )
        return len(self.rows)

    @staticmethod
    def _sqlite_value(f: models.Field[Any, Any]) -> Callable[[Any], Any]:
        if isinstance(f, models.DateTimeField):
            return lambda v: connection.ops.adapt_datetimefield_value(v)
        if isinstance(f, models.DateField):
            return lambda v: v.isoformat() if v is not None else None
        if isinstance(f, models.DecimalField):
            return lambda v: str(v) if v is not None else None
        if isinstance(f, models.JSONField):
            return json.dumps
        return lambda v: v


class _Ids:
    """The next free id of a table whose rows get their ids here."""

    def __init__(self, model: type[models.Model]) -> None:
        self.next = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def take(self) -> int:
        self.next += 1
        return self.next - 1


@dataclass
class _Org:
    id: int
    name: str
    sector: str
    trade: str
    stage: Stage
    entered: datetime.datetime
    created: datetime.datetime
    domain: str
    owners: list[int]
    contacts: list[int] = field(default_factory=list)
    last_contact: datetime.date | None = None


@dataclass(frozen=True)
class _Period:
    id: int
    opportunity_id: int
    org: _Org
    starts_on: datetime.date
    ends_on: datetime.date
    capacity: int
    placing: bool
    programmes: list[int]
    requirements: list[str]


@dataclass
class _Plan:
    """One institution's partnership rows, generated in memory, then written."""

    institution: Institution
    rng: random.Random
    today: datetime.date
    now: datetime.datetime
    stages: list[Stage]
    staff: list[Membership]
    coordinators: list[Membership]
    admin: Membership | None
    learners_by_programme: dict[int, list[int]]
    programmes_by_field: dict[str, list[int]]
    partner_accounts: list[Membership]
    user_of: dict[int, int]  # staff membership id -> user id
    orgs: list[_Org] = field(default_factory=list)
    org_rows: list[tuple[Any, ...]] = field(default_factory=list)
    tables: dict[str, _Table] = field(default_factory=dict)

    @classmethod
    def start(cls, institution: Institution, *, rng: random.Random, today: datetime.date) -> _Plan:
        members = Membership.objects.filter(institution=institution, is_active=True)
        staff = list(members.filter(role__in=STAFF_ROLES).select_related("user").order_by("pk"))
        if not staff:
            raise DemoError(f"{institution.name} has no staff to own its partnerships.")
        by_programme: dict[int, list[int]] = {}
        for pk, programme_id in members.filter(role=Role.LEARNER).values_list(
            "pk", "learner_profile__programme_id"
        ):
            if programme_id is not None:
                by_programme.setdefault(programme_id, []).append(pk)
        by_field: dict[str, list[int]] = {}
        for pk, fld in institution.programmes.values_list("pk", "field"):
            by_field.setdefault(fld, []).append(pk)
        linked = Contact.objects.filter(membership__isnull=False).values("membership_id")
        plan = cls(
            institution=institution,
            rng=rng,
            today=today,
            now=datetime.datetime.combine(today, datetime.time(12), tzinfo=datetime.UTC),
            stages=services.stages_ensure(institution=institution),
            staff=staff,
            coordinators=[m for m in staff if m.role == Role.COORDINATOR] or staff,
            admin=next((m for m in staff if m.role == Role.ADMIN), None),
            learners_by_programme=by_programme,
            programmes_by_field=by_field,
            user_of={m.pk: m.user_id for m in staff},
            partner_accounts=list(
                members.filter(role=Role.PARTNER)
                .exclude(pk__in=linked)
                .select_related("user")
                .order_by("pk")
            ),
        )
        plan._tables()
        return plan

    def _tables(self) -> None:
        t = self.tables
        t["org"] = _Table(
            Organisation,
            [
                "id",
                "institution_id",
                "name",
                "name_key",
                "kind",
                "sector",
                "size",
                "street_address",
                "postcode",
                "city",
                "region",
                "website",
                "website_domain",
                "skill_needs",
                "source",
                "stage_id",
                "stage_entered_at",
                "last_contact_on",
                "check_in_every_days",
                "created_at",
                "created_by_id",
            ],
        )
        t["tag"] = _Table(Tag, ["id", "institution_id", "name"])
        t["org_tag"] = _Table(Organisation.tags.through, ["organisation_id", "tag_id"])
        t["org_owner"] = _Table(Organisation.owners.through, ["organisation_id", "membership_id"])
        t["contact"] = _Table(
            Contact,
            ["id", "institution_id", "full_name", "email", "phone", "membership_id", "created_at"],
        )
        t["affiliation"] = _Table(
            Affiliation, ["contact_id", "organisation_id", "role", "start_date", "end_date"]
        )
        t["stage_change"] = _Table(
            StageChange, ["organisation_id", "from_stage_id", "to_stage_id", "actor_id", "at"]
        )
        t["note"] = _Table(ResearchNote, ["organisation_id", "author_id", "body", "created_at"])
        t["interaction"] = _Table(
            Interaction,
            [
                "id",
                "organisation_id",
                "kind",
                "occurred_on",
                "summary",
                "created_by_id",
                "created_at",
            ],
        )
        t["interaction_staff"] = _Table(
            Interaction.staff.through, ["interaction_id", "membership_id"]
        )
        t["interaction_contact"] = _Table(
            Interaction.contacts.through, ["interaction_id", "contact_id"]
        )
        t["follow_up"] = _Table(
            FollowUp,
            [
                "organisation_id",
                "interaction_id",
                "description",
                "owner_id",
                "due_on",
                "done_at",
                "done_by_id",
                "created_at",
            ],
        )
        t["commitment"] = _Table(
            Commitment,
            [
                "organisation_id",
                "side",
                "description",
                "owner_id",
                "due_on",
                "status",
                "delivered_on",
                "created_by_id",
                "created_at",
            ],
        )
        t["opportunity"] = _Table(
            Opportunity,
            [
                "id",
                "organisation_id",
                "kind",
                "title",
                "description",
                "location",
                "starts_on",
                "ends_on",
                "requirements",
                "is_open",
                "created_by_id",
                "created_at",
            ],
        )
        t["opportunity_programme"] = _Table(
            Opportunity.programmes.through, ["opportunity_id", "programme_id"]
        )
        t["period"] = _Table(
            OpportunityPeriod,
            ["id", "opportunity_id", "starts_on", "ends_on", "capacity", "confirmed"],
        )
        t["placement"] = _Table(
            Placement,
            [
                "id",
                "period_id",
                "learner_id",
                "starts_on",
                "ends_on",
                "supervisor_name",
                "supervisor_email",
                "supervisor_phone",
                "hours",
                "status",
                "confirmed_at",
                "confirmed_by_id",
                "created_by_id",
                "created_at",
            ],
        )
        t["compliance"] = _Table(
            ComplianceItem,
            [
                "placement_id",
                "kind",
                "reference",
                "valid_from",
                "valid_until",
                "recorded_by_id",
                "recorded_at",
            ],
        )
        t["agreement"] = _Table(
            Agreement,
            [
                "id",
                "organisation_id",
                "kind",
                "title",
                "starts_on",
                "ends_on",
                "review_on",
                "our_responsibilities",
                "their_responsibilities",
                "amends_id",
                "status",
                "signed_on",
                "document",
                "document_name",
                "created_by_id",
                "created_at",
            ],
        )
        t["signatory"] = _Table(Signatory, ["agreement_id", "side", "name", "position"])
        t["contribution"] = _Table(
            Contribution, ["agreement_id", "side", "kind", "description", "value"]
        )

    # --- helpers ----------------------------------------------------------------------

    def _days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)

    def _at(self, day: datetime.date) -> datetime.datetime:
        hour = self.rng.randint(8, 16)
        return datetime.datetime.combine(
            day, datetime.time(hour, self.rng.choice((0, 15, 30, 45))), tzinfo=datetime.UTC
        )

    def _user_id(self, membership_id: int) -> int:
        return self.user_of[membership_id]

    # --- organisations ----------------------------------------------------------------

    def organisations(self, count: int) -> None:
        rng, t = self.rng, self.tables
        ids = _Ids(Organisation)
        contact_ids = _Ids(Contact)
        tag_ids = []
        next_tag = _Ids(Tag)
        taken_tags = set(Tag.objects.filter(institution=self.institution).values_list("name"))
        for name in _TAGS:
            if (name,) not in taken_tags:
                tag_ids.append(next_tag.take())
                t["tag"].add(tag_ids[-1], self.institution.pk, name)
        town = self.institution.city or self.institution.short_name or "Port Aldwin"
        towns = [town, town, town, *rng.sample(_PLACES, 4)]
        sectors = list(_SECTOR_WEIGHTS)
        weights = list(_SECTOR_WEIGHTS.values())
        names = set(
            Organisation.objects.filter(institution=self.institution).values_list(
                "name_key", flat=True
            )
        )
        open_stages = [s for s in self.stages if not s.is_closed]
        accounts = list(self.partner_accounts)
        for _ in range(count):
            sector = rng.choices(sectors, weights)[0]
            trade = rng.choice(_TRADES[sector])
            kind, name = self._org_name(sector, trade, rng.choice(towns))
            key = services.name_key(name)
            while key in names:  # two firms of one name in one town would confuse people
                name = f"{name.split(' (')[0]} ({rng.choice(_PLACES)})"
                key = services.name_key(name)
            names.add(key)
            stage = rng.choices(self.stages, _STAGE_WEIGHTS[: len(self.stages)])[0]
            days_in_stage = int(rng.expovariate(1 / 70)) + 1
            if stage == self.stages[0]:
                days_in_stage = min(days_in_stage, 60)
            entered = self.now - datetime.timedelta(days=days_in_stage, minutes=rng.randint(0, 600))
            # Earlier steps of the pipeline, each two to eight weeks before the next.
            if stage in open_stages:
                path = open_stages[: open_stages.index(stage) + 1]
            else:
                path = [*open_stages, stage]
            when = entered
            steps = []
            for earlier, later in zip(reversed(path[:-1]), reversed(path[1:]), strict=True):
                steps.append((earlier, later, when))
                when -= datetime.timedelta(days=rng.randint(14, 56))
            created = when
            domain = f"{slugify(name.split(' (')[0])[:40]}.{slugify(town)}.example"
            owners = rng.sample(self.staff, k=min(len(self.staff), rng.choice((1, 1, 1, 2))))
            if self.coordinators and rng.random() < 0.5:
                owners[0] = rng.choice(self.coordinators)
            owner_ids = list(dict.fromkeys(m.pk for m in owners))
            org = _Org(
                id=ids.take(),
                name=name,
                sector=sector,
                trade=trade,
                stage=stage,
                entered=entered,
                created=created,
                domain=domain,
                owners=owner_ids,
            )
            self.orgs.append(org)
            creator = self._user_id(owner_ids[0])
            self.org_rows.append(
                (
                    org.id,
                    self.institution.pk,
                    name,
                    key,
                    kind,
                    sector if kind != K.CHAMBER else "",
                    rng.choice(list(OrganisationSize.values)),
                    f"{rng.randint(1, 120)} {rng.choice(_PLACES)} {rng.choice(_STREETS)}",
                    f"{rng.randint(10, 99)}{rng.randint(100, 999)}",
                    town,
                    "North Coast",
                    f"https://www.{domain}",
                    domain,
                    rng.choice(_SKILL_NEEDS[sector]) if rng.random() < 0.6 else "",
                    rng.choices(list(Source.values), (40, 15, 15, 5, 10, 15))[0],
                    stage.pk,
                    entered,
                    None,  # last contact: set once the interactions are known
                    rng.choice((None, None, None, 30, 45, 90)),
                    created,
                    creator,
                )
            )
            for tag in rng.sample(tag_ids, k=min(len(tag_ids), rng.choice((0, 0, 1, 1, 2)))):
                t["org_tag"].add(org.id, tag)
            for owner in owner_ids:
                t["org_owner"].add(org.id, owner)
            for earlier, later, at in steps:
                t["stage_change"].add(org.id, earlier.pk, later.pk, creator, at)
            if rng.random() < 0.3:
                t["note"].add(
                    org.id,
                    creator,
                    f"Found through {rng.choice(_FOUND_THROUGH)}. "
                    f"{rng.choice(_SKILL_NEEDS[sector])}",
                    created + datetime.timedelta(days=1),
                )
            # Contacts: people at the firm; now and then one who moved here from another.
            n_contacts = rng.choice((0, 1, 1)) if stage == self.stages[0] else rng.randint(1, 3)
            for _n in range(n_contacts):
                first, last = person_name(rng)
                contact_id = contact_ids.take()
                account = (
                    accounts.pop(0) if accounts and stage.name == self.stages[5].name else None
                )
                email = (
                    account.user.email
                    if account
                    else f"{email_part(first)}.{email_part(last)}@{domain}"
                )
                t["contact"].add(
                    contact_id,
                    self.institution.pk,
                    account.user.full_name if account else f"{first} {last}",
                    email,
                    f"+358 40 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                    account.pk if account else None,
                    created,
                )
                start = created.date() - datetime.timedelta(days=rng.randint(100, 3000))
                t["affiliation"].add(contact_id, org.id, rng.choice(_ROLES), start, None)
                if len(self.orgs) > 1 and rng.random() < 0.08:
                    before = rng.choice(self.orgs[:-1])
                    t["affiliation"].add(
                        contact_id,
                        before.id,
                        rng.choice(_ROLES),
                        start - datetime.timedelta(days=rng.randint(400, 2000)),
                        start - datetime.timedelta(days=1),
                    )
                org.contacts.append(contact_id)

    def _org_name(self, sector: str, trade: str, town: str) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.12:
            kind, pattern, _sector = rng.choice(_OTHER_KINDS)
            return kind, pattern.format(
                town=town, sector=_SECTOR_WORD[sector], place=rng.choice(_PLACES)
            )
        who = person_name(rng)[1] if rng.random() < 0.5 else rng.choice((*_PLACES, town))
        legal = rng.choice(_LEGAL)
        return K.BUSINESS, f"{who} {trade} {legal}".strip()

    # --- interactions -----------------------------------------------------------------

    def interactions(self, total: int) -> None:
        """About ``total`` interactions, spread by stage: none for most prospects, many
        for long-standing partners; the last contact is derived from them."""
        rng, t = self.rng, self.tables
        stage_index = {s.pk: i for i, s in enumerate(self.stages)}
        weight = (0.05, 0.4, 1.0, 1.5, 2.0, 2.6, 1.2, 0.8)
        weights = [
            weight[min(stage_index[o.stage.pk], len(weight) - 1)] * rng.uniform(0.3, 1.7)
            for o in self.orgs
        ]
        scale = total / sum(weights) if weights and sum(weights) else 0
        ids = _Ids(Interaction)
        kinds = list(_KIND_WEIGHTS)
        kind_weights = list(_KIND_WEIGHTS.values())
        for org, w in zip(self.orgs, weights, strict=True):
            n = int(w * scale + rng.random())
            if n == 0:
                continue
            first_day = (self.now - org.created).days
            last_day = 0
            if org.stage.is_closed:
                last_day = max(1, (self.now - org.entered).days)
            elif rng.random() < 0.25:  # a quarter have gone quiet for a while
                last_day = rng.randint(20, 200)
            span = max(1, first_day - last_day)
            days = sorted((last_day + rng.randrange(span) for _ in range(n)), reverse=True)
            for ago in days:
                day = self._days_ago(ago)
                kind = rng.choices(kinds, kind_weights)[0]
                owner = org.owners[0] if rng.random() < 0.8 else rng.choice(self.staff).pk
                interaction_id = ids.take()
                t["interaction"].add(
                    interaction_id,
                    org.id,
                    kind,
                    day,
                    rng.choice(_SUMMARIES[kind]),
                    self._user_id(owner),
                    self._at(day),
                )
                t["interaction_staff"].add(interaction_id, owner)
                if org.contacts:
                    t["interaction_contact"].add(interaction_id, rng.choice(org.contacts))
                if rng.random() < 0.1:
                    due = day + datetime.timedelta(days=rng.randint(3, 21))
                    done = ago > 25 or rng.random() < 0.3
                    done_at = self._at(min(due, self.today)) if done else None
                    t["follow_up"].add(
                        org.id,
                        interaction_id,
                        rng.choice(_FOLLOW_UPS),
                        owner,
                        due,
                        done_at,
                        self._user_id(owner) if done else None,
                        self._at(day),
                    )
            org.last_contact = self._days_ago(days[-1])

    # --- promises ---------------------------------------------------------------------

    def commitments(self) -> None:
        rng, t = self.rng, self.tables
        for org in self.orgs:
            index = self.stages.index(org.stage)
            n = rng.randint(2, 6) if 4 <= index <= 6 else rng.choice((0, 0, 1))
            for _ in range(n):
                side, description = rng.choice(_PROMISES)
                due = self._days_ago(rng.randint(-60, 500))
                status, delivered = "open", None
                if due < self.today and rng.random() < 0.8:
                    status = "delivered"
                    delivered = due + datetime.timedelta(days=rng.choice((-5, -2, 0, 0, 1, 9)))
                elif due < self.today and rng.random() < 0.3:
                    status = "cancelled"
                t["commitment"].add(
                    org.id,
                    side,
                    description,
                    org.owners[0],
                    due,
                    status,
                    delivered,
                    self._user_id(org.owners[0]),
                    self._at(due - datetime.timedelta(days=30)),
                )

    # --- opportunities and placements --------------------------------------------------

    def opportunities(self, placements: int) -> None:
        """Opportunities of partners at pilot stage or beyond, with periods, and
        placements on them until ``placements`` (past periods nearly full)."""
        rng, t = self.rng, self.tables
        opportunity_ids, period_ids, placement_ids = (
            _Ids(Opportunity),
            _Ids(OpportunityPeriod),
            _Ids(Placement),
        )
        hosts = [o for o in self.orgs if self.stages.index(o.stage) >= 4]
        all_programmes = [p for ps in self.programmes_by_field.values() for p in ps]
        periods: list[_Period] = []
        for org in hosts:
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                opportunity_id = opportunity_ids.take()
                placing = rng.random() < 0.8
                starts = self._days_ago(rng.randint(-120, 700))
                ends = starts + datetime.timedelta(days=rng.randint(240, 720))
                if placing:
                    kind = rng.choice(_PLACEMENT_KINDS)
                    title = _TITLES[kind].format(trade=org.trade)
                    requirements = rng.sample(list(Requirement.values), rng.randint(0, 2))
                else:
                    kind, pattern = rng.choice(_OTHER_OPPORTUNITIES)
                    title = pattern.format(trade=org.trade, sector=_SECTOR_WORD[org.sector])
                    requirements = []
                t["opportunity"].add(
                    opportunity_id,
                    org.id,
                    kind,
                    title[:200],
                    "",
                    org.name.split(" (")[0],
                    starts,
                    ends,
                    requirements,
                    ends >= self.today,
                    self._user_id(org.owners[0]),
                    self._at(starts - datetime.timedelta(days=45)),
                )
                programmes = self.programmes_by_field.get(org.sector) or all_programmes
                chosen = rng.sample(programmes, k=min(len(programmes), rng.choice((1, 1, 2))))
                for programme in chosen:
                    t["opportunity_programme"].add(opportunity_id, programme)
                day = starts
                while day < ends:
                    weeks = rng.choice((4, 6, 8, 10))
                    period_end = min(ends, day + datetime.timedelta(weeks=weeks))
                    period_id = period_ids.take()
                    capacity = rng.randint(1, 6) if placing else rng.randint(1, 3)
                    periods.append(
                        _Period(
                            period_id,
                            opportunity_id,
                            org,
                            day,
                            period_end,
                            capacity,
                            placing,
                            chosen,
                            requirements,
                        )
                    )
                    day = period_end + datetime.timedelta(days=rng.randint(60, 150))
        # Fill placing periods with learners of their programmes.
        placing_periods = [p for p in periods if p.placing]
        rng.shuffle(placing_periods)
        made = 0
        confirmed: dict[int, int] = {}
        for period in placing_periods:
            if made >= placements:
                break
            period_id, capacity, org = period.id, period.capacity, period.org
            starts, ends, requirements = period.starts_on, period.ends_on, period.requirements
            programme_ids = period.programmes
            pool = [p for pid in programme_ids for p in self.learners_by_programme.get(pid, [])]
            if not pool:
                continue
            future = starts > self.today
            want = min(capacity, placements - made, len(pool))
            want = rng.randint(max(1, want - 1), want) if not future else rng.randint(0, want)
            learners = rng.sample(pool, k=want)
            for learner in learners:
                placement_id = placement_ids.take()
                status = "proposed" if future and rng.random() < 0.6 else "confirmed"
                if not future and rng.random() < 0.04:
                    status = "cancelled"
                if status == "confirmed":
                    confirmed[period_id] = confirmed.get(period_id, 0) + 1
                supervisor = person_name(rng)
                coordinator = rng.choice(self.coordinators)
                created = self._at(starts - datetime.timedelta(days=rng.randint(20, 60)))
                t["placement"].add(
                    placement_id,
                    period_id,
                    learner,
                    starts,
                    ends,
                    f"{supervisor[0]} {supervisor[1]}",
                    f"{email_part(supervisor[0])}.{email_part(supervisor[1])}@{org.domain}",
                    "",
                    rng.choice((80, 120, 160, 240, 320)),
                    status,
                    created + datetime.timedelta(days=10) if status == "confirmed" else None,
                    coordinator.user_id if status == "confirmed" else None,
                    coordinator.user_id,
                    created,
                )
                for requirement in requirements:
                    if status == "proposed" and rng.random() < 0.5:
                        continue  # still missing: the placement cannot be confirmed yet
                    t["compliance"].add(
                        placement_id,
                        requirement,
                        f"{org.name.split(' (')[0]}, ref. {rng.randint(10000, 99999)}",
                        starts - datetime.timedelta(days=rng.randint(0, 200)),
                        None
                        if requirement == Requirement.INDUCTION
                        else ends + datetime.timedelta(days=rng.randint(0, 300)),
                        coordinator.user_id,
                        created,
                    )
                made += 1
        for p in periods:
            t["period"].add(
                p.id, p.opportunity_id, p.starts_on, p.ends_on, p.capacity, confirmed.get(p.id, 0)
            )

    # --- agreements -------------------------------------------------------------------

    def agreements(self) -> None:
        rng, t = self.rng, self.tables
        ids = _Ids(Agreement)
        principal = self.admin.user.full_name if self.admin else "Principal"
        for org in self.orgs:
            index = self.stages.index(org.stage)
            if index == 5 and rng.random() < 0.7:
                kind = rng.choice((AgreementKind.PLACEMENT, AgreementKind.COOPERATION))
            elif index == 4 and rng.random() < 0.3:
                kind = AgreementKind.MOU
            elif index in (6, 7) and rng.random() < 0.4:
                kind = AgreementKind.PLACEMENT
            else:
                continue
            agreement_id = ids.take()
            starts = self._days_ago(rng.randint(-30, 1000))
            ends = starts + datetime.timedelta(days=rng.choice((365, 730, 1095)) - 1)
            signed = kind != AgreementKind.MOU and starts <= self.today
            creator = self._user_id(org.owners[0])
            t["agreement"].add(
                agreement_id,
                org.id,
                kind,
                f"{AgreementKind(kind).label} with {org.name.split(' (')[0]}"[:200],
                starts,
                ends,
                starts + datetime.timedelta(days=365),
                "Prepare each learner; visit once a month; assess with the supervisor.",
                "Name a workplace supervisor; run the site induction on the first day.",
                None,
                "signed" if signed else "draft",
                starts - datetime.timedelta(days=rng.randint(5, 30)) if signed else None,
                "",
                "",
                creator,
                self._at(starts - datetime.timedelta(days=40)),
            )
            contact = "" if not org.contacts else person_name(rng)
            t["signatory"].add(agreement_id, "institution", principal, "Principal")
            if contact:
                t["signatory"].add(
                    agreement_id, "partner", f"{contact[0]} {contact[1]}", rng.choice(_ROLES)
                )
            for _ in range(rng.choice((0, 1, 2))):
                side = rng.choice(("institution", "partner"))
                t["contribution"].add(
                    agreement_id,
                    side,
                    rng.choice(("in_kind", "in_kind", "financial")),
                    rng.choice(
                        (
                            "Tools and protective equipment for learners",
                            "Workshop time for a short course",
                            "Supervisor's time, two hours a week",
                            "Travel costs of learners",
                        )
                    ),
                    Decimal(rng.randrange(200, 8000, 50)),
                )

    # --- writing ----------------------------------------------------------------------

    def write(self) -> PartnersSummary:
        t = self.tables
        last = {o.id: o.last_contact for o in self.orgs}
        t["org"].rows = [(*row[:17], last[row[0]], *row[18:]) for row in self.org_rows]
        order = (
            "tag",
            "org",
            "org_tag",
            "org_owner",
            "contact",
            "affiliation",
            "stage_change",
            "note",
            "interaction",
            "interaction_staff",
            "interaction_contact",
            "follow_up",
            "commitment",
            "opportunity",
            "opportunity_programme",
            "period",
            "placement",
            "compliance",
            "agreement",
            "signatory",
            "contribution",
        )
        written = {name: t[name].write() for name in order}
        if connection.vendor == "postgresql":
            reset = connection.ops.sequence_reset_sql(
                no_style(),
                [*_ID_MODELS],
            )
            with connection.cursor() as cursor:
                for sql in reset:
                    cursor.execute(sql)
        return PartnersSummary(
            organisations=written["org"],
            contacts=written["contact"],
            affiliations=written["affiliation"],
            stage_changes=written["stage_change"],
            interactions=written["interaction"],
            follow_ups=written["follow_up"],
            commitments=written["commitment"],
            opportunities=written["opportunity"],
            periods=written["period"],
            placements=written["placement"],
            compliance_items=written["compliance"],
            agreements=written["agreement"],
        )
