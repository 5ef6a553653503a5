"""Check-in campaigns (issue 9, item 7): create from the ready-made template, send to a
filtered set of partners through jobs, answer without an account, results, reminders."""

from __future__ import annotations

import csv
import datetime
import io
import re
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import AuditEvent
from guildhouse.jobs.worker import run_queued_jobs
from guildhouse.notifications.models import Notification
from guildhouse.partners import services, services_campaigns
from guildhouse.partners.models import (
    Campaign,
    CampaignRecipient,
    CampaignResponse,
    CampaignToken,
    Stage,
)
from tests.partners.conftest import PartnerWorld
from tests.partners.make import contact_make, organisation_make

Capture = Callable[..., AbstractContextManager[list[Callable[[], None]]]]
QUESTIONS = [
    "How has your workplace changed?",
    "Which changes will stay?",
    "How can we help?",
    "Can you still host learners?",
]
LINK = re.compile(r"http://[^/]+(/partners/answer/(\d+)/([A-Za-z0-9_-]+)/)")


def _today() -> datetime.date:
    return timezone.localdate()


def _active(pw: PartnerWorld) -> Stage:
    return Stage.objects.get(institution=pw.world.institution, name="Active partner")


def _make_active(pw: PartnerWorld, *orgs: Any) -> None:
    for org in orgs:
        services.organisation_move(
            actor=pw.world.coordinator.user, organisation=org, stage=_active(pw)
        )


def _campaign(pw: PartnerWorld, title: str = "Shutdown check-in", days: int = 14) -> Campaign:
    return services_campaigns.campaign_create(
        actor=pw.world.coordinator.user,
        institution=pw.world.institution,
        title=title,
        intro="",
        questions=QUESTIONS,
        closes_on=_today() + datetime.timedelta(days=days),
    )


def _send(pw: PartnerWorld, campaign: Campaign, capture: Capture) -> list[str]:
    """Send to every active partner through the page; run the email jobs; the links."""
    coordinator = pw.world.client_for(pw.world.coordinator)
    with capture(execute=True):
        response = coordinator.post(
            reverse("partners:campaign_send", args=[campaign.pk]), {"stage": _active(pw).pk}
        )
    assert response.status_code == 302
    run_queued_jobs()
    return [m.group(1) for m in (LINK.search(str(message.body)) for message in mail.outbox) if m]


