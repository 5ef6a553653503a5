"""Every staff-side learner-voice page against every role, the outsider and an anonymous
visitor. Learners see only the board (and their own receipt thread, on the learner
side); stakeholders only the aggregated reports; another institution gets 404."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import Role
from guildhouse.jobs.models import TrackedJob
from guildhouse.voice.models import (
    Action,
    Assembly,
    Decision,
    Item,
    ItemNote,
    PublicResponse,
    ReceiptMessage,
    ResourceAllocation,
    Responsibility,
    Stakeholder,
    StakeholderInvolvement,
)
from guildhouse.voice.services_reports import report_build, reporting_year
from tests.access_matrix import ROLES, STAFF, Page, check_page
from tests.conftest import World
from tests.voice.make_staff import released_item

pytestmark = pytest.mark.django_db

RUNNERS = frozenset({Role.ADMIN, Role.COORDINATOR})
ADMIN = frozenset({Role.ADMIN})
SECRET = "Secret item text about room 12"


def _item(w: World) -> Item:
    found = Item.objects.filter(institution=w.institution, text=SECRET).first()
    return found or released_item(w.institution, text=SECRET, released_days_ago=30)


def _action(w: World) -> Action:
    item = _item(w)
    action, created = Action.objects.get_or_create(
        institution=w.institution,
        title="Secret action plan",
        defaults={"category": item.category, "owner": w.staff},
    )
    if created:
        action.items.add(item)
    return action


def _assembly(w: World) -> Assembly:
    start = timezone.now() + datetime.timedelta(days=3)
    assembly, _ = Assembly.objects.get_or_create(
        institution=w.institution,
        title="Secret assembly",
        defaults={"starts_at": start, "ends_at": start + datetime.timedelta(hours=1)},
    )
    return assembly


def _stakeholder(w: World) -> Stakeholder:
    stakeholder, _ = Stakeholder.objects.get_or_create(
        institution=w.institution, name="Secret Agency", defaults={"kind": "quality_agency"}
    )
    return stakeholder


def _state(w: World) -> object:
    items = list(Item.objects.filter(institution=w.institution).order_by("pk").values())
    return (
        items,
        list(ItemNote.objects.values("item_id", "text")),
        list(ReceiptMessage.objects.values("item_id", "text")),
        list(PublicResponse.objects.values("item_id", "we_did")),
        list(Action.objects.filter(institution=w.institution).values()),
        list(ResourceAllocation.objects.values("action_id", "kind", "amount")),
        list(Assembly.objects.filter(institution=w.institution).values()),
        list(Decision.objects.values("assembly_id", "text")),
        list(StakeholderInvolvement.objects.values("stakeholder_id", "level")),
        list(Stakeholder.objects.filter(institution=w.institution).values()),
        list(Responsibility.objects.filter(institution=w.institution).values()),
    )


def _url(name: str, obj: object = None) -> object:
    def build(w: World) -> str:
        if obj is None:
            return reverse(f"voice:{name}")
        target = obj(w)  # type: ignore[operator]
        return reverse(f"voice:{name}", args=[target.pk])

    return build


PAGES = [
    Page("item", _url("staff_item", _item), STAFF, secret=lambda w: SECRET),  # type: ignore[arg-type]
    Page(
        "triage",
        _url("staff_item_triage", _item),  # type: ignore[arg-type]
        RUNNERS,
        ok_status=302,
        method="post",
        data={"status": "under_review", "owner": "", "decline_reason": ""},
        state=_state,
    ),
    Page(
        "note",
        _url("staff_item_note", _item),  # type: ignore[arg-type]
        STAFF,
        ok_status=302,
        method="post",
        data={"text": "A note"},
        state=_state,
    ),
    Page(
        "reply",
        _url("staff_item_reply", _item),  # type: ignore[arg-type]
        RUNNERS,
        ok_status=302,
        method="post",
        data={"text": "A reply"},
        state=_state,
    ),
    Page(
        "respond",
        _url("staff_item_respond", _item),  # type: ignore[arg-type]
        RUNNERS,
        ok_status=302,
        method="post",
        data={"you_said": "Rooms", "we_did": "Fixed"},
        state=_state,
    ),
    Page(
        "overdue",
        _url("overdue_list"),  # type: ignore[arg-type]
        STAFF,
        outsider_status=200,
        secret=lambda w: _item(w).text,
        shows=lambda w, m: SECRET,
    ),
    Page(
        "board",
        _url("board"),  # type: ignore[arg-type]
        STAFF | {Role.LEARNER},
        outsider_status=200,
        shows=lambda w, m: "You said, we did",
    ),
    Page(
        "actions",
        _url("action_list"),  # type: ignore[arg-type]
        STAFF,
        outsider_status=200,
        secret=lambda w: _action(w).title,
        shows=lambda w, m: "Secret action plan",
    ),
    Page("action new", _url("action_create"), RUNNERS, outsider_status=200),  # type: ignore[arg-type]
    Page(
        "action",
        _url("action_detail", _action),  # type: ignore[arg-type]
        STAFF,
        secret=lambda w: "Secret action plan",
    ),
    Page("action edit", _url("action_edit", _action), RUNNERS),  # type: ignore[arg-type]
    Page(
        "allocate",
        _url("action_allocate", _action),  # type: ignore[arg-type]
        ADMIN,
        ok_status=302,
        method="post",
        data={"kind": "money", "amount": "100", "note": ""},
        state=_state,
    ),
    Page(
        "assemblies",
        _url("assembly_list"),  # type: ignore[arg-type]
        STAFF,
        outsider_status=200,
        secret=lambda w: _assembly(w).title,
        shows=lambda w, m: "Secret assembly",
    ),
    Page("assembly new", _url("assembly_create"), RUNNERS, outsider_status=200),  # type: ignore[arg-type]
    Page(
        "assembly",
        _url("assembly_detail", _assembly),  # type: ignore[arg-type]
        STAFF,
        secret=lambda w: "Secret assembly",
    ),
    Page("assembly edit", _url("assembly_edit", _assembly), RUNNERS),  # type: ignore[arg-type]
    Page("assembly ics", _url("assembly_ics", _assembly), STAFF),  # type: ignore[arg-type]
    Page(
        "decision",
        _url("assembly_decision", _assembly),  # type: ignore[arg-type]
        RUNNERS,
        ok_status=302,
        method="post",
        data={"text": "Decided"},
        state=_state,
    ),
    Page("people", _url("people"), STAFF, outsider_status=200),  # type: ignore[arg-type]
    Page("training new", _url("training_create"), RUNNERS, outsider_status=200),  # type: ignore[arg-type]
    Page(
        "stakeholders",
        _url("stakeholder_list"),  # type: ignore[arg-type]
        STAFF,
        outsider_status=200,
        secret=lambda w: _stakeholder(w).name,
        shows=lambda w, m: "Secret Agency",
    ),
    Page(
        "stakeholder",
        _url("stakeholder_detail", _stakeholder),  # type: ignore[arg-type]
        STAFF,
        secret=lambda w: "Secret Agency",
    ),
    Page(
        "involvement",
        _url("stakeholder_involvement", _stakeholder),  # type: ignore[arg-type]
        RUNNERS,
        ok_status=302,
        method="post",
        data={"level": "invited", "on": "2026-01-01", "assembly": "", "note": ""},
        state=_state,
    ),
    Page(
        "report",
        _url("report"),  # type: ignore[arg-type]
        STAFF | {Role.STAKEHOLDER},
        outsider_status=200,
        shows=lambda w, m: "Learner voice reports",
    ),
    Page(
        "report refresh (POST)",
        lambda w: reverse("voice:report_refresh"),
        RUNNERS,
        ok_status=302,  # to the job's progress page
        method="post",
        outsider_status=302,  # recomputes the outsider's own institution's report
        state=lambda w: list(
            TrackedJob.objects.filter(institution=w.institution).values_list("pk", "title")
        ),
    ),
    Page(
        "report csv",
        lambda w: reverse("voice:report_export", args=["csv"]),
        STAFF | {Role.STAKEHOLDER},
        outsider_status=302,  # no snapshot in their institution yet: back to the page
        ok_status=200,
    ),
]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_staff_pages_honour_the_access_matrix(world: World, page: Page) -> None:
    if page.name.startswith("report"):
        report_build(institution=world.institution, year=reporting_year(datetime.date.today()))
    assert check_page(world, page) == []


@pytest.mark.parametrize(
    ("name", "data", "model"),
    [
        (
            "responsibility_add",
            {"kind": "engagement_lead", "programme": "", "note": ""},
            Responsibility,
        ),
        ("stakeholder_create", {"name": "Agency", "kind": "ngo"}, Stakeholder),
    ],
)
def test_creation_posts_are_for_coordinators_and_admins(
    world: World, name: str, data: dict[str, str], model: type[Responsibility | Stakeholder]
) -> None:
    url = reverse(f"voice:{name}")
    payload = {**data, "membership": str(world.staff.pk)}
    for role in ROLES:
        if role in RUNNERS:
            continue
        assert world.client_for(world.member(role)).post(url, payload).status_code == 403
    # The outsider's form only offers their own people: refused, nothing here changes.
    world.client_for(world.outsider).post(url, payload)
    assert Client().post(url, payload).status_code == 302
    assert not model.objects.filter(institution=world.institution).exists()
    assert world.client_for(world.coordinator).post(url, payload).status_code == 302
    assert model.objects.filter(institution=world.institution).count() == 1
