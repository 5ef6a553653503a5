"""The bell in the header: one count query per page for signed-in people."""

from __future__ import annotations

from django.http import HttpRequest

from guildhouse.notifications.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    # An htmx partial has no header, so no bell to count for.
    if user is None or not user.is_authenticated or getattr(request, "htmx", False):
        return {}
    return {"notifications_unread": unread_count(user_id=user.pk)}
