"""The demo gives its admins and coordinators notifications and one summary waiting."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from guildhouse.core.models import User
from guildhouse.notifications.models import EmailState, Notification

pytestmark = pytest.mark.django_db


def test_demo_people_have_notifications_and_one_waiting_summary(
    settings: SettingsWrapper,
) -> None:
    settings.DEMO_ALLOW_STAFF_WITHOUT_MFA = True
    call_command("demo", "--no-serve", "--force", stdout=io.StringIO())
    call_command("demo", "--no-serve", "--force", stdout=io.StringIO())  # loads once

    waiting = Notification.objects.filter(email_state=EmailState.DIGEST)
    assert set(waiting.values_list("recipient__email", flat=True)) == {"coordinator@riverside.demo"}
    assert waiting.count() == 3
    admin = User.objects.get(email="admin@riverside.demo")
    assert Notification.objects.filter(recipient=admin, read_at=None).count() >= 2

    client = Client()
    client.force_login(User.objects.get(email="coordinator@riverside.demo"))
    page = client.get(reverse("notification_preferences")).content.decode()
    assert "3 notifications are waiting for your next daily summary." in page
