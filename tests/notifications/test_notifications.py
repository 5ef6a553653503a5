"""Notifications: in-app rows, email after commit through the runner, preferences,
the daily summary, language, and login-free unsubscribe."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from guildhouse.core.models import Role, User
from guildhouse.jobs.worker import run_queued_jobs
from guildhouse.notifications import kinds
from guildhouse.notifications.api import KINDS, kinds_for, notify, register_kind
from guildhouse.notifications.emails import DIGEST_KIND, unsubscribe_read, unsubscribe_token
from guildhouse.notifications.models import (
    Delivery,
    EmailSettings,
    EmailState,
    Notification,
    NotificationPreference,
)
from guildhouse.notifications.tasks import notifications_daily_digest
from tests.access_matrix import EVERYONE, Page, check_page
from tests.conftest import World

KIND = kinds.INVITATION_ACCEPTED
register_kind("tests.reminder", label="Test reminders")


def html_part(message: object) -> tuple[str, str]:
    assert isinstance(message, EmailMultiAlternatives)
    content, mimetype = message.alternatives[0]
    return str(content), mimetype


def tell(world: World, user: User, *, kind: str = KIND, name: str = "Aino") -> list[Notification]:
    return notify(
        recipients=[user],
        kind=kind,
        institution=world.institution,
        subject=kinds.INVITATION_ACCEPTED_SUBJECT,
        body=kinds.INVITATION_ACCEPTED_BODY,
        context={"name": name, "institution": world.institution.name},
        url="/people/",
    )


def test_notify_records_in_app_and_emails_after_commit_through_the_runner(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    user = world.coordinator.user
    with django_capture_on_commit_callbacks(execute=True):
        [row] = tell(world, user)
    assert (row.subject, row.body) == (
        "Aino accepted your invitation",
        "Aino has joined Riverside Vocational College.",
    )
    assert mail.outbox == []  # the page does not wait for the mail server
    assert DBTaskResult.objects.count() == 1

    assert run_queued_jobs() == 1
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "[Guildhouse] Aino accepted your invitation"
    assert "Aino has joined Riverside Vocational College." in message.body
    assert "http://127.0.0.1:8000/people/" in message.body
    html, mimetype = html_part(message)
    assert mimetype == "text/html"
    assert "<img" not in str(html)
    assert "Aino accepted your invitation" in str(html)
    header = message.extra_headers["List-Unsubscribe"]
    prefix = "<http://127.0.0.1:8000/notifications/unsubscribe/"
    assert header.startswith(prefix)
    assert header.endswith("/>")
    assert unsubscribe_read(header[len(prefix) : -2]) == (user.pk, KIND)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = header[1:-1]
    assert unsubscribe in message.body
    assert unsubscribe in html
    row.refresh_from_db()
    assert row.email_state == EmailState.SENT
    assert row.emailed_at is not None


def test_no_email_when_the_transaction_that_asked_for_it_rolls_back(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                tell(world, world.coordinator.user)
                raise RuntimeError("the save failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    run_queued_jobs()
    assert mail.outbox == []


def test_email_is_written_in_the_recipients_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    user = world.coordinator.user
    EmailSettings.objects.create(user=user, language="fi")
    with django_capture_on_commit_callbacks(execute=True):
        [row] = tell(world, user)
    assert row.subject == "Aino hyväksyi kutsusi"
    run_queued_jobs()
    [message] = mail.outbox
    assert message.subject == "[Guildhouse] Aino hyväksyi kutsusi"
    assert "Lopeta nämä viestit:" in message.body
    assert '<html lang="fi">' in str(html_part(message)[0])


def test_in_app_only_sends_no_email(world: World, django_capture_on_commit_callbacks: Any) -> None:
    user = world.staff.user
    NotificationPreference.objects.create(user=user, kind=KIND, delivery=Delivery.IN_APP)
    with django_capture_on_commit_callbacks(execute=True):
        [row] = tell(world, user)
    assert row.email_state == EmailState.NONE
    assert DBTaskResult.objects.count() == 0


def test_the_daily_summary_collects_waiting_notifications_and_is_never_empty(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    reader, idle = world.coordinator.user, world.staff.user
    for user in (reader, idle):
        NotificationPreference.objects.create(user=user, kind=KIND, delivery=Delivery.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        tell(world, reader, name="Aino")
        tell(world, reader, name="Omar")
    assert DBTaskResult.objects.count() == 0  # waits for the summary
    tomorrow = timezone.now() + datetime.timedelta(days=1)

    notifications_daily_digest.call(period_start=tomorrow)
    [summary] = mail.outbox  # nobody else had anything waiting: no empty summary
    assert summary.to == [reader.email]
    assert summary.subject == "[Guildhouse] Your daily summary: 2 new notifications"
    assert "* Aino accepted your invitation" in summary.body
    assert "* Omar accepted your invitation" in summary.body
    assert Notification.objects.filter(email_state=EmailState.DIGEST).count() == 0

    notifications_daily_digest.call(period_start=tomorrow + datetime.timedelta(days=1))
    assert len(mail.outbox) == 1  # nothing new: nothing sent


def test_notifications_after_the_period_start_wait_for_the_next_summary(world: World) -> None:
    user = world.coordinator.user
    NotificationPreference.objects.create(user=user, kind=KIND, delivery=Delivery.DIGEST)
    tell(world, user)
    notifications_daily_digest.call(period_start=timezone.now() - datetime.timedelta(hours=1))
    assert mail.outbox == []


def test_unsubscribe_works_without_login_only_for_its_kind_and_person(world: World) -> None:
    user, other = world.coordinator.user, world.staff.user
    token = unsubscribe_token(user=user, kind=KIND)
    url = reverse("notification_unsubscribe", args=[token])
    anonymous = Client(enforce_csrf_checks=True)

    page = anonymous.get(url)
    assert page.status_code == 200
    assert "Stop emails about: Someone accepted my invitation?" in page.content.decode()
    assert not NotificationPreference.objects.exists()  # looking changes nothing

    done = anonymous.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "You will get no more emails about: Someone accepted my invitation." in (
        done.content.decode()
    )
    assert list(NotificationPreference.objects.values_list("user_id", "kind", "delivery")) == [
        (user.pk, KIND, Delivery.IN_APP)
    ]
    # Other kinds of the same person, and the same kind of others, still email.
    assert NotificationPreference.objects.filter(user=other).count() == 0
    assert NotificationPreference.objects.filter(user=user, kind="tests.reminder").count() == 0


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "tampered"],
)
def test_a_tampered_unsubscribe_link_changes_nothing(world: World, token: str) -> None:
    if token == "tampered":
        real = unsubscribe_token(user=world.coordinator.user, kind=KIND)
        token = real[:-3] + ("aaa" if not real.endswith("aaa") else "bbb")
    response = Client().post(reverse("notification_unsubscribe", args=[token]))
    assert response.status_code == 404
    assert "This unsubscribe link is not valid" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_unsubscribing_from_the_summary_stops_every_summarised_kind(world: World) -> None:
    user = world.coordinator.user
    NotificationPreference.objects.create(user=user, kind=KIND, delivery=Delivery.DIGEST)
    tell(world, user)
    token = unsubscribe_token(user=user, kind=DIGEST_KIND)
    Client().post(reverse("notification_unsubscribe", args=[token]))
    assert NotificationPreference.objects.get(user=user, kind=KIND).delivery == Delivery.IN_APP
    assert Notification.objects.get().email_state == EmailState.NONE


def test_the_bell_counts_unread_and_the_list_marks_read(world: World) -> None:
    user = world.learner.user
    first, second = tell(world, user, name="Aino")[0], tell(world, user, name="Omar")[0]
    client = world.client_for(world.learner)
    home = client.get(reverse("notification_list")).content.decode()
    assert "2 new notifications" in home
    assert "Omar accepted your invitation" in home

    opened = client.post(reverse("notification_read", args=[first.pk]), {"open": "1"})
    assert opened["Location"] == "/people/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    assert ">1 new notification<" in client.get(reverse("notification_list")).content.decode()

    client.post(reverse("notifications_read_all"))
    assert Notification.objects.filter(read_at=None).count() == 0
    assert (
        '<span class="visually-hidden">Notifications</span></a>'
        in client.get(reverse("notification_list")).content.decode()
    )


def test_nobody_marks_anothers_notification_read(world: World) -> None:
    [mine] = tell(world, world.learner.user)
    for member in (world.admin, world.outsider):
        response = world.client_for(member).post(reverse("notification_read", args=[mine.pk]))
        assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None
    assert (
        "Aino accepted"
        not in world.client_for(world.admin).get(reverse("notification_list")).content.decode()
    )


def test_preferences_are_saved_per_kind_with_the_email_language(world: World) -> None:
    client = world.client_for(world.staff)
    page = client.get(reverse("notification_preferences")).content.decode()
    assert "Someone accepted my invitation" in page
    data = {
        # Every registered kind is on the form, including other apps' kinds.
        **{f"kind:{key}": "immediately" for key in KINDS},
        "language": "fi",
        f"kind:{KIND}": "digest",
        "kind:jobs.finished": "in_app",
        "kind:tests.reminder": "immediately",
    }
    assert client.post(reverse("notification_preferences"), data).status_code == 302
    user = world.staff.user
    assert NotificationPreference.objects.get(user=user, kind=KIND).delivery == "digest"
    assert EmailSettings.objects.get(user=user).language == "fi"

    bad = client.post(reverse("notification_preferences"), {**data, f"kind:{KIND}": "hourly"})
    assert bad.status_code == 400
    assert NotificationPreference.objects.get(user=user, kind=KIND).delivery == "digest"


def test_accepting_an_invitation_notifies_the_inviter(world: World) -> None:
    from guildhouse.core import services

    invitation, _token = services.invitation_create(
        actor=world.admin.user,
        institution=world.institution,
        email="newcomer@example.org",
        full_name="Nina Newcomer",
        role="staff",
        accept_url_for=lambda token: f"/invite/{token}/",
    )
    services.invitation_accept(invitation=invitation, user=None, password="x-long-password-1")
    notice = Notification.objects.get(recipient=world.admin.user)
    assert notice.subject == "Nina Newcomer accepted your invitation"
    assert notice.kind == KIND


@pytest.mark.parametrize(
    ("name", "url", "method"),
    [
        ("notifications", "notification_list", "get"),
        ("notification settings", "notification_preferences", "get"),
        ("mark all read", "notifications_read_all", "post"),
    ],
)
def test_notification_pages_matrix(world: World, name: str, url: str, method: str) -> None:
    for member in (world.admin, world.learner):
        tell(world, member.user, name="Secretname")
    page = Page(
        name=name,
        url=lambda w: reverse(url),
        allowed=EVERYONE,
        ok_status=302 if method == "post" else 200,
        method=method,
        outsider_status=302 if method == "post" else 200,
        secret=lambda w: "Secretname",
        state=lambda w: list(Notification.objects.values_list("read_at", flat=True)),
    )
    assert check_page(world, page) == []
    if method == "post":  # everyone marked their own
        assert Notification.objects.filter(read_at=None).count() == 0
    # The outsider never sees this institution's people's notifications.
    outsider_page = world.client_for(world.outsider).get(reverse("notification_list"))
    assert "Secretname" not in outsider_page.content.decode()


def test_the_settings_offer_only_the_kinds_a_person_can_receive(world: World) -> None:
    """A learner is not asked about agreement renewals; a partner contact is asked about
    the placement requests sent to their organisation, not about the school's own work."""
    url = reverse("notification_preferences")
    learner = world.client_for(world.learner).get(url).content.decode()
    assert "Reminders of my mentoring meetings" in learner  # for anyone
    assert "A job I started has finished" in learner
    for staff_only in (
        "An agreement is coming up for renewal",
        "A learner asked support staff to contact them",
        "Someone accepted my invitation",
        "We asked my organisation for places",
    ):
        assert staff_only not in learner
    partner = world.client_for(world.partner).get(url).content.decode()
    assert "We asked my organisation for places" in partner
    assert "A business asked to partner with us" not in partner
    support = world.client_for(world.support).get(url).content.decode()
    assert "A learner asked support staff to contact them" in support
    assert "We asked my organisation for places" not in support

    # Saving keeps a choice the form does not show (it could have been made as staff).
    NotificationPreference.objects.create(
        user=world.learner.user, kind="partners.agreement_renewal", delivery="in_app"
    )
    shown = {f"kind:{key}": "immediately" for key in kinds_for([Role.LEARNER])}
    assert "kind:partners.agreement_renewal" not in shown
    response = world.client_for(world.learner).post(url, {**shown, "language": "en"})
    assert response.status_code == 302
    assert (
        NotificationPreference.objects.get(
            user=world.learner.user, kind="partners.agreement_renewal"
        ).delivery
        == "in_app"
    )
