"""Every learner-voice page in Finnish: no English left."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from guildhouse.voice import services
from tests.conftest import World
from tests.voice.make import category, released_item


def finnish(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    return client


# English words of our pages that must not survive translation.
ENGLISH = re.compile(
    r"\b(the|and|your|you|with|staff|message|messages|category|receipt|learners?|"
    r"anonymous|support|settings|consultations?|save|send|report|hide|week|status)\b",
    re.IGNORECASE,
)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    html = re.sub(r"\s+", " ", html)
    # The test world's people are called "Learner 13", "Support 231", ...
    return re.sub(r"\b[A-Z][a-z]+ \d+\b", " ", html)


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("learner", "voice:speak_up"),
        ("learner", "voice:item_list"),
        ("learner", "voice:receipt"),
        ("learner", "voice:support_case_open"),
        ("coordinator", "voice:inbox"),
        ("coordinator", "voice:moderation_list"),
        ("coordinator", "voice:settings"),
        ("coordinator", "voice:category_list"),
        ("coordinator", "voice:consultation_list"),
        ("coordinator", "voice:consultation_create"),
        ("support", "voice:support_case_list"),
        ("support", "home"),
    ],
)
def test_pages_are_in_finnish(world: World, role: str, name: str) -> None:
    released_item(world, "Käytävän valot ovat rikki.")
    services.support_case_open(membership=world.learner, message="Soittakaa", contact="")
    client = finnish(world.client_for(world.member(role)))
    response = client.get(reverse(name))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    # The only English allowed is the language switcher's own name of the language.
    leftovers = ENGLISH.findall(text.replace("English", ""))
    assert leftovers == [], text


def test_the_receipt_page_is_in_finnish(world: World) -> None:
    client = finnish(world.client_for(world.learner))
    response = client.post(
        reverse("voice:item_submit"),
        {"text": "Valot", "category": category(world).pk},
    )
    text = visible_text(response.content.decode())
    assert "Lähetetty: säilytä kuittikoodisi" in text
    assert "Koodi näytetään vain nyt." in text
    assert ENGLISH.findall(text.replace("English", "")) == []
