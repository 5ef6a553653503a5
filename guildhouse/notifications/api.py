"""The public API of notifications: what other modules import.

    from guildhouse.notifications.api import notify, register_kind

    register_kind("partners.agreement_renewal", label=_("Agreement renewals"))
    notify(recipients=[user], kind="partners.agreement_renewal", institution=inst,
           subject=_("Agreement with %(partner)s is up for renewal"),
           body=_("It ends on %(date)s."), context={"partner": "Acme", "date": "1 May"},
           url="/partners/agreements/12/")

``subject`` and ``body`` should be lazy translations (``gettext_lazy``): they are
rendered once per recipient, in that person's language, and ``context`` is filled
in afterwards. See docs/jobs.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise

from guildhouse.core.models import Institution, User
from guildhouse.notifications.models import (
    Delivery,
    EmailSettings,
    EmailState,
    Notification,
    NotificationPreference,
)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise
    default: Delivery
    roles: frozenset[str] | None = None  # who can receive it; None: anyone


KINDS: dict[str, Kind] = {}


def register_kind(
    key: str,
    *,
    label: str | Promise,
    default: Delivery | str = Delivery.IMMEDIATELY,
    roles: Iterable[str] | None = None,
) -> Kind:
    """Declare a kind of notification (``"<app>.<what>"``); people choose its delivery.

    ``roles`` are the roles whose people can receive it: the settings page offers the
    kind only to them (a learner is not asked about agreement renewals). Registering
    the same key twice (a module imported again) is harmless.
    """
    kind = Kind(
        key=key,
        label=label,
        default=Delivery(default),
        roles=None if roles is None else frozenset(roles),
    )
    KINDS[key] = kind
    return kind


def kinds_for(roles: Iterable[str]) -> dict[str, Kind]:
    """The kinds someone with ``roles`` (in any of their institutions) can receive."""
    mine = set(roles)
    return {key: kind for key, kind in KINDS.items() if kind.roles is None or kind.roles & mine}


def recipient_languages(users: Iterable[User]) -> dict[int, str]:
    ids = [user.pk for user in users]
    chosen = dict(EmailSettings.objects.filter(user_id__in=ids).values_list("user_id", "language"))
    return {pk: chosen.get(pk, settings.LANGUAGE_CODE) for pk in ids}


def deliveries_for(user: User) -> dict[str, Delivery]:
    """Every registered kind's delivery for ``user``: their choice or the kind's default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {key: Delivery(chosen.get(key, kind.default)) for key, kind in KINDS.items()}


def render_text(text: str | Promise, context: Mapping[str, Any] | None, language: str) -> str:
    with translation.override(language):
        rendered = str(text)
        return rendered % context if context else rendered


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    institution: Institution,
    subject: str | Promise,
    body: str | Promise = "",
    url: str = "",
    context: Mapping[str, Any] | None = None,
) -> list[Notification]:
    """Tell ``recipients``: an in-app notification now, email after commit.

    Each person's preference for ``kind`` decides the email: at once (a job sends it
    once the current transaction commits, never if it rolls back), in the daily
    summary, or none.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: call register_kind first.")
    people = list({user.pk: user for user in recipients if user.is_active}.values())
    if not people:
        return []
    languages = recipient_languages(people)
    chosen = dict(
        NotificationPreference.objects.filter(user__in=people, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    email_state = {
        Delivery.IMMEDIATELY: EmailState.PENDING,
        Delivery.DIGEST: EmailState.DIGEST,
        Delivery.IN_APP: EmailState.NONE,
    }
    rows = [
        Notification(
            recipient=user,
            institution=institution,
            kind=kind,
            subject=render_text(subject, context, languages[user.pk])[:300],
            body=render_text(body, context, languages[user.pk]) if body else "",
            url=url,
            email_state=(
                email_state[Delivery(chosen.get(user.pk, KINDS[kind].default))]
                if user.email
                else EmailState.NONE
            ),
        )
        for user in people
    ]
    created = Notification.objects.bulk_create(rows)
    pending = [row.pk for row in created if row.email_state == EmailState.PENDING]
    if pending:
        from guildhouse.notifications.tasks import notifications_email_send

        def enqueue() -> None:
            for pk in pending:
                notifications_email_send.enqueue(notification_id=pk)

        transaction.on_commit(enqueue)
    return created
