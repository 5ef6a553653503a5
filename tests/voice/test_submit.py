"""Speaking up through the pages: the notice, the form, the receipt, the batch."""

from __future__ import annotations

import re

from django.urls import reverse

from guildhouse.voice.anonymity import receipt_hash
from guildhouse.voice.models import Item, NamedContact, Receipt
from tests.conftest import World
from tests.voice.make import category, submit


def test_speak_up_page_tells_where_anonymity_ends(world: World) -> None:
    response = world.client_for(world.learner).get(reverse("voice:speak_up"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Before you write: where anonymity ends" in html
    assert "Your words can identify you: a writing style" in html
    assert "If you write that someone is in danger, staff cannot find you to help." in html
    assert '<script id="voice-keywords" type="application/json">' in html


def test_anonymous_submission_shows_the_receipt_code_once(world: World) -> None:
    client = world.client_for(world.learner)
    facilities = category(world)
    code = submit(client, "The workshop door sticks.", category=str(facilities.pk))
    assert re.fullmatch(r"[A-Z2-8]{4}(-[A-Z2-8]{4}){3}", code)
    item = Item.objects.get()
    assert (item.text, item.category, item.batch, item.programme) == (
        "The workshop door sticks.",
        facilities,
        None,
        None,
    )
    assert Receipt.objects.get().code_hash == receipt_hash(code)
    assert not NamedContact.objects.exists()
