"""The daily job: check-ins due and overdue follow-ups, told once to their owners."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from guildhouse.notifications.models import EmailSettings, Notification
from guildhouse.partners.models import FollowUp, Organisation, ReminderSent
from guildhouse.partners.tasks import partners_daily_reminders
from tests.partners.conftest import PartnerWorld


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _sent() -> list[tuple[str, str, str, str, str]]:
    return [
        (n.recipient.email, n.kind, n.subject, n.body, n.url)
        for n in Notification.objects.filter(kind__startswith="partners.").order_by(
            "kind", "recipient__email", "pk"
        )
    ]


def test_owners_hear_once_about_check_ins_and_overdue_follow_ups(pw: PartnerWorld) -> None:
    w = pw.world
    Organisation.objects.filter(pk=pw.organisation.pk).update(last_contact_on=_ago(61))
    Organisation.objects.filter(pk=pw.other_organisation.pk).update(last_contact_on=_ago(10))
    late = FollowUp.objects.create(
        organisation=pw.organisation,
        description="Send the price list",
        owner=w.support,
        due_on=_ago(2),
    )
    FollowUp.objects.create(
        organisation=pw.organisation, description="Not yet", owner=w.support, due_on=_ago(-1)
    )
    FollowUp.objects.create(
        organisation=pw.organisation,
        description="Done",
        owner=w.staff,
        due_on=_ago(5),
        done_at=timezone.now(),
    )
    FollowUp.objects.create(  # another institution's: its own owner only
        organisation=pw.outsider_organisation,
        description="Call Ridge",
        owner=w.outsider,
        due_on=_ago(1),
    )
    page = reverse("partners:organisation_detail", args=[pw.organisation.pk])
    outsider_page = reverse("partners:organisation_detail", args=[pw.outsider_organisation.pk])
    expected = [
        (
            w.staff.user.email,
            "partners.check_in_due",
            "Time to check in with Coastal Motors Ltd",
            f"The last contact was on {date_format(_ago(61))}; the plan is to be in touch "
            "every 60 days.",
            page,
        ),
        (
            w.outsider.user.email,
            "partners.follow_up_overdue",
            "Overdue follow-up with Ridge Build",
            f"“Call Ridge” was due on {date_format(_ago(1))}.",
            outsider_page,
        ),
        (
            w.support.user.email,
            "partners.follow_up_overdue",
            "Overdue follow-up with Coastal Motors Ltd",
            f"“Send the price list” was due on {date_format(_ago(2))}.",
            page,
        ),
    ]
    partners_daily_reminders.call(period_start=timezone.now())
    assert sorted(_sent(), key=lambda row: (row[1], row[0])) == sorted(
        expected, key=lambda row: (row[1], row[0])
    )
    assert ReminderSent.objects.count() == 3

    partners_daily_reminders.call(period_start=timezone.now())  # the same day again
    partners_daily_reminders.call(period_start=timezone.now() + datetime.timedelta(days=1))
    assert len(_sent()) == 3

    # A new due date is a new episode: its owner hears again.
    FollowUp.objects.filter(pk=late.pk).update(due_on=_ago(1))
    partners_daily_reminders.call(period_start=timezone.now())
    assert len(_sent()) == 4


def test_reminders_come_in_the_owners_language(pw: PartnerWorld) -> None:
    w = pw.world
    EmailSettings.objects.update_or_create(user=w.staff.user, defaults={"language": "fi"})
    Organisation.objects.filter(pk=pw.organisation.pk).update(
        last_contact_on=_ago(31), check_in_every_days=30
    )
    partners_daily_reminders.call(period_start=timezone.now())
    notification = Notification.objects.get(kind="partners.check_in_due")
    assert notification.recipient == w.staff.user
    assert notification.subject == "Aika ottaa yhteyttä: Coastal Motors Ltd"
