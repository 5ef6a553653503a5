"""Believable partnership demo data for the demo institutions, written through the
services so that every row has its audit event (per-app demo contract, BRIEF.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guildhouse.core.demo import DEMO_INSTITUTIONS
from guildhouse.core.models import FieldOfEducation as F
from guildhouse.core.models import Institution, Membership, Role
from guildhouse.partners import services
from guildhouse.partners.models import (
    EvaluationBy,
    OpportunityPeriod,
    Organisation,
    RequestStatus,
    Stage,
    StageChange,
)
from guildhouse.partners.models import OrganisationKind as K


@dataclass(frozen=True)
class ContactSpec:
    full_name: str
    email: str
    role: str
    account: bool = False  # the demo login of this email is linked to the contact


@dataclass(frozen=True)
class OrgSpec:
    name: str
    kind: str
    sector: str
    size: str
    city: str
    website: str
    stage: str  # one of the default stage names
    days_in_stage: int
    skill_needs: str = ""
    tags: tuple[str, ...] = ()
    contacts: tuple[ContactSpec, ...] = ()
    notes: tuple[str, ...] = ()
    source: str = "research"
    owned_by_staff_login: bool = False  # staff@riverside.demo owns it
    extra: dict[str, str] = field(default_factory=dict)


RIVERSIDE = (
    OrgSpec(
        "Nordvolt Electrical Services",
        K.BUSINESS,
        F.ENGINEERING,
        "small",
        "Port Aldwin",
        "https://nordvolt.demo",
        "Active partner",
        200,
        "Qualified electricians for solar and heat-pump installations; inspection skills.",
        ("solar", "apprenticeships"),
        (ContactSpec("Jonas Berg", "partner@riverside.demo", "Installation manager", True),),
        ("Hosts two learners every spring; wants apprentices from year 2.",),
        owned_by_staff_login=True,
    ),
    OrgSpec(
        "Harbour Hotel",
        K.BUSINESS,
        F.SERVICES,
        "medium",
        "Port Aldwin",
        "https://harbourhotel.demo",
        "Pilot",
        40,
        "Breakfast chefs and front-desk staff who speak English and Swedish.",
        ("hospitality", "summer jobs"),
        (ContactSpec("Laura Fletcher", "laura.fletcher@harbourhotel.demo", "HR manager", True),),
        ("Pilot: four learners in the kitchen during the spring term.",),
    ),
    OrgSpec(
        "Coastal Motors",
        K.BUSINESS,
        F.ENGINEERING,
        "medium",
        "Port Aldwin",
        "https://coastalmotors.demo",
        "Proposal",
        12,
        "Technicians for electric-vehicle servicing; diagnostics training for their staff.",
        ("electric vehicles",),
        (ContactSpec("Tuan Pham", "tuan.pham@coastalmotors.demo", "Workshop manager", True),),
        ("Proposal sent: EV diagnostics course for their staff in exchange for placements.",),
        owned_by_staff_login=True,
    ),
    OrgSpec(
        "St Brigid's Nursing Centre",
        K.NGO,
        F.HEALTH,
        "small",
        "Port Aldwin",
        "https://stbrigids.demo",
        "Active partner",
        320,
        "Practical nurses for night shifts.",
        ("care",),
        (ContactSpec("Mariam Yusuf", "mariam.yusuf@stbrigids.demo", "Head of care"),),
    ),
    OrgSpec(
        "Port Aldwin Chamber of Commerce",
        K.CHAMBER,
        "",
        "small",
        "Port Aldwin",
        "https://pachamber.demo",
        "Contacted",
        35,
        "Members report a shortage of bookkeepers and ICT support staff.",
        ("network",),
        (ContactSpec("Peter Olsen", "peter.olsen@pachamber.demo", "Director"),),
        ("Could introduce us to 200 member businesses at their spring breakfast.",),
    ),
    OrgSpec(
        "Baltic Data Centre",
        K.BUSINESS,
        F.ICT,
        "large",
        "Kestrel Bay",
        "https://balticdc.demo",
        "Researched",
        10,
        "Network technicians; security clearance needed for site work.",
        ("ICT",),
    ),
    OrgSpec(
        "Greenleaf Bakery",
        K.BUSINESS,
        F.SERVICES,
        "micro",
        "Port Aldwin",
        "https://greenleafbakery.demo",
        "Prospect",
        50,
        tags=("hospitality",),
        source="web_form",
    ),
    OrgSpec(
        "North Coast Development Agency",
        K.DEVELOPMENT_AGENCY,
        "",
        "small",
        "Kestrel Bay",
        "https://ncda.demo",
        "Active partner",
        400,
        "Regional skills forecast: 300 care workers and 120 electricians needed by 2030.",
        ("network", "funding"),
        (ContactSpec("Ingrid Dahl", "ingrid.dahl@ncda.demo", "Skills adviser"),),
    ),
    OrgSpec(
        "Aldwin Accounting",
        K.BUSINESS,
        F.BUSINESS,
        "micro",
        "Port Aldwin",
        "",
        "Paused",
        90,
        notes=("Owner retiring; paused until the new owner starts.",),
    ),
    OrgSpec(
        "Kestrel Bay Council",
        K.PUBLIC_BODY,
        "",
        "large",
        "Kestrel Bay",
        "https://kestrelbay.demo",
        "Contacted",
        5,
        "Apprentices for road maintenance and home-care services.",
        source="referral",
    ),
)

HILLTOP = (
    OrgSpec(
        "Ridge Build",
        K.BUSINESS,
        F.ENGINEERING,
        "medium",
        "Kestrel Bay",
        "https://ridgebuild.demo",
        "Active partner",
        150,
        "Carpenters and site supervisors.",
        ("construction",),
        (ContactSpec("Kofi Owusu", "kofi.owusu@ridgebuild.demo", "Site manager", True),),
    ),
    OrgSpec(
        "Little Oaks Daycare",
        K.BUSINESS,
        F.HEALTH,
        "small",
        "Kestrel Bay",
        "https://littleoaks-daycare.demo",
        "Pilot",
        25,
        "Early-years assistants.",
        ("care",),
        (ContactSpec("Saga Holm", "saga.holm@littleoaks-daycare.demo", "Director", True),),
    ),
    OrgSpec(
        "Hilltop Timber Association",
        K.ASSOCIATION,
        F.ENGINEERING,
        "small",
        "Hilltop",
        "https://timber.demo",
        "Researched",
        40,
        "Members lack CNC machinists.",
    ),
    OrgSpec(
        "Seaview Restaurant",
        K.BUSINESS,
        F.SERVICES,
        "micro",
        "Kestrel Bay",
        "",
        "Prospect",
        3,
        source="event",
    ),
)

SPECS = {"Riverside": RIVERSIDE, "Hilltop": HILLTOP}


def load_demo(*, today: datetime.date) -> None:
    """Organisations, contacts, pipeline history and notes for each demo institution.

    Runs once per database (the demo command keeps a per-app marker); an institution
    that already has organisations is left alone.
    """
    for short_name, specs in SPECS.items():
        institution = Institution.objects.filter(name=DEMO_INSTITUTIONS[short_name]).first()
        if institution is None or Organisation.objects.filter(institution=institution).exists():
            continue
        _load_institution(institution, specs, today=today)
    # Check-in campaigns, an import and reminder settings (demo_campaigns.py).
    from guildhouse.partners.demo_campaigns import load_demo_campaigns

    load_demo_campaigns(today=today)


def _member(institution: Institution, role: str, email: str = "") -> Membership | None:
    members = Membership.objects.filter(institution=institution, role=role).order_by("pk")
    if email:
        members = members.filter(user__email=email)
    return members.select_related("user").first()


def _load_institution(
    institution: Institution, specs: tuple[OrgSpec, ...], *, today: datetime.date
) -> None:
    coordinator = _member(institution, Role.COORDINATOR)
    assert coordinator is not None, "the core demo gives every institution a coordinator"
    staff_login = _member(institution, Role.STAFF, "staff@riverside.demo")
    actor = coordinator.user
    stages = {s.name: s for s in services.pipeline_setup(actor=actor, institution=institution)}
    now = timezone.now()
    for spec in specs:
        owners = [coordinator] + (
            [staff_login] if staff_login and spec.owned_by_staff_login else []
        )
        org = services.organisation_create(
            actor=actor,
            institution=institution,
            name=spec.name,
            kind=spec.kind,
            sector=spec.sector,
            size=spec.size,
            city=spec.city,
            region="North Coast",
            website=spec.website,
            skill_needs=spec.skill_needs,
            source=spec.source,
            tags=spec.tags,
            owners=owners,
            allow_duplicate=True,
            today=today,
        )
        for contact_spec in spec.contacts:
            contact = services.contact_create(
                actor=actor,
                organisation=org,
                full_name=contact_spec.full_name,
                email=contact_spec.email,
                role=contact_spec.role,
                start_date=today - datetime.timedelta(days=700),
            )
            account = _member(institution, Role.PARTNER, contact_spec.email)
            if contact_spec.account and account is not None:
                services.contact_link_account(actor=actor, contact=contact, membership=account)
        _walk_pipeline(org, stages, spec, actor_stage=stages[spec.stage], now=now)
        for body in spec.notes:
            services.note_add(actor=actor, organisation=org, body=body)
        _interactions(org, spec, coordinator=coordinator, today=today)
        _commitments(org, spec, coordinator=coordinator, today=today)
    _opportunities(institution, coordinator=coordinator, today=today)
    _agreements(institution, coordinator=coordinator, today=today)
    from guildhouse.partners import demo_goals  # goals, alignment, CPD and events

    demo_goals.load(institution, coordinator=coordinator, today=today)
    _public_and_feedback(institution, today=today)


def _walk_pipeline(
    org: Organisation,
    stages: dict[str, Stage],
    spec: OrgSpec,
    *,
    actor_stage: Stage,
    now: datetime.datetime,
) -> None:
    """Move ``org`` step by step to its stage, then date the steps back believably."""
    coordinator = org.owners.order_by("pk").first()
    actor = coordinator.user if coordinator else None
    order = [s for s in stages.values() if not s.is_closed]
    path = order[1 : order.index(actor_stage) + 1] if actor_stage in order else [actor_stage]
    for stage in path:
        if actor is not None:
            services.organisation_move(actor=actor, organisation=org, stage=stage)
    # Back-date: the last step happened days_in_stage ago, each earlier one 3 weeks before.
    changes = list(StageChange.objects.filter(organisation=org).order_by("-at", "-pk"))
    when = now - datetime.timedelta(days=spec.days_in_stage)
    for change in changes:
        StageChange.objects.filter(pk=change.pk).update(at=when)
        when -= datetime.timedelta(days=21)
    Organisation.objects.filter(pk=org.pk).update(
        stage_entered_at=now - datetime.timedelta(days=spec.days_in_stage),
        created_at=when + datetime.timedelta(days=21),
    )


# (kind, days ago, summary, follow-up or "", follow-up due in days from today)
_STORY = (
    ("email", 75, "Introduced the school and our placement programme.", "", 0),
    ("call", 40, "Talked through their skill needs and a possible visit.", "Send the brochure", -5),
    (
        "visit",
        9,
        "Visited the site with two teachers; met the workshop team.",
        "Draft a proposal",
        6,
    ),
)


def _interactions(
    org: Organisation, spec: OrgSpec, *, coordinator: Membership, today: datetime.date
) -> None:
    """A short believable history for organisations past the research stage."""
    if spec.stage in ("Prospect", "Researched"):
        return
    contacts = list(org.contacts.all())
    for kind, days_ago, summary, follow_up, due_in in _STORY:
        services.interaction_log(
            actor=coordinator.user,
            organisation=org,
            kind=kind,
            occurred_on=today - datetime.timedelta(days=days_ago + len(spec.name) % 7),
            summary=summary,
            staff=[coordinator],
            contacts=contacts,
            follow_ups=[
                services.FollowUpInput(
                    follow_up, coordinator, today + datetime.timedelta(days=due_in)
                )
            ]
            if follow_up
            else [],
            today=today,
        )


# (stage it applies to, side, promise, due in days from today, delivered days after due or None)
_PROMISES = (
    ("Active partner", "institution", "Send next year's placement dates", -40, -3),
    ("Active partner", "partner", "Name a workplace supervisor for each learner", -20, 4),
    ("Active partner", "partner", "Offer two apprenticeship places", 25, None),
    ("Pilot", "institution", "Run the safety induction before the pilot starts", -10, 0),
    ("Pilot", "partner", "Send feedback on the first pilot week", -2, None),
    ("Proposal", "institution", "Send the EV diagnostics course outline", 7, None),
)


def _commitments(
    org: Organisation, spec: OrgSpec, *, coordinator: Membership, today: datetime.date
) -> None:
    for stage, side, promise, due_in, delivered_after in _PROMISES:
        if stage != spec.stage:
            continue
        due_on = today + datetime.timedelta(days=due_in)
        commitment = services.commitment_add(
            actor=coordinator.user,
            organisation=org,
            side=side,
            description=promise,
            owner=coordinator,
            due_on=due_on,
        )
        if delivered_after is not None:
            services.commitment_close(
                actor=coordinator.user,
                commitment=commitment,
                status="delivered",
                delivered_on=due_on + datetime.timedelta(days=delivered_after),
                today=today,
            )


# (organisation, kind, title, programme code, requirements, places, weeks from today, weeks long)
_OPPORTUNITIES = (
    (
        "Nordvolt Electrical Services",
        "work_placement",
        "Solar installation assistant",
        "ELE",
        ("insurance", "induction"),
        3,
        3,
        6,
    ),
    ("Harbour Hotel", "pilot", "Breakfast kitchen pilot", "HOS", ("induction",), 4, -2, 8),
    ("Coastal Motors", "guest_lecture", "Servicing electric cars safely", "AUT", (), 1, 4, 1),
    ("Ridge Build", "apprenticeship", "Carpentry apprentice", "", ("insurance",), 2, 8, 40),
    (
        "Little Oaks Daycare",
        "work_placement",
        "Early-years assistant",
        "",
        ("background_check",),
        2,
        2,
        5,
    ),
)


def _opportunities(
    institution: Institution, *, coordinator: Membership, today: datetime.date
) -> None:
    """Opportunities with places; at Nordvolt the demo learner is confirmed (documents
    complete) and a classmate is proposed with the induction still missing."""
    actor = coordinator.user
    for org_name, kind, title, code, requirements, places, start_in, weeks in _OPPORTUNITIES:
        org = Organisation.objects.filter(institution=institution, name=org_name).first()
        if org is None:
            continue
        programmes = list(institution.programmes.filter(code=code)) if code else []
        starts_on = today + datetime.timedelta(weeks=start_in)
        ends_on = starts_on + datetime.timedelta(weeks=weeks)
        opportunity = services.opportunity_create(
            actor=actor,
            organisation=org,
            kind=kind,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            location=f"{org.city}",
            programmes=programmes,
            requirements=requirements,
        )
        period = services.period_add(
            actor=actor,
            opportunity=opportunity,
            starts_on=starts_on,
            ends_on=ends_on,
            capacity=places,
        )
        if org_name == "Nordvolt Electrical Services":
            _nordvolt_placements(period, coordinator=coordinator)


def _nordvolt_placements(period: OpportunityPeriod, *, coordinator: Membership) -> None:
    institution = coordinator.institution
    demo_learner = _member(institution, Role.LEARNER, "learner@riverside.demo")
    classmates = (
        Membership.objects.filter(
            institution=institution, role=Role.LEARNER, learner_profile__programme__code="ELE"
        )
        .exclude(user__email="learner@riverside.demo")
        .order_by("pk")
    )
    learners = [m for m in (demo_learner, classmates.first()) if m is not None]
    for n, learner in enumerate(learners):
        placement = services.placement_propose(
            actor=coordinator.user,
            period=period,
            learner=learner,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            hours=180,
            supervisor_name="Jonas Berg",
            supervisor_email="partner@riverside.demo",
        )
        services.compliance_record(
            actor=coordinator.user,
            placement=placement,
            kind="insurance",
            reference="North Coast Mutual, policy 44-1187",
            valid_from=period.starts_on - datetime.timedelta(days=200),
            valid_until=period.ends_on + datetime.timedelta(days=165),
        )
        if n == 0:
            services.compliance_record(
                actor=coordinator.user,
                placement=placement,
                kind="induction",
                reference="Site induction by Jonas Berg",
                valid_from=period.starts_on,
                valid_until=None,
            )
            services.placement_confirm(actor=coordinator.user, placement=placement)


# A one-page PDF ("Signed copy (demo)") so that the download link works in the demo.
_DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 44>>stream\nBT /F1 18 Tf 72 770 Td (Signed copy (demo)) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _agreements(institution: Institution, *, coordinator: Membership, today: datetime.date) -> None:
    """A signed placement agreement with Nordvolt (and an amendment in draft), and a
    draft memorandum with Harbour Hotel."""
    actor = coordinator.user
    nordvolt = Organisation.objects.filter(
        institution=institution, name="Nordvolt Electrical Services"
    ).first()
    if nordvolt is not None:
        start = (
            today.replace(month=8, day=1)
            if today.month >= 8
            else today.replace(year=today.year - 1, month=8, day=1)
        )
        agreement = services.agreement_create(
            actor=actor,
            organisation=nordvolt,
            kind="placement",
            title="Placement agreement with Nordvolt",
            starts_on=start,
            ends_on=start.replace(year=start.year + 2) - datetime.timedelta(days=1),
            review_on=start.replace(year=start.year + 1),
            our_responsibilities=(
                "Prepare each learner with a safety briefing; visit the site once a month; "
                "assess the learner's work with the supervisor."
            ),
            their_responsibilities=(
                "Name a workplace supervisor; run the site induction on the first day; "
                "keep the learner's insurance certificate valid."
            ),
        )
        services.signatory_add(
            actor=actor,
            agreement=agreement,
            side="institution",
            name="Helena Lindqvist",
            position="Principal",
        )
        services.signatory_add(
            actor=actor,
            agreement=agreement,
            side="partner",
            name="Jonas Berg",
            position="Installation manager",
        )
        services.contribution_add(
            actor=actor,
            agreement=agreement,
            side="partner",
            kind="in_kind",
            description="Tools and protective equipment for two learners",
            value=Decimal("1800"),
        )
        services.contribution_add(
            actor=actor,
            agreement=agreement,
            side="institution",
            kind="in_kind",
            description="Inspection course for two Nordvolt electricians",
            value=Decimal("2400"),
        )
        services.agreement_sign(
            actor=actor,
            agreement=agreement,
            signed_on=start - datetime.timedelta(days=14),
            document=SimpleUploadedFile("nordvolt-placement-agreement.pdf", _DEMO_PDF),
            today=today,
        )
        services.agreement_create(
            actor=actor,
            organisation=nordvolt,
            kind="placement",
            title="Amendment: three places from next spring",
            starts_on=today,
            amends=agreement,
        )
    hotel = Organisation.objects.filter(institution=institution, name="Harbour Hotel").first()
    if hotel is not None:
        services.agreement_create(
            actor=actor,
            organisation=hotel,
            kind="mou",
            title="Memorandum on the kitchen pilot",
            starts_on=today,
            review_on=today + datetime.timedelta(days=90),
            our_responsibilities="Choose four learners and brief them on kitchen hygiene.",
            their_responsibilities="Give feedback on each learner after every week.",
        )


# --- Value proposition, public page, feedback, placement requests (issue 9: 4, 9, 10, 12)

_OFFERS = {
    "Riverside": {
        "headline": "Skilled people for the North Coast's workplaces",
        "introduction": (
            "Riverside trains electricians, cooks, mechanics and care workers for the region. "
            "Working with us is how businesses meet their next employees early, and keep "
            "their own staff's skills up to date."
        ),
        "talent_pool": (
            "About 900 learners in six programmes; 120 electricians and 80 cooks complete "
            "each June. Placements run in spring and autumn, from 4 to 12 weeks."
        ),
        "customised_training": (
            "Short courses for your staff on your premises or ours: electrical inspection, "
            "hygiene passports, first aid, and Finnish for work."
        ),
        "facilities": (
            "A training kitchen, an electrical lab with solar and heat-pump rigs, and a "
            "vehicle workshop you can book for tests and product demonstrations."
        ),
        "expertise": (
            "Teachers who come from industry and keep returning to it; help with apprenticeship "
            "paperwork and with designing a workplace induction."
        ),
    },
    "Hilltop": {
        "headline": "Carpenters and carers for Kestrel Bay",
        "introduction": "Hilltop Skills Centre trains for construction and for care.",
        "talent_pool": "Sixty carpentry and forty early-years learners complete each year.",
        "customised_training": "",
        "facilities": "A timber workshop with CNC machines.",
        "expertise": "",
    },
}


def _public_and_feedback(institution: Institution, *, today: datetime.date) -> None:
    """The published offer, stories, testimonials, survey answers, enquiries from the
    public page, placement requests and end-of-placement evaluations."""
    from guildhouse.partners import services_public

    coordinator = _member(institution, Role.COORDINATOR)
    assert coordinator is not None
    actor = coordinator.user
    short = next(k for k, v in DEMO_INSTITUTIONS.items() if v == institution.name)
    services_public.offer_save(
        actor=actor, institution=institution, is_published=True, **_OFFERS[short]
    )
    orgs = {o.name: o for o in Organisation.objects.filter(institution=institution)}
    if short == "Hilltop":
        story = services_public.story_save(
            actor=actor,
            institution=institution,
            story=None,
            title="Ridge Build's first apprentice finishes",
            body="Tomas started as a placement learner and now leads a framing crew.",
            organisation=orgs.get("Ridge Build"),
        )
        services_public.story_publish(actor=actor, story=story, publish=True)
        return
    nordvolt, hotel = orgs["Nordvolt Electrical Services"], orgs["Harbour Hotel"]
    for title, body, org, publish in (
        (
            "From placement to site foreman",
            "Aleksi came to Nordvolt for eight weeks in his second year. Three years later he "
            "runs their solar crew and supervises our learners himself.",
            nordvolt,
            True,
        ),
        (
            "A breakfast kitchen that trains",
            "Harbour Hotel and our cooks redesigned the breakfast shift so that four learners "
            "practise every station during the spring pilot.",
            hotel,
            True,
        ),
        ("Coastal Motors' EV safety day", "Draft: photos still to come.", None, False),
    ):
        story = services_public.story_save(
            actor=actor,
            institution=institution,
            story=None,
            title=title,
            body=body,
            organisation=org,
        )
        if publish:
            services_public.story_publish(actor=actor, story=story, publish=True)
    jonas = nordvolt.contacts.get(email="partner@riverside.demo")
    laura = hotel.contacts.filter(email="laura.fletcher@harbourhotel.demo").first()
    quote = services_public.partner_testimonial_create(
        actor=actor,
        organisation=nordvolt,
        contact=jonas,
        quote="Riverside's learners arrive knowing the safety rules. Two of our electricians "
        "started as their placement learners.",
        author_name="Jonas Berg",
        author_title="Installation manager, Nordvolt",
        consent_note="Signed consent form, kept with the placement agreement",
    )
    services_public.partner_testimonial_publish(actor=actor, testimonial=quote, publish=True)
    if laura is not None:
        services_public.partner_testimonial_create(
            actor=actor,
            organisation=hotel,
            contact=laura,
            quote="The pilot gave us two summer cooks we would not have found otherwise.",
            author_name="Laura Fletcher",
            author_title="HR manager, Harbour Hotel",
        )  # waits for Laura's consent in the portal
        services_public.satisfaction_answer(
            actor=actor,
            contact=laura,
            organisation=hotel,
            score=8,
            comments="Good learners; the paperwork before the pilot took too long.",
            today=today,
        )
    services_public.interest_submit(
        institution=institution,
        organisation_name="Baltic Bakery Oy",
        full_name="Maija Virtanen",
        email="maija.virtanen@balticbakery.demo",
        interests=["placements", "recruiting"],
        message="We open a second bakery in May and need two trainee bakers.",
        today=today,
    )
    services_public.interest_submit(
        institution=institution,
        organisation_name="Harbour Hotel Ltd",
        full_name="Peter Lund",
        email="peter.lund@harbourhotel.demo",
        interests=["training"],
        message="Could you run a hygiene course for our new kitchen staff?",
        today=today,
    )
    # A placement that ends this week: Jonas and Aino each have an evaluation to give.
    learner = _member(institution, Role.LEARNER, "learner@riverside.demo")
    opportunity = services.opportunity_create(
        actor=actor,
        organisation=nordvolt,
        kind="job_shadowing",
        title="Heat-pump servicing: job shadowing",
        starts_on=today - datetime.timedelta(days=25),
        ends_on=today + datetime.timedelta(days=3),
        location="Port Aldwin",
    )
    period = services.period_add(
        actor=actor,
        opportunity=opportunity,
        starts_on=opportunity.starts_on,
        ends_on=today + datetime.timedelta(days=3),
        capacity=2,
    )
    classmate = (
        Membership.objects.filter(institution=institution, role=Role.LEARNER)
        .exclude(user__email="learner@riverside.demo")
        .order_by("pk")
        .first()
    )
    for n, person in enumerate(p for p in (learner, classmate) if p is not None):
        placement = services.placement_propose(
            actor=actor,
            period=period,
            learner=person,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            hours=120,
            supervisor_name="Jonas Berg",
            supervisor_email="partner@riverside.demo",
        )
        services.placement_confirm(actor=actor, placement=placement)
        if n == 1:  # the classmate's placement is already evaluated by both sides
            services_public.evaluation_submit(
                actor=jonas.membership.user if jonas.membership else actor,
                placement=placement,
                by=EvaluationBy.EMPLOYER,
                rating=4,
                again=True,
                comment="Careful and curious; needs to speak up more on site.",
                today=today,
            )
            services_public.evaluation_submit(
                actor=person.user,
                placement=placement,
                by=EvaluationBy.LEARNER,
                rating=5,
                again=True,
                comment="I learnt more in four weeks than in a term.",
                today=today,
            )
    solar = nordvolt.opportunities.filter(title="Solar installation assistant").first()
    if solar is not None:
        services_public.request_send(
            actor=actor,
            opportunity=solar,
            period=solar.periods.first(),
            programme=institution.programmes.filter(code="ELE").first(),
            places=3,
            starts_on=solar.starts_on,
            ends_on=solar.ends_on or solar.starts_on,
            answer_by=today + datetime.timedelta(days=10),
            message="Three second-year electricians would like to join your solar crews.",
            today=today,
        )
    pilot = hotel.opportunities.first()
    if pilot is not None:
        request = services_public.request_send(
            actor=actor,
            opportunity=pilot,
            places=4,
            starts_on=today + datetime.timedelta(days=60),
            ends_on=today + datetime.timedelta(days=100),
            answer_by=today + datetime.timedelta(days=7),
            message="Could the kitchen pilot continue in the autumn?",
            today=today,
        )
        answerer = laura.membership.user if laura is not None and laura.membership else actor
        services_public.request_answer(
            actor=answerer,
            request=request,
            status=RequestStatus.OFFERED,
            places_offered=3,
            note="Three places; the breakfast shift only.",
        )


# The regional benchmark dataset (issue 9, item 18): the runner calls it after core's
# region, with ``guildhouse demo --scale region``.
from guildhouse.partners.region import load_region  # noqa: E402

__all__ = ["load_demo", "load_region"]
