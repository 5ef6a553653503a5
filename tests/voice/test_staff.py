"""The staff side through its pages: triage, replies, the board, overdue items, actions
and resources, assemblies, people and stakeholders."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import AuditEvent
from guildhouse.voice.models import (
    Action,
    Assembly,
    Item,
    ItemNote,
    ItemTriage,
    PublicResponse,
    ReceiptMessage,
    ResourceAllocation,
    Stakeholder,
    StakeholderInvolvement,
)
from tests.conftest import World
from tests.voice.make_staff import category, released_item

pytestmark = pytest.mark.django_db


def _item_url(item: Item, suffix: str = "") -> str:
    base = reverse("voice:staff_item", args=[item.pk])
    return f"{base}{suffix}/" if suffix else base


def test_coordinator_triages_an_item_and_the_first_response_is_recorded(world: World) -> None:
    item = released_item(world.institution)
    client = world.client_for(world.coordinator)
    response = client.post(
        _item_url(item, "triage"),
        {"status": "under_review", "owner": world.staff.pk, "decline_reason": ""},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.owner_id, item.decline_reason) == ("under_review", world.staff.pk, "")
    triage = ItemTriage.objects.get(item=item)
    assert triage.first_response_at is not None
    assert triage.closed_at is None
    event = AuditEvent.objects.get(action="voice_triage")
    assert event.changes == {"status": "under_review", "owner": world.staff.pk}
    page = client.get(_item_url(item)).content.decode()
    assert "<dd>Under review</dd>" in page
    assert f"<dd>{world.staff.user.full_name}</dd>" in page


def test_declining_needs_a_reason_and_nothing_changes_without_one(world: World) -> None:
    item = released_item(world.institution)
    client = world.client_for(world.coordinator)
    response = client.post(
        _item_url(item, "triage"), {"status": "declined", "owner": "", "decline_reason": "  "}
    )
    assert response.status_code == 400
    assert "Say why the item is declined." in response.content.decode()
    item.refresh_from_db()
    assert item.status == "new"
    assert not ItemTriage.objects.exists()
    response = client.post(
        _item_url(item, "triage"),
        {"status": "declined", "owner": "", "decline_reason": "The canteen is run by the city."},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.decline_reason) == ("declined", "The canteen is run by the city.")
    assert ItemTriage.objects.get(item=item).closed_at is not None


def test_nobody_can_edit_the_learners_words(world: World) -> None:
    item = released_item(world.institution, text="Original words.")
    client = world.client_for(world.admin)
    client.post(
        _item_url(item, "triage"),
        {"status": "under_review", "owner": "", "decline_reason": "", "text": "Edited words."},
    )
    client.post(_item_url(item, "notes"), {"text": "Note", "item-text": "Edited"})
    item.refresh_from_db()
    assert item.text == "Original words."
    page = client.get(_item_url(item)).content.decode()
    assert "nobody can edit them" in page
    assert 'name="text"' in page  # the note and reply forms
    assert "Original words." in page
    assert '<textarea name="text" cols="40" rows="10"' not in page


def test_staff_member_triages_only_items_they_own(world: World) -> None:
    item = released_item(world.institution)
    client = world.client_for(world.staff)
    data = {"status": "under_review", "owner": "", "decline_reason": ""}
    assert client.post(_item_url(item, "triage"), data).status_code == 403
    item.refresh_from_db()
    assert item.status == "new"
    Item.objects.filter(pk=item.pk).update(owner=world.staff)
    assert client.post(_item_url(item, "triage"), data).status_code == 302
    item.refresh_from_db()
    assert item.status == "under_review"


def test_only_those_who_may_plan_an_action_are_offered_the_link(world: World) -> None:
    """The deep demo crawl followed "Plan an action" as a staff member into a 403."""
    item = released_item(world.institution)
    url = f"{reverse('voice:action_create')}?item={item.pk}"
    link = f'<a href="{url}">Plan an action for this item</a>'
    for member, offered in [
        (world.coordinator, True),
        (world.admin, True),
        (world.staff, False),
        (world.support, False),
    ]:
        page = world.client_for(member).get(_item_url(item)).content.decode()
        assert (link in page) == offered, member.role
        status = world.client_for(member).get(reverse("voice:action_create")).status_code
        assert status == (200 if offered else 403), member.role


def test_internal_notes_are_for_staff_only(world: World) -> None:
    item = released_item(world.institution)
    client = world.client_for(world.support)
    assert client.post(_item_url(item, "notes"), {"text": "Ask facilities."}).status_code == 302
    note = ItemNote.objects.get(item=item)
    assert (note.text, note.author_id) == ("Ask facilities.", world.support.pk)
    assert "Ask facilities." in client.get(_item_url(item)).content.decode()
    response = client.post(_item_url(item, "notes"), {"text": ""})
    assert response.status_code == 400
    assert ItemNote.objects.count() == 1


def test_reply_goes_into_the_receipt_thread(world: World) -> None:
    item = released_item(world.institution)
    client = world.client_for(world.coordinator)
    response = client.post(_item_url(item, "reply"), {"text": "Thank you, we are on it."})
    assert response.status_code == 302
    message = ReceiptMessage.objects.get(item=item)
    assert (message.from_staff, message.author_id, message.position, message.text) == (
        True,
        world.coordinator.pk,
        1,
        "Thank you, we are on it.",
    )
    assert message.sent_at is not None
    assert ItemTriage.objects.get(item=item).first_response_at == message.sent_at
    page = client.get(_item_url(item)).content.decode()
    assert "Thank you, we are on it." in page


def test_public_response_shows_on_the_board_for_learners(world: World) -> None:
    item = released_item(world.institution)
    coordinator = world.client_for(world.coordinator)
    response = coordinator.post(
        _item_url(item, "respond"), {"you_said": "Ventilation is poor.", "we_did": "Fixed it."}
    )
    assert response.status_code == 302
    assert PublicResponse.objects.get(item=item).we_did == "Fixed it."
    board = world.client_for(world.learner).get(reverse("voice:board")).content.decode()
    assert "<strong>You said:</strong> Ventilation is poor." in board
    assert "<strong>We did:</strong> Fixed it." in board
    assert "The workshop ventilation is broken again." not in board
    assert world.client_for(world.stakeholder).get(reverse("voice:board")).status_code == 403
    # Withdrawn: gone from the board.
    coordinator.post(_item_url(item, "respond"), {"withdraw": "1"})
    assert not PublicResponse.objects.exists()
    board = world.client_for(world.learner).get(reverse("voice:board")).content.decode()
    assert "No responses published yet." in board


def test_hidden_and_unreleased_items_are_not_reachable(world: World) -> None:
    item = released_item(world.institution)
    Item.objects.filter(pk=item.pk).update(hidden=True, hidden_reason="Names a teacher")
    client = world.client_for(world.coordinator)
    assert client.get(_item_url(item)).status_code == 404
    Item.objects.filter(pk=item.pk).update(hidden=False, hidden_reason="", batch=None)
    assert client.get(_item_url(item)).status_code == 404


def test_overdue_list_and_home_panel(world: World) -> None:
    category(world.institution, "facilities", days=14)
    late = released_item(world.institution, text="Late one", released_days_ago=20)
    released_item(world.institution, text="Fresh one", released_days_ago=3)
    client = world.client_for(world.coordinator)
    page = client.get(reverse("voice:overdue_list")).content.decode()
    assert "Late one" in page
    assert "Fresh one" not in page
    home = client.get(reverse("home")).content.decode()
    assert "Learner voice: overdue items" in home
    assert "Late one" in home
    client.post(_item_url(late, "triage"), {"status": "under_review", "owner": ""})
    page = client.get(reverse("voice:overdue_list")).content.decode()
    assert "Nothing is overdue." in page
    # Learners' home has no such panel.
    assert (
        "overdue items" not in world.client_for(world.learner).get(reverse("home")).content.decode()
    )


def test_list_pages_run_a_constant_number_of_queries(world: World) -> None:
    client = world.client_for(world.coordinator)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for i in range(n):
            item = released_item(world.institution, text=f"Item {i}", released_days_ago=30)
            PublicResponse.objects.create(item=item, you_said="x", we_did="y")
            action = Action.objects.create(
                institution=world.institution,
                title=f"A{i}",
                category=item.category,
                owner=world.staff,
            )
            action.items.add(item)

    add(2)
    urls = [reverse(n) for n in ("voice:overdue_list", "voice:board", "voice:action_list")]
    before = [count(u) for u in urls]
    add(6)
    assert [count(u) for u in urls] == before


def test_action_with_items_and_resources_management_allocates(world: World) -> None:
    item = released_item(world.institution)
    coordinator = world.client_for(world.coordinator)
    response = coordinator.post(
        reverse("voice:action_create"),
        {
            "title": "Repair the ventilation",
            "description": "",
            "category": item.category_id,
            "owner": world.staff.pk,
            "due_on": "2026-12-15",
            "status": "planned",
            "assembly": "",
            "items": [str(item.pk)],
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.title, action.owner_id, action.due_on) == (
        "Repair the ventilation",
        world.staff.pk,
        datetime.date(2026, 12, 15),
    )
    assert list(action.items.all()) == [item]
    item.refresh_from_db()
    assert item.status == "action_planned"
    url = reverse("voice:action_allocate", args=[action.pk])
    data = {"kind": "money", "amount": "1500", "note": "Facilities budget"}
    # The coordinator cannot allocate: management (admin) does.
    assert coordinator.post(url, data).status_code == 403
    assert not ResourceAllocation.objects.exists()
    admin = world.client_for(world.admin)
    assert admin.post(url, data).status_code == 302
    assert admin.post(url, {"kind": "staff_hours", "amount": "12.5", "note": ""}).status_code == 302
    bad = admin.post(url, {"kind": "money", "amount": "-3", "note": "typo"})
    assert bad.status_code == 400
    assert "Ensure this value is greater than or equal to 0.01." in bad.content.decode()
    assert 'value="typo"' in bad.content.decode()
    assert sorted(ResourceAllocation.objects.values_list("kind", "amount")) == [
        ("money", Decimal("1500.00")),
        ("staff_hours", Decimal("12.50")),
    ]
    page = coordinator.get(reverse("voice:action_detail", args=[action.pk])).content.decode()
    assert "<dt>Money (EUR)</dt><dd>1500.00</dd>" in page
    assert "<dt>Staff hours</dt><dd>12.50</dd>" in page
    assert "Management (the institution's admins) allocates resources." in page


def test_assembly_with_minutes_decisions_and_ics(world: World) -> None:
    item = released_item(world.institution)
    client = world.client_for(world.coordinator)
    response = client.post(
        reverse("voice:assembly_create"),
        {
            "kind": "assembly",
            "title": "Spring learner assembly",
            "starts_at": "2026-03-10T14:00",
            "ends_at": "2026-03-10T15:30",
            "location": "Main hall",
            "agenda": "1. Ventilation\n2. Canteen",
            "invite_learners": "on",
            "invite_staff": "on",
            "learners_attended": "64",
            "staff_attended": "9",
            "stakeholders_attended": "2",
            "minutes": "Learners asked for better ventilation.",
        },
    )
    assert response.status_code == 302
    assembly = Assembly.objects.get()
    assert (assembly.learners_attended, assembly.staff_attended) == (64, 9)
    response = client.post(
        reverse("voice:assembly_decision", args=[assembly.pk]),
        {"text": "Repair the workshop ventilation before May.", "items": [str(item.pk)]},
    )
    assert response.status_code == 302
    decision = assembly.decisions.get()
    assert list(decision.items.all()) == [item]
    page = client.get(reverse("voice:assembly_detail", args=[assembly.pk])).content.decode()
    assert "Learners asked for better ventilation." in page
    assert "64 learners, 9 staff, 2 stakeholders" in page
    assert "Repair the workshop ventilation before May." in page
    ics = client.get(reverse("voice:assembly_ics", args=[assembly.pk]))
    body = ics.content.decode()
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Spring learner assembly" in body
    assert "LOCATION:Main hall" in body
    assert f"UID:voice-assembly-{assembly.pk}@guildhouse" in body
    # No group invited: refused, nothing saved.
    response = client.post(
        reverse("voice:assembly_create"),
        {
            "kind": "workshop",
            "title": "Nobody",
            "starts_at": "2026-03-10T14:00",
            "ends_at": "2026-03-10T13:00",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Invite at least one group." in text
    assert "The end must not be before the start." in text
    assert 'value="Nobody"' in text
    assert Assembly.objects.count() == 1


def test_responsibilities_and_training(world: World) -> None:
    client = world.client_for(world.coordinator)
    response = client.post(
        reverse("voice:responsibility_add"),
        {"membership": world.staff.pk, "kind": "first_contact", "programme": world.programme.pk},
    )
    assert response.status_code == 302
    again = client.post(
        reverse("voice:responsibility_add"),
        {"membership": world.staff.pk, "kind": "first_contact", "programme": world.programme.pk},
    )
    assert again.status_code == 400
    assert "This person already has this responsibility." in again.content.decode()
    response = client.post(
        reverse("voice:training_create"),
        {
            "title": "Listening without intervening",
            "held_on": "2026-01-20",
            "hours": "3",
            "provider": "Inclusion NGO",
            "attendees": [world.staff.pk, world.support.pk],
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("voice:people")).content.decode()
    assert "First contact (teaching staff)" in page
    assert world.staff.user.full_name in page
    assert "<td>Listening without intervening</td>" in page
    assert "<td>2</td>" in page  # staff trained


def test_stakeholder_register_and_involvement(world: World) -> None:
    client = world.client_for(world.coordinator)
    data = {
        "name": "Parents' Association",
        "kind": "family_organisation",
        "contact_name": "",
        "email": "",
        "account": "",
    }
    response = client.post(reverse("voice:stakeholder_create"), data)
    assert response.status_code == 302
    stakeholder = Stakeholder.objects.get()
    again = client.post(reverse("voice:stakeholder_create"), data)
    assert again.status_code == 400
    assert "This stakeholder is already in the register." in again.content.decode()
    response = client.post(
        reverse("voice:stakeholder_involvement", args=[stakeholder.pk]),
        {"level": "contributed", "on": "2026-03-10", "assembly": "", "note": "Spoke on transport"},
    )
    assert response.status_code == 302
    assert StakeholderInvolvement.objects.get().level == "contributed"
    page = client.get(reverse("voice:stakeholder_list")).content.decode()
    assert "Family organisation" in page
    assert "<td>0</td><td>0</td><td>1</td>" in page


def test_first_response_time_is_measured_from_release(world: World) -> None:
    item = released_item(world.institution, released_days_ago=2)
    before = timezone.now()
    world.client_for(world.coordinator).post(_item_url(item, "reply"), {"text": "Hello"})
    triage = ItemTriage.objects.get(item=item)
    assert triage.first_response_at is not None
    assert triage.first_response_at >= before
