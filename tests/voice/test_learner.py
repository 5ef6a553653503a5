"""The learner's side through the pages: safeguarding, named items, receipts, me too."""

from __future__ import annotations

from django.urls import reverse

from guildhouse.core.models import Role
from guildhouse.voice import selectors, services, services_staff
from guildhouse.voice.models import (
    Category,
    Item,
    NamedContact,
    ReceiptMessage,
    Support,
    SupportCase,
)
from tests.conftest import World
from tests.factories import programme_make
from tests.voice.make import category, more_learners, released_item, submit


def test_a_safeguarding_keyword_shows_how_to_get_help_before_anything_is_sent(
    world: World,
) -> None:
    client = world.client_for(world.learner)
    facilities = category(world)
    data = {"text": "I am being bullied in the changing room.", "category": facilities.pk}
    response = client.post(reverse("voice:item_submit"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<section class="card voice-safeguarding" id="safeguarding"' in html
    assert 'role="alert">' in html  # shown, not hidden
    assert "In an emergency call 112." in html
    assert reverse("voice:support_case_open") in html
    assert "I am being bullied in the changing room.</textarea>" in html  # nothing lost
    assert Item.objects.count() == 0
    response = client.post(reverse("voice:item_submit"), {**data, "safeguarding_seen": "on"})
    assert response.status_code == 200
    assert Item.objects.get().text == "I am being bullied in the changing room."
    assert SupportCase.objects.count() == 0  # only the explicit opt-in opens one


def test_finnish_keywords_match_word_starts(world: World) -> None:
    settings = selectors.voice_settings(institution=world.institution)
    assert services.keyword_hits(settings=settings, text="Minua kiusataan joka päivä") == [
        "kiusataan"
    ]
    assert services.keyword_hits(settings=settings, text="Opettaja pahoinpiteli") == ["pahoinpitel"]
    assert services.keyword_hits(settings=settings, text="The debullied code") == []


def test_the_form_page_carries_the_keywords_for_the_script(world: World) -> None:
    html = world.client_for(world.learner).get(reverse("voice:speak_up")).content.decode()
    assert '"bullied"' in html
    assert '"kiusataan"' in html
    assert 'src="/static/voice/voice.js"' in html


def test_the_support_case_is_identified_and_seen_only_by_support_staff(world: World) -> None:
    client = world.client_for(world.learner)
    url = reverse("voice:support_case_open")
    assert "support staff see your name" in client.get(url).content.decode()
    response = client.post(url, {"message": "Please call me", "contact": "040 123"})
    assert response.status_code == 400
    assert "Tick this box to ask support staff to contact you." in response.content.decode()
    assert 'value="040 123"' in response.content.decode()
    assert SupportCase.objects.count() == 0
    response = client.post(
        url, {"message": "Please call me", "contact": "040 123", "consent": "on"}
    )
    assert response.status_code == 302
    case = SupportCase.objects.get()
    assert (case.membership, case.message, case.contact) == (
        world.learner,
        "Please call me",
        "040 123",
    )
    page = world.client_for(world.support).get(reverse("voice:support_case_list"))
    assert world.learner.user.full_name in page.content.decode()
    assert "Please call me" in page.content.decode()
    for role in (Role.COORDINATOR, Role.ADMIN, Role.STAFF):
        denied = world.client_for(world.member(role)).get(reverse("voice:support_case_list"))
        assert denied.status_code == 403
        assert "Please call me" not in denied.content.decode()


def test_a_named_item_is_marked_to_staff(world: World) -> None:
    client = world.client_for(world.learner)
    facilities = category(world)
    response = client.post(
        reverse("voice:item_submit"),
        {"text": "Call me about the lab.", "category": facilities.pk, "contact": "040 1"},
    )
    assert response.status_code == 400
    assert "An anonymous message cannot carry contact details" in response.content.decode()
    assert Item.objects.count() == 0
    submit(
        client,
        "Call me about the lab.",
        category=str(facilities.pk),
        named="on",
        contact="040 1",
    )
    named = NamedContact.objects.get()
    assert (named.membership, named.contact, named.item.text) == (
        world.learner,
        "040 1",
        "Call me about the lab.",
    )
    services.batch_release(institution=world.institution, force=True)
    html = world.client_for(world.staff).get(reverse("voice:inbox")).content.decode()
    assert "Named: personal reply wanted" in html
    # Other learners never see a named item.
    other = world.client_for(more_learners(world, 1)[0])
    assert "Call me about the lab." not in other.get(reverse("voice:item_list")).content.decode()
    assert other.post(reverse("voice:item_support", args=[named.item_id])).status_code == 404


def test_only_programmes_of_at_least_k_learners_may_be_named(world: World) -> None:
    small = programme_make(institution=world.institution, name="Small programme", code="SP")
    more_learners(world, 4)  # the world's programme now has 5 learners: k
    client = world.client_for(world.learner)
    html = client.get(reverse("voice:speak_up")).content.decode()
    assert f'<option value="{world.programme.pk}">Electrical installation</option>' in html
    assert "Small programme" not in html
    response = client.post(
        reverse("voice:item_submit"),
        {"text": "x", "category": category(world).pk, "programme": small.pk},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Item.objects.count() == 0


def test_the_receipt_code_opens_the_thread_and_adds_information(world: World) -> None:
    client = world.client_for(world.learner)
    code = submit(client, "The printer is always empty.", category=str(category(world).pk))
    services.batch_release(institution=world.institution, force=True)
    item = Item.objects.get()
    services_staff.item_reply(
        actor=world.coordinator.user, item=item, author=world.coordinator, text="Paper is ordered."
    )
    # Any learner with the code reads it; the code is typed in lower case with spaces.
    reader = world.client_for(more_learners(world, 1)[0])
    response = reader.post(reverse("voice:receipt"), {"code": code.lower().replace("-", " ")})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The printer is always empty." in html
    assert "Paper is ordered." in html
    assert "Reply from staff" in html
    response = reader.post(reverse("voice:receipt"), {"code": code, "text": "Also room B2."})
    assert response.status_code == 200
    assert "Added. Staff see it with the next batch of messages." in response.content.decode()
    added = ReceiptMessage.objects.get(from_staff=False)
    assert (added.text, added.position, added.batch, added.author, added.sent_at) == (
        "Also room B2.",
        2,
        None,
        None,
        None,
    )


def test_a_wrong_receipt_code_is_refused_clearly(world: World) -> None:
    client = world.client_for(world.learner)
    response = client.post(reverse("voice:receipt"), {"code": "ABCD-EFGH-JKMN-PQRS"})
    assert response.status_code == 400
    assert "No item has this receipt code." in response.content.decode()
    response = client.post(reverse("voice:receipt"), {"code": "ABC"})
    assert "A receipt code has 16 letters and digits in four groups." in response.content.decode()


def test_a_receipt_of_another_institution_opens_nothing(world: World) -> None:
    code = services.item_submit(
        membership=world.outsider_learner,
        text="Hilltop only",
        category=category_of_other(world),
    ).receipt_code
    response = world.client_for(world.learner).post(reverse("voice:receipt"), {"code": code})
    assert response.status_code == 400
    assert "Hilltop only" not in response.content.decode()


def category_of_other(world: World) -> Category:
    selectors.voice_settings(institution=world.other_institution)
    return Category.objects.get(institution=world.other_institution, builtin="other")


def test_me_too_counts_once_per_learner_and_stores_no_name(world: World) -> None:
    item = released_item(world, "We need a quiet room.")
    other = more_learners(world, 1)[0]
    client = world.client_for(other)
    url = reverse("voice:item_support", args=[item.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    item.refresh_from_db()
    assert item.support_count == 1
    assert Support.objects.count() == 1
    html = client.get(reverse("voice:item_list")).content.decode()
    assert "You said “me too”." in html
    assert "1 learner says “me too”" in html
    messages = [str(m) for m in client.get(reverse("voice:item_list")).context["messages"]]
    assert messages == []  # already shown once


def test_n_reports_hide_an_item_for_review(world: World) -> None:
    item = released_item(world, "Teacher X is useless.")
    reporters = more_learners(world, 3)
    for index, reporter in enumerate(reporters):
        client = world.client_for(reporter)
        client.post(reverse("voice:item_report", args=[item.pk]), {"reason": "personal"})
        item.refresh_from_db()
        assert item.hidden is (index == 2)
    assert (item.pending_review, item.report_count, item.hidden_reason) == (
        True,
        3,
        "Hidden automatically after 3 reports.",
    )
    learner_page = world.client_for(world.learner).get(reverse("voice:item_list"))
    assert "Teacher X" not in learner_page.content.decode()
    staff_page = world.client_for(world.staff).get(reverse("voice:inbox"))
    assert "Teacher X" not in staff_page.content.decode()
    coordinator = world.client_for(world.coordinator)
    assert (
        "Teacher X is useless."
        in coordinator.get(reverse("voice:moderation_list")).content.decode()
    )
    coordinator.post(reverse("voice:item_restore", args=[item.pk]))
    item.refresh_from_db()
    assert (item.hidden, item.pending_review, item.hidden_reason) == (False, False, "")
    assert "Teacher X" in staff_page.client.get(reverse("voice:inbox")).content.decode()


def test_a_moderator_hides_with_a_reason_and_cannot_change_the_words(world: World) -> None:
    item = released_item(world, "Names a person: Matti M.")
    coordinator = world.client_for(world.coordinator)
    url = reverse("voice:item_hide", args=[item.pk])
    coordinator.post(url, {"reason": ""})
    item.refresh_from_db()
    assert item.hidden is False
    coordinator.post(url, {"reason": "Names a teacher", "text": "edited words"})
    item.refresh_from_db()
    assert (item.hidden, item.hidden_reason, item.text) == (
        True,
        "Names a teacher",
        "Names a person: Matti M.",
    )
    assert "Matti" not in coordinator.get(reverse("voice:inbox")).content.decode()
    assert world.client_for(world.staff).post(url, {"reason": "x"}).status_code == 403


def test_a_released_batch_reads_in_words_on_the_audit_page(world: World) -> None:
    """The release's audit row counts the batch's items and messages (reverse relations
    of the batch): the audit page crashed on them (HTTP 500, found by a demo crawl)."""
    client = world.client_for(world.learner)
    submit(client, "The printer is always empty.", category=str(category(world).pk))
    services.batch_release(institution=world.institution, force=True)
    admin = world.client_for(world.admin)
    page = admin.get(reverse("audit_list")).content.decode()
    assert "<strong>Items</strong>: 1" in page
    assert "<strong>Messages in receipt threads</strong>: 0" in page
    admin.post(reverse("set_language"), {"language": "fi", "next": "/"})
    page = admin.get(reverse("audit_list")).content.decode()
    assert "<strong>Palautteet</strong>: 1" in page
    assert "<strong>Viestit kuittikoodin keskusteluissa</strong>: 0" in page