def test_coordinator_sends_the_shutdown_check_in_and_a_partner_answers_without_an_account(
    pw: PartnerWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    w = pw.world
    coastal, hotel = pw.organisation, pw.other_organisation
    contact_make(
        organisation=hotel, actor=w.coordinator, full_name="Ann Lee", email="ann@hotel.example"
    )
    prospect = organisation_make(institution=w.institution, actor=w.coordinator, name="Far Away Oy")
    contact_make(organisation=prospect, actor=w.coordinator, email="far@away.example")
    _make_active(pw, coastal, hotel)
    coordinator = w.client_for(w.coordinator)

    # The ready-made template fills in the four questions of seed 002.
    page = coordinator.get(
        reverse("partners:campaign_create") + "?template=shutdown"
    ).content.decode()
    assert "\n".join(QUESTIONS) in page
    closes = _today() + datetime.timedelta(days=14)
    response = coordinator.post(
        reverse("partners:campaign_create"),
        {
            "title": "Shutdown check-in",
            "intro": "We would like to hear how you are.",
            "questions": "\n".join(QUESTIONS) + "\n\n",
            "closes_on": closes.isoformat(),
        },
    )
    campaign = Campaign.objects.get(institution=w.institution)
    assert response["Location"] == reverse("partners:campaign_detail", args=[campaign.pk])
    assert (campaign.title, campaign.questions, campaign.closes_on, campaign.sent_at) == (
        "Shutdown check-in",
        QUESTIONS,
        closes,
        None,
    )

    # The preview lists who matches the filter: the two active partners, not the prospect.
    detail = reverse("partners:campaign_detail", args=[campaign.pk])
    preview = coordinator.get(detail, {"stage": _active(pw).pk}).content.decode()
    assert "2 partners match." in preview
    assert "Coastal Motors Ltd" in preview
    assert "Harbour Hotel" in preview
    assert "Far Away Oy" not in preview
    assert "Send to 2 partners" in preview

    mail.outbox.clear()
    links = _send(pw, campaign, django_capture_on_commit_callbacks)
    campaign.refresh_from_db()
    assert campaign.sent_at is not None
    assert sorted(tuple(m.to) for m in mail.outbox) == [
        ("ann@hotel.example",),
        ("tuan@coastal.example",),
    ]
    assert {m.subject for m in mail.outbox} == {"Shutdown check-in"}
    assert "How can we help?" in mail.outbox[0].body
    assert len(links) == 2
    # Only the hash of each secret is stored.
    tokens = {link.rstrip("/").rsplit("/", 1)[1] for link in links}
    stored = set(CampaignToken.objects.values_list("token_hash", flat=True))
    assert stored == {services_campaigns.token_hash(t) for t in tokens}
    assert not stored & tokens

    coastal_link = next(
        link for link, m in zip(links, mail.outbox, strict=True) if m.to == ["tuan@coastal.example"]
    )
    anonymous = Client()
    form = anonymous.get(coastal_link)
    body = form.content.decode()
    assert form.status_code == 200
    assert form["Referrer-Policy"] == "same-origin"
    assert "Riverside Vocational College asks Coastal Motors Ltd:" in body
    for question in QUESTIONS:
        assert question in body

    answer = {
        "respondent_name": "Tuan Pham",
        "answer_0": "Half the workshop works remotely.",
        "answer_1": "Online ordering.",
        "answer_2": "Send us second-year learners.",
        "answer_3": "Yes, two.",
    }
    thanks = anonymous.post(coastal_link, answer)
    assert "Your answers have reached Riverside Vocational College." in thanks.content.decode()
    saved = CampaignResponse.objects.get()
    assert saved.answers == [answer[f"answer_{i}"] for i in range(4)]
    assert saved.respondent_name == "Tuan Pham"
    # The creator hears of the first answer.
    assert list(
        Notification.objects.filter(kind="partners.campaign_answered").values_list(
            "recipient", "subject"
        )
    ) == [(w.coordinator.user.pk, "Coastal Motors Ltd answered “Shutdown check-in”")]

    # Answering again updates the one answer, never a second row; the form shows it.
    again = anonymous.get(coastal_link).content.decode()
    assert "Half the workshop works remotely." in again
    assert "Saving again updates that answer." in again
    anonymous.post(coastal_link, {**answer, "answer_3": "Yes, three from May."})
    assert CampaignResponse.objects.count() == 1
    assert CampaignResponse.objects.get().answers[3] == "Yes, three from May."
    assert Notification.objects.filter(kind="partners.campaign_answered").count() == 1

    # Results: the rate, the answers side by side, and who has not answered.
    results = coordinator.get(detail).content.decode()
    assert "1 of 2 partners have answered." in results
    assert "50 %" in results
    assert "Yes, three from May." in results
    waiting = results.split("Not answered yet")[1]
    assert "Harbour Hotel" in waiting
    assert "Coastal Motors Ltd" not in waiting
    assert "Remind the 1 partner who has not answered" in results

    # The same answers as a spreadsheet: one row per partner, a column per question.
    export = coordinator.get(
        reverse("partners:export", args=["campaign-answers", "csv"]), {"campaign": campaign.pk}
    )
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0] == ["Partner", "Answered on", "Answered by", *QUESTIONS]
    assert [r[0] for r in rows[1:]] == ["Coastal Motors Ltd", "Harbour Hotel"]
    assert rows[1][2:] == [
        "Tuan Pham",
        "Half the workshop works remotely.",
        "Online ordering.",
        "Send us second-year learners.",
        "Yes, three from May.",
    ]
    assert rows[2][1:] == ["", "", "", "", "", ""]

    # The answer is on the partner's page.
    org_page = coordinator.get(
        reverse("partners:organisation_detail", args=[coastal.pk])
    ).content.decode()
    assert "Check-in answers" in org_page
    assert "Online ordering." in org_page
    assert "Answered by Tuan Pham" in org_page

    # Remind the rest: only the hotel is emailed, with a new link; the first still works.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminded = coordinator.post(reverse("partners:campaign_remind", args=[campaign.pk]))
    run_queued_jobs()
    assert reminded.status_code == 302
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ann@hotel.example"], "A reminder: Shutdown check-in")
    ]
    assert CampaignToken.objects.filter(recipient__organisation=hotel).count() == 2
    hotel_links = [link for link in links if link != coastal_link]
    assert anonymous.get(hotel_links[0]).status_code == 200


