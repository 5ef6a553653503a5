"""Interactions and follow-ups; the last-contact date is derived, never typed."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guildhouse.core.models import AuditEvent
from guildhouse.partners import services
from guildhouse.partners.models import FollowUp, Interaction, Organisation
from tests.partners.conftest import PartnerWorld
from tests.partners.make import contact_make


def _log(
    pw: PartnerWorld, day: datetime.date, summary: str = "Talked about spring."
) -> Interaction:
    w = pw.world
    return services.interaction_log(
        actor=w.staff.user,
        organisation=pw.organisation,
        kind="call",
        occurred_on=day,
        summary=summary,
        staff=[w.staff],
    )


def test_staff_log_a_meeting_with_people_and_a_follow_up(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.support)
    today = timezone.localdate()
    url = reverse("partners:interaction_log", args=[pw.organisation.pk])
    form = client.get(url).content.decode()
    assert f'value="{pw.partner_contact.pk}"' in form  # their people to tick
    data = {
        "kind": "meeting",
        "occurred_on": str(today - datetime.timedelta(days=2)),
        "summary": "Agreed two placements in April.",
        "staff": [str(w.support.pk), str(w.staff.pk)],
        "contacts": [str(pw.partner_contact.pk)],
        "follow_up": "Send the placement agreement",
        "follow_up_owner": str(w.staff.pk),
        "follow_up_due_on": str(today + datetime.timedelta(days=5)),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    interaction = Interaction.objects.get(organisation=pw.organisation)
    assert (interaction.kind, interaction.summary, interaction.created_by) == (
        "meeting",
        "Agreed two placements in April.",
        w.support.user,
    )
    assert set(interaction.staff.all()) == {w.support, w.staff}
    assert list(interaction.contacts.all()) == [pw.partner_contact]
    follow_up = FollowUp.objects.get(interaction=interaction)
    assert (follow_up.description, follow_up.owner, follow_up.due_on) == (
        "Send the placement agreement",
        w.staff,
        today + datetime.timedelta(days=5),
    )
    org = Organisation.objects.get(pk=pw.organisation.pk)
    assert org.last_contact_on == today - datetime.timedelta(days=2)
    assert (
        AuditEvent.objects.filter(object_type="partners.interaction", action="create").count() == 1
    )
    page = client.get(reverse("partners:organisation_detail", args=[org.pk])).content.decode()
    assert "Agreed two placements in April." in page
    assert "Send the placement agreement" in page


def test_last_contact_is_the_latest_interaction_and_follows_removals(pw: PartnerWorld) -> None:
    w = pw.world
    today = timezone.localdate()
    older = _log(pw, today - datetime.timedelta(days=30))
    newer = _log(pw, today - datetime.timedelta(days=3))
    _log(pw, today - datetime.timedelta(days=10))  # logged late: does not move it back
    org = Organisation.objects.get(pk=pw.organisation.pk)
    assert org.last_contact_on == today - datetime.timedelta(days=3)
    client = w.client_for(w.staff)  # the author
    assert client.post(reverse("partners:interaction_delete", args=[newer.pk])).status_code == 302
    org.refresh_from_db()
    assert org.last_contact_on == today - datetime.timedelta(days=10)
    # Another staff member who is not its author may not remove it.
    response = w.client_for(w.support).post(reverse("partners:interaction_delete", args=[older.pk]))
    assert response.status_code == 403
    assert Interaction.objects.filter(pk=older.pk).exists()
    list_page = client.get(reverse("partners:organisation_list")).content.decode()
    assert (today - datetime.timedelta(days=10)).strftime("%m/%d/%Y") in list_page


def test_a_future_date_or_someone_elses_contact_is_refused(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.staff)
    stranger = contact_make(organisation=pw.other_organisation, actor=w.coordinator)
    url = reverse("partners:interaction_log", args=[pw.organisation.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    base = {"kind": "call", "summary": "Hello."}
    page = client.post(url, base | {"occurred_on": str(tomorrow)}).content.decode()
    assert "Log an interaction once it has happened; the date is in the future." in page
    page = client.post(
        url,
        base
        | {
            "occurred_on": str(tomorrow - datetime.timedelta(days=1)),
            "contacts": [str(stranger.pk)],
        },
    ).content.decode()
    assert f"Select a valid choice. {stranger.pk} is not one of the available choices." in page
    page = client.post(
        url, base | {"occurred_on": "2025-01-01", "follow_up": "Call back"}
    ).content.decode()
    assert "Who will do it?" in page
    assert "By when?" in page
    assert Interaction.objects.count() == 0
    assert Organisation.objects.get(pk=pw.organisation.pk).last_contact_on is None


def test_follow_ups_are_ticked_off_by_their_owner_and_listed(pw: PartnerWorld) -> None:
    w = pw.world
    today = timezone.localdate()
    overdue = services.follow_up_add(
        actor=w.coordinator.user,
        organisation=pw.other_organisation,
        item=services.FollowUpInput("Send brochure", w.support, today - datetime.timedelta(days=1)),
    )
    later = services.follow_up_add(
        actor=w.coordinator.user,
        organisation=pw.organisation,
        item=services.FollowUpInput(
            "Book a visit", w.coordinator, today + datetime.timedelta(days=9)
        ),
    )
    support = w.client_for(w.support)
    mine = support.get(reverse("partners:follow_up_list")).content.decode()
    assert "Send brochure" in mine
    assert "(overdue)" in mine
    assert "Book a visit" not in mine
    everyone = support.get(reverse("partners:follow_up_list"), {"who": "everyone"}).content.decode()
    assert everyone.index("Send brochure") < everyone.index("Book a visit")
    # Support does not own "Book a visit" nor the organisation: refused, unchanged.
    url = reverse("partners:follow_up_done", args=[later.pk])
    assert support.post(url, {"done": "1"}).status_code == 403
    later.refresh_from_db()
    assert later.done_at is None
    response = support.post(
        reverse("partners:follow_up_done", args=[overdue.pk]),
        {"done": "1", "next": "/partners/follow-ups/"},
    )
    assert response["Location"] == "/partners/follow-ups/"
    overdue.refresh_from_db()
    assert overdue.done_at is not None
    assert overdue.done_by == w.support.user
    assert "Send brochure" not in support.get(reverse("partners:follow_up_list")).content.decode()


def test_partner_page_query_count_does_not_grow_with_its_history(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.coordinator)
    url = reverse("partners:organisation_detail", args=[pw.organisation.pk])
    _log(pw, timezone.localdate())
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    today = timezone.localdate()
    for i in range(30):
        interaction = _log(pw, today - datetime.timedelta(days=i), summary=f"Call {i}")
        services.follow_up_add(
            actor=w.staff.user,
            organisation=pw.organisation,
            item=services.FollowUpInput(f"Do {i}", w.staff, today),
        )
        services.note_add(actor=w.staff.user, organisation=pw.organisation, body=f"Note {i}")
        interaction.contacts.add(pw.partner_contact)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert len(large) == len(small)
    assert page.count('<article class="interaction">') == 20
