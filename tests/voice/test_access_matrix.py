"""Every learner-voice page against every role, the outsider and an anonymous visitor.

Learners write, read the public items and their own receipt's thread; staff read the
released inbox; coordinators and admins run the module; only support staff see
identified support cases. Another institution's objects are 404.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import Membership, Role
from guildhouse.voice import selectors, services
from guildhouse.voice.anonymity import receipt_hash
from guildhouse.voice.models import (
    Category,
    Consultation,
    Item,
    Receipt,
    Report,
    Support,
    SupportCase,
    VoiceSettings,
)
from tests.access_matrix import STAFF, Page, check_page
from tests.conftest import World
from tests.voice.make import category

LEARNER = frozenset({Role.LEARNER})
RUNNERS = frozenset({Role.ADMIN, Role.COORDINATOR})
SUPPORT = frozenset({Role.SUPPORT})
REPORTERS = STAFF | LEARNER
SECRET = "Secret words about room 101"
CODE = "ABCD-EFGH-JKMN-PQRS"


def _item(w: World) -> Item:
    found = Item.objects.filter(institution=w.institution, text=SECRET).first()
    if found is not None:
        return found
    submitted = services.item_submit(membership=w.learner, text=SECRET, category=category(w))
    Receipt.objects.filter(item=submitted.item).update(code_hash=receipt_hash(CODE))
    services.batch_release(institution=w.institution, force=True)
    return Item.objects.get(pk=submitted.item.pk)


def _reportable(w: World) -> Item:
    """The item, with reports that never hide it: every role reports it in turn."""
    item = _item(w)
    VoiceSettings.objects.filter(institution=w.institution).update(auto_hide_reports=50)
    return item


def _hidden_item(w: World) -> Item:
    item = _item(w)
    Item.objects.filter(pk=item.pk).update(
        hidden=True, pending_review=True, hidden_reason="Reported"
    )
    return item


def _consultation(w: World) -> Consultation:
    found = Consultation.objects.filter(institution=w.institution).first()
    if found is not None:
        return found
    today = timezone.localdate()
    return services.consultation_save(
        actor=w.coordinator,
        consultation=Consultation(
            question="Secret question of the consultation",
            opens_on=today,
            closes_on=today + datetime.timedelta(days=7),
        ),
        programmes=None,
        cohorts=[],
    ).consultation


def _case(w: World) -> SupportCase:
    found = SupportCase.objects.filter(institution=w.institution).first()
    if found is not None:
        return found
    return services.support_case_open(
        membership=w.learner, message="Secret plea for help", contact=""
    )


def _items(w: World) -> object:
    rows = Item.objects.filter(institution=w.institution).order_by("id").values()
    return list(rows), Support.objects.count(), Report.objects.count()


def _settings(w: World) -> object:
    return list(VoiceSettings.objects.filter(institution=w.institution).values())


def _categories(w: World) -> object:
    selectors.voice_settings(institution=w.institution)
    return list(Category.objects.filter(institution=w.institution).order_by("id").values())


def _consultations(w: World) -> object:
    return list(Consultation.objects.filter(institution=w.institution).order_by("id").values())


def _cases(w: World) -> object:
    return list(SupportCase.objects.filter(institution=w.institution).values())


def _is(text: str) -> Callable[[World, Membership], str]:
    return lambda w, viewer: text


PAGES = [
    Page("speak up", lambda w: reverse("voice:speak_up"), LEARNER, outsider_status=403,
         shows=_is("where anonymity ends")),
    Page("open items", lambda w: (_item(w), reverse("voice:item_list"))[1], LEARNER,
         outsider_status=403, shows=_is(SECRET), secret=lambda w: SECRET),
    Page("receipt form", lambda w: reverse("voice:receipt"), LEARNER, outsider_status=403,
         shows=_is("Receipt code")),
    Page("support case form", lambda w: reverse("voice:support_case_open"), LEARNER,
         outsider_status=403, shows=_is("support staff see your name")),
    Page("consultation", lambda w: reverse("voice:consultation_answer",
         args=[_consultation(w).pk]), LEARNER, shows=_is("Secret question of the consultation"),
         secret=lambda w: "Secret question of the consultation"),
    Page("inbox", lambda w: (_item(w), reverse("voice:inbox"))[1], STAFF, outsider_status=200,
         shows=_is(SECRET), secret=lambda w: SECRET),
    Page("moderation", lambda w: (_hidden_item(w), reverse("voice:moderation_list"))[1],
         RUNNERS, outsider_status=200, shows=_is(SECRET), secret=lambda w: SECRET),
    Page("support cases", lambda w: (_case(w), reverse("voice:support_case_list"))[1],
         SUPPORT, outsider_status=403, shows=_is("Secret plea for help"),
         secret=lambda w: "Secret plea for help"),
    Page("settings", lambda w: reverse("voice:settings"), RUNNERS, outsider_status=200,
         shows=_is("Safeguarding keywords")),
    Page("categories", lambda w: reverse("voice:category_list"), RUNNERS, outsider_status=200,
         shows=_is("Add a category")),
    Page("category", lambda w: reverse("voice:category_edit", args=[category(w).pk]), RUNNERS,
         shows=_is("Response target")),
    Page("consultations", lambda w: (_consultation(w), reverse("voice:consultation_list"))[1],
         RUNNERS, outsider_status=200, shows=_is("Secret question of the consultation"),
         secret=lambda w: "Secret question of the consultation"),
    Page("new consultation", lambda w: reverse("voice:consultation_create"), RUNNERS,
         outsider_status=200, shows=_is("New consultation")),
    Page("consultation edit", lambda w: reverse("voice:consultation_edit",
         args=[_consultation(w).pk]), RUNNERS, shows=_is("Secret question of the consultation"),
         secret=lambda w: "Secret question of the consultation"),
]  # fmt: skip

POSTS = [
    Page("submit", lambda w: reverse("voice:item_submit"), LEARNER, method="post",
         outsider_status=403, state=_items, shows=_is("keep your receipt code"),
         data={"text": "New words", "category": "0"}),
    Page("receipt thread", lambda w: (_item(w), reverse("voice:receipt"))[1], LEARNER,
         method="post", outsider_status=403, data={"code": CODE}, shows=_is(SECRET),
         secret=lambda w: SECRET),
    Page("me too", lambda w: reverse("voice:item_support", args=[_item(w).pk]), LEARNER,
         method="post", ok_status=302, state=_items),
    Page("report", lambda w: reverse("voice:item_report", args=[_reportable(w).pk]), REPORTERS,
         method="post", ok_status=302, state=_items, data={"reason": "spam"}),
    Page("hide", lambda w: reverse("voice:item_hide", args=[_item(w).pk]), RUNNERS,
         method="post", ok_status=302, state=_items, data={"reason": "Names a person"}),
    Page("restore", lambda w: reverse("voice:item_restore", args=[_hidden_item(w).pk]),
         RUNNERS, method="post", ok_status=302, state=_items),
    Page("support case", lambda w: reverse("voice:support_case_open"), LEARNER,
         method="post", ok_status=302, outsider_status=403, state=_cases,
         data={"consent": "on", "message": "Call me"}),
    Page("support case status", lambda w: reverse("voice:support_case_status",
         args=[_case(w).pk]), SUPPORT, method="post", ok_status=302, state=_cases,
         data={"status": "closed"}),
    Page("settings save", lambda w: reverse("voice:settings"), RUNNERS, method="post",
         ok_status=400, outsider_status=400, state=_settings, data={"min_group_size": "2"}),
    Page("category add", lambda w: reverse("voice:category_list"), RUNNERS, method="post",
         ok_status=400, outsider_status=400, state=_categories, data={"name": ""}),
    Page("category save", lambda w: reverse("voice:category_edit", args=[category(w).pk]),
         RUNNERS, method="post", ok_status=400, state=_categories, data={"response_days": "0"}),
    Page("consultation save", lambda w: reverse("voice:consultation_edit",
         args=[_consultation(w).pk]), RUNNERS, method="post", ok_status=400,
         state=_consultations, data={"question": ""}),
]  # fmt: skip


@pytest.mark.parametrize("page", PAGES + POSTS, ids=lambda p: p.name)
def test_voice_page_access(world: World, page: Page) -> None:
    if page.name == "submit":
        # A real category of the world's institution.
        data = {"text": "New words", "category": str(category(world).pk)}
        page = dataclasses.replace(page, data=data)
    assert check_page(world, page) == []


def test_another_institutions_item_is_404_for_every_action(world: World) -> None:
    selectors.voice_settings(institution=world.other_institution)
    other = services.item_submit(
        membership=world.outsider_learner,
        text="Hilltop words",
        category=Category.objects.get(institution=world.other_institution, builtin="other"),
    ).item
    services.batch_release(institution=world.other_institution, force=True)
    for name, who in (
        ("voice:item_support", world.learner),
        ("voice:item_report", world.learner),
        ("voice:item_hide", world.coordinator),
        ("voice:item_restore", world.admin),
    ):
        response = world.client_for(who).post(reverse(name, args=[other.pk]), {"reason": "spam"})
        assert (name, response.status_code) == (name, 404)
    other.refresh_from_db()
    assert (other.support_count, other.report_count, other.hidden) == (0, 0, False)


def test_an_unreleased_item_is_404_for_staff_and_learners(world: World) -> None:
    waiting = services.item_submit(
        membership=world.learner, text="Not yet released", category=category(world)
    ).item
    for name, who in (("voice:item_support", world.learner), ("voice:item_hide", world.admin)):
        response = world.client_for(who).post(reverse(name, args=[waiting.pk]), {"reason": "x"})
        assert response.status_code == 404
    assert (
        "Not yet released"
        not in world.client_for(world.admin).get(reverse("voice:inbox")).content.decode()
    )
