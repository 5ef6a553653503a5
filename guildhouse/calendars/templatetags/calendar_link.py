"""``{% calendar_link_section %}``: the calendar-link card on the profile page."""

from __future__ import annotations

from typing import Any

from django import template

from guildhouse.calendars import selectors

register = template.Library()


@register.inclusion_tag("calendars/_link_section.html", takes_context=True)
def calendar_link_section(context: template.Context) -> dict[str, Any]:
    membership = context["membership"]
    return {
        "membership": membership,
        "feed": selectors.calendar_feed_of(membership.pk),
        "csrf_token": context.get("csrf_token"),
    }
