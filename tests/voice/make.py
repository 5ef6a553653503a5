"""Test helpers of learner voice."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from guildhouse.core.models import Membership, Role
from guildhouse.voice import selectors, services
from guildhouse.voice.models import BuiltinCategory, Category, Item
from tests.conftest import World
from tests.factories import member_make


def category(world: World, builtin: str = BuiltinCategory.FACILITIES) -> Category:
    selectors.voice_settings(institution=world.institution)
    return Category.objects.get(institution=world.institution, builtin=builtin)


def more_learners(world: World, n: int) -> list[Membership]:
    """``n`` more learners of the world's programme (so that it reaches the threshold)."""
    return [
        member_make(institution=world.institution, role=Role.LEARNER, programme=world.programme)
        for _ in range(n)
    ]


def submit(client: Client, text: str, **fields: str) -> str:
    """Post an item through the page; return the receipt code shown."""
    data = {"text": text, "category": str(fields.pop("category", "")), **fields}
    response = client.post(reverse("voice:item_submit"), data)
    assert response.status_code == 200, response.content.decode()[:2000]
    html = response.content.decode()
    start = html.index('<output id="receipt-code">') + len('<output id="receipt-code">')
    return html[start : html.index("</output>", start)]


def released_item(world: World, text: str, *, builtin: str = BuiltinCategory.FACILITIES) -> Item:
    """An anonymous item by the world's learner, released to staff."""
    submitted = services.item_submit(
        membership=world.learner, text=text, category=category(world, builtin)
    )
    services.batch_release(institution=world.institution, force=True)
    return Item.objects.get(pk=submitted.item.pk)
