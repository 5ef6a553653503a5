"""Notification email: text + HTML in the recipient's language, a signed unsubscribe link.

No remote images (nothing is loaded from anywhere when the mail is opened) and
``List-Unsubscribe`` / ``List-Unsubscribe-Post`` headers for one-click unsubscribe
from the mail program (RFC 8058).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from guildhouse.core.models import User
from guildhouse.notifications.api import KINDS, recipient_languages
from guildhouse.notifications.models import Notification

UNSUBSCRIBE_SALT = "guildhouse.notifications.unsubscribe"
DIGEST_KIND = "digest"


def unsubscribe_token(*, user: User, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """The (user id, kind) a token was made for, or ``None`` if it was tampered with."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    kind = data.get("k")
    if not isinstance(kind, str) or (kind not in KINDS and kind != DIGEST_KIND):
        return None
    return data["u"], kind


def absolute(path: str) -> str:
    return urljoin(settings.SITE_URL, path) if path else ""


def _message(
    *, user: User, kind: str, subject: str, template: str, context: dict[str, object]
) -> EmailMultiAlternatives:
    language = recipient_languages([user])[user.pk]
    unsubscribe = absolute(
        reverse("notification_unsubscribe", args=[unsubscribe_token(user=user, kind=kind)])
    )
    with translation.override(language):
        full = {
            **context,
            "user": user,
            "unsubscribe_url": unsubscribe,
            "preferences_url": absolute(reverse("notification_preferences")),
            "kind_label": str(KINDS[kind].label) if kind in KINDS else "",
            "LANGUAGE_CODE": language,
        }
        text = render_to_string(f"notifications/email/{template}.txt", full)
        html = render_to_string(f"notifications/email/{template}.html", full)
        subject_line = f"[Guildhouse] {subject}".replace("\n", " ")
    message = EmailMultiAlternatives(
        subject=subject_line,
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    return _message(
        user=notification.recipient,
        kind=notification.kind,
        subject=notification.subject,
        template="notification",
        context={"notification": notification, "link": absolute(notification.url)},
    )


def digest_email(*, user: User, notifications: Sequence[Notification]) -> EmailMultiAlternatives:
    language = recipient_languages([user])[user.pk]
    with translation.override(language):
        subject = translation.ngettext(
            "Your daily summary: %(count)d new notification",
            "Your daily summary: %(count)d new notifications",
            len(notifications),
        ) % {"count": len(notifications)}
    items = [(n, absolute(n.url)) for n in notifications]
    return _message(
        user=user,
        kind=DIGEST_KIND,
        subject=subject,
        template="digest",
        context={"items": items, "notifications_url": absolute(reverse("notification_list"))},
    )
