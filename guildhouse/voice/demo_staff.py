"""Learner-voice demo data of the staff side: a year of answered items, actions with
resources, assemblies with minutes, the people responsible, stakeholders, and reports.

``load_demo_staff`` runs after the learner side's ``load_demo`` (called from it).
A year of history cannot be written through the submission service, which dates
everything "this week" and releases only what waits now: past items and their
batches are written directly, as a release job would have left them, and everything
staff do afterwards (actions, allocations, assemblies, the register) goes through
the services so that the audit log reads like real use.

``load_region`` writes >= 200,000 items across the region's schools in bulk, for the
report benchmark.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from guildhouse.core.demo import DEMO_INSTITUTIONS
from guildhouse.core.models import Institution, Membership, Role
from guildhouse.voice import selectors, services_engagement, services_staff
from guildhouse.voice.models import (
    Action,
    ActionStatus,
    Assembly,
    AssemblyKind,
    Batch,
    Category,
    Channel,
    Item,
    ItemTriage,
    Stakeholder,
    Status,
    Support,
    TrainingSession,
    week_of,
)
from guildhouse.voice.services_reports import report_build, reporting_year

SEED = 1104
REGION_ITEMS = 200_000  # the report benchmark's floor

# Per built-in category: (English, Finnish) things learners write about.
TEXTS: dict[str, list[tuple[str, str]]] = {
    "learning": [
        (
            "Could we get the slides before the theory lessons?",
            "Saisiko diat ennen teoriatunteja?",
        ),
        (
            "The practice tasks come after the test, not before it.",
            "Harjoitustehtävät tulevat vasta kokeen jälkeen.",
        ),
        (
            "We need more time in the workshop before the skills demonstration.",
            "Tarvitsemme enemmän pajatunteja ennen näyttöä.",
        ),
        (
            "The online course platform logs us out in the middle of quizzes.",
            "Verkko-oppimisympäristö kirjaa ulos kesken tehtävien.",
        ),
    ],
    "wellbeing": [
        (
            "The canteen is so loud that some of us skip lunch.",
            "Ruokala on niin meluisa, että osa jättää lounaan väliin.",
        ),
        (
            "Exams pile up in the same week every period.",
            "Kokeet kasautuvat samalle viikolle joka jaksossa.",
        ),
        (
            "There is no quiet room for breaks.",
            "Taukotilaa, jossa olisi hiljaista, ei ole.",
        ),
    ],
    "facilities": [
        (
            "The welding workshop fans are broken again.",
            "Hitsaamon kohdepoistot ovat taas rikki.",
        ),
        (
            "The bike shed has no roof.",
            "Pyöräkatoksessa ei ole kattoa.",
        ),
        (
            "Lockers in the changing room do not lock.",
            "Pukuhuoneen kaapit eivät mene lukkoon.",
        ),
    ],
    "accessibility": [
        (
            "The lift in B building is out of order again.",
            "B-rakennuksen hissi on taas epäkunnossa.",
        ),
        (
            "Handouts are not available in a larger font.",
            "Monisteita ei saa isommalla fontilla.",
        ),
    ],
    "discrimination": [
        (
            "Jokes about accents in the workshop are not funny.",
            "Korostukselle naureskelu pajalla ei ole hauskaa.",
        ),
        (
            "Some group chats are used to leave people out.",
            "Ryhmächatteja käytetään muiden ulos sulkemiseen.",
        ),
    ],
    "placements": [
        (
            "My placement supervisor has no time to supervise.",
            "Työpaikkaohjaajalla ei ole aikaa ohjata.",
        ),
        (
            "Travel to the placement costs more than the allowance.",
            "Matka työssäoppimispaikalle maksaa enemmän kuin korvaus.",
        ),
    ],
    "other": [
        (
            "Bus 14 arrives after the first lesson starts.",
            "Bussi 14 tulee vasta ensimmäisen tunnin alettua.",
        ),
        (
            "The coffee machine takes only cards.",
            "Kahviautomaatti hyväksyy vain kortit.",
        ),
    ],
}
# How many items a week, roughly, and how the categories weigh.
WEIGHTS = {
    "learning": 5,
    "wellbeing": 4,
    "facilities": 4,
    "accessibility": 2,
    "discrimination": 1,
    "placements": 2,
    "other": 2,
}
ANSWERS = {
    "learning": "Teachers now share slides two days before theory lessons.",
    "wellbeing": "A quiet lunch room opens in A-building; exam weeks are planned together.",
    "facilities": "The fans were repaired and a yearly service was added.",
    "accessibility": "The lift was repaired and handouts come in large print on request.",
    "discrimination": "Workshops agreed a respect charter; teachers step in at once.",
    "placements": "Supervisors get a half-day of training; travel allowance was raised.",
    "other": "We asked the city to move bus 14 ten minutes earlier; it now arrives 7:50.",
}


def _digest(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def _history(
    institution: Institution,
    *,
    today: datetime.date,
    weeks: int,
    per_week: int,
    rng: random.Random,
    staff: list[Membership],
    jitter: bool = True,
) -> list[Item]:
    """Released items of the past ``weeks`` (oldest answered and closed), in bulk."""
    channel = selectors.channel_of(institution=institution)
    categories = {
        c.builtin: c for c in Category.objects.filter(institution=institution).exclude(builtin="")
    }
    programmes = list(institution.programmes.order_by("pk"))
    builtins = list(WEIGHTS)
    weights = [WEIGHTS[b] for b in builtins]
    items: list[Item] = []
    triages: list[ItemTriage] = []
    supports: list[Support] = []
    this_monday = week_of(today)
    for back in range(weeks, 0, -1):
        week = this_monday - datetime.timedelta(weeks=back)
        released = timezone.make_aware(
            datetime.datetime.combine(week + datetime.timedelta(days=4), datetime.time(16, 0))
        )
        batch = Batch.objects.create(institution=institution, released_at=released, size=0)
        count = max(1, int(rng.gauss(per_week, per_week / 3))) if jitter else per_week
        for _ in range(count):
            builtin = rng.choices(builtins, weights)[0]
            english, finnish = rng.choice(TEXTS[builtin])
            age_days = (today - week).days
            roll = rng.random()
            if age_days > 60:
                status = (
                    Status.DONE
                    if roll < 0.7
                    else Status.DECLINED
                    if roll < 0.85
                    else Status.ACTION_PLANNED
                )
            elif age_days > 21:
                status = (
                    Status.ACTION_PLANNED
                    if roll < 0.4
                    else Status.UNDER_REVIEW
                    if roll < 0.7
                    else Status.DONE
                )
            else:
                status = Status.NEW if roll < 0.5 else Status.UNDER_REVIEW
            item = Item(
                institution=institution,
                channel=channel,
                category=categories[builtin],
                programme=rng.choice(programmes) if programmes and rng.random() < 0.8 else None,
                text=finnish if rng.random() < 0.45 else english,
                week=week,
                batch=batch,
                status=status,
                decline_reason="The city runs this; we passed it on to them."
                if status == Status.DECLINED
                else "",
                owner=rng.choice(staff) if staff and status != Status.NEW else None,
                support_count=rng.choice([0, 0, 1, 2, 3, 5, 8]),
            )
            item.shuffle = _digest("demo-shuffle", item.pk)
            items.append(item)
            if status != Status.NEW:
                days = rng.choice([1, 2, 3, 5, 8, 12, 20, 30])
                triages.append(
                    ItemTriage(
                        item=item,
                        first_response_at=released + datetime.timedelta(days=days),
                        closed_at=released + datetime.timedelta(days=days + 14)
                        if status in (Status.DONE, Status.DECLINED)
                        else None,
                    )
                )
            supports += [
                Support(item=item, digest=_digest("demo-support", item.pk, n))
                for n in range(item.support_count)
            ]
        Batch.objects.filter(pk=batch.pk).update(size=count)
    Item.objects.bulk_create(items, batch_size=2000)
    ItemTriage.objects.bulk_create(triages, batch_size=2000)
    Support.objects.bulk_create(supports, batch_size=2000)
    return items


def _member(institution: Institution, role: str) -> Membership | None:
    return (
        Membership.objects.filter(institution=institution, role=role, is_active=True)
        .select_related("user", "institution")
        .order_by("pk")
        .first()
    )


def load_demo_staff(*, today: datetime.date) -> None:
    riverside = Institution.objects.get(name=DEMO_INSTITUTIONS["Riverside"])
    admin = _member(riverside, Role.ADMIN)
    coordinator = _member(riverside, Role.COORDINATOR)
    teacher = _member(riverside, Role.STAFF)
    support = _member(riverside, Role.SUPPORT)
    if admin is None or coordinator is None or teacher is None or support is None:
        return
    rng = random.Random(SEED)
    staff = [coordinator, teacher, support]
    with transaction.atomic():
        items = _history(riverside, today=today, weeks=52, per_week=6, rng=rng, staff=staff)
    by_category: dict[str, list[Item]] = {}
    for item in items:
        by_category.setdefault(item.category.builtin, []).append(item)

    # "You said, we did": one public answer per category on a closed item.
    for builtin, answer in ANSWERS.items():
        done = [i for i in by_category.get(builtin, []) if i.status == Status.DONE]
        if done:
            english = next(e for e, f in TEXTS[builtin] if done[0].text in (e, f))
            services_staff.public_response_save(
                actor=coordinator.user,
                item=done[0],
                author=coordinator,
                you_said=english,
                we_did=answer,
            )
    # Replies in a few receipt threads.
    for item in [i for i in items if i.status == Status.UNDER_REVIEW][:4]:
        services_staff.item_reply(
            actor=coordinator.user,
            item=item,
            author=coordinator,
            text="Thank you for raising this. We are looking into it and will reply here.",
        )

    # Assemblies: a spring assembly with minutes, a workshop, a good-practice exchange.
    def at(days: int, hour: int) -> datetime.datetime:
        day = today + datetime.timedelta(days=days)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))

    assembly = services_engagement.assembly_save(
        actor=coordinator.user,
        creator=coordinator,
        assembly=Assembly(
            institution=riverside,
            kind=AssemblyKind.ASSEMBLY,
            title="Learner assembly: what changed this year",
            starts_at=at(-60, 13),
            ends_at=at(-60, 15),
            location="Main hall",
            agenda="1. You said, we did\n2. Canteen noise\n3. Workshop ventilation\n4. Placements",
            invite_learners=True,
            invite_staff=True,
            invite_stakeholders=True,
            learners_attended=86,
            staff_attended=14,
            stakeholders_attended=4,
            minutes="Learners asked for a quiet lunch room and for the workshop fans to be "
            "serviced every year. The principal agreed to fund both. Placement supervisors "
            "will be offered training.",
        ),
    )
    services_engagement.assembly_save(
        actor=coordinator.user,
        creator=coordinator,
        assembly=Assembly(
            institution=riverside,
            kind=AssemblyKind.WORKSHOP,
            title="Workshop: planning exam weeks together",
            starts_at=at(14, 12),
            ends_at=at(14, 14),
            location="Room A201",
            agenda="Learners and teachers plan next period's exam weeks.",
        ),
    )
    services_engagement.assembly_save(
        actor=coordinator.user,
        creator=coordinator,
        assembly=Assembly(
            institution=riverside,
            kind=AssemblyKind.GOOD_PRACTICE,
            title="Exchange of good practice with Hilltop Skills Centre",
            starts_at=at(-20, 9),
            ends_at=at(-20, 12),
            location="Online",
            invite_learners=False,
            minutes="Hilltop showed its learner panel; we showed the You said, we did board.",
        ),
    )
    wellbeing = by_category.get("wellbeing", [])[:3]
    facilities = by_category.get("facilities", [])[:3]
    services_engagement.decision_add(
        actor=coordinator.user,
        assembly=assembly,
        text="Open a quiet lunch room in A-building.",
        items=wellbeing,
    )
    services_engagement.decision_add(
        actor=coordinator.user,
        assembly=assembly,
        text="Service the workshop extractor fans every summer.",
        items=facilities,
    )

    # Actions with the resources the principal allocated.
    plans = [
        (
            "Quiet lunch room in A-building",
            "wellbeing",
            ActionStatus.DONE,
            [("money", "2400"), ("space_hours", "190")],
        ),
        (
            "Yearly service of workshop fans",
            "facilities",
            ActionStatus.IN_PROGRESS,
            [("money", "6800"), ("staff_hours", "16")],
        ),
        (
            "Slides two days before theory lessons",
            "learning",
            ActionStatus.DONE,
            [("staff_hours", "40")],
        ),
        (
            "Training for placement supervisors",
            "placements",
            ActionStatus.PLANNED,
            [("money", "1500"), ("staff_hours", "24")],
        ),
        (
            "Respect charter in the workshops",
            "discrimination",
            ActionStatus.IN_PROGRESS,
            [("curriculum_hours", "6"), ("staff_hours", "12")],
        ),
        ("Large-print handouts on request", "accessibility", ActionStatus.DONE, [("money", "300")]),
    ]
    categories = {c.builtin: c for c in Category.objects.filter(institution=riverside)}
    for n, (title, builtin, status, resources) in enumerate(plans):
        linked = [i for i in by_category.get(builtin, []) if i.status != Status.NEW][:3]
        action = services_staff.action_save(
            actor=coordinator.user,
            creator=coordinator,
            action=Action(
                institution=riverside,
                title=title,
                category=categories[builtin],
                owner=staff[n % len(staff)],
                due_on=today + datetime.timedelta(days=30 * (n - 2)),
                status=status,
                assembly=assembly if builtin in ("wellbeing", "facilities") else None,
                created_on=today - datetime.timedelta(days=40 * (len(plans) - n)),
            ),
            items=linked,
        )
        for kind, amount in resources:
            services_staff.resource_allocate(
                actor=admin.user,
                action=action,
                allocated_by=admin,
                kind=kind,
                amount=Decimal(amount),
                note="Principal's engagement budget",
                allocated_on=action.created_on,
            )

    # Who is responsible, and their training.
    services_engagement.responsibility_add(
        actor=admin.user,
        membership=coordinator,
        kind="engagement_lead",
        programme=None,
        note="Runs assemblies and the board",
    )
    first_programme = riverside.programmes.order_by("pk").first()
    services_engagement.responsibility_add(
        actor=admin.user, membership=teacher, kind="first_contact", programme=first_programme
    )
    services_engagement.responsibility_add(
        actor=admin.user,
        membership=support,
        kind="support",
        programme=None,
        note="Safeguarding and support cases",
    )
    services_engagement.training_save(
        actor=coordinator.user,
        training=TrainingSession(
            institution=riverside,
            title="Listening without intervening: inclusive engagement",
            held_on=today - datetime.timedelta(days=120),
            hours=Decimal(3),
            provider="Inclusion Network Finland",
        ),
        attendees=staff,
    )
    services_engagement.training_save(
        actor=coordinator.user,
        training=TrainingSession(
            institution=riverside,
            title="Running a learner assembly",
            held_on=today - datetime.timedelta(days=75),
            hours=Decimal("1.5"),
            provider="North Coast VET Consortium",
        ),
        attendees=[coordinator, teacher],
    )

    # The stakeholder register.
    reader = _member(riverside, Role.STAKEHOLDER)
    register = [
        ("Finnish Education Evaluation Centre", "quality_agency", "invited"),
        ("North Coast Regional Council", "government", "attended"),
        ("Youth Work Association Nuoret", "ngo", "contributed"),
        ("Riverside Parents' Association", "family_organisation", "attended"),
        ("SAKKI learners' union, Riverside", "learners_association", "contributed"),
        ("Coastal Motors Ltd", "company", "attended"),
        ("A parent of a first-year learner", "parent", "invited"),
    ]
    for name, kind, level in register:
        stakeholder = services_engagement.stakeholder_save(
            actor=coordinator.user,
            stakeholder=Stakeholder(
                institution=riverside,
                name=name,
                kind=kind,
                account=reader if kind == "government" else None,
            ),
        )
        services_engagement.involvement_add(
            actor=coordinator.user,
            stakeholder=stakeholder,
            level=level,
            on=assembly.starts_at.date(),
            assembly=assembly,
        )

    # The reports of this year and the last one.
    year = reporting_year(today)
    for y in (year - 1, year):
        report_build(institution=riverside, year=y)


def load_region(*, progress: Callable[[str], None]) -> None:
    """>= 200,000 released items over the region's schools, in bulk, for the benchmarks."""
    rng = random.Random(SEED + 1)
    today = timezone.localdate()
    schools = list(Institution.objects.exclude(name__in=DEMO_INSTITUTIONS.values()).order_by("pk"))
    if not schools:
        return
    per_school = -(-REGION_ITEMS // len(schools))
    per_week = -(-per_school // 52) + 1
    total = 0
    for school in schools:
        staff = list(
            Membership.objects.filter(
                institution=school, role__in=[Role.STAFF, Role.COORDINATOR], is_active=True
            ).order_by("pk")[:20]
        )
        with transaction.atomic():
            Channel.objects.get_or_create(institution=school)
            selectors.voice_settings(institution=school)
            made = _history(
                school, today=today, weeks=52, per_week=per_week, rng=rng, staff=staff, jitter=False
            )
        total += len(made)
        progress(f"voice: {school.short_name} {len(made)} items ({total} in all)")
    progress(f"voice: {total} items in the region")


__all__ = ["load_demo_staff", "load_region"]
