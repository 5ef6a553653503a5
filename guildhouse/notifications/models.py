"""In-app notifications, per-kind delivery preferences, and each person's email language."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guildhouse.core.models import Institution


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", _("Email me at once")
    DIGEST = "digest", _("Email me a daily summary")
    IN_APP = "in_app", _("Only show it in Guildhouse")


class EmailState(models.TextChoices):
    NONE = "none", _("No email")
    PENDING = "pending", _("Email waiting to be sent")
    DIGEST = "digest", _("Waiting for the daily summary")
    SENT = "sent", _("Emailed")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=100)
    # Rendered in the recipient's language when it was created.
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(max_length=10, choices=EmailState, default=EmailState.NONE)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["email_state", "created_at"], name="notification_email_idx"),
        ]

    def __str__(self) -> str:
        return self.subject


class NotificationPreference(models.Model):
    """How one person wants one kind delivered; without a row, the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=100)
    delivery = models.CharField(_("delivery"), max_length=12, choices=Delivery)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "kind"], name="notificationpref_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class EmailSettings(models.Model):
    """The language a person's email is written in (their own choice)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_settings"
    )
    language = models.CharField(
        _("language of emails"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"
