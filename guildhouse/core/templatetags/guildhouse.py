"""Template filters shared by Guildhouse pages."""

from __future__ import annotations

from django import template

from guildhouse.core.audit import action_label

register = template.Library()


@register.filter
def audit_action(action: str) -> str:
    """The readable name of an audit action ("change_role" → "changed the role of")."""
    return action_label(action)


@register.filter
def audit_value(value: object) -> str:
    """An audit ``changes`` value as a short line: lists joined, long text cut."""
    text = ", ".join(str(item) for item in value) if isinstance(value, list | tuple) else str(value)
    return text if len(text) <= 120 else text[:119] + "…"