def test_bad_links_show_a_clear_page_and_change_nothing(
    pw: PartnerWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    w = pw.world
    _make_active(pw, pw.organisation)
    first = _campaign(pw)
    second = _campaign(pw, title="Spring plans")
    mail.outbox.clear()
    link = _send(pw, first, django_capture_on_commit_callbacks)[0]
    mail.outbox.clear()
    contact_make(organisation=pw.other_organisation, actor=w.coordinator, email="ann@hotel.example")
    _make_active(pw, pw.other_organisation)
    coordinator = w.client_for(w.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(
            reverse("partners:campaign_send", args=[second.pk]), {"stage": _active(pw).pk}
        )
    run_queued_jobs()
    hotel_link = next(
        LINK.search(str(m.body)).group(1)  # type: ignore[union-attr]
        for m in mail.outbox
        if m.to == ["ann@hotel.example"]
    )
    _, campaign_id, token = LINK.search("http://x" + link).groups()  # type: ignore[union-attr]
    _, _, hotel_token = LINK.search("http://x" + hotel_link).groups()  # type: ignore[union-attr]
    answer = {"answer_0": "x", "answer_1": "", "answer_2": "", "answer_3": ""}
    anonymous = Client()

    def state() -> object:
        return list(CampaignResponse.objects.values()), list(CampaignToken.objects.values())

    before = state()
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    bad = [
        reverse("partners:campaign_answer", args=[first.pk, tampered]),
        # Another organisation's token, made for another campaign.
        reverse("partners:campaign_answer", args=[first.pk, hotel_token]),
        reverse("partners:campaign_answer", args=[999999, token]),
    ]
    for url in bad:
        for response in (anonymous.get(url), anonymous.post(url, answer)):
            assert response.status_code == 404
            body = response.content.decode()
            assert "This answer link is not valid" in body
            assert "How has your workplace changed?" not in body
    assert state() == before

    # After the closing day the link says the check-in closed, and saves nothing.
    Campaign.objects.filter(pk=first.pk).update(closes_on=_today() - datetime.timedelta(days=1))
    url = reverse("partners:campaign_answer", args=[int(campaign_id), token])
    for response in (anonymous.get(url), anonymous.post(url, answer)):
        assert response.status_code == 410
        assert "This check-in has closed" in response.content.decode()
        assert "Nothing was saved." in response.content.decode()
    assert state() == before
    # An empty answer is refused with a reason, and the campaign stays unanswered.
    hotel_url = reverse("partners:campaign_answer", args=[second.pk, hotel_token])
    empty = anonymous.post(
        hotel_url, {"answer_0": " ", "answer_1": "", "answer_2": "", "answer_3": ""}
    )
    assert empty.status_code == 200
    assert "Answer at least one question." in empty.content.decode()
    assert state() == before


def test_the_database_refuses_a_second_answer_per_organisation(pw: PartnerWorld) -> None:
    campaign = _campaign(pw)
    recipient = CampaignRecipient.objects.create(campaign=campaign, organisation=pw.organisation)
    CampaignResponse.objects.create(recipient=recipient, answers=["a", "", "", ""])
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignResponse.objects.create(recipient=recipient, answers=["b", "", "", ""])
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignRecipient.objects.create(campaign=campaign, organisation=pw.organisation)


def test_a_campaign_is_sent_once_and_never_to_another_institution(pw: PartnerWorld) -> None:
    campaign = _campaign(pw)
    w = pw.world
    with pytest.raises(Exception, match="another institution"):
        services_campaigns.campaign_send(
            actor=w.coordinator.user, campaign=campaign, organisations=[pw.outsider_organisation]
        )
    services_campaigns.campaign_send(
        actor=w.coordinator.user, campaign=campaign, organisations=[pw.organisation]
    )
    with pytest.raises(Exception, match="already been sent"):
        services_campaigns.campaign_send(
            actor=w.coordinator.user, campaign=campaign, organisations=[pw.other_organisation]
        )
    assert list(CampaignRecipient.objects.values_list("organisation__name", flat=True)) == [
        "Coastal Motors Ltd"
    ]


def test_create_form_errors_are_specific_and_keep_the_input(pw: PartnerWorld) -> None:
    coordinator = pw.world.client_for(pw.world.coordinator)
    response = coordinator.post(
        reverse("partners:campaign_create"),
        {
            "title": "Late one",
            "questions": "Q1\n" * 11,
            "closes_on": (_today() - datetime.timedelta(days=1)).isoformat(),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The closing day cannot be in the past." in body
    assert 'value="Late one"' in body
    assert Campaign.objects.count() == 0


def test_campaign_list_and_results_run_a_constant_number_of_queries(pw: PartnerWorld) -> None:
    w = pw.world
    coordinator = w.client_for(w.coordinator)

    def queries(url: str) -> int:
        coordinator.get(url)  # warm the session
        with CaptureQueriesContext(connection) as captured:
            assert coordinator.get(url).status_code == 200
        return len(captured)

    campaign = _campaign(pw)
    orgs = [organisation_make(institution=w.institution, actor=w.coordinator) for _ in range(3)]
    services_campaigns.campaign_send(
        actor=w.coordinator.user, campaign=campaign, organisations=orgs
    )
    detail = reverse("partners:campaign_detail", args=[campaign.pk])
    few_list, few_detail = queries(reverse("partners:campaign_list")), queries(detail)
    more = [organisation_make(institution=w.institution, actor=w.coordinator) for _ in range(6)]
    other = _campaign(pw, title="Second")
    services_campaigns.campaign_send(actor=w.coordinator.user, campaign=other, organisations=more)
    for recipient in other.recipients.all():
        CampaignResponse.objects.create(recipient=recipient, answers=["a", "b", "c", "d"])
    detail_more = reverse("partners:campaign_detail", args=[other.pk])
    assert queries(reverse("partners:campaign_list")) == few_list
    assert queries(detail_more) == few_detail


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need PostgreSQL; SQLite serialises every writer",
)
@pytest.mark.django_db(transaction=True)
def test_ten_people_answering_at_once_leave_one_answer(pw: PartnerWorld) -> None:
    """Colleagues at one partner open the same link and send at the same moment: the
    unique constraint lets one insert in, the others update it; never two rows."""
    campaign = _campaign(pw)
    recipient = services_campaigns.campaign_send(
        actor=pw.world.coordinator.user, campaign=campaign, organisations=[pw.organisation]
    )[0]
    recipient = CampaignRecipient.objects.select_related("campaign", "organisation").get(
        pk=recipient.pk
    )
    barrier = threading.Barrier(10)
    errors: list[BaseException] = []

    def answer(n: int) -> None:
        try:
            barrier.wait()
            services_campaigns.campaign_answer(
                recipient=recipient, respondent_name=f"Person {n}", answers=[f"{n}", "", "", ""]
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert CampaignResponse.objects.filter(recipient=recipient).count() == 1
    saved = CampaignResponse.objects.get(recipient=recipient)
    assert saved.respondent_name == f"Person {saved.answers[0]}"


def test_a_question_too_long_is_refused_and_kept(pw: PartnerWorld) -> None:
    coordinator = pw.world.client_for(pw.world.coordinator)
    long_question = "Why? " * 101
    response = coordinator.post(
        reverse("partners:campaign_create"),
        {
            "title": "Long one",
            "questions": f"Short?\n{long_question}",
            "closes_on": (_today() + datetime.timedelta(days=3)).isoformat(),
        },
    )
    body = response.content.decode()
    assert "A question may have at most 500 characters." in body
    assert long_question.strip() in body
    assert Campaign.objects.count() == 0


def test_a_draft_is_changed_until_it_is_sent(pw: PartnerWorld) -> None:
    w = pw.world
    campaign = services_campaigns.campaign_create(
        actor=w.coordinator.user,
        institution=w.institution,
        title="Spring plans",
        intro="",
        questions=["How many learners next sprnig?"],
        closes_on=timezone.localdate() + datetime.timedelta(days=20),
    )
    client = w.client_for(w.coordinator)
    detail = reverse("partners:campaign_detail", args=[campaign.pk])
    edit = reverse("partners:campaign_edit", args=[campaign.pk])
    assert f'<a class="button secondary" href="{edit}">Change the draft</a>' in (
        client.get(detail).content.decode()
    )
    form = client.get(edit).content.decode()
    assert "How many learners next sprnig?</textarea>" in form
    closes = timezone.localdate() + datetime.timedelta(days=30)
    bad = client.post(edit, {"title": "Spring plans", "questions": "", "closes_on": "2020-01-01"})
    assert bad.status_code == 200
    campaign.refresh_from_db()
    assert campaign.questions == ["How many learners next sprnig?"]
    response = client.post(
        edit,
        {
            "title": "Spring plans 2027",
            "intro": "Two questions.",
            "questions": "How many learners next spring?\nWhich weeks suit you?",
            "closes_on": closes.isoformat(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail
    campaign.refresh_from_db()
    assert (campaign.title, campaign.intro, campaign.questions, campaign.closes_on) == (
        "Spring plans 2027",
        "Two questions.",
        ["How many learners next spring?", "Which weeks suit you?"],
        closes,
    )
    audit = AuditEvent.objects.filter(action="update", object_id=str(campaign.pk)).get()
    assert audit.changes == {"title": "Spring plans 2027", "questions": 2}

    services_campaigns.campaign_send(
        actor=w.coordinator.user, campaign=campaign, organisations=[pw.organisation]
    )
    page = client.get(detail).content.decode()
    assert "Change the draft" not in page
    refused = client.post(
        edit,
        {"title": "Changed after sending", "questions": "Q", "closes_on": closes.isoformat()},
        follow=True,
    )
    assert "This campaign has already been sent: it cannot be changed." in (
        refused.content.decode()
    )
    campaign.refresh_from_db()
    assert campaign.title == "Spring plans 2027"
    with pytest.raises(ValidationError):
        services_campaigns.campaign_update(
            actor=w.coordinator.user,
            campaign=campaign,
            title="x",
            intro="",
            questions=["y"],
            closes_on=closes,
        )
