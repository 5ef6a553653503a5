"""Learner-voice demo data: Riverside's settings, a consultation, and a first set of items
in English and Finnish, written through the services (per-app demo contract).

Items are submitted as the demo learners and released in one batch, so the inbox,
the public list and the "me too" counts have something to show. A few more wait for
the next batch, as they would on a real morning.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from guildhouse.core.demo import DEMO_INSTITUTIONS
from guildhouse.core.models import Institution, Membership, Role
from guildhouse.voice import selectors, services
from guildhouse.voice.models import BuiltinCategory as C
from guildhouse.voice.models import Category, Consultation, SupportCase, SupportCaseStatus

SUPPORT_NOW = (
    "Talk to Grace Mensah, student counsellor, room A112, Mon-Fri 8-16, tel. 040 555 0101.\n"
    "Kuraattori Grace Mensah, huone A112, ma-pe 8-16, puh. 040 555 0101.\n"
    "Sekasin chat (young people, in Finnish): sekasin.fi. Emergency / hätänumero: 112."
)

# (category, text, supporters, released)
ITEMS: tuple[tuple[str, str, int, bool], ...] = (
    (
        C.FACILITIES,
        "The welding workshop extractor fans have been broken for two weeks; "
        "the air is thick by the afternoon.",
        6,
        True,
    ),
    (C.FACILITIES, "Hitsaamon kohdepoistot eivät toimi, ja iltapäivällä ilma on sakeaa.", 3, True),
    (
        C.LEARNING,
        "Could the electrical theory lessons come with the slides beforehand? "
        "I take notes slowly in English.",
        5,
        True,
    ),
    (C.LEARNING, "Toivoisin enemmän aikaa käytännön harjoituksiin ennen näyttöjä.", 4, True),
    (
        C.WELLBEING,
        "There is nowhere quiet to eat lunch. The canteen is so loud that some of us skip lunch.",
        8,
        True,
    ),
    (
        C.ACCESSIBILITY,
        "The lift in B building is out of order again and the ramp door is locked after 15:00.",
        2,
        True,
    ),
    (C.PLACEMENTS, "Työssäoppimispaikan ohjaaja ei ehdi ohjata, olen lähinnä siivonnut.", 3, True),
    (
        C.DISCRIMINATION,
        "Some comments in the workshop about people's accents are not funny; "
        "teachers hear them and say nothing.",
        5,
        True,
    ),
    (C.OTHER, "Bus 14 arrives five minutes after the first lesson starts.", 7, True),
    (C.WELLBEING, "Kokeiden ajankohdat kasautuvat samalle viikolle joka jaksossa.", 0, False),
    (C.FACILITIES, "The bike shed has no roof; saddles are wet every morning.", 0, False),
)


def _learners(institution: Institution) -> list[Membership]:
    return list(
        Membership.objects.filter(institution=institution, role=Role.LEARNER, is_active=True)
        .select_related("user", "institution")
        .order_by("pk")
    )


def load_demo(*, today: datetime.date) -> None:
    riverside = Institution.objects.get(name=DEMO_INSTITUTIONS["Riverside"])
    settings = selectors.voice_settings(institution=riverside)
    settings.support_now = SUPPORT_NOW
    settings.save(update_fields=["support_now"])
    learners = _learners(riverside)
    if not learners:
        return
    coordinator = (
        Membership.objects.filter(institution=riverside, role=Role.COORDINATOR)
        .select_related("user", "institution")
        .order_by("pk")
        .first()
    )
    if coordinator is not None:
        services.consultation_save(
            actor=coordinator,
            consultation=Consultation(
                question="What would make the library a better place to study?",
                description="The library is being refurbished next spring. Tell us what you "
                "need: opening hours, quiet rooms, group rooms, computers, anything.",
                opens_on=today - datetime.timedelta(days=3),
                closes_on=today + datetime.timedelta(days=25),
            ),
            programmes=None,
            cohorts=[],
        )
    categories = {c.builtin: c for c in Category.objects.filter(institution=riverside)}
    released = []
    for index, (builtin, text, supporters, is_released) in enumerate(ITEMS):
        author = learners[index % len(learners)]
        item = services.item_submit(membership=author, text=text, category=categories[builtin]).item
        if is_released:
            released.append((item, supporters))
        if index == len([i for i in ITEMS if i[3]]) - 1:
            services.batch_release(institution=riverside, now=timezone.now(), force=True)
    for item, supporters in released:
        for supporter in learners[:supporters]:
            services.item_support(membership=supporter, item=item)
    _support_cases(riverside, learners)
    # The staff side's year of history, actions, assemblies, register and reports.
    load_demo_staff(today=today)


def _support_cases(institution: Institution, learners: list[Membership]) -> None:
    """Two learners asked to be contacted: one last week (contacted), one yesterday."""
    support = (
        Membership.objects.filter(institution=institution, role=Role.SUPPORT, is_active=True)
        .select_related("user", "institution")
        .order_by("pk")
        .first()
    )
    if support is None or len(learners) < 3:
        return
    asks = [
        (
            learners[2],
            6,
            "Things at home are hard at the moment and I cannot focus. Could someone call me?",
            "Text me, 040 555 0182",
        ),
        (
            learners[1],
            1,
            "Voisiko joku soittaa? Minulla on vaikeaa kotona.",
            "Iltapäivisin klo 15 jälkeen",
        ),
    ]
    for learner, days_ago, message, contact in asks:
        case = services.support_case_open(membership=learner, message=message, contact=contact)
        SupportCase.objects.filter(pk=case.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_ago, hours=3)
        )
        if days_ago > 2:
            services.support_case_status_set(
                actor=support, case=case, status=SupportCaseStatus.CONTACTED
            )


# The staff side (demo_staff.py): its part of load_demo, and the region generator.
from guildhouse.voice.demo_staff import load_demo_staff, load_region  # noqa: E402

__all__ = ["load_demo", "load_region"]
